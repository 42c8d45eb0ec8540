"""Fitness, fatigue and form, with the forecast of the planned and proposed workouts."""

from __future__ import annotations

from datetime import date, timedelta

from coach import analysis
from coach.agent.tool_texts.common import (
    Reading,
    today_line,
)
from coach.store import ProposalStatus as S

FORECAST_DAYS = (7, 14, 28)


def fitness_trend(r: Reading, days: int) -> str:
    series = fitness_series(r, days)
    if not series:
        return (f"{today_line(r)}\nNo fitness data (CTL/ATL) in the last {days} days: sync "
                "with Intervals.icu first.")
    now, first = series[-1], series[0]
    ramp = analysis.ramp_rate(series, now.day)
    lines = [today_line(r), f"Fitness (CTL, 42-day load average), fatigue (ATL, 7-day) and form "
             f"(CTL − ATL), {first.day} to {now.day}, in Intervals.icu load units.",
             f"Latest {now.day}: CTL {now.ctl:.1f}, ATL {now.atl:.1f}, form {now.form:+.1f} "
             f"= {analysis.form_band(now.form, now.ctl)}.",
             f"{first.day} ({(now.day - first.day).days} days earlier): CTL {first.ctl:.1f}, "
             f"ATL {first.atl:.1f}, form {first.form:+.1f}."]
    if ramp is not None:
        lines.append(f"Ramp rate: {ramp:+.1f} CTL/week ({analysis.ramp_band(ramp)}).")
    lines.append("Weekly (date: CTL / ATL / form):")
    lines += [f"{f.day}: {f.ctl:.1f} / {f.atl:.1f} / {f.form:+.1f}"
              for f in series[::-7][:8][::-1]]
    return "\n".join(lines + _forecast_lines(r, now))


def fitness_series(r: Reading, days: int) -> list[analysis.DayFitness]:
    found = r.store.wellness(r.athlete_id, r.today - timedelta(days=days), r.today)
    return [analysis.DayFitness(date.fromisoformat(w.id), w.ctl, w.atl)
            for w in found if w.ctl is not None and w.atl is not None]


def _forecast_lines(r: Reading, last: analysis.DayFitness) -> list[str]:
    """CTL/ATL/form ahead if the planned and proposed workouts are done."""
    loads = planned_loads(r, last.day, max(FORECAST_DAYS))
    ahead = {f.day: f for f in analysis.forecast(last, loads, max(FORECAST_DAYS))}
    lines = [f"Forecast if the {len(loads)} planned and proposed workouts are done (rest "
             "otherwise):"]
    for n in FORECAST_DAYS:
        f = ahead.get(last.day + timedelta(days=n))
        if f:
            lines.append(f"{f.day} (+{n} d): CTL {f.ctl:.1f}, ATL {f.atl:.1f}, form "
                         f"{f.form:+.1f} = {analysis.form_band(f.form, f.ctl)}.")
    return lines


def planned_loads(r: Reading, after: date, days: int) -> dict[date, float]:
    end = after + timedelta(days=days)
    loads: dict[date, float] = {}
    for e in r.store.events(r.athlete_id, after + timedelta(days=1), end):
        if e.category == "WORKOUT" and e.icu_training_load:
            loads[date.fromisoformat(e.day)] = loads.get(date.fromisoformat(e.day), 0) + \
                e.icu_training_load
    for p in r.store.proposals(athlete_id=r.athlete_id, statuses=[S.PENDING]):
        day = date.fromisoformat(p.day)
        if p.kind == "workout" and p.load and after < day <= end:
            loads[day] = loads.get(day, 0) + p.load
    return loads
