"""The athlete's notes for a Coach: the ones kept (the coach reads them on the athlete card and
the proposal check applies them), the ones waiting on a card, and adding, editing, pinning,
deleting, keeping or dismissing one. They stay on this machine; Forget me deletes them with
the database."""

from __future__ import annotations

from datetime import date

from coach.analysis import NoteKind, guess_kind
from coach.app.session import Coach
from coach.errors import CoachError
from coach.proposals import notes as noting
from coach.store import NoteRecord, NoteStatus

KINDS = tuple(NoteKind)

__all__ = ["KINDS", "NoteKind", "NoteRecord", "NoteStatus", "add", "delete", "dismiss", "edit",
           "guess_kind", "keep", "kept", "note", "pin", "waiting"]


def kept(coach: Coach) -> list[NoteRecord]:
    """The notes the athlete keeps, pinned first, then the newest."""
    found = coach.store.notes(_athlete(coach))
    return sorted(found, key=lambda n: (not n.pinned, -n.id))


def waiting(coach: Coach) -> list[NoteRecord]:
    """Notes proposed on a card that the athlete has not answered yet."""
    return coach.store.notes(_athlete(coach), [NoteStatus.PROPOSED])


def note(coach: Coach, note_id: int) -> NoteRecord | None:
    found = coach.store.note(note_id)
    return found if found and found.athlete_id == coach.athlete_id else None


def add(coach: Coach, kind: NoteKind, text: str, since: date | None = None,
        pinned: bool = False) -> NoteRecord:
    return noting.add_note(coach.store, _athlete(coach), kind, text, since, pinned)


def edit(coach: Coach, note_id: int, *, kind: NoteKind, text: str, since: date | None,
         pinned: bool) -> NoteRecord:
    return noting.edit_note(coach.store, _athlete(coach), note_id, kind=kind, text=text,
                            since=since, pinned=pinned)


def pin(coach: Coach, note_id: int, pinned: bool = True) -> NoteRecord:
    return noting.pin_note(coach.store, _athlete(coach), note_id, pinned)


def delete(coach: Coach, note_id: int) -> None:
    noting.delete_note(coach.store, _athlete(coach), note_id)


def keep(coach: Coach, note_id: int, kind: NoteKind | None = None,
         text: str | None = None) -> NoteRecord:
    """The athlete keeps a note proposed on a card (as they edited it there)."""
    return noting.keep_note(coach.store, _athlete(coach), note_id, kind, text)


def dismiss(coach: Coach, note_id: int) -> NoteRecord:
    return noting.dismiss_note(coach.store, _athlete(coach), note_id)


def _athlete(coach: Coach) -> str:
    if coach.athlete_id is None:
        raise CoachError("Sync with Intervals.icu first: notes belong to an athlete.")
    return coach.athlete_id
