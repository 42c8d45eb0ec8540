"""The weekly review's facts: one ISO week (Monday to Sunday), planned against done per day,
totals, time in zones, fitness change, compliance, best efforts set and wellness trend.

Pure, on the plain values of the other analysis modules. Best efforts: a point of a stored
best-effort curve (42 days, 84 days, 1 year, all time, as synced) counts as set this week when
the curve names one of this week's activities as the one that set it; each effort is reported
once, with the longest period it is the best of. Curves that name no activity (the demo
athlete's, or a server that leaves `activity_id` out) cannot say when an effort was set: the
review says so instead of guessing.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from coach.analysis.compliance import ComplianceReport, PlannedFacts, PlannedOutcome, compliance
from coach.analysis.efforts import RUN_DISTANCES, duration_label
from coach.analysis.fitness import DayFitness
from coach.analysis.intensity import IntensityDistribution, intensity_distribution
from coach.analysis.volume import ActivityFacts, WeekSummary, weekly_summaries
from coach.analysis.wellness import Baseline, hrv_band, resting_hr_band

WEEK_DAYS = 7
BASELINE_DAYS = 60
PERIOD_ORDER = ("all", "1y", "84d", "42d")  # longest first: an effort is named by the longest
PERIOD_NAMES = {"all": "all time", "1y": "the last year", "84d": "the last 12 weeks",
                "42d": "the last 6 weeks"}
POWER_SECS = (5, 60, 300, 1200, 3600)
SWIM_DISTANCES = ((100.0, "100 m"), (400.0, "400 m"), (1500.0, "1500 m"))
DISTANCE_TOLERANCE = 0.02


def iso_week(day: date) -> str:
    """`date(2026, 11, 23)` -> `"2026-W48"`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """`"2026-W48"` -> the Monday of that ISO week; ValueError with a sentence otherwise."""
    text = week.strip().upper()
    try:
        year, number = text.split("-W")
        return date.fromisocalendar(int(year), int(number), 1)
    except ValueError as e:
        raise ValueError(f"{week!r} is not an ISO week: write it as YYYY-Www, e.g. "
                         f"{iso_week(date(2026, 11, 23))}") from e


def last_full_week(today: date) -> str:
    """The ISO week before today's."""
    return iso_week(today - timedelta(days=today.weekday() + 1))


# --- the facts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayReview:
    """One day: its planned workouts and what became of them, and what was done."""

    day: date
    planned: tuple[PlannedOutcome, ...]
    done: tuple[ActivityFacts, ...]   # every activity of the day (Strava stubs included)
    extra: tuple[ActivityFacts, ...]  # done but not paired with a planned workout of the week
    day_load: float | None = None     # the wellness record's daily load (ctlLoad): in fitness

    @property
    def hours(self) -> float:
        return sum(a.moving_time_s or 0 for a in self.done if not a.unavailable) / 3600

    @property
    def load(self) -> float:
        return sum(a.load or 0 for a in self.done if not a.unavailable)

    @property
    def hidden(self) -> int:
        """Strava imports: Intervals.icu does not share their details (no time, no load)."""
        return sum(a.unavailable for a in self.done)

    @property
    def hidden_load(self) -> float:
        """Load Intervals.icu counted in fitness this day that no synced activity shows: on a
        day with a Strava import (or no synced activity at all), its daily load beyond the
        synced activities' load. 0 on other days, where a gap is a sport's load factor."""
        if self.day_load is None or (self.done and not self.hidden):
            return 0.0
        gap = self.day_load - self.load
        return gap if gap >= 0.5 else 0.0  # below 0.5 it would be written "0"


@dataclass(frozen=True)
class FitnessChange:
    """CTL / ATL / form before the week (its eve, or the first known day) and at its end."""

    start: DayFitness | None
    end: DayFitness | None

    def change(self, measure: str) -> float | None:
        if self.start is None or self.end is None or self.start.day == self.end.day:
            return None
        return float(getattr(self.end, measure) - getattr(self.start, measure))


@dataclass(frozen=True)
class CurveFacts:
    """One stored best-effort curve: (x, value, activity id) points; x is seconds for power
    (value W) or metres for pace (value s)."""

    sport: str
    period: str  # 42d, 84d, 1y, all
    kind: str    # power or pace
    points: tuple[tuple[float, float, str | None], ...]


@dataclass(frozen=True)
class WeekBest:
    """A best effort one of the week's activities set: best of `period` at the last sync."""

    sport: str
    kind: str
    label: str  # "20 min", "5 km"
    x: float
    value: float
    period: str
    activity_id: str

    @property
    def period_name(self) -> str:
        return PERIOD_NAMES[self.period]


@dataclass(frozen=True)
class WellnessTrend:
    """A wellness measure's mean over the week against the athlete's own 60-day normal."""

    name: str
    unit: str
    baseline: Baseline
    band: str | None


@dataclass(frozen=True)
class HistorySpan:
    """Where the synced history starts against a week: `reaches_week` when it holds the week
    or days before it; otherwise `first_day` is its first day (None: nothing synced)."""

    reaches_week: bool = True
    first_day: date | None = None


@dataclass(frozen=True)
class WeekReview:
    week: str
    monday: date
    today: date
    days: tuple[DayReview, ...]
    totals: WeekSummary
    compliance: ComplianceReport
    zones: IntensityDistribution
    fitness: FitnessChange
    bests: tuple[WeekBest, ...] | None  # None: the curves do not say which activity set them
    wellness: tuple[WellnessTrend, ...]
    history: HistorySpan = HistorySpan()

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=WEEK_DAYS - 1)

    @property
    def partial(self) -> bool:
        """The week is not over yet (today is in it)."""
        return self.today <= self.sunday

    @property
    def extra_sessions(self) -> int:
        return sum(len(d.extra) for d in self.days)

    @property
    def hidden_load(self) -> float:
        return sum(d.hidden_load for d in self.days)

    @property
    def load(self) -> float:
        """The week's load as Intervals.icu counts it in fitness: the synced activities' load
        plus what it counted for activities whose details it does not share."""
        return self.totals.load + self.hidden_load

    @property
    def no_data(self) -> bool:
        """The week ends before the synced history starts: there is nothing to review."""
        return not self.history.reaches_week

    def paired(self, outcome: PlannedOutcome) -> tuple[ActivityFacts, ...]:
        """The activities that fulfilled a planned workout."""
        return tuple(a for d in self.days for a in d.done
                     if a.activity_id and a.activity_id in outcome.activity_ids)


@dataclass(frozen=True)
class PlanShare:
    """How much of a planned workout was done: the done time against the planned time, or
    the load against the planned load when a time is not known on both sides."""

    measure: str  # "time" or "load"
    pct: float


def plan_share(planned: PlannedFacts, done: Sequence[ActivityFacts]) -> PlanShare | None:
    """Done against planned, on the first measure both sides know; None when neither."""
    if not done:
        return None
    for measure, plan, values in (("time", planned.planned_secs,
                                   [a.moving_time_s for a in done]),
                                  ("load", planned.planned_load, [a.load for a in done])):
        if plan and all(v is not None for v in values):
            return PlanShare(measure, 100 * sum(v or 0 for v in values) / plan)
    return None


def week_review(monday: date, today: date, activities: Iterable[ActivityFacts],
                planned: Iterable[PlannedFacts], fitness: Sequence[DayFitness],
                wellness: Mapping[str, Sequence[tuple[date, float | None]]],
                curves: Iterable[CurveFacts] = (), day_loads: Mapping[date, float] | None = None,
                history: HistorySpan = HistorySpan()) -> WeekReview:
    """The review of the ISO week starting `monday`; days after `today` are still to come.
    `wellness`: "hrv", "resting_hr", "sleep_hours" series (any may be missing); `day_loads`:
    each day's load as Intervals.icu counts it in fitness (the wellness record's ctlLoad)."""
    sunday = monday + timedelta(days=WEEK_DAYS - 1)
    done = [a for a in activities if monday <= a.day <= min(sunday, today)]
    plans = [p for p in planned if monday <= p.day <= sunday]
    report = compliance(plans, done, today, monday, sunday)
    loads = {d: v for d, v in (day_loads or {}).items() if d <= today}
    return WeekReview(
        iso_week(monday), monday, today, _days(monday, report.outcomes, done, loads),
        weekly_summaries(done, monday, 1)[0], report, intensity_distribution(done),
        fitness_change(fitness, monday, min(sunday, today)),
        bests_set(curves, {a.activity_id for a in done if a.activity_id}),
        wellness_trends(wellness, monday, min(sunday, today)), history)


def _days(monday: date, outcomes: list[PlannedOutcome], done: list[ActivityFacts],
          day_loads: Mapping[date, float]) -> tuple[DayReview, ...]:
    paired = {o.planned.event_id for o in outcomes}
    days = []
    for offset in range(WEEK_DAYS):
        day = monday + timedelta(days=offset)
        that_day = tuple(a for a in done if a.day == day)
        extra = tuple(a for a in that_day
                      if not a.unavailable and a.paired_event_id not in paired)
        days.append(DayReview(day, tuple(o for o in outcomes if o.planned.day == day),
                              that_day, extra, day_loads.get(day)))
    return tuple(days)


def fitness_change(series: Sequence[DayFitness], monday: date, end: date) -> FitnessChange:
    """From the eve of the week (or the first known day of it) to `end` (or the last known)."""
    before = [f for f in series if f.day < monday]
    inside = sorted((f for f in series if monday <= f.day <= end), key=lambda f: f.day)
    start = max(before, key=lambda f: f.day) if before else (inside[0] if inside else None)
    return FitnessChange(start, inside[-1] if inside else None)


def wellness_trends(series: Mapping[str, Sequence[tuple[date, float | None]]], monday: date,
                    end: date) -> tuple[WellnessTrend, ...]:
    """HRV, resting HR and sleep: the week's mean (Monday to `end`) against the mean and
    spread of the 60 days before the week (the athlete's own normal, not the week itself)."""
    measures = (("HRV", "hrv", "ms", hrv_band),
                ("Resting HR", "resting_hr", "bpm", resting_hr_band),
                ("Sleep", "sleep_hours", "h", None))
    out = []
    for name, key, unit, band in measures:
        b = _week_against_before(series.get(key) or (), monday, end)
        out.append(WellnessTrend(name, unit, b, band(b) if band and b.recent is not None
                                 else None))
    return tuple(out)


def _week_against_before(values: Iterable[tuple[date, float | None]], monday: date,
                         end: date) -> Baseline:
    known = [(d, v) for d, v in values if v is not None]
    week = [v for d, v in known if monday <= d <= end]
    before = [v for d, v in known if monday - timedelta(days=BASELINE_DAYS) <= d < monday]
    return Baseline(statistics.fmean(week) if week else None,
                    statistics.fmean(before) if before else None,
                    statistics.pstdev(before) if len(before) > 1 else None,
                    len(week), len(before))


# --- best efforts -----------------------------------------------------------------------------


def bests_set(curves: Iterable[CurveFacts], week_activities: set[str]) -> tuple[WeekBest,
                                                                                 ...] | None:
    """Best efforts whose activity is one of the week's, each with its longest period; None
    when no curve names the activities that set its points."""
    chosen = [c for c in curves if c.period in PERIOD_ORDER]
    if not any(aid for c in chosen for _, _, aid in c.points):
        return None
    found: dict[tuple[str, str], WeekBest] = {}
    for curve in sorted(chosen, key=lambda c: PERIOD_ORDER.index(c.period)):
        for label, x, value, aid in _standard_points(curve):
            if aid in week_activities and (curve.sport, label) not in found:
                found[(curve.sport, label)] = WeekBest(curve.sport, curve.kind, label, x,
                                                       value, curve.period, aid)
    return tuple(sorted(found.values(), key=lambda b: (b.sport, b.kind, b.x)))


def _standard_points(curve: CurveFacts) -> list[tuple[str, float, float, str | None]]:
    """The points at the usual durations (power) or race distances (pace)."""
    if curve.kind == "power":
        by_secs = {int(x): (v, aid) for x, v, aid in curve.points}
        return [(duration_label(s), float(s), *by_secs[s]) for s in POWER_SECS if s in by_secs]
    distances = RUN_DISTANCES if curve.sport == "Run" else SWIM_DISTANCES
    out = []
    for metres, label in distances:
        near = [p for p in curve.points if abs(p[0] - metres) <= metres * DISTANCE_TOLERANCE]
        if near:
            x, secs, aid = min(near, key=lambda p: abs(p[0] - metres))
            out.append((label, metres, secs * metres / x, aid))  # the point's pace, exact
    return out
