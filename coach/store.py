"""SQLite store: the only module that touches the database (sqlite-utils ≥ 4)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from coach.intervals import Activity, Athlete, Curve, Event, Wellness

migrations = Migrations("local-coach")


@migrations()
def m001_synced_data(db: sqlite_utils.Database) -> None:
    db["athletes"].create({"id": str, "name": str, "timezone": str, "raw": str,
                           "synced_at": str}, pk="id")
    db["activities"].create({
        "athlete_id": str, "id": str, "day": str, "start_date_local": str, "type": str,
        "name": str, "source": str, "unavailable": int, "moving_time": float,
        "distance": float, "load": float, "raw": str}, pk=("athlete_id", "id"))
    db["activities"].create_index(["athlete_id", "day"])
    db["wellness"].create({"athlete_id": str, "day": str, "ctl": float, "atl": float,
                           "raw": str}, pk=("athlete_id", "day"))
    db["events"].create({
        "athlete_id": str, "id": int, "day": str, "category": str, "type": str, "name": str,
        "external_id": str, "raw": str}, pk=("athlete_id", "id"))
    db["events"].create_index(["athlete_id", "day"])
    db["sync_state"].create({"athlete_id": str, "full_done": int, "full_cursor": str,
                             "last_sync_at": str, "last_sync_day": str, "last_error": str},
                            pk="athlete_id")


@migrations()
def m002_conversations(db: sqlite_utils.Database) -> None:
    db["conversations"].create({"id": int, "athlete_id": str, "title": str,
                                "created_at": str, "updated_at": str}, pk="id")
    db["conversations"].create_index(["athlete_id", "updated_at"])
    db["messages"].create({
        "id": int, "conversation_id": int, "role": str, "content": str, "tool_calls": str,
        "tool_name": str, "proposal_id": int, "created_at": str}, pk="id",
        foreign_keys=[("conversation_id", "conversations", "id")])
    db["messages"].create_index(["conversation_id", "id"])


@migrations()
def m003_proposals(db: sqlite_utils.Database) -> None:
    db["proposals"].create({
        "id": int, "athlete_id": str, "conversation_id": int, "external_id": str,
        "day": str, "sport": str, "name": str, "description": str, "duration_s": int,
        "load": float, "status": str, "event_id": int, "error": str, "claim": str,
        "claimed_at": str, "created_at": str, "updated_at": str}, pk="id")
    db["proposals"].create_index(["external_id"], unique=True)
    db["proposals"].create_index(["conversation_id"])
    db["audit"].create({"id": int, "proposal_id": int, "at": str, "from_status": str,
                        "to_status": str, "detail": str}, pk="id")
    db["audit"].create_index(["proposal_id"])


@migrations()
def m004_demo_calendar(db: sqlite_utils.Database) -> None:
    # The demo athlete's "Intervals.icu calendar": workouts confirmed in demo mode land here.
    db["demo_events"].create({"id": int, "athlete_id": str, "day": str, "raw": str}, pk="id")
    db["demo_events"].create_index(["athlete_id", "day"])


@migrations()
def m005_changes_plans_undo(db: sqlite_utils.Database) -> None:
    # kind: workout (a new event) | move | replace | delete (a change to an existing event)
    proposals = db["proposals"]
    proposals.add_column("kind", str, not_null_default="workout")
    proposals.add_column("target_event_id", int)
    proposals.add_column("before", str)        # the event as it was, JSON, for changes and undo
    proposals.add_column("new_day", str)       # move: the new date
    proposals.add_column("turn", str)          # proposals of one answer form a plan
    proposals.add_column("verify_note", str)   # what Intervals.icu made of it, when it differs
    proposals.add_column("waiting", int, not_null_default=0)  # failed while offline: resend
    db["meta"].create({"key": str, "value": str}, pk="key")


@migrations()
def m006_curves(db: sqlite_utils.Database) -> None:
    db["curves"].create({"athlete_id": str, "sport": str, "id": str, "raw": str,
                         "synced_at": str}, pk=("athlete_id", "sport", "id"))


@migrations()
def m007_context_use(db: sqlite_utils.Database) -> None:
    # How full the model's context window was after the conversation's last response.
    db["conversations"].add_column("context_tokens", int)
    db["conversations"].add_column("num_ctx", int)


@migrations()
def m008_roster(db: sqlite_utils.Database) -> None:
    # The athletes a coach's key can see (GET /api/v1/athletes), for the athlete switcher.
    db["roster"].create({"id": str, "name": str, "position": int}, pk="id")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Proposal:
    id: int
    athlete_id: str
    conversation_id: int | None
    external_id: str
    day: str
    sport: str
    name: str
    description: str
    duration_s: int
    load: float | None
    status: str  # pending | rejected | publishing | published | failed
    event_id: int | None
    error: str | None
    created_at: str
    updated_at: str
    claim: str | None = None
    claimed_at: str | None = None
    kind: str = "workout"
    target_event_id: int | None = None
    before: str | None = None
    new_day: str | None = None
    turn: str | None = None
    verify_note: str | None = None
    waiting: int = 0

    @property
    def before_event(self) -> dict[str, Any] | None:
        return json.loads(self.before) if self.before else None


@dataclass(frozen=True)
class SyncState:
    full_done: bool
    full_cursor: str | None
    last_sync_at: str | None
    last_sync_day: str | None
    last_error: str | None


class Store:
    """One connection per Store; make a new Store per thread (Streamlit reruns may switch)."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=15, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        if str(path) != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 15000")
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    # --- synced data -------------------------------------------------------------------

    def save_athlete(self, athlete: Athlete) -> None:
        self.db["athletes"].upsert({
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
                self.db[table].upsert_all(changed, pk=pk)
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
        return self._all("SELECT day, type, moving_time, distance, load, unavailable "
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
                self.db["curves"].insert_all(rows)
        return len(rows)

    def curves(self, athlete_id: str, sport: str) -> dict[str, Curve]:
        rows = self.db.execute("SELECT id, raw FROM curves WHERE athlete_id = ? AND sport = ?",
                               [athlete_id, sport])
        return {r[0]: Curve.model_validate_json(r[1]) for r in rows}

    def save_roster(self, athletes: list[tuple[str, str | None]]) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM roster")
            if athletes:
                self.db["roster"].insert_all([{"id": a, "name": n, "position": i}
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
            self.db["sync_state"].upsert({"athlete_id": athlete_id, **values}, pk="athlete_id")

    # --- conversations ------------------------------------------------------------------

    def create_conversation(self, athlete_id: str, title: str = "New conversation") -> int:
        now = now_iso()
        with self.db.atomic():
            table = self.db["conversations"]
            table.insert({"athlete_id": athlete_id, "title": title, "created_at": now,
                          "updated_at": now})
        return int(table.last_pk)

    def conversations(self, athlete_id: str) -> list[dict[str, Any]]:
        sql = ("SELECT * FROM conversations WHERE athlete_id = ? "
               "ORDER BY updated_at DESC, id DESC")
        return self._all(sql, [athlete_id])

    def conversation(self, conversation_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM conversations WHERE id = ?", [conversation_id])

    def set_context_use(self, conversation_id: int, tokens: int, num_ctx: int) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE conversations SET context_tokens = ?, num_ctx = ? "
                            "WHERE id = ?", [tokens, num_ctx, conversation_id])

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        with self.db.atomic():
            self.db["conversations"].update(conversation_id, {"title": title})

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete a conversation and its messages; its pending proposals are rejected (their
        card is gone); failed ones stay on the Plan page, published ones on record."""
        with self.db.atomic():
            for row in self._all("SELECT id FROM proposals WHERE conversation_id = ? AND "
                                 "status = 'pending'", [conversation_id]):
                self.transition(row["id"], ["pending"], "rejected", "conversation deleted")
            self.db.execute("DELETE FROM messages WHERE conversation_id = ?", [conversation_id])
            self.db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])

    def search_conversations(self, athlete_id: str, text: str) -> list[dict[str, Any]]:
        """Conversations whose title or any message contains `text` (case-insensitive)."""
        like = f"%{text.strip()}%"
        sql = ("SELECT DISTINCT c.* FROM conversations c LEFT JOIN messages m "
               "ON m.conversation_id = c.id WHERE c.athlete_id = ? AND (c.title LIKE ? "
               "OR (m.role IN ('user', 'assistant') AND m.content LIKE ?)) "
               "ORDER BY c.updated_at DESC, c.id DESC")
        return self._all(sql, [athlete_id, like, like])

    def add_message(self, conversation_id: int, message: dict[str, Any],
                    proposal_id: int | None = None) -> int:
        """Append an Ollama-format message ({role, content, tool_calls?, tool_name?})."""
        now = now_iso()
        calls = json.dumps(message["tool_calls"]) if message.get("tool_calls") else None
        # Plain SQL: sqlite-utils' insert/update look the table up first, on every message.
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO messages (conversation_id, role, content, tool_calls, tool_name, "
                "proposal_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [conversation_id, message["role"], message.get("content") or "", calls,
                 message.get("tool_name"), proposal_id, now])
            self.db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                            [now, conversation_id])
        return int(cursor.lastrowid or 0)

    def messages(self, conversation_id: int) -> list[dict[str, Any]]:
        """Stored messages in order, each with its id and proposal_id."""
        rows = self._all("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                         [conversation_id])
        for row in rows:
            row["tool_calls"] = json.loads(row["tool_calls"]) if row["tool_calls"] else []
        return rows

    # --- proposals ----------------------------------------------------------------------

    def create_proposal(self, **values: Any) -> Proposal:
        now = now_iso()
        row = {**values, "status": "pending", "created_at": now, "updated_at": now}
        with self.db.atomic():
            table = self.db["proposals"]
            table.insert(row)
            pid = int(table.last_pk)
            self._audit(pid, None, "pending", "proposed by the model")
        proposal = self.proposal(pid)
        assert proposal is not None
        return proposal

    def proposal(self, proposal_id: int) -> Proposal | None:
        row = self._one("SELECT * FROM proposals WHERE id = ?", [proposal_id])
        return Proposal(**row) if row else None

    def proposals(self, *, conversation_id: int | None = None, athlete_id: str | None = None,
                  statuses: Iterable[str] = ()) -> list[Proposal]:
        sql, params = "SELECT * FROM proposals WHERE 1 = 1", []
        if conversation_id is not None:
            sql, params = sql + " AND conversation_id = ?", [*params, conversation_id]
        if athlete_id is not None:
            sql, params = sql + " AND athlete_id = ?", [*params, athlete_id]
        wanted = list(statuses)
        if wanted:
            sql += f" AND status IN ({','.join('?' * len(wanted))})"
            params.extend(wanted)
        return [Proposal(**row) for row in self._all(sql + " ORDER BY id", params)]

    def transition(self, proposal_id: int, allowed_from: Iterable[str], to: str,
                   detail: str = "", *, holding: str | None = None, **values: Any) -> bool:
        """Move a proposal to `to` only if it is in one of `allowed_from` (and, with `holding`,
        only if that claim is still ours); audited, atomic."""
        allowed = list(allowed_from)
        with self._immediate():
            row = self._one("SELECT status, claim FROM proposals WHERE id = ?", [proposal_id])
            if row is None or row["status"] not in allowed:
                return False
            if holding is not None and row["claim"] != holding:
                return False
            changes = {**values, "status": to, "updated_at": now_iso()}
            sets = ", ".join(f"[{k}] = ?" for k in changes)
            self.db.execute(f"UPDATE proposals SET {sets} WHERE id = ?",
                            [*changes.values(), proposal_id])
            self._audit(proposal_id, row["status"], to, detail)
        return True

    def update_proposal(self, proposal_id: int, allowed: Iterable[str], detail: str,
                        **values: Any) -> bool:
        """Change a proposal's fields (not its status) if its status allows; audited."""
        wanted = list(allowed)
        with self._immediate():
            row = self._one("SELECT status FROM proposals WHERE id = ?", [proposal_id])
            if row is None or row["status"] not in wanted:
                return False
            changes = {**values, "updated_at": now_iso()}
            sets = ", ".join(f"[{k}] = ?" for k in changes)
            self.db.execute(f"UPDATE proposals SET {sets} WHERE id = ?",
                            [*changes.values(), proposal_id])
            self._audit(proposal_id, row["status"], row["status"], detail)
        return True

    def audit_trail(self, proposal_id: int) -> list[dict[str, Any]]:
        return self._all("SELECT * FROM audit WHERE proposal_id = ? ORDER BY id", [proposal_id])

    def _audit(self, proposal_id: int, from_status: str | None, to: str, detail: str) -> None:
        self.db["audit"].insert({"proposal_id": proposal_id, "at": now_iso(),
                                 "from_status": from_status, "to_status": to, "detail": detail})

    # --- demo calendar ------------------------------------------------------------------

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
            self.db["demo_events"].insert({"id": event["id"], "athlete_id": athlete_id,
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
            self.db["demo_events"].upsert_all(
                [{"id": e["id"], "athlete_id": athlete_id, "day": e["start_date_local"][:10],
                  "raw": json.dumps(e)} for e in events], pk="id")
            self.set_meta(f"demo_seeded:{athlete_id}", now_iso())

    def update_demo_event(self, event: dict[str, Any]) -> None:
        with self.db.atomic():
            self.db["demo_events"].update(event["id"], {
                "day": event["start_date_local"][:10], "raw": json.dumps(event)})

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row["value"] if row else None

    def delete_meta(self, key: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    def delete_demo_event(self, event_id: int) -> bool:
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM demo_events WHERE id = ?", [event_id])
        return cursor.rowcount > 0

    # --- helpers ------------------------------------------------------------------------

    @contextmanager
    def _immediate(self) -> Iterator[None]:
        """A transaction that takes the write lock before reading, so check-then-set is safe
        across processes (two tabs, two app instances)."""
        if self.db.conn.in_transaction:  # already inside a caller's transaction
            with self.db.atomic():
                yield
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.conn.execute("COMMIT")

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _all(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _dump(model: Any) -> str:
    # pydantic's own serializer is ~5x faster than dumping a dict; its key order is stable.
    return str(model.model_dump_json(exclude_none=True))


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
