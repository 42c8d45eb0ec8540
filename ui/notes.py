"""Notes the coach keeps in mind: on the Settings page, each note to read, edit, pin or delete,
and a form to add one; in the conversation, the small card of a note the coach proposed (or the
athlete dictated with "remember that …"), kept only when the athlete presses Keep."""

from __future__ import annotations

from datetime import date

import streamlit as st

from coach import display
from coach.app import Coach, notes
from coach.app.notes import NoteKind, NoteRecord, NoteStatus

from .cards import act, flash
from .text import plain

KIND_HELP = ("An injury note that names a sport (“no running”) or a body part that takes the "
             "impact (knee, shin, Achilles) flags that sport; “can't train on Wednesdays” flags "
             "any session that day; “long ride on Saturday” flags a long ride on another day.")


def notes_section(coach: Coach) -> None:
    """The notes kept, pinned first, then the newest; each editable; a form to add one."""
    st.subheader("Notes the coach keeps in mind")
    st.caption("Goals, races, injuries, preferences and constraints, in your words. The coach "
               "reads them (pinned and newest first, about 600 characters) and every proposal "
               "is checked against them. They stay on this machine: nothing is sent to "
               "Intervals.icu, and Forget me deletes them.")
    if coach.athlete_id is None:
        st.info("Sync first: notes belong to an athlete.")
        return
    for note in notes.kept(coach):
        _kept(coach, note)
    _add_form(coach)


def _kept(coach: Coach, note: NoteRecord) -> None:
    with st.container(border=True, key=f"kept-note-{note.id}"):
        since = f" · since {display.day(note.since, coach.today())}" if note.since else ""
        pin = "📌 " if note.pinned else ""
        st.markdown(f"{pin}**{note.kind.capitalize()}**{since}  \n{plain(note.text)}")
        edit, pin_button, delete, _ = st.columns([1, 1, 1, 3])
        if pin_button.button("Unpin" if note.pinned else "Pin", key=f"pin-note-{note.id}"):
            act(lambda: notes.pin(coach, note.id, not note.pinned))
        if delete.button("Delete", key=f"delete-note-{note.id}"):
            act(lambda: _deleted(coach, note.id))
        if edit.toggle("Edit", key=f"edit-note-{note.id}"):
            _edit_form(coach, note)


def _deleted(coach: Coach, note_id: int) -> None:
    notes.delete(coach, note_id)
    flash("Note deleted from this machine.", "success")


def _edit_form(coach: Coach, note: NoteRecord) -> None:
    with st.form(f"note-form-{note.id}"):
        kind, text, since, pinned = _fields(f"note-{note.id}", NoteKind(note.kind), note.text,
                                            date.fromisoformat(note.since) if note.since
                                            else None, note.pinned)
        if st.form_submit_button("Save note"):
            act(lambda: _saved(coach, note.id, kind, text, since, pinned))


def _saved(coach: Coach, note_id: int, kind: NoteKind, text: str, since: date | None,
           pinned: bool) -> None:
    notes.edit(coach, note_id, kind=kind, text=text, since=since, pinned=pinned)
    flash("Note saved.", "success")


def _add_form(coach: Coach) -> None:
    with st.form("add-note", clear_on_submit=True):
        st.markdown("**Add a note**")
        kind, text, since, pinned = _fields("new-note", NoteKind.INJURY, "", None, False)
        if st.form_submit_button("Add note"):
            act(lambda: _added(coach, kind, text, since, pinned))


def _added(coach: Coach, kind: NoteKind, text: str, since: date | None, pinned: bool) -> None:
    notes.add(coach, kind, text, since, pinned)
    flash("Note added: the coach reads it from your next question on.", "success")


def _fields(key: str, kind: NoteKind, text: str, since: date | None,
            pinned: bool) -> tuple[NoteKind, str, date | None, bool]:
    left, right = st.columns([1, 1])
    chosen = left.selectbox("Kind", notes.KINDS, index=notes.KINDS.index(kind),
                            format_func=lambda k: k.value, key=f"{key}-kind", help=KIND_HELP)
    when = right.date_input("Since (optional)", since, key=f"{key}-since", format="YYYY-MM-DD")
    words = st.text_area("Note", text, max_chars=1000, key=f"{key}-text",
                         placeholder="Left knee sore since the marathon: no running for now.")
    pin = st.checkbox("Pinned (always on the coach's card first)", pinned, key=f"{key}-pinned")
    return chosen, words, when if isinstance(when, date) else None, pin


# --- the card of a proposed note --------------------------------------------------------------

def note_card(coach: Coach, note_id: int) -> None:
    """A proposed note: its kind and words (editable) and Keep / Dismiss; once answered, what
    became of it."""
    note = notes.note(coach, note_id)
    if note is None:
        st.caption("This note was deleted.")
        return
    with st.container(border=True, key=f"note-{note.id}"):
        st.markdown("**Note to keep in mind**")
        if note.status == NoteStatus.PROPOSED:
            _decide(coach, note)
        elif note.status == NoteStatus.KEPT:
            st.markdown(f"**{note.kind.capitalize()}**: {plain(note.text)}")
            st.success("Kept in your notes (Settings & privacy): the coach reads it from your "
                       "next question on.")
        else:
            st.markdown(f"~~{plain(note.text)}~~")
            st.caption("Not kept. Nothing was stored.")


def _decide(coach: Coach, note: NoteRecord) -> None:
    kind = st.selectbox("Kind", notes.KINDS, index=notes.KINDS.index(NoteKind(note.kind)),
                        format_func=lambda k: k.value, key=f"note-kind-{note.id}",
                        help=KIND_HELP)
    text = st.text_area("Note (you can edit it)", note.text, max_chars=1000, height=80,
                        key=f"note-text-{note.id}")
    st.caption("Nothing is kept until you press Keep. Notes stay on this machine.")
    keep, dismiss, _ = st.columns([1, 1, 3])
    if keep.button("Keep note", key=f"keep-note-{note.id}", type="primary"):
        act(lambda: notes.keep(coach, note.id, kind, text))
    if dismiss.button("Dismiss", key=f"dismiss-note-{note.id}"):
        act(lambda: notes.dismiss(coach, note.id))
