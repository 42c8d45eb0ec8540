"""Planned vs done: which planned workouts were completed, missed or are still to come."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from coach.analysis.volume import ActivityFacts

# --- Compliance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedFacts:
    """A planned workout on the calendar."""

    day: date
    event_id: int
    sport: str | None
    name: str
    planned_secs: float | None
    planned_load: float | None


@dataclass(frozen=True)
class PlannedOutcome:
    """What became of one planned workout: "done" (paired), "missed" (past) or "upcoming"."""

    planned: PlannedFacts
    status: str
    compliance_pct: float | None  # Intervals' match of the done activity to the plan
    done_secs: float              # moving time of the paired activities, s
    done_load: float
    activity_ids: tuple[str, ...]


@dataclass(frozen=True)
class ComplianceReport:
    """Planned against done from `start` to `end` (inclusive). Due = done or missed."""

    start: date
    end: date
    outcomes: list[PlannedOutcome]
    done: int
    missed: int
    upcoming: int
    completed_pct: float | None  # done / due; None when nothing was due yet
    planned_due_hours: float
    planned_due_load: float
    done_hours: float  # paired activities only: unplanned sessions are not compliance
    done_load: float


def compliance(planned: Iterable[PlannedFacts], activities: Iterable[ActivityFacts], today: date,
               start: date, end: date) -> ComplianceReport:
    """Each planned workout in the period as done, missed or upcoming, with period totals."""
    paired: dict[int, list[ActivityFacts]] = {}
    for a in activities:
        if a.paired_event_id is not None and not a.unavailable:
            paired.setdefault(a.paired_event_id, []).append(a)
    chosen = sorted((p for p in planned if start <= p.day <= end),
                    key=lambda p: (p.day, p.event_id))
    return _report(start, end, [_outcome(p, paired.get(p.event_id, []), today) for p in chosen])


def _report(start: date, end: date, outcomes: list[PlannedOutcome]) -> ComplianceReport:
    done, missed, upcoming = (sum(o.status == s for o in outcomes)
                              for s in ("done", "missed", "upcoming"))
    due = [o.planned for o in outcomes if o.status != "upcoming"]
    return ComplianceReport(
        start, end, outcomes, done, missed, upcoming, 100 * done / len(due) if due else None,
        sum(p.planned_secs or 0 for p in due) / 3600, sum(p.planned_load or 0 for p in due),
        sum(o.done_secs for o in outcomes) / 3600, sum(o.done_load for o in outcomes))


def _outcome(p: PlannedFacts, done: list[ActivityFacts], today: date) -> PlannedOutcome:
    # Today's unpaired workout is still upcoming: the athlete may do it this evening.
    status = "done" if done else "missed" if p.day < today else "upcoming"
    pcts = [a.compliance_pct for a in done if a.compliance_pct is not None]
    return PlannedOutcome(p, status, max(pcts) if pcts else None,
                          sum(a.moving_time_s or 0 for a in done), sum(a.load or 0 for a in done),
                          tuple(a.activity_id for a in done))
