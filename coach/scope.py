"""One athlete's data in one store, as of one day: the `Scope` every reader of the store is
given (the model's tools, the pages' rows, plans, reviews, check-ins), and the readers that turn
stored records into `analysis` facts. Reads only; nothing here changes the store."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coach import analysis, workout
from coach.analysis import Availability
from coach.records import Activity, Athlete
from coach.store import NoteRecord, Proposal, ProposalKind, ProposalStatus, Store


@dataclass(frozen=True)
class Scope:
    """This athlete, this store, today. Proposals made through it belong to `conversation_id`
    and to the answer `turn` (the proposals of one answer form a plan); `availability` is the
    athlete's own (None: the defaults)."""

    store: Store
    athlete_id: str
    today: date
    conversation_id: int | None = None
    turn: str | None = None
    availability: Availability | None = None


def require_athlete(scope: Scope) -> Athlete:
    """The synced athlete record; ValueError (a sentence for the model) before the first sync."""
    athlete = scope.store.athlete(scope.athlete_id)
    if athlete is None:
        raise ValueError("no athlete data yet: the athlete must sync with Intervals.icu first")
    return athlete


def athlete_notes(scope: Scope) -> list[analysis.Note]:
    """The notes the athlete kept (not those still waiting on a card), newest first."""
    return [as_note(r) for r in scope.store.notes(scope.athlete_id)]


def as_note(record: NoteRecord) -> analysis.Note:
    """A stored note as the pure core reads it."""
    return analysis.Note(analysis.NoteKind(record.kind), record.text,
                         _moment(record.created_at), _moment(record.updated_at),
                         date.fromisoformat(record.since) if record.since else None,
                         record.pinned, record.id)


def _moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def activity_facts(scope: Scope, start: date, end: date) -> list[analysis.ActivityFacts]:
    """Every activity from `start` to `end` as analysis facts (whole records parsed)."""
    return [f for a in scope.store.activities(scope.athlete_id, start, end) if (f := as_facts(a))]


def as_facts(a: Activity) -> analysis.ActivityFacts | None:
    """One activity as analysis facts; None without a date."""
    if not a.day:
        return None
    extra: dict[str, Any] = a.model_extra or {}
    return analysis.ActivityFacts(
        date.fromisoformat(a.day), workout.sport_family(a.type or "") or a.type,
        a.moving_time, a.icu_distance or a.distance, a.icu_training_load, a.unavailable,
        power_zone_secs=analysis.zone_secs_from_ids(extra.get("icu_zone_times") or []),
        hr_zone_secs=tuple(extra.get("icu_hr_zone_times") or ()),
        pace_zone_secs=tuple(extra.get("pace_zone_times") or ()),
        paired_event_id=a.paired_event_id, compliance_pct=a.compliance, activity_id=a.id,
        name=a.name or "")


def totals(scope: Scope, start: date, end: date) -> list[analysis.ActivityFacts]:
    """Facts for weekly and monthly totals, from the store's columns (no JSON parsing)."""
    return [_column_facts(row) for row in
            scope.store.activity_totals(scope.athlete_id, start, end) if row["day"]]


def zone_facts(scope: Scope, start: date, end: date) -> list[analysis.ActivityFacts]:
    """Facts with zone times, for intensity over long periods (no whole-record parsing)."""
    out = []
    for row in scope.store.activity_zone_times(scope.athlete_id, start, end):
        if row["day"]:
            power, hr, pace = (z if isinstance(z, list) else [] for z in _zones(row["zones"]))
            out.append(_column_facts(row, power_zone_secs=analysis.zone_secs_from_ids(power),
                                     hr_zone_secs=tuple(hr), pace_zone_secs=tuple(pace)))
    return out


def _column_facts(row: dict[str, Any], **zones: Any) -> analysis.ActivityFacts:
    return analysis.ActivityFacts(date.fromisoformat(row["day"]),
                                  workout.sport_family(row["type"] or "") or row["type"],
                                  row["moving_time"], row["distance"], row["load"],
                                  bool(row["unavailable"]), **zones)


def _zones(text: str | None) -> list[Any]:
    """[power, HR, pace] zone times of one activity; three empty lists if unreadable."""
    try:
        zones = json.loads(text) if text else None
    except ValueError:
        zones = None
    return zones if isinstance(zones, list) and len(zones) == 3 else [[], [], []]


def fitness_series(scope: Scope, days: int) -> list[analysis.DayFitness]:
    """CTL and ATL per day over the last `days` (days without both left out)."""
    found = scope.store.wellness(scope.athlete_id, scope.today - timedelta(days=days),
                                 scope.today)
    return [analysis.DayFitness(date.fromisoformat(w.id), w.ctl, w.atl)
            for w in found if w.ctl is not None and w.atl is not None]


def planned_loads(scope: Scope, after: date, days: int) -> dict[date, float]:
    """Load per day after `after`, for `days`: planned workouts, and the pending proposals
    that would not clash with them (each day counted once; see `counted_proposals`)."""
    end = after + timedelta(days=days)
    loads: dict[date, float] = {}
    for e in scope.store.events(scope.athlete_id, after + timedelta(days=1), end):
        if e.category == "WORKOUT" and e.icu_training_load:
            day = date.fromisoformat(e.day)
            loads[day] = loads.get(day, 0) + e.icu_training_load
    for p in counted_proposals(scope, after + timedelta(days=1), end):
        if p.load:
            day = date.fromisoformat(p.day)
            loads[day] = loads.get(day, 0) + p.load
    return loads


def counted_proposals(scope: Scope, first: date, last: date) -> list[Proposal]:
    """The pending workout proposals from `first` to `last` that count in a day's totals: one
    per sport and day (the newest), and only on a day with nothing planned unless two a day
    are allowed. Rejected and superseded ones never count."""
    pending = [p for p in scope.store.proposals(athlete_id=scope.athlete_id,
                                                statuses=[ProposalStatus.PENDING])
               if p.kind == ProposalKind.WORKOUT and first.isoformat() <= p.day <= last.isoformat()]
    if not pending:
        return []
    sessions = [analysis.Session(date.fromisoformat(e.day), workout.sport_family(e.type or "")
                                 or "Other", e.name or "", (e.moving_time or 0) / 60,
                                 event_id=e.id)
                for e in scope.store.events(scope.athlete_id, first, last)
                if e.category == "WORKOUT"]
    sessions += [analysis.Session(date.fromisoformat(p.day), p.sport, p.name,
                                  p.duration_s / 60, proposal_id=p.id) for p in pending]
    two_a_day = bool(scope.availability and scope.availability.two_a_day)
    kept = {s.proposal_id for s in analysis.counted(sessions, two_a_day)}
    return [p for p in pending if p.id in kept]
