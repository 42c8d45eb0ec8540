"""The database schema as numbered migrations (sqlite-utils Migrations): never edit one that
has shipped; add the next."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("local-coach")


@migrations()
def m001_synced_data(db: sqlite_utils.Database) -> None:
    db.table("athletes").create({"id": str, "name": str, "timezone": str, "raw": str,
                                 "synced_at": str}, pk="id")
    db.table("activities").create({
        "athlete_id": str, "id": str, "day": str, "start_date_local": str, "type": str,
        "name": str, "source": str, "unavailable": int, "moving_time": float,
        "distance": float, "load": float, "raw": str}, pk=("athlete_id", "id"))
    db.table("activities").create_index(["athlete_id", "day"])
    db.table("wellness").create({"athlete_id": str, "day": str, "ctl": float, "atl": float,
                                 "raw": str}, pk=("athlete_id", "day"))
    db.table("events").create({
        "athlete_id": str, "id": int, "day": str, "category": str, "type": str, "name": str,
        "external_id": str, "raw": str}, pk=("athlete_id", "id"))
    db.table("events").create_index(["athlete_id", "day"])
    db.table("sync_state").create({"athlete_id": str, "full_done": int, "full_cursor": str,
                                   "last_sync_at": str, "last_sync_day": str, "last_error": str},
                                  pk="athlete_id")


@migrations()
def m002_conversations(db: sqlite_utils.Database) -> None:
    db.table("conversations").create({"id": int, "athlete_id": str, "title": str,
                                      "created_at": str, "updated_at": str}, pk="id")
    db.table("conversations").create_index(["athlete_id", "updated_at"])
    db.table("messages").create({
        "id": int, "conversation_id": int, "role": str, "content": str, "tool_calls": str,
        "tool_name": str, "proposal_id": int, "created_at": str}, pk="id",
        foreign_keys=[("conversation_id", "conversations", "id")])
    db.table("messages").create_index(["conversation_id", "id"])


@migrations()
def m003_proposals(db: sqlite_utils.Database) -> None:
    db.table("proposals").create({
        "id": int, "athlete_id": str, "conversation_id": int, "external_id": str,
        "day": str, "sport": str, "name": str, "description": str, "duration_s": int,
        "load": float, "status": str, "event_id": int, "error": str, "claim": str,
        "claimed_at": str, "created_at": str, "updated_at": str}, pk="id")
    db.table("proposals").create_index(["external_id"], unique=True)
    db.table("proposals").create_index(["conversation_id"])
    db.table("audit").create({"id": int, "proposal_id": int, "at": str, "from_status": str,
                              "to_status": str, "detail": str}, pk="id")
    db.table("audit").create_index(["proposal_id"])


@migrations()
def m004_demo_calendar(db: sqlite_utils.Database) -> None:
    # The demo athlete's "Intervals.icu calendar": workouts confirmed in demo mode land here.
    db.table("demo_events").create({"id": int, "athlete_id": str, "day": str, "raw": str}, pk="id")
    db.table("demo_events").create_index(["athlete_id", "day"])


@migrations()
def m005_changes_plans_undo(db: sqlite_utils.Database) -> None:
    # kind: workout (a new event) | move | replace | delete (a change to an existing event)
    proposals = db.table("proposals")
    proposals.add_column("kind", str, not_null_default="workout")
    proposals.add_column("target_event_id", int)
    proposals.add_column("before", str)        # the event as it was, JSON, for changes and undo
    proposals.add_column("new_day", str)       # move: the new date
    proposals.add_column("turn", str)          # proposals of one answer form a plan
    proposals.add_column("verify_note", str)   # what Intervals.icu made of it, when it differs
    proposals.add_column("waiting", int, not_null_default=0)  # failed while offline: resend
    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m006_curves(db: sqlite_utils.Database) -> None:
    db.table("curves").create({"athlete_id": str, "sport": str, "id": str, "raw": str,
                               "synced_at": str}, pk=("athlete_id", "sport", "id"))


@migrations()
def m007_context_use(db: sqlite_utils.Database) -> None:
    # How full the model's context window was after the conversation's last response.
    db.table("conversations").add_column("context_tokens", int)
    db.table("conversations").add_column("num_ctx", int)


@migrations()
def m008_roster(db: sqlite_utils.Database) -> None:
    # The athletes a coach's key can see (GET /api/v1/athletes), for the athlete switcher.
    db.table("roster").create({"id": str, "name": str, "position": int}, pk="id")


@migrations()
def m009_sync_steps(db: sqlite_utils.Database) -> None:
    # Optional sync steps (calendar, best efforts per sport, the coach's athlete list) that
    # failed: retried at the next sync; the error is shown until they succeed.
    db.table("sync_steps").create({"athlete_id": str, "step": str, "error": str, "since": str},
                                  pk=("athlete_id", "step"))


@migrations()
def m010_message_meta(db: sqlite_utils.Database) -> None:
    # What the page shows with a message besides its text (JSON): the grounding check of an
    # answer, or, when the model managed no answer, what it sent instead.
    db.table("messages").add_column("meta", str)


@migrations()
def m011_compaction(db: sqlite_utils.Database) -> None:
    # Where the conversation was last compacted (a message id): before it, the model reads
    # only the athlete's words and the coach's answers. It moves only when the context fills.
    db.table("conversations").add_column("compacted_before", int)


@migrations()
def m012_checkins(db: sqlite_utils.Database) -> None:
    # Morning check-ins: how the athlete feels (Intervals.icu's wellness fields and scales, as
    # JSON), what was measured against their own normal range, the verdict, the conversation
    # it was put to, and whether it was sent to Intervals.icu wellness (only after its own
    # Confirm; a claim makes the send at most once).
    db.table("checkins").create({
        "id": int, "athlete_id": str, "day": str, "feelings": str, "measured": str,
        "verdict": str, "reasons": str, "conversation_id": int, "status": str, "claim": str,
        "claimed_at": str, "sent_at": str, "error": str, "created_at": str,
        "updated_at": str}, pk="id")
    db.table("checkins").create_index(["athlete_id", "day"])


@migrations()
def m013_reviews(db: sqlite_utils.Database) -> None:
    # Weekly reviews: the deterministic section (Markdown) as it was computed, the key figures
    # and chart rows (JSON) for the page and the PDF, and the conversation holding the coach's
    # commentary (no foreign key: deleting that conversation must not fail on its review).
    db.table("reviews").create({
        "id": int, "athlete_id": str, "week": str, "created_at": str, "section": str,
        "facts": str, "conversation_id": int}, pk="id")
    db.table("reviews").create_index(["athlete_id", "week"])


@migrations()
def m014_plan_weeks(db: sqlite_utils.Database) -> None:
    # Multi-week plans: the weekly targets (JSON) computed before the workouts, and on each of
    # the plan's proposals its plan and week (the Monday), so it is confirmed or undone by week.
    db.table("plans").create({
        "id": int, "athlete_id": str, "conversation_id": int, "turn": str, "start": str,
        "race": str, "weeks": str, "created_at": str}, pk="id")
    db.table("plans").create_index(["athlete_id", "start"])
    db.table("proposals").add_column("plan_id", int)
    db.table("proposals").add_column("plan_week", str)


@migrations()
def m015_superseded_and_accepted(db: sqlite_utils.Database) -> None:
    # A proposal of the same session asked again takes the older one's place (which proposal),
    # Confirm on a card with findings records what the athlete accepted, and a card the
    # athlete edited says so (the answer above it no longer describes it).
    db.table("proposals").add_column("superseded_by", int)
    db.table("proposals").add_column("accepted", str)
    db.table("proposals").add_column("edited", int, not_null_default=0)


@migrations()
def m016_notes(db: sqlite_utils.Database) -> None:
    # Athlete notes, kept on this machine only (never sent to Intervals.icu): the kind, the
    # text, since when, pinned; `proposed` ones wait on a card for the athlete's Keep (the
    # model proposed them, or the athlete said "remember that …"), and the tool result that
    # proposed one names it (messages.note_id), so its card is drawn under that answer.
    db.table("notes").create({
        "id": int, "athlete_id": str, "kind": str, "text": str, "since": str, "pinned": int,
        "status": str, "conversation_id": int, "created_at": str, "updated_at": str}, pk="id")
    db.table("notes").create_index(["athlete_id", "status"])
    db.table("messages").add_column("note_id", int)


@migrations()
def m017_seasons_and_fuel(db: sqlite_utils.Database) -> None:
    # A season to an A race is a plan whose later weeks are targets only (`season`: JSON of
    # what re-targeting and pausing need); a proposal carries its carbohydrate target per hour,
    # sent with the event as `carbs_per_hour`.
    db.table("plans").add_column("season", str)
    db.table("proposals").add_column("carbs_per_hour", int)


@migrations()
def m018_proposals_by_plan(db: sqlite_utils.Database) -> None:
    # The week check reads, for every workout it checks, the athlete's open proposals and
    # whether the plans covering its week were turned down: by status and by plan, without
    # scanning every proposal the athlete ever had.
    db.table("proposals").create_index(["athlete_id", "status"])
    db.table("proposals").create_index(["plan_id", "status"])
