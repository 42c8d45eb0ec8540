"""Athlete notes: proposing one (the model's tool, or the athlete's "remember that …"), which
waits on a card and is kept only when the athlete says so; adding, editing, pinning and deleting
them by hand. Notes stay in the store on this machine: nothing here sends anything anywhere."""

from __future__ import annotations

from datetime import date, datetime

from coach import analysis
from coach.analysis import NoteKind
from coach.errors import ProposalError
from coach.scope import Scope
from coach.store import NoteRecord, NoteStatus, Store


class NoteInvalid(ProposalError):
    """A note that cannot be kept as written: the message says why."""


def propose_note(scope: Scope, text: str, kind: NoteKind | None = None) -> NoteRecord:
    """A note waiting on a card in the conversation; its kind guessed from its words."""
    kind = kind or analysis.guess_kind(text)
    _checked(kind, text, None)
    return scope.store.add_note(athlete_id=scope.athlete_id, kind=kind.value, text=text.strip(),
                                status=NoteStatus.PROPOSED,
                                conversation_id=scope.conversation_id)


def add_note(store: Store, athlete_id: str, kind: NoteKind, text: str,
             since: date | None = None, pinned: bool = False) -> NoteRecord:
    """A note the athlete wrote by hand: kept at once."""
    _checked(kind, text, since)
    return store.add_note(athlete_id=athlete_id, kind=kind.value, text=text.strip(),
                          since=since.isoformat() if since else None, pinned=pinned)


def keep_note(store: Store, athlete_id: str, note_id: int, kind: NoteKind | None = None,
              text: str | None = None) -> NoteRecord:
    """The athlete keeps a proposed note (with their changes to its kind or text)."""
    note = _own(store, athlete_id, note_id)
    if note.status == NoteStatus.KEPT:
        return note
    kind, text = kind or NoteKind(note.kind), (note.text if text is None else text).strip()
    _checked(kind, text, None)
    if not store.change_note(note_id, [NoteStatus.PROPOSED], status=NoteStatus.KEPT,
                             kind=kind.value, text=text):
        raise ProposalError(f"Note {note_id} was dismissed; ask again to propose it anew.")
    return _own(store, athlete_id, note_id)


def dismiss_note(store: Store, athlete_id: str, note_id: int) -> NoteRecord:
    """The athlete does not want a proposed note kept."""
    note = _own(store, athlete_id, note_id)
    if note.status == NoteStatus.PROPOSED:
        store.change_note(note_id, [NoteStatus.PROPOSED], status=NoteStatus.DISMISSED)
    return _own(store, athlete_id, note_id)


def edit_note(store: Store, athlete_id: str, note_id: int, *, kind: NoteKind, text: str,
              since: date | None, pinned: bool) -> NoteRecord:
    """The athlete changed a kept note."""
    _own(store, athlete_id, note_id)
    _checked(kind, text, since)
    store.change_note(note_id, [NoteStatus.KEPT], kind=kind.value, text=text.strip(),
                      since=since.isoformat() if since else None, pinned=pinned)
    return _own(store, athlete_id, note_id)


def pin_note(store: Store, athlete_id: str, note_id: int, pinned: bool) -> NoteRecord:
    _own(store, athlete_id, note_id)
    store.change_note(note_id, [NoteStatus.KEPT], pinned=pinned)
    return _own(store, athlete_id, note_id)


def delete_note(store: Store, athlete_id: str, note_id: int) -> None:
    """Gone from this machine (the row is deleted, not hidden)."""
    _own(store, athlete_id, note_id)
    store.delete_note(note_id)


def _own(store: Store, athlete_id: str, note_id: int) -> NoteRecord:
    """The note, if it is this athlete's: never one athlete's note acted on for another."""
    note = store.note(note_id)
    if note is None or note.athlete_id != athlete_id:
        raise ProposalError(f"There is no note {note_id} for this athlete.")
    return note


def _checked(kind: NoteKind, text: str, since: date | None) -> None:
    """The pure core's own check of a note (its time does not matter here)."""
    try:
        analysis.Note(kind, text, datetime.min, since=since)
    except ValueError as e:
        raise NoteInvalid(f"Not kept: {str(e)[0].upper()}{str(e)[1:]}.") from None
