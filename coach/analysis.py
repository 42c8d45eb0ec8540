"""Training analysis on plain values: fitness, load, zones, plans, efforts, races, wellness.

Pure: standard library only, no I/O; callers turn API payloads into the dataclasses below.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

CTL_DAYS = 42
ATL_DAYS = 7


@dataclass(frozen=True)
class DayFitness:
    day: date
    ctl: float
    atl: float

    @property
    def form(self) -> float:
        return self.ctl - self.atl


@dataclass(frozen=True)
class ActivityFacts:
    """What analysis needs of one activity (unavailable = a Strava stub with no data)."""

    day: date
    sport: str | None
    moving_time_s: float | None
    distance_m: float | None
    load: float | None
    unavailable: bool = False
    power_zone_secs: tuple[int, ...] = ()  # seconds in power Z1..Z7 (icu_zone_times, not "SS")
    hr_zone_secs: tuple[int, ...] = ()     # seconds in HR Z1.. (icu_hr_zone_times)
    pace_zone_secs: tuple[int, ...] = ()   # seconds in pace Z1.. (pace_zone_times)
    paired_event_id: int | None = None     # the planned workout this activity fulfilled
    compliance_pct: float | None = None    # Intervals' match of this activity to that plan, %
    activity_id: str = ""
    name: str = ""


@dataclass(frozen=True)
class WeekSummary:
    monday: date
    hours: float
    distance_km: float
    load: float
    sessions: int
    unavailable: int
    by_sport: dict[str, tuple[float, float, float, int]]  # sport -> (hours, km, load, sessions)


@dataclass(frozen=True)
class Baseline:
    """A measure's recent average against the athlete's own longer baseline."""

    recent: float | None
    baseline: float | None
    spread: float | None
    recent_days: int
    baseline_days: int

    @property
    def delta(self) -> float | None:
        if self.recent is None or self.baseline is None:
            return None
        return self.recent - self.baseline


def next_fitness(prev: DayFitness, load: float, day: date) -> DayFitness:
    """One day of the exponentially weighted fitness (42 d) and fatigue (7 d) model."""
    return DayFitness(day, prev.ctl + (load - prev.ctl) / CTL_DAYS,
                      prev.atl + (load - prev.atl) / ATL_DAYS)


def form_band(form: float, ctl: float) -> str:
    """Intervals.icu-style form zone from form as a share of fitness."""
    if ctl <= 0:
        return "no fitness data"
    pct = form / ctl * 100
    if pct > 20:
        return "transition: very fresh, fitness is being lost"
    if pct > 5:
        return "fresh: ready to race"
    if pct > -10:
        return "grey zone: maintaining"
    if pct > -30:
        return "optimal: productive training"
    return "high risk: overreaching"


def ramp_band(ramp_per_week: float) -> str:
    if ramp_per_week < -2:
        return "fitness falling"
    if ramp_per_week <= 3:
        return "steady"
    if ramp_per_week <= 6:
        return "productive build"
    if ramp_per_week <= 8:
        return "aggressive build"
    return "too fast: injury and illness risk"


def ramp_rate(series: Sequence[DayFitness], day: date) -> float | None:
    """CTL change over the 7 days up to `day` (CTL points per week)."""
    by_day = {f.day: f for f in series}
    now, before = by_day.get(day), by_day.get(day - timedelta(days=7))
    return None if now is None or before is None else now.ctl - before.ctl


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_summaries(activities: Iterable[ActivityFacts], first_monday: date,
                     weeks: int) -> list[WeekSummary]:
    """Per-week totals (Monday-based), oldest first, empty weeks included."""
    buckets: dict[date, list[ActivityFacts]] = {
        first_monday + timedelta(weeks=i): [] for i in range(weeks)}
    for activity in activities:
        week = monday(activity.day)
        if week in buckets:
            buckets[week].append(activity)
    return [_summarise(week, items) for week, items in buckets.items()]


def _summarise(week: date, items: list[ActivityFacts]) -> WeekSummary:
    sports = _by_sport(items)
    return WeekSummary(week, *_totals(sports), sum(a.unavailable for a in items), sports)


def _by_sport(items: Iterable[ActivityFacts]) -> dict[str, tuple[float, float, float, int]]:
    """sport -> (hours, km, load, sessions); stubs are left out, callers count them apart."""
    by_sport: dict[str, list[float]] = {}
    for a in items:
        if a.unavailable:
            continue
        totals = by_sport.setdefault(a.sport or "Other", [0.0, 0.0, 0.0, 0])
        totals[0] += (a.moving_time_s or 0) / 3600
        totals[1] += (a.distance_m or 0) / 1000
        totals[2] += a.load or 0
        totals[3] += 1
    return {s: (t[0], t[1], t[2], int(t[3])) for s, t in by_sport.items()}


def _totals(sports: dict[str, tuple[float, float, float, int]]) -> tuple[float, float, float, int]:
    return (sum(v[0] for v in sports.values()), sum(v[1] for v in sports.values()),
            sum(v[2] for v in sports.values()), sum(v[3] for v in sports.values()))


def baseline(values: Iterable[tuple[date, float | None]], today: date, recent_days: int = 7,
             baseline_days: int = 60) -> Baseline:
    """Mean of the last `recent_days` against the mean and spread of the last `baseline_days`."""
    recent_start = today - timedelta(days=recent_days)
    base_start = today - timedelta(days=baseline_days)
    pairs = [(d, v) for d, v in values if v is not None and base_start <= d < today]
    recent = [v for d, v in pairs if d >= recent_start]
    base = [v for _, v in pairs]
    return Baseline(statistics.fmean(recent) if recent else None,
                    statistics.fmean(base) if base else None,
                    statistics.pstdev(base) if len(base) > 1 else None,
                    len(recent), len(base))


def hrv_band(b: Baseline) -> str:
    """HRV (rMSSD) is read against the athlete's own normal range, not population values."""
    if b.delta is None or not b.spread:
        return "not enough data for a baseline"
    z = b.delta / b.spread
    if z < -1:
        return "below normal range: possible fatigue, illness or stress"
    if z > 1:
        return "above normal range"
    return "within normal range"


def resting_hr_band(b: Baseline) -> str:
    if b.delta is None:
        return "not enough data for a baseline"
    if b.delta >= 5:
        return "elevated: possible fatigue or illness"
    if b.delta <= -3:
        return "lower than usual"
    return "normal"


# --- Intensity distribution -------------------------------------------------------------------

ZONE_SOURCES = ("power", "pace", "hr")  # per activity, the first one with data is used


def zone_secs_from_ids(zone_times: Iterable[Mapping[str, Any]]) -> tuple[int, ...]:
    """Seconds per zone Z1..Zn from icu_zone_times items; "SS" (sweet spot) overlaps Z3-Z4."""
    secs = {str(z.get("id")): z.get("secs") for z in zone_times}
    zones = sorted(int(k[1:]) for k in secs if k[:1] == "Z" and k[1:].isdigit())
    return tuple(int(secs[f"Z{n}"] or 0) for n in range(1, zones[-1] + 1)) if zones else ()


def threshold_split(zone_secs: Sequence[int]) -> tuple[int, int, int]:
    """Seconds (below, around, above) threshold: Z1-Z2, Z3-Z4, Z5 and up."""
    # Intervals' 7 zones: Z1-Z2 recovery/endurance, Z3 tempo and Z4 threshold, Z5-Z7 VO2max and
    # anaerobic. HR and pace zones are cut the same way.
    return sum(zone_secs[:2]), sum(zone_secs[2:4]), sum(zone_secs[4:])


@dataclass(frozen=True)
class ZoneTotals:
    """One source's seconds per zone (Z1 first) over every activity that had that source."""

    zone_secs: tuple[int, ...]
    activities: int  # activities with zone times from this source
    used: int        # of those, activities whose threshold split came from this source


@dataclass(frozen=True)
class IntensityDistribution:
    """Time below / around / above threshold, each activity counted once from its best source."""

    below_secs: int
    around_secs: int
    above_secs: int
    by_source: dict[str, ZoneTotals]  # "power", "pace", "hr"; sources nobody had are left out
    no_zone_data: int                 # activities with data but no zone times at all
    unavailable: int                  # Strava stubs: no data, never counted as zero time

    @property
    def shares_pct(self) -> tuple[float, float, float] | None:
        total = self.below_secs + self.around_secs + self.above_secs
        if not total:
            return None
        return (100 * self.below_secs / total, 100 * self.around_secs / total,
                100 * self.above_secs / total)


def intensity_distribution(activities: Iterable[ActivityFacts],
                           sport: str | None = None) -> IntensityDistribution:
    """Time in zones for `sport` (all sports when None); stubs have no sport, so always count."""
    zone_sums: dict[str, list[int]] = {}
    counts = {s: [0, 0] for s in ZONE_SOURCES}  # source -> [activities, used]
    split, missing, stubs = [0, 0, 0], 0, 0
    for a in activities:
        if a.unavailable:
            stubs += 1
            continue
        if sport is not None and (a.sport or "").lower() != sport.lower():
            continue
        sources = {s: z for s, z in zip(ZONE_SOURCES, _zones(a), strict=True) if sum(z)}
        missing += not sources
        for source, zones in sources.items():
            _add(zone_sums.setdefault(source, []), zones)
            counts[source][0] += 1
        if sources:
            best = next(s for s in ZONE_SOURCES if s in sources)
            counts[best][1] += 1
            split = [t + s for t, s in zip(split, threshold_split(sources[best]), strict=True)]
    by_source = {s: ZoneTotals(tuple(z), *counts[s]) for s, z in zone_sums.items()}
    return IntensityDistribution(split[0], split[1], split[2], by_source, missing, stubs)


def _zones(a: ActivityFacts) -> tuple[tuple[int, ...], ...]:
    return a.power_zone_secs, a.pace_zone_secs, a.hr_zone_secs  # in ZONE_SOURCES order


def _add(total: list[int], zones: Sequence[int]) -> None:
    total.extend([0] * (len(zones) - len(total)))
    for i, secs in enumerate(zones):
        total[i] += secs


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


# --- Best efforts -----------------------------------------------------------------------------

RUN_DISTANCES = ((1000.0, "1 km"), (5000.0, "5 km"), (10000.0, "10 km"),
                 (21097.5, "half marathon"), (42195.0, "marathon"))
DISTANCE_TOLERANCE = 0.02  # a pace-curve point within 2% of a race distance stands for it


@dataclass(frozen=True)
class CurvePoint:
    """One point of a power (W) or HR (bpm) curve: the best value held for `secs`."""

    secs: int
    value: float


@dataclass(frozen=True)
class BestEffort:
    """Best value for a wanted duration `secs`, read at `curve_secs` (= secs, or just shorter)."""

    secs: int
    value: float
    label: str
    curve_secs: int


@dataclass(frozen=True)
class PaceBest:
    """Best time (s) over a standard running distance (m), and its pace (s per km)."""

    distance_m: float
    label: str
    secs: float
    pace_s_per_km: float


def best_efforts(points: Iterable[CurvePoint],
                 wanted_secs: Sequence[int] = (5, 60, 300, 1200, 3600)) -> list[BestEffort]:
    """Best value per wanted duration, from the exact or the nearest shorter curve point."""
    curve = sorted(points, key=lambda p: p.secs)
    out = []
    for wanted in wanted_secs:
        # Past the curve's longest point the athlete has no such effort; a shorter one would lie.
        if not curve or wanted > curve[-1].secs:
            continue
        shorter = [p for p in curve if p.secs <= wanted]
        if shorter:
            out.append(BestEffort(wanted, shorter[-1].value, duration_label(wanted),
                                  shorter[-1].secs))
    return out


def pace_best(distance_m_points: Iterable[tuple[float, float]]) -> list[PaceBest]:
    """Best times for 1 km … marathon from pace-curve points (distance m, seconds)."""
    points = list(distance_m_points)
    out = []
    for distance, label in RUN_DISTANCES:
        near = [p for p in points if abs(p[0] - distance) <= distance * DISTANCE_TOLERANCE]
        if near:
            metres, secs = min(near, key=lambda p: abs(p[0] - distance))
            pace = secs / metres * 1000  # the point's pace, held over the exact distance
            out.append(PaceBest(distance, label, pace * distance / 1000, pace))
    return out


def format_pace(seconds_per_km: float) -> str:
    """270 -> "4:30 /km"."""
    minutes, secs = divmod(round(seconds_per_km), 60)
    return f"{minutes}:{secs:02d} /km"


def duration_label(secs: int) -> str:
    """5 -> "5 s", 1200 -> "20 min", 5400 -> "1 h 30 min"."""
    h, rest = divmod(secs, 3600)
    parts = [f"{n} {unit}" for n, unit in ((h, "h"), (rest // 60, "min"), (rest % 60, "s")) if n]
    return " ".join(parts) or "0 s"


# --- Race countdown ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceFacts:
    day: date
    name: str
    category: str  # RACE_A, RACE_B or RACE_C


@dataclass(frozen=True)
class Countdown:
    """Time to a race; weeks_to_go counts whole weeks (13 days = 1 week)."""

    race: RaceFacts
    days_to_go: int
    weeks_to_go: int
    phase: str


def race_countdown(today: date, races: Iterable[RaceFacts]) -> list[Countdown]:
    """Races from today on, soonest first, with the training phase the time to go suggests."""
    ahead = sorted((r for r in races if r.day >= today), key=lambda r: r.day)
    return [Countdown(r, (r.day - today).days, (r.day - today).days // 7,
                      race_phase((r.day - today).days)) for r in ahead]


def race_phase(days_to_go: int) -> str:
    """Phase by whole weeks to go: race day (0 days), taper ≤ 1, peak 2-3, build 4-12, base > 12."""
    weeks = days_to_go // 7
    if days_to_go == 0:
        return "race day"
    if weeks <= 1:
        return "taper"
    if weeks <= 3:
        return "peak"
    return "build" if weeks <= 12 else "base"


# --- Load forecast ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastSummary:
    """Fitness on a target day if the planned loads are done, and the ATL peak on the way."""

    fitness: DayFitness
    form_band: str
    peak_atl: float
    peak_atl_day: date


def forecast(last: DayFitness, planned_loads: Mapping[date, float], days: int) -> list[DayFitness]:
    """CTL/ATL for the `days` after `last`, with the planned load each day (0 when none)."""
    out, prev = [], last
    for i in range(1, days + 1):
        day = last.day + timedelta(days=i)
        prev = next_fitness(prev, planned_loads.get(day, 0.0), day)
        out.append(prev)
    return out


def forecast_summary(last: DayFitness, planned_loads: Mapping[date, float],
                     target: date) -> ForecastSummary:
    """Form and its band on `target` (e.g. race day) and the highest ATL on the way."""
    if target <= last.day:
        raise ValueError(f"target {target} is not after the last known day {last.day}")
    series = forecast(last, planned_loads, (target - last.day).days)
    peak = max(series, key=lambda f: f.atl)
    return ForecastSummary(series[-1], form_band(series[-1].form, series[-1].ctl), peak.atl,
                           peak.day)


# --- Wellness scales and year summary ---------------------------------------------------------

SUBJECTIVE_SCALES = {  # Intervals.icu wellness model; lower is better on every one
    "sleepQuality": "1 excellent, 2 good, 3 average, 4 poor",
    "soreness": "0 none … 4 extreme",
    "fatigue": "0 none … 4 extreme",
    "stress": "0 none … 4 extreme",
    "mood": "1 excellent … 4 poor",
    "motivation": "1 excellent … 4 poor",
    "injury": "1 excellent, 2 niggle, 3 poor, 4 injured",
    "hydration": "1 well hydrated … 4 very dehydrated",
}


def subjective_summary(days: Iterable[tuple[date, Mapping[str, int | None]]],
                       end: date | None = None) -> dict[str, float | None]:
    """Mean of each subjective field over the 7 days up to `end` (default: the latest day)."""
    records = list(days)
    if not records:
        return dict.fromkeys(SUBJECTIVE_SCALES)
    end = end or max(d for d, _ in records)
    week = [r for d, r in records if end - timedelta(days=6) <= d <= end]
    values = {k: [v for r in week if (v := r.get(k)) is not None] for k in SUBJECTIVE_SCALES}
    return {k: statistics.fmean(v) if v else None for k, v in values.items()}


@dataclass(frozen=True)
class MonthSummary:
    month: date  # first day of the month
    hours: float
    km: float
    load: float
    sessions: int
    unavailable: int  # Strava stubs: sessions without data, not in the totals
    by_sport: dict[str, tuple[float, float, float, int]]  # sport -> (hours, km, load, sessions)


def year_summary(activities: Iterable[ActivityFacts], today: date) -> list[MonthSummary]:
    """The 12 calendar months up to and including today's, oldest first, empty months included."""
    months = [_month_start(today, back) for back in range(11, -1, -1)]
    buckets: dict[date, list[ActivityFacts]] = {m: [] for m in months}
    for a in activities:
        if a.day <= today and a.day.replace(day=1) in buckets:
            buckets[a.day.replace(day=1)].append(a)
    return [MonthSummary(m, *_totals(sports := _by_sport(items)),
                         sum(a.unavailable for a in items), sports)
            for m, items in buckets.items()]


def _month_start(today: date, months_back: int) -> date:
    year, month0 = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    return date(year, month0 + 1, 1)
