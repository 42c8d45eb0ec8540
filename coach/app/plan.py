"""What the Plan page and the multi-week plan card read and do, for a Coach: the coming weeks
as a calendar (planned, proposed, done) with their totals, a plan's weeks against their
targets, and changes to a planned workout proposed from the page through the same checks as
the model's `propose_change`. Nothing here writes to a calendar: changes are proposals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach import analysis, display
from coach.app.rows import plan_week_rows, planned_seconds
from coach.app.session import Coach
from coach.errors import ProposalError
from coach.proposals import create as proposals
from coach.proposals import plans
from coach.proposals.check import ProposalInvalid
from coach.proposals.plans import WeekStatus
from coach.records import Activity, Event
from coach.scope import counted_proposals
from coach.store import Proposal, ProposalKind
from coach.store import ProposalStatus as S

AHEAD_WEEKS = 4          # the calendar: this week and the next 4
RECENT_WEEKS = 6
SHOWN = (S.PENDING, S.FAILED, S.PUBLISHING, S.PUBLISHED)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    events: list[Event]          # on the calendar: planned workouts, races, notes
    proposals: list[Proposal]    # proposed, being confirmed, or confirmed (then also an event)
    done: list[Activity]
    lengths: dict[int, float | None]   # each planned workout's length, timed from its text


@dataclass(frozen=True)
class CalendarWeek:
    """Mon–Sun, each day's items, and the week's hours: done, still planned, proposed."""

    monday: date
    days: list[CalendarDay]
    done_hours: float
    planned_hours: float
    proposed_hours: float


def calendar(coach: Coach, ahead: int = AHEAD_WEEKS) -> list[CalendarWeek]:
    """This week and the next `ahead` weeks, day by day: activities done, events on the
    calendar (those done left out: the activity shows them) and proposals."""
    scope = coach.scope()
    first = analysis.monday(scope.today)
    last = first + timedelta(weeks=ahead + 1, days=-1)
    done = scope.store.activities(scope.athlete_id, first, scope.today)
    paired = {a.paired_event_id for a in done if a.paired_event_id}
    proposals = [p for p in scope.store.proposals(athlete_id=scope.athlete_id, statuses=SHOWN)
                 if first.isoformat() <= (p.new_day or p.day) <= last.isoformat()]
    events = [e for e in scope.store.events(scope.athlete_id, first, last)
              if e.id not in paired and (e.day >= scope.today.isoformat() or
                                         e.category == "WORKOUT")]
    counted = {p.id for p in counted_proposals(scope, first, last)}
    lengths = {e.id: planned_seconds(scope, e) for e in events}
    weeks = []
    for w in range(ahead + 1):
        monday = first + timedelta(weeks=w)
        days = [_day(monday + timedelta(days=i), events, proposals, done, lengths)
                for i in range(7)]
        weeks.append(_week(monday, days, scope.today, counted))
    return weeks


def _day(day: date, events: list[Event], proposals: list[Proposal], done: list[Activity],
         lengths: dict[int, float | None]) -> CalendarDay:
    iso = day.isoformat()
    shown = [e for e in events if e.day == iso]
    return CalendarDay(day, shown, [p for p in proposals if (p.new_day or p.day) == iso],
                       [a for a in done if a.day == iso], {e.id: lengths[e.id] for e in shown})


def _week(monday: date, days: list[CalendarDay], today: date, counted: set[int]) -> CalendarWeek:
    """The week's totals; `counted`: the proposals that count (no clash, not twice)."""
    done = sum(a.moving_time or 0 for d in days for a in d.done) / 3600
    planned = sum(d.lengths[e.id] or 0 for d in days if d.day >= today for e in d.events
                  if e.category == "WORKOUT") / 3600
    proposed = sum(p.duration_s for d in days for p in d.proposals if p.id in counted) / 3600
    return CalendarWeek(monday, days, done, planned, proposed)


def titled(name: str, seconds: float | None) -> str:
    """A workout's name and its length, the length once: `Long ride 2h45m`, `Endurance 2h`
    (its name says it already), `Swim 8x100` (length unknown)."""
    length = display.duration(seconds) if seconds else ""
    if not length or re.search(rf"(?<![\w.:]){re.escape(length)}(?!\w)", name):
        return name
    return f"{name} {length}".strip()


def week_of(weeks: list[CalendarWeek], day: str | None) -> int | None:
    """The index of the week holding `day` (an ISO date), if it is shown."""
    return next((i for i, w in enumerate(weeks)
                 if day and w.monday.isoformat() <= day[:10] <=
                 (w.monday + timedelta(days=6)).isoformat()), None)


def recent_hours(coach: Coach, weeks: int = RECENT_WEEKS) -> float | None:
    """Hours a week over the last complete weeks, for the totals' comparison."""
    scope = coach.scope()
    recent, _ = plans.recent_weeks(scope, analysis.monday(scope.today) + timedelta(days=7))
    trained = [w.hours for w in recent[-weeks:]]
    return sum(trained) / len(trained) if any(trained) else None


def week_rows(coach: Coach) -> list[dict[str, Any]]:
    """Hours per week for the chart: the recent weeks done and the coming ones."""
    return plan_week_rows(coach.scope(), past_weeks=RECENT_WEEKS,
                                    ahead_weeks=AHEAD_WEEKS)


def move_days(coach: Coach, event: Event, ahead: int = AHEAD_WEEKS) -> list[date]:
    """The days a planned workout may move to: from today to the calendar's last day."""
    today = coach.today()
    last = analysis.monday(today) + timedelta(weeks=ahead + 1, days=-1)
    return [d for i in range((last - today).days + 1)
            if (d := today + timedelta(days=i)).isoformat() != event.day]


def propose_change(coach: Coach, event_id: int, kind: ProposalKind,
                   new_day: date | None = None, text: str = "") -> Proposal:
    """A change proposal made on the Plan page: the same checks and the same proposal as the
    model's propose_change; the athlete still confirms it on its card."""
    try:
        return proposals.propose_change(coach.scope(), event_id, kind, new_day, text)
    except ProposalInvalid as e:
        raise ProposalError(f"Not proposed: {e}") from None


# --- a multi-week plan ---------------------------------------------------------------------

@dataclass(frozen=True)
class PlanCard:
    """A plan as its card shows it: each week against its targets, and the weeks before it."""

    plan_id: int
    start: date
    race: date | None
    weeks: list[WeekStatus]
    done: list[analysis.WeekLoad]
    season: bool = False          # the laid-out weeks of a season to the race


def plan_card(coach: Coach, proposals: list[Proposal]) -> PlanCard | None:
    """The latest multi-week plan among these proposals (from one answer), if any."""
    ids = [p.plan_id for p in proposals if p.plan_id is not None]
    plan = coach.store.plan(ids[-1]) if ids else None
    if plan is None or plan.athlete_id != coach.athlete_id:
        return None
    scope = coach.scope()
    weeks = plans.plan_status(scope, plan)
    if plan.season:  # a season's card holds the weeks laid out; the Plan page shows the rest
        weeks = [w for w in weeks if w.proposals]
    return PlanCard(plan.id, date.fromisoformat(plan.start),
                    date.fromisoformat(plan.race) if plan.race else None,
                    weeks, plans.done_weeks(scope, plan), plan.season is not None)


def card_chart_rows(card: PlanCard) -> list[dict[str, Any]]:
    """Hours per week for the plan chart: the 6 weeks done, then each plan week's hours on
    the calendar and still proposed."""
    rows = [{"week": w.monday.isoformat(), "kind": "done", "hours": w.hours} for w in card.done]
    for w in card.weeks:
        rows += [{"week": w.monday.isoformat(), "kind": "planned",
                  "hours": w.planned_hours - w.proposed_hours},
                 {"week": w.monday.isoformat(), "kind": "proposed", "hours": w.proposed_hours}]
    return rows


def week_ids(week: WeekStatus, statuses: tuple[S, ...]) -> list[int]:
    return [p.id for p in week.proposals if p.status in statuses]
