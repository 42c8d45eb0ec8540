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
    if r.partial:
        lines += [f"This week so far, up to {display.day(r.today, r.today)}.", ""]
    lines += [f"- **Hours:** {hours_line(r)}",
              f"- **Distance:** {display.km(r.totals.distance_km * 1000)}",
              f"- **Load:** {display.load(r.totals.load)}",
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


def hours_line(r: WeekReview) -> str:
    t = r.totals
    sessions = f"{t.sessions} session{'s' if t.sessions != 1 else ''}"
    sports = _sports(t.by_sport)
    parts = [f"{sport} {display.hours(h)} in {n}" for sport, (h, _, _, n) in sports]
    stubs = (f"; {t.unavailable} Strava-imported session{'s' if t.unavailable != 1 else ''} "
             "without data") if t.unavailable else ""
    # one sport: its name is enough; several: each with its time and sessions
    detail = f" ({', '.join(parts) if len(parts) > 1 else sports[0][0]})" if parts else ""
    return f"{display.hours(t.hours)} in {sessions}{detail}{stubs}"


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
    planned = "; ".join(_planned(o) for o in d.planned) or display.MISSING
    done = [_activity(a) for a in d.done]
    if not done:
        done = ["still to come" if d.day > r.today else "nothing yet" if d.day == r.today
                else "rest"]
    day = display.day(d.day, r.today).replace(" ", "\u00a0")  # one line in a narrow column
    return f"| {day} | {planned} | {'; '.join(done)} |"


def _planned(o: PlannedOutcome) -> str:
    p = o.planned
    size = ", ".join(x for x in (display.duration(p.planned_secs) if p.planned_secs else "",
                                 f"load {display.load(p.planned_load)}" if p.planned_load
                                 else "") if x)
    match = f", match {display.pct(o.compliance_pct)}" if o.compliance_pct is not None else ""
    return f"{p.sport or 'Workout'} {_name(p.name)}{' ' + size if size else ''}: " \
           f"**{o.status}**{match}"


def _activity(a: analysis.ActivityFacts) -> str:
    if a.unavailable:
        return "Strava import (no data)"
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
    return {
        "week": r.week, "period": period(r), "partial": r.partial,
        "headline": {"Hours": display.hours(r.totals.hours),
                     "Distance": display.km(r.totals.distance_km * 1000),
                     "Load": display.load(r.totals.load),
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
