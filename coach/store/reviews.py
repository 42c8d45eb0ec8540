"""Weekly reviews: the section as computed, its key figures and chart rows, and the conversation
that holds the coach's commentary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from coach.store.base import Database, now_iso


@dataclass(frozen=True)
class StoredReview:
    """One weekly review as it was made (a later sync does not change it)."""

    id: int
    athlete_id: str
    week: str  # "2026-W48"
    created_at: str
    section: str  # Markdown
    facts: dict[str, Any]  # key figures and chart rows
    conversation_id: int | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredReview:
        return cls(row["id"], row["athlete_id"], row["week"], row["created_at"],
                   row["section"], json.loads(row["facts"] or "{}"), row["conversation_id"])


class Reviews(Database):
    """The weekly reviews of each athlete, newest first."""

    def save_review(self, athlete_id: str, week: str, section: str, facts: dict[str, Any],
                    conversation_id: int | None = None) -> StoredReview:
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO reviews (athlete_id, week, created_at, section, facts, "
                "conversation_id) VALUES (?, ?, ?, ?, ?, ?)",
                [athlete_id, week, now_iso(), section, json.dumps(facts), conversation_id])
        review = self.review(int(cursor.lastrowid or 0))
        assert review is not None
        return review

    def review(self, review_id: int) -> StoredReview | None:
        row = self._one("SELECT * FROM reviews WHERE id = ?", [review_id])
        return StoredReview.from_row(row) if row else None

    def reviews(self, athlete_id: str) -> list[StoredReview]:
        rows = self._all("SELECT * FROM reviews WHERE athlete_id = ? ORDER BY id DESC",
                         [athlete_id])
        return [StoredReview.from_row(row) for row in rows]

    def set_review_conversation(self, review_id: int, conversation_id: int) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE reviews SET conversation_id = ? WHERE id = ?",
                            [conversation_id, review_id])
