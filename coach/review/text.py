"""The weekly review's deterministic section as Markdown, and its key figures and chart rows:
every number written with `coach.display`, from `analysis.WeekReview` only (pure)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from coach import analysis, display
from coach.analysis import DayReview, PlannedOutcome, WeekReview

SPORT_ORDER = ("Ride", "Run", "Swim")
ZONES = (("below threshold", "Z1-Z2"), ("around threshold", "Z3-Z4"), ("above threshold", "Z5+"))
WELLNESS_NOTE = "week mean vs the 60 days before"


def section(r: WeekReview) -> str:
    """The section the page shows, the exports hold and the coach comments on."""
    lines = [f"## Week {r.week}: {period(r)}", ""]
    if r.no_data:
        return "\n".join([*lines, no_data_line(r)])
    if r.partial:
        lines += [f"This week so far, up to {display.day(r.today, r.today)}.", ""]
    lines += [f"- **Hours:** {hours_line(r)}",
              f"- **Distance:** {_distance(r.totals.distance_km)}",
              f"- **Load:** {load_line(r)}",
              *sport_table(r),
              f"- **Planned vs done:** {plan_line(r)}",
              *fitness_lines(r),
              f"- **Time in zones:** {zones_line(r)}",
              f"- **Best efforts set this week:** {bests_line(r)}",
              f"- **Wellness ({WELLNESS_NOTE}):** {wellness_line(r)}",
              "", "| Day | Planned | Done |", "|---|---|---|"]
    lines += [_day_row(d, r) for d in r.days]
    return "\n".join(lines)


def period(r: WeekReview) -> str:
    return f"{display.day(r.monday, r.today)} to {display.day(r.sunday, r.today)}"


def no_data_line(r: WeekReview) -> str:
    first = r.history.first_day
    return ("No data for this week: it is before your first synced day, "
            f"{display.day(first, r.today)}." if first else
            "No data for this week: nothing is synced yet.")


def hours_line(r: WeekReview) -> str:
    t = r.totals
    hidden = f"{_strava(t.unavailable)} whose details Intervals.icu does not share"
    if not t.sessions:
        return (f"not known: {hidden}" if t.unavailable else
                "no activity yet" if r.partial else "no activity this week")
    sessions = f"{t.sessions} session{'s' if t.sessions != 1 else ''}"
    stubs = f", plus {hidden} (not in the time or distance)" if t.unavailable else ""
    return f"{display.hours(t.hours)} in {sessions}{stubs}"


def load_line(r: WeekReview) -> str:
    """The week's load as Intervals.icu counts it in fitness: a Strava import's load comes
    from that day's wellness load (the API hides the activity, not the day's total)."""
    stubs = r.totals.unavailable
    if r.hidden_load:
        what = f"{_strava(stubs)} whose details it does not share" if stubs else \
            "activities it does not list"
        days = sum(bool(d.hidden_load) for d in r.days)
        source = "the day's wellness load" if days == 1 else "those days' wellness loads"
        return (f"{display.load(r.load)}, including {display.load(r.hidden_load)} that "
                f"Intervals.icu counts in fitness for {what} (from {source})")
    if stubs:
        return (f"{display.load(r.load)}; not counted: {_strava(stubs)}, whose load "
                "Intervals.icu does not share")
    return display.load(r.load)


def sport_table(r: WeekReview) -> list[str]:
    """Time, distance and load of each sport, as a table between blank lines (four columns:
    it fits a phone)."""
    rows = [f"| {sport}, {n} session{'s' if n != 1 else ''} | {display.hours(h)} | "
            f"{display.km(km * 1000) if km else display.MISSING} | "
            f"{display.load(load) if load else display.MISSING} |"
            for sport, (h, km, load, n) in _sports(r.totals.by_sport)]
    if r.totals.unavailable:
        hidden = display.load(r.hidden_load) if r.hidden_load else display.MISSING
        rows.append(f"| {_strava(r.totals.unavailable)}, details hidden | {display.MISSING} | "
                    f"{display.MISSING} | {hidden} |")
    if not rows:
        return []
    return ["", "| Sport | Time | Distance | Load |", "|---|---|---|---|", *rows, ""]


def _distance(km: float) -> str:
    return display.km(km * 1000) if km else "none"


def _strava(count: int) -> str:
    return f"{count} Strava activit{'ies' if count != 1 else 'y'}"


def _sports(by_sport: dict[str, tuple[float, float, float, int]]) -> list[tuple[str, Any]]:
    return sorted(by_sport.items(), key=lambda kv: (
        SPORT_ORDER.index(kv[0]) if kv[0] in SPORT_ORDER else len(SPORT_ORDER), kv[0]))


def plan_line(r: WeekReview) -> str:
    c = r.compliance
    extra = r.extra_sessions
    extras = f"; {extra} session{'s' if extra != 1 else ''} not planned" if extra else ""
    if not c.outcomes:
        return "no workouts were planned" + extras
    due = c.done + c.missed
    share = f" ({display.pct(c.completed_pct)})" if c.completed_pct is not None else ""
    coming = f", {c.upcoming} still to come" if c.upcoming else ""
    return (f"{c.done} of {due} due sessions done{share}, {c.missed} missed{coming}; planned "
            f"{display.hours(c.planned_due_hours)} and load {display.load(c.planned_due_load)}"
            f" of them, done {display.hours(c.done_hours)} and load "
            f"{display.load(c.done_load)}{extras}")


def fitness_lines(r: WeekReview) -> list[str]:
    f = r.fitness
    if f.start is None or f.end is None:
        return ["- **Fitness, fatigue, form:** no fitness data (CTL/ATL) for this week"]
    when = (f"{display.day(f.start.day, r.today)} to {display.day(f.end.day, r.today)}")
    band = analysis.form_band(f.end.form, f.end.ctl)
    return [f"- **Fitness (CTL), {when}:** {_change(f.start.ctl, f.end.ctl, f.change('ctl'))}",
            f"- **Fatigue (ATL):** {_change(f.start.atl, f.end.atl, f.change('atl'))}",
            f"- **Form:** {_change(f.start.form, f.end.form, f.change('form'), True)}, "
            f"{band}"]


def _change(start: float, end: float, change: float | None, signed: bool = False) -> str:
    write = display.signed if signed else display.load
    if change is None:
        return write(end)
    return f"{write(start)} to {write(end)} ({display.signed(shown_change(start, end))})"


def shown_change(start: float, end: float) -> int:
    """The change between two figures as written (whole), so that "-5 to +2" reads "+7"."""
    return int(display.rounded(end)) - int(display.rounded(start))


def zones_line(r: WeekReview) -> str:
    z = r.zones
    secs = [z.below_secs, z.around_secs, z.above_secs]
    if not sum(secs):
        return "no zone data (no power meter, heart-rate strap or pace zones on these sessions)"
    shares = display.largest_remainder(secs, 100)
    parts = [f"{display.duration(s) if s else 'none'} {name} ({zones}, {share}%)"
             for s, share, (name, zones) in zip(secs, shares, ZONES, strict=True)]
    missing = (f"; {z.no_zone_data} session{'s' if z.no_zone_data != 1 else ''} without zone "
               "data") if z.no_zone_data else ""
    return ", ".join(parts) + missing


def bests_line(r: WeekReview) -> str:
    if r.bests is None:
        return ("none recorded (the synced best-effort curves do not say which activity set "
                "them)")
    if not r.bests:
        return "none (no best of the last 6 weeks, 12 weeks, year or all time)"
    return "; ".join(f"{b.sport} {b.label} {_effort(b)} (best of "
                     f"{b.period_name})" for b in r.bests)


def _effort(b: analysis.WeekBest) -> str:
    if b.kind == "power":
        return display.watts(b.value)
    unit = "/100m" if b.sport == "Swim" else "/km"
    per = 100 if b.sport == "Swim" else 1000
    return f"{display.duration(b.value)} ({display.pace(b.value / b.x * per, unit)})"


def wellness_line(r: WeekReview) -> str:
    parts = []
    for w in r.wellness:
        b = w.baseline
        if b.recent is None:
            parts.append(f"{w.name} no data")
            continue
        write: Callable[[float], str] = display.hours if w.unit == "h" else \
            partial(display.number, decimals=0, unit=w.unit)
        base = f" vs {write(b.baseline)}" if b.baseline is not None else " (no baseline yet)"
        band = f" ({w.band})" if w.band and b.baseline is not None else ""
        parts.append(f"{w.name} {write(b.recent)}{base}{band}")
    return "; ".join(parts)


def _day_row(d: DayReview, r: WeekReview) -> str:
    planned = "; ".join(_planned(o, d, r) for o in d.planned) or display.MISSING
    done = [_activity(a) for a in d.done if not a.unavailable]
    if d.hidden or d.hidden_load:
        done.append(_hidden(d))
    if not done:
        done = ["still to come" if d.day > r.today else "nothing yet" if d.day == r.today
                else "rest"]
    day = display.day(d.day, r.today).replace(" ", "\u00a0")  # one line in a narrow column
    return f"| {day} | {planned} | {'; '.join(done)} |"


def _hidden(d: DayReview) -> str:
    """What a day's hidden activities are known by: their count, and the day's load."""
    load = f" (load {display.load(d.hidden_load)}, from the day's wellness load)" \
        if d.hidden_load else ""
    what = f"{_strava(d.hidden)}, details hidden by Intervals.icu" if d.hidden else \
        "an activity Intervals.icu does not list"
    return what + load


def _planned(o: PlannedOutcome, d: DayReview, r: WeekReview) -> str:
    """`Run "Long run", planned 45m, load 40: **done** 1h38m, load 90 (218% of the planned
    time)`: what was planned, then what became of it."""
    p = o.planned
    size = _size(p.planned_secs, p.planned_load)
    head = " ".join(x for x in (p.sport or "Workout", _name(p.name)) if x)
    return f"{head}{', planned ' + size if size else ''}: {_outcome(o, d, r)}"


def _outcome(o: PlannedOutcome, d: DayReview, r: WeekReview) -> str:
    if o.status == "missed" and d.hidden:
        return "**missed**, unless it was the day's Strava activity (its details are hidden)"
    if o.status != "done":
        return f"**{o.status}**"
    done = r.paired(o)
    secs = [a.moving_time_s for a in done]
    loads = [a.load for a in done]
    size = _size(sum(v or 0 for v in secs) if None not in secs else None,
                 sum(v or 0 for v in loads) if None not in loads else None)
    share = analysis.plan_share(o.planned, done)
    of_plan = f" ({display.pct(share.pct)} of the planned {share.measure})" if share else ""
    return f"**done**{' ' + size if size else ''}{of_plan}"


def _size(secs: float | None, load: float | None) -> str:
    """`45m, load 40`; only what is known (a zero is not a known size)."""
    return ", ".join(x for x in (display.duration(secs) if secs else "",
                                 f"load {display.load(load)}" if load else "") if x)


def _activity(a: analysis.ActivityFacts) -> str:
    parts = [display.duration(a.moving_time_s)]
    if a.distance_m:
        parts.append(display.km(a.distance_m))
    if a.load is not None:
        parts.append(f"load {display.load(a.load)}")
    extra = " (not planned)" if a.paired_event_id is None else ""
    return f"{a.sport or 'Activity'} {_name(a.name)} {', '.join(parts)}{extra}"


def _name(name: str) -> str:
    """An athlete-written name inside a table cell: quoted, one line, no cell break."""
    text = " ".join(name.split())[:60].replace("|", "/").replace("<", "‹")
    return f'"{text}"' if text else ""


# --- key figures and chart rows ---------------------------------------------------------------


def facts(r: WeekReview) -> dict[str, Any]:
    """What the page's metrics, the charts and the PDF need, as written for people."""
    f = r.fitness
    change = shown_change(f.start.form, f.end.form) \
        if f.start and f.end and f.change("form") is not None else None
    if r.no_data:
        return {"week": r.week, "period": period(r), "partial": r.partial, "no_data": True,
                "headline": {}, "days": [], "day_labels": [], "zones": []}
    return {
        "week": r.week, "period": period(r), "partial": r.partial,
        "hidden_sessions": r.totals.unavailable,
        "headline": {"Hours": display.hours(r.totals.hours),
                     "Distance": display.km(r.totals.distance_km * 1000),
                     "Load": display.load(r.load),
                     "Sessions": str(r.totals.sessions),
                     "Planned done": display.pct(r.compliance.completed_pct),
                     "Form change": display.signed(change)},
        "days": day_rows(r), "day_labels": [_short(d.day) for d in r.days],
        "zones": zone_rows(r)}


def day_rows(r: WeekReview) -> list[dict[str, Any]]:
    """Hours per day and sport, for stacked bars."""
    rows = []
    for d in r.days:
        by_sport: dict[str, float] = {}
        for a in d.done:
            if not a.unavailable and a.moving_time_s:
                by_sport[a.sport or "Other"] = by_sport.get(a.sport or "Other", 0) + \
                    a.moving_time_s / 3600
        rows += [{"day": _short(d.day), "date": display.day(d.day, r.today), "sport": sport,
                  "hours": round(h, 2), "time": display.hours(h)}
                 for sport, h in sorted(by_sport.items())]
    return rows


def zone_rows(r: WeekReview) -> list[dict[str, Any]]:
    secs = [r.zones.below_secs, r.zones.around_secs, r.zones.above_secs]
    if not sum(secs):
        return []
    shares = display.largest_remainder(secs, 100)
    return [{"intensity": f"{name} ({zones})", "hours": round(s / 3600, 2),
             "time": display.duration(s), "share": share}
            for (name, zones), s, share in zip(ZONES, secs, shares, strict=True)]


def _short(day: date) -> str:
    """`Mon`: the day's axis label (the week's dates are in the heading, and the tooltip)."""
    return display.DAYS[day.weekday()]
