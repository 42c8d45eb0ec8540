"""The demo athlete's calendar (workouts confirmed in demo mode land here) and small meta values."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from coach.store.base import Database, now_iso


class LocalCalendar(Database):
    """Events of the demo calendar, and key/value meta such as whose key this is."""

    def demo_events(self, athlete_id: str, oldest: date, newest: date) -> list[dict[str, Any]]:
        sql = ("SELECT raw FROM demo_events WHERE athlete_id = ? AND day BETWEEN ? AND ? "
               "ORDER BY day, id")
        rows = self.db.execute(sql, [athlete_id, oldest.isoformat(), newest.isoformat()])
        return [json.loads(r[0]) for r in rows]

    def add_demo_event(self, athlete_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """Store an event on the demo calendar, giving it the next id."""
        with self.db.atomic():
            top = self.db.execute("SELECT max(id) FROM demo_events").fetchone()[0]
            event = {**event, "id": max(top or 0, 105_000_000) + 1}
            self.db.table("demo_events").insert({"id": event["id"], "athlete_id": athlete_id,
                                                 "day": event["start_date_local"][:10],
                                                 "raw": json.dumps(event)})
        return event

    def demo_event(self, event_id: int) -> dict[str, Any] | None:
        row = self._one("SELECT raw FROM demo_events WHERE id = ?", [event_id])
        return json.loads(row["raw"]) if row else None

    def seed_demo_events(self, athlete_id: str, events: list[dict[str, Any]]) -> None:
        """Copy the generated plan onto the demo calendar once; afterwards it is the user's."""
        with self.db.atomic():
            if self.meta(f"demo_seeded:{athlete_id}"):
                return
            self.db.table("demo_events").upsert_all(
                [{"id": e["id"], "athlete_id": athlete_id, "day": e["start_date_local"][:10],
                  "raw": json.dumps(e)} for e in events], pk="id")
            self.set_meta(f"demo_seeded:{athlete_id}", now_iso())

    def update_demo_event(self, event: dict[str, Any]) -> None:
        with self.db.atomic():
            self.db.table("demo_events").update(event["id"], {
                "day": event["start_date_local"][:10], "raw": json.dumps(event)})

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row["value"] if row else None

    def delete_meta(self, key: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.table("meta").upsert({"key": key, "value": value}, pk="key")

    def delete_demo_event(self, event_id: int) -> bool:
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM demo_events WHERE id = ?", [event_id])
        return cursor.rowcount > 0

