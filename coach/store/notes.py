"""Athlete notes, kept on this machine only: each athlete's own, `proposed` ones waiting on a
card for the athlete's Keep (nothing the model proposes is kept until then), `kept` ones read
by the coach, `dismissed` ones left on their card. Deleting a note deletes its row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from coach.store.base import Database, now_iso


class NoteStatus(StrEnum):
    PROPOSED = "proposed"     # on a card, waiting for the athlete; the coach does not read it
    KEPT = "kept"             # the athlete's note: on the athlete card and in the checks
    DISMISSED = "dismissed"   # the athlete said no on its card


@dataclass(frozen=True)
class NoteRecord:
    """A stored note: the kind (goal, race, injury, preference, constraint), the text, since
    when (ISO date or None), pinned, and where it stands."""

    id: int
    athlete_id: str
    kind: str
    text: str
    since: str | None
    pinned: bool
    status: NoteStatus
    conversation_id: int | None
    created_at: str
    updated_at: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> NoteRecord:
        return cls(**{**row, "pinned": bool(row["pinned"]), "status": NoteStatus(row["status"])})


class Notes(Database):
    """Each athlete's notes, newest first."""

    def add_note(self, *, athlete_id: str, kind: str, text: str, since: str | None = None,
                 pinned: bool = False, status: NoteStatus = NoteStatus.KEPT,
                 conversation_id: int | None = None) -> NoteRecord:
        now = now_iso()
        with self.db.atomic():
            note_id = self._insert("notes", {
                "athlete_id": athlete_id, "kind": kind, "text": text, "since": since,
                "pinned": int(pinned), "status": NoteStatus(status).value,
                "conversation_id": conversation_id, "created_at": now, "updated_at": now})
        note = self.note(note_id)
        assert note is not None
        return note

    def note(self, note_id: int) -> NoteRecord | None:
        row = self._one("SELECT * FROM notes WHERE id = ?", [note_id])
        return NoteRecord.from_row(row) if row else None

    def notes(self, athlete_id: str,
              statuses: Iterable[NoteStatus] = (NoteStatus.KEPT,)) -> list[NoteRecord]:
        wanted = [NoteStatus(s).value for s in statuses]
        rows = self._all(f"SELECT * FROM notes WHERE athlete_id = ? AND status IN "
                         f"({','.join('?' * len(wanted))}) ORDER BY id DESC",
                         [athlete_id, *wanted])
        return [NoteRecord.from_row(row) for row in rows]

    def change_note(self, note_id: int, allowed: Iterable[NoteStatus], **values: Any) -> bool:
        """Change a note's fields (its status too) if it is in one of `allowed`."""
        wanted = [NoteStatus(s).value for s in allowed]
        if "pinned" in values:
            values["pinned"] = int(values["pinned"])
        if "status" in values:
            values["status"] = NoteStatus(values["status"]).value
        values["updated_at"] = now_iso()
        sets = ", ".join(f"[{k}] = ?" for k in values)
        with self._immediate():
            cursor = self.db.execute(
                f"UPDATE notes SET {sets} WHERE id = ? AND status IN "
                f"({','.join('?' * len(wanted))})", [*values.values(), note_id, *wanted])
        return cursor.rowcount > 0

    def delete_note(self, note_id: int) -> bool:
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM notes WHERE id = ?", [note_id])
        return cursor.rowcount > 0
