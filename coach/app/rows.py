"""Rows for the Plan, Fitness and History pages: chart- and table-ready, computed from the store.

The pages only draw these; every rule (forecast, bands, filters) lives here or in analysis.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach import analysis, display, workout
from coach.agent import tool_texts as reports
from coach.proposals.check import check_text
from coach.records import Activity, Event
from coach.scope import Scope, as_facts, counted_proposals, planned_loads
from coach.store import Proposal
from coach.store import ProposalStatus as S

RANGES = {"6 weeks": 42, "3 months": 91, "6 months": 182, "1 year": 365, "All history": 0}
BY_WEEK_DAYS = 182       # up to 6 months, hours and load go by week; longer, by month
FORECAST_DAYS = 28
LONGEST_FORECAST = 112   # the forecast reaches an A race up to 16 weeks ahead
EPOCH = date(1970, 1, 1)


def fitness_rows(scope: Scope, days: int,
                 forecast_days: int | None = None) -> list[dict[str, Any]]:
    """CTL / ATL / form per day (0 days = all history), then the forecast if the planned and
    proposed workouts are done, marked `kind = forecast` (default: 4 weeks, or to the next A
    race when it is further, up to 16 weeks)."""
    forecast_days = forecast_days or forecast_span(scope)
    start = scope.today - timedelta(days=days) if days else EPOCH
    series = [analysis.DayFitness(date.fromisoformat(w.id), w.ctl, w.atl)
              for w in scope.store.wellness(scope.athlete_id, start, scope.today)
              if w.ctl is not None and w.atl is not None]
    rows = [_fitness_row(f, "history") for f in series]
    if series:
        loads = planned_loads(scope, series[-1].day, forecast_days)
        ahead = analysis.forecast(series[-1], loads, forecast_days)
        # the forecast starts from the last known day, so its line joins the history's
        rows += [_fitness_row(f, "forecast") for f in [series[-1], *ahead]]
    return rows


def _fitness_row(f: analysis.DayFitness, kind: str) -> dict[str, Any]:
    return {"day": f.day.isoformat(), "fitness (CTL)": round(f.ctl, 1),
            "fatigue (ATL)": round(f.atl, 1), "form": round(f.form, 1), "kind": kind,
            "band": analysis.form_band(f.form, f.ctl).split(":")[0]}


def forecast_span(scope: Scope) -> int:
    """Days of forecast: 4 weeks, or to a week after the next A race within 16 weeks (a race
    6 weeks out was never on the chart; the week after keeps its mark off the chart's edge)."""
    races = [date.fromisoformat(e.day) for e in scope.store.events(
        scope.athlete_id, scope.today, scope.today + timedelta(days=LONGEST_FORECAST))
        if e.category == "RACE_A"]
    return max([FORECAST_DAYS, *[(d - scope.today).days + 7 for d in races[:1]]])


def race_rows(scope: Scope, days_ahead: int = 365) -> list[dict[str, Any]]:
    return [{"day": e.day, "race": e.name or "race", "category": e.category}
            for e in scope.store.events(scope.athlete_id, scope.today,
                                        scope.today + timedelta(days=days_ahead))
            if (e.category or "").startswith("RACE")]


def weekly_rows(scope: Scope, weeks: int) -> list[dict[str, Any]]:
    """Hours and load per week and sport, for stacked bars."""
    first = analysis.monday(scope.today) - timedelta(weeks=weeks - 1)
    facts = [f for a in scope.store.activities(scope.athlete_id, first, scope.today)
             if (f := as_facts(a))]
    rows = []
    for week in analysis.weekly_summaries(facts, first, weeks):
        for sport, (hours, km, load, sessions) in week.by_sport.items():
            rows.append({"week": week.monday.isoformat(), "sport": sport,
                         "hours": round(hours, 2), "load": round(load), "km": round(km, 1),
                         "sessions": sessions})
    return rows


def monthly_rows(scope: Scope, days: int) -> list[dict[str, Any]]:
    """Hours and load per calendar month and sport over `days` (0: all history), for stacked
    bars over a year or more."""
    start = scope.today - timedelta(days=days) if days else first_day(scope)
    facts = [f for a in scope.store.activities(scope.athlete_id, start, scope.today)
             if (f := as_facts(a))]
    count = (scope.today.year - start.year) * 12 + scope.today.month - start.month + 1
    rows = []
    for month in analysis.year_summary(facts, scope.today, count):
        for sport, (hours, km, load, sessions) in month.by_sport.items():
            rows.append({"month": month.month.isoformat(), "sport": sport,
                         "hours": round(hours, 2), "load": round(load), "km": round(km, 1),
                         "sessions": sessions})
    return rows


def first_day(scope: Scope) -> date:
    """The day of the first synced activity (today without any)."""
    first = scope.store.activities(scope.athlete_id, EPOCH, scope.today)
    return min((date.fromisoformat(a.day) for a in first if a.day), default=scope.today)


def period_days(scope: Scope, days: int) -> int:
    """A period's length in days; 0 (all history) counts back to the first activity."""
    return days or (scope.today - first_day(scope)).days + 1


def intensity_rows(scope: Scope, weeks: int) -> list[dict[str, Any]]:
    start = scope.today - timedelta(weeks=weeks)
    facts = [f for a in scope.store.activities(scope.athlete_id, start, scope.today)
             if (f := as_facts(a))]
    dist = analysis.intensity_distribution(facts)
    secs = [dist.below_secs, dist.around_secs, dist.above_secs]
    if not sum(secs):
        return []
    # shares by largest remainder: they add up to exactly 100, as a person checks they do
    shares = display.largest_remainder(secs, 100)
    labels = ("below threshold (Z1-Z2)", "around threshold (Z3-Z4)", "above threshold (Z5+)")
    return [{"intensity": label, "hours": s / 3600, "share": share}
            for label, s, share in zip(labels, secs, shares, strict=True)]


WELLNESS_FIELDS = {"HRV (ms)": "hrv", "Resting HR (bpm)": "restingHR", "Sleep (h)": "sleep"}


def wellness_rows(scope: Scope, days: int) -> list[dict[str, Any]]:
    """HRV, resting HR and sleep per day, each with the athlete's own 60-day normal band."""
    oldest = scope.today - timedelta(days=days + 60)
    found = scope.store.wellness(scope.athlete_id, oldest, scope.today)
    rows = []
    for label, field in WELLNESS_FIELDS.items():
        values = [(date.fromisoformat(w.id), _wellness_value(w, field)) for w in found]
        days_seen = [d for d, _ in values]
        for i, (day, value) in enumerate(values):
            if value is None or day < scope.today - timedelta(days=days):
                continue
            # only the 60 days before count: a year of days stays quick to draw
            window = values[bisect.bisect_left(days_seen, day - timedelta(days=60)):i]
            base = analysis.baseline(window, day, recent_days=1, baseline_days=60)
            low = high = None
            if base.baseline is not None and base.spread is not None:
                low, high = base.baseline - base.spread, base.baseline + base.spread
            rows.append({"day": day.isoformat(), "measure": label, "value": round(value, 1),
                         "normal low": low and round(low, 1),
                         "normal high": high and round(high, 1)})
    return rows


def _wellness_value(w: Any, field: str) -> float | None:
    if field == "sleep":
        return w.sleepSecs / 3600 if w.sleepSecs else None
    value = getattr(w, field)
    return float(value) if value is not None else None


@dataclass(frozen=True)
class HistoryFilter:
    sport: str | None = None
    start: date | None = None
    end: date | None = None
    text: str = ""


def history_rows(scope: Scope, f: HistoryFilter) -> list[dict[str, Any]]:
    start = f.start or date(1970, 1, 1)
    end = f.end or scope.today
    needle = f.text.strip().lower()
    rows = []
    for a in scope.store.activities(scope.athlete_id, start, end):
        if f.sport and workout.sport_family(a.type or "") != f.sport:
            continue
        if needle and needle not in f"{a.name or ''} {a.description or ''}".lower():
            continue
        rows.append(_history_row(a))
    return rows


STRAVA_SPORT = "Strava import"


def _history_row(a: Activity) -> dict[str, Any]:
    """Raw values for a sortable table (the page writes them for people): a missing value is
    None, never 0; `duration` in seconds, `km` unrounded."""
    distance = a.icu_distance or a.distance
    return {"id": a.id, "date": display.as_date(a.start_date_local),
            "sport": a.type or (STRAVA_SPORT if a.unavailable else None),
            "name": a.name or None,
            "duration": int(a.moving_time) if a.moving_time else None,
            "km": distance / 1000 if distance else None,
            "load": a.icu_training_load, "intensity": a.icu_intensity,
            "avg HR": a.average_heartrate, "NP": a.icu_weighted_avg_watts}


def activity_detail(scope: Scope, activity_id: str) -> dict[str, Any] | None:
    """The key metrics of one activity (as text for people, missing ones left out) and its
    intervals summary, for the detail view."""
    a = scope.store.activity(scope.athlete_id, activity_id)
    if a is None:
        return None
    extra = a.model_extra or {}
    day = display.day(a.start_date_local, scope.today)
    sport = a.type or (STRAVA_SPORT if a.unavailable else "Activity")
    return {"activity": a, "metrics": _detail_metrics(a, extra), "day": day,
            "intervals": list(extra.get("interval_summary") or []),
            "line": without_id(reports.activity_line(a)),
            "title": f"{' '.join((a.name or sport).split())} · {day}"}


def without_id(line: str) -> str:
    """An activity's line as the coach's tools write it, less its Intervals.icu id: the athlete
    reads it in the conversation, and no tool needs the id (they take dates)."""
    return line.rsplit(" [id ", 1)[0]


def _detail_metrics(a: Activity, extra: dict[str, Any]) -> dict[str, str]:
    sport = workout.sport_family(a.type or "")
    speed = extra.get("average_speed")
    fields: list[tuple[str, Any, Any]] = [
        ("time", a.moving_time, display.duration),
        ("distance", a.icu_distance or a.distance, display.km),
        ("pace", speed if sport == "Run" else None, display.pace_km),
        ("pace", speed if sport == "Swim" else None, display.pace_100m),
        ("load", a.icu_training_load, display.load),
        ("intensity", a.icu_intensity, display.pct),
        ("avg HR", a.average_heartrate, display.bpm),
        ("max HR", extra.get("max_heartrate"), display.bpm),
        ("NP", a.icu_weighted_avg_watts, display.watts),
        ("avg power", a.icu_average_watts, display.watts),
        ("cadence", extra.get("average_cadence"), lambda v: cadence(v, sport)),
        ("climbing", a.total_elevation_gain, lambda v: display.number(v, 0, "m")),
        ("RPE", a.icu_rpe, lambda v: f"{display.number(v)}/10"),
        ("energy", extra.get("calories"), lambda v: display.number(v, 0, "kcal")),
        ("plan match", a.compliance, display.pct),
    ]
    # a zero is no measurement here (0 bpm, 0 m climbed in a pool): left out like a missing one
    return {label: text(value) for label, value, text in fields
            if not display.is_missing(value) and float(value) != 0}


def cadence(value: float, sport: str | None) -> str:
    """`90 rpm` on a ride, `172 spm` on a run, `29 strokes/min` in the pool. A run's cadence
    under 130 counts one foot (as FIT files and watches record it, and the demo makes it):
    runners read steps of both feet."""
    if sport == "Run":
        return display.number(value * 2 if value < 130 else value, 0, "spm")
    unit = {"Ride": "rpm", "Swim": "strokes/min"}.get(sport or "", "per min")
    return display.number(value, 0, unit)


def plan_days(scope: Scope, days: int = 14) -> list[dict[str, Any]]:
    """The next `days`, each with its planned events and proposals (pending, published,
    failed), for the week-by-week calendar."""
    end = scope.today + timedelta(days=days - 1)
    events = scope.store.events(scope.athlete_id, scope.today, end)
    proposals = [p for p in scope.store.proposals(athlete_id=scope.athlete_id)
                 if p.status in (S.PENDING, S.FAILED, S.PUBLISHING, S.PUBLISHED)
                 and scope.today.isoformat() <= (p.new_day or p.day) <= end.isoformat()]
    published = {p.event_id for p in proposals if p.status == S.PUBLISHED}
    out = []
    for offset in range(days):
        day = (scope.today + timedelta(days=offset)).isoformat()
        out.append({"day": day,
                    "events": [e for e in events if e.day == day and e.id not in published],
                    "proposals": [p for p in proposals if (p.new_day or p.day) == day]})
    return out


def plan_week_rows(scope: Scope, past_weeks: int = 4, ahead_weeks: int = 2) -> list[dict[str, Any]]:
    """Hours per week (each Monday's) for the plan chart: `done` (activities up to today),
    `planned` (workouts on the calendar from today on, not yet done) and `proposed` (pending
    proposals, not on the calendar yet)."""
    first = analysis.monday(scope.today) - timedelta(weeks=past_weeks)
    last = analysis.monday(scope.today) + timedelta(weeks=ahead_weeks, days=6)
    hours: dict[tuple[str, str], float] = {}

    def add(day: str | date | None, kind: str, seconds: float | None) -> None:
        when = display.as_date(day)
        if when is not None and seconds and first <= when <= last:
            key = (analysis.monday(when).isoformat(), kind)
            hours[key] = hours.get(key, 0.0) + seconds / 3600

    done = scope.store.activities(scope.athlete_id, first, scope.today)
    for a in done:
        add(a.day, "done", a.moving_time)
    paired = {a.paired_event_id for a in done if a.paired_event_id}
    for e in scope.store.events(scope.athlete_id, scope.today, last):
        if e.category == "WORKOUT" and e.id not in paired:
            add(e.day, "planned", planned_seconds(scope, e))
    for p in counted_proposals(scope, scope.today, last):
        add(p.day, "proposed", p.duration_s)
    return [{"week": week, "kind": kind, "hours": h} for (week, kind), h in sorted(hours.items())]


def planned_seconds(scope: Scope, event: Event) -> float | None:
    """A planned workout's length, timed from its text as a proposal's is (with the athlete's
    paces); None when it has no text that times. Not its moving time: Intervals.icu times only
    the timed steps, so a swim of 8x100mtr with 20s rests reads 2m40s."""
    if event.category != "WORKOUT" or not (event.description or "").strip():
        return None
    # a strength session has no steps: the minutes it was planned with are its length
    minutes = round(event.moving_time / 60) if event.moving_time else None
    check = check_text(scope.store, scope.athlete_id, event.type or "Ride", event.description or "",
                       minutes)
    return float(check.duration_s) if check.ok and check.duration_s else None


def proposal_label(p: Proposal) -> str:
    return f"{p.sport} · {p.name} · {display.duration(p.duration_s)} · {p.status}"
