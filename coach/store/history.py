"""Synced history: the athlete, activities, wellness, calendar events, best-effort curves, the
coach's athlete list and the sync state. Rows keep the record's raw JSON plus a few columns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.records import Activity, Athlete, Curve, Event, Wellness
from coach.store.base import Database, now_iso


@dataclass(frozen=True)
class SyncState:
    full_done: bool
    full_cursor: str | None
    last_sync_at: str | None
    last_sync_day: str | None
    last_error: str | None


_TOTALS = "day, type, moving_time, distance, load, unavailable"  # columns, no JSON


class History(Database):
    """What `coach sync` writes and the tools read."""

    def save_athlete(self, athlete: Athlete) -> None:
        self.db.table("athletes").upsert({
            "id": athlete.id, "name": athlete.name, "timezone": athlete.timezone,
            "raw": _dump(athlete), "synced_at": now_iso()}, pk="id")

    def athlete(self, athlete_id: str) -> Athlete | None:
        row = self._one("SELECT raw FROM athletes WHERE id = ?", [athlete_id])
        return Athlete.model_validate_json(row["raw"]) if row else None

    def save_activities(self, athlete_id: str, activities: Iterable[Activity]) -> int:
        """Upsert activities; returns how many were new or changed."""
        rows = [{"athlete_id": athlete_id, "id": a.id, "day": a.day,
                 "start_date_local": a.start_date_local, "type": a.type, "name": a.name,
                 "source": a.source, "unavailable": int(a.unavailable),
                 "moving_time": a.moving_time, "distance": a.icu_distance or a.distance,
                 "load": a.icu_training_load, "raw": _dump(a)} for a in activities]
        return self._upsert_changed("activities", rows, ("athlete_id", "id"))

    def save_wellness(self, athlete_id: str, days: Iterable[Wellness]) -> int:
        rows = [{"athlete_id": athlete_id, "day": w.id, "ctl": w.ctl, "atl": w.atl,
                 "raw": _dump(w)} for w in days]
        return self._upsert_changed("wellness", rows, ("athlete_id", "day"))

    def save_events(self, athlete_id: str, events: Iterable[Event]) -> int:
        rows = [{"athlete_id": athlete_id, "id": e.id, "day": e.day, "category": e.category,
                 "type": e.type, "name": e.name, "external_id": e.external_id,
                 "raw": _dump(e)} for e in events]
        return self._upsert_changed("events", rows, ("athlete_id", "id"))

    def prune(self, table: str, athlete_id: str, oldest: date, newest: date,
              keep_ids: Iterable[Any]) -> int:
        """Delete rows in [oldest, newest] that Intervals.icu no longer has (deleted there)."""
        keep = list(keep_ids)
        sql = f"DELETE FROM [{table}] WHERE athlete_id = ? AND day BETWEEN ? AND ?"
        if keep:  # `NOT IN ()` is not valid SQL, and `NOT IN (NULL)` matches nothing
            sql += f" AND id NOT IN ({','.join('?' * len(keep))})"
        with self.db.atomic():
            cursor = self.db.execute(sql, [athlete_id, oldest.isoformat(), newest.isoformat(),
                                           *keep])
        return cursor.rowcount

    def _upsert_changed(self, table: str, rows: list[dict[str, Any]],
                        pk: tuple[str, str]) -> int:
        if not rows:
            return 0
        existing = self._raws(table, rows, pk)
        changed = [r for r in rows if existing.get((r[pk[0]], r[pk[1]])) != r["raw"]]
        if changed:
            with self.db.atomic():
                self.db.table(table).upsert_all(changed, pk=pk)
        return len(changed)

    def _raws(self, table: str, rows: list[dict[str, Any]], pk: tuple[str, str]) -> dict:
        keys = [r[pk[1]] for r in rows]
        found: dict[tuple[Any, Any], str] = {}
        for chunk in _chunks(keys, 500):
            sql = (f"SELECT {pk[0]}, {pk[1]}, raw FROM [{table}] WHERE {pk[0]} = ? "
                   f"AND {pk[1]} IN ({','.join('?' * len(chunk))})")
            for row in self.db.execute(sql, [rows[0][pk[0]], *chunk]).fetchall():
                found[(row[0], row[1])] = row[2]
        return found

    def forget_event(self, athlete_id: str, event_id: int) -> None:
        """Drop an event we deleted on the calendar, so tools stop showing it."""
        with self.db.atomic():
            self.db.execute("DELETE FROM events WHERE athlete_id = ? AND id = ?",
                            [athlete_id, event_id])

    def event(self, athlete_id: str, event_id: int) -> Event | None:
        row = self._one("SELECT raw FROM events WHERE athlete_id = ? AND id = ?",
                        [athlete_id, event_id])
        return Event.model_validate_json(row["raw"]) if row else None

    def activities(self, athlete_id: str, oldest: date, newest: date,
                   sport: str | None = None) -> list[Activity]:
        """Activities in the window, newest first."""
        sql = "SELECT raw FROM activities WHERE athlete_id = ? AND day BETWEEN ? AND ?"
        params: list[Any] = [athlete_id, oldest.isoformat(), newest.isoformat()]
        if sport:
            sql += " AND type = ?"
            params.append(sport)
        sql += " ORDER BY start_date_local DESC"
        return [Activity.model_validate_json(r[0]) for r in self.db.execute(sql, params)]

    def activity_totals(self, athlete_id: str, oldest: date,
                        newest: date) -> list[dict[str, Any]]:
        """Day, type, time, distance and load of each activity, from columns only (weekly and
        monthly summaries need nothing else, and parsing a year of raw JSON is slow)."""
        return self._all(f"SELECT {_TOTALS} FROM activities "
                         "WHERE athlete_id = ? AND day BETWEEN ? AND ?",
                         [athlete_id, oldest.isoformat(), newest.isoformat()])

    def recent_moves(self, athlete_id: str, limit: int = 60) -> list[dict[str, Any]]:
        """Type, moving time and distance of the newest activities that moved (both set),
        newest first: what an athlete's recent speed in a sport is read from. Ordered by day
        first, so the (athlete_id, day) index gives the newest without sorting ten years of
        activities (0.6 ms, not 11 ms; the week check reads it for every planned workout)."""
        return self._all("SELECT type, moving_time, distance FROM activities "
                         "WHERE athlete_id = ? AND moving_time > 0 AND distance > 0 "
                         "ORDER BY day DESC, start_date_local DESC LIMIT ?", [athlete_id, limit])

    def activity_zone_times(self, athlete_id: str, oldest: date,
                            newest: date) -> list[dict[str, Any]]:
        """`activity_totals` plus each activity's zone times as one JSON array [power, HR, pace]:
        an intensity distribution over a year reads these, not every activity's whole record."""
        return self._all(f"SELECT {_TOTALS}, json_array(raw -> '$.icu_zone_times', "
                         "raw -> '$.icu_hr_zone_times', raw -> '$.pace_zone_times') AS zones "
                         "FROM activities WHERE athlete_id = ? AND day BETWEEN ? AND ?",
                         [athlete_id, oldest.isoformat(), newest.isoformat()])

    def activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        row = self._one("SELECT raw FROM activities WHERE athlete_id = ? AND id = ?",
                        [athlete_id, activity_id])
        return Activity.model_validate_json(row["raw"]) if row else None

    def wellness(self, athlete_id: str, oldest: date, newest: date) -> list[Wellness]:
        """Wellness days in the window, oldest first."""
        sql = ("SELECT raw FROM wellness WHERE athlete_id = ? AND day BETWEEN ? AND ? "
               "ORDER BY day")
        rows = self.db.execute(sql, [athlete_id, oldest.isoformat(), newest.isoformat()])
        return [Wellness.model_validate_json(r[0]) for r in rows]

    def events(self, athlete_id: str, oldest: date, newest: date) -> list[Event]:
        sql = ("SELECT raw FROM events WHERE athlete_id = ? AND day BETWEEN ? AND ? "
               "ORDER BY day, id")
        rows = self.db.execute(sql, [athlete_id, oldest.isoformat(), newest.isoformat()])
        return [Event.model_validate_json(r[0]) for r in rows]

    def save_curves(self, athlete_id: str, sport: str, curves: Iterable[Curve]) -> int:
        rows = [{"athlete_id": athlete_id, "sport": sport, "id": c.id, "raw": _dump(c),
                 "synced_at": now_iso()} for c in curves]
        with self.db.atomic():
            self.db.execute("DELETE FROM curves WHERE athlete_id = ? AND sport = ?",
                            [athlete_id, sport])
            if rows:
                self.db.table("curves").insert_all(rows)
        return len(rows)

    def curves(self, athlete_id: str, sport: str) -> dict[str, Curve]:
        rows = self.db.execute("SELECT id, raw FROM curves WHERE athlete_id = ? AND sport = ?",
                               [athlete_id, sport])
        return {r[0]: Curve.model_validate_json(r[1]) for r in rows}

    def save_roster(self, athletes: list[tuple[str, str | None]]) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM roster")
            if athletes:
                self.db.table("roster").insert_all([{"id": a, "name": n, "position": i}
                                              for i, (a, n) in enumerate(athletes)])

    def roster(self) -> list[dict[str, Any]]:
        return self._all("SELECT id, name FROM roster ORDER BY position", [])

    def counts(self, athlete_id: str) -> dict[str, int]:
        return {t: self.db.execute(f"SELECT count(*) FROM [{t}] WHERE athlete_id = ?",
                                   [athlete_id]).fetchone()[0]
                for t in ("activities", "wellness", "events")}

    def sync_state(self, athlete_id: str) -> SyncState:
        row = self._one("SELECT * FROM sync_state WHERE athlete_id = ?", [athlete_id]) or {}
        return SyncState(bool(row.get("full_done")), row.get("full_cursor"),
                         row.get("last_sync_at"), row.get("last_sync_day"),
                         row.get("last_error"))

    def update_sync_state(self, athlete_id: str, **values: Any) -> None:
        with self.db.atomic():
            self.db.table("sync_state").upsert({"athlete_id": athlete_id, **values},
                                               pk="athlete_id")

    def step_failed(self, athlete_id: str, step: str, error: str) -> None:
        """An optional sync step failed: it is pending until a sync runs it successfully."""
        with self.db.atomic():
            self.db.execute("INSERT INTO sync_steps (athlete_id, step, error, since) "
                            "VALUES (?, ?, ?, ?) ON CONFLICT (athlete_id, step) DO UPDATE "
                            "SET error = excluded.error", [athlete_id, step, error, now_iso()])

    def step_done(self, athlete_id: str, step: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM sync_steps WHERE athlete_id = ? AND step = ?",
                            [athlete_id, step])

    def pending_steps(self, athlete_id: str) -> dict[str, str]:
        """Optional steps that failed and are retried at the next sync, with their error."""
        rows = self._all("SELECT step, error FROM sync_steps WHERE athlete_id = ? ORDER BY step",
                         [athlete_id])
        return {r["step"]: r["error"] for r in rows}



def _dump(model: Any) -> str:
    # pydantic's own serializer is ~5x faster than dumping a dict; its key order is stable.
    return str(model.model_dump_json(exclude_none=True))


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
