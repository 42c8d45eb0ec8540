"""Fitness, fatigue and form, with the forecast of the planned and proposed workouts."""

from __future__ import annotations

from datetime import timedelta

from coach import analysis
from coach.agent.tool_texts.common import today_line
from coach.scope import Scope, fitness_series, planned_loads

FORECAST_DAYS = (7, 14, 28)


def fitness_trend(scope: Scope, days: int) -> str:
    series = fitness_series(scope, days)
    if not series:
        return (f"{today_line(scope)}\nNo fitness data (CTL/ATL) in the last {days} days: sync "
                "with Intervals.icu first.")
    now, first = series[-1], series[0]
    ramp = analysis.ramp_rate(series, now.day)
    lines = [today_line(scope), "Fitness (CTL, 42-day load average), fatigue (ATL, 7-day) and "
             f"form (CTL − ATL), {first.day} to {now.day}, in Intervals.icu load units.",
             f"Latest {now.day}: CTL {now.ctl:.1f}, ATL {now.atl:.1f}, form {now.form:+.1f} "
             f"= {analysis.form_band(now.form, now.ctl)}.",
             f"{first.day} ({(now.day - first.day).days} days earlier): CTL {first.ctl:.1f}, "
             f"ATL {first.atl:.1f}, form {first.form:+.1f}."]
    if ramp is not None:
        lines.append(f"Ramp rate: {ramp:+.1f} CTL/week ({analysis.ramp_band(ramp)}).")
    lines.append("Weekly (date: CTL / ATL / form):")
    lines += [f"{f.day}: {f.ctl:.1f} / {f.atl:.1f} / {f.form:+.1f}"
              for f in series[::-7][:8][::-1]]
    return "\n".join(lines + _forecast_lines(scope, now))


def _forecast_lines(scope: Scope, last: analysis.DayFitness) -> list[str]:
    """CTL/ATL/form ahead if the planned and proposed workouts are done."""
    loads = planned_loads(scope, last.day, max(FORECAST_DAYS))
    ahead = {f.day: f for f in analysis.forecast(last, loads, max(FORECAST_DAYS))}
    lines = [f"Forecast if the {len(loads)} planned and proposed workouts are done (rest "
             "otherwise):"]
    for n in FORECAST_DAYS:
        f = ahead.get(last.day + timedelta(days=n))
        if f:
            lines.append(f"{f.day} (+{n} d): CTL {f.ctl:.1f}, ATL {f.atl:.1f}, form "
                         f"{f.form:+.1f} = {analysis.form_band(f.form, f.ctl)}.")
    return lines
