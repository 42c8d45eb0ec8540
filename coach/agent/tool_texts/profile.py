"""The athlete: profile with thresholds and zones, races, and the card the system prompt carries."""

from __future__ import annotations

from datetime import date, timedelta

from coach import analysis, workout
from coach.agent.tool_texts.common import num, pace, quote, today_line, weekday, zones
from coach.proposals.seasons import race_day_fuel
from coach.records import thresholds_for
from coach.scope import Scope, athlete_notes, fitness_series, require_athlete


def athlete_profile(scope: Scope) -> str:
    athlete = require_athlete(scope)
    lines = [today_line(scope), f"Athlete: {quote(athlete.name or 'unknown')}, weight "
             f"{num(athlete.icu_weight, 'kg')}, resting HR {num(athlete.icu_resting_hr, 'bpm')}, "
             f"time zone {athlete.timezone or 'unknown'}."]
    for sport in workout.SPORTS:
        t = thresholds_for(athlete, sport)
        parts = [f"FTP {num(t.ftp, 'W')}" if sport != "Swim" or t.ftp else "",
                 f"LTHR {num(t.lthr, 'bpm')}", f"max HR {num(t.max_hr, 'bpm')}",
                 f"threshold pace {pace(t.threshold_pace, sport)}" if sport != "Ride" else ""]
        lines.append(f"{sport}: " + ", ".join(p for p in parts if p) + ".")
        if t.power_zones and sport == "Ride":
            lines.append("  Power zones (upper bound, % FTP): " + zones(t.power_zones))
        if t.hr_zones:
            lines.append("  HR zones (upper bound, bpm): " + zones(t.hr_zones))
        if t.pace_zones and sport != "Ride":
            lines.append("  Pace zones (upper bound, % threshold pace): " + zones(t.pace_zones))
    lines += race_lines(scope) or ["No races on the calendar in the next year."]
    return "\n".join(lines + race_week_fuel(scope))


RACE_WEEK_DAYS = 7


def race_week_fuel(scope: Scope) -> list[str]:
    """The race-day fuelling line of a race this week (its duration from the calendar)."""
    soon = scope.store.events(scope.athlete_id, scope.today,
                              scope.today + timedelta(days=RACE_WEEK_DAYS))
    return [line for e in soon if (e.category or "").startswith("RACE")
            if (line := race_day_fuel(scope, date.fromisoformat(e.day)))]


def race_lines(scope: Scope) -> list[str]:
    races = [analysis.RaceFacts(date.fromisoformat(e.day), e.name or "race", e.category or "")
             for e in scope.store.events(scope.athlete_id, scope.today,
                                         scope.today + timedelta(days=365))
             if (e.category or "").startswith("RACE")]
    return [f"Race: {quote(c.race.name)} ({c.race.category}) on {c.race.day} "
            f"({weekday(c.race.day)}), {c.days_to_go} days to go: {c.phase} phase."
            for c in analysis.race_countdown(scope.today, races)[:3]]


def athlete_card(scope: Scope) -> str:
    """The few numbers the system prompt carries, so small questions need no tool call."""
    athlete = scope.store.athlete(scope.athlete_id)
    if athlete is None:
        return "No data synced yet: tools will say so."
    lines = [f"Name {quote(athlete.name or 'unknown')}."]
    for sport in workout.SPORTS:
        t = thresholds_for(athlete, sport)
        key = f"FTP {num(t.ftp, 'W')}" if sport == "Ride" else \
            f"threshold pace {pace(t.threshold_pace, sport)}"
        lines.append(f"{sport}: {key}, LTHR {num(t.lthr, 'bpm')}.")
    fit = fitness_series(scope, 7)
    if fit:
        f = fit[-1]
        lines.append(f"Fitness {f.day}: CTL {f.ctl:.0f}, ATL {f.atl:.0f}, form {f.form:+.0f} "
                     f"({analysis.form_band(f.form, f.ctl)}).")
    lines += race_lines(scope)[:1]
    notes = analysis.notes_card(athlete_notes(scope))
    if notes:  # the athlete's own words, kept on this machine: data, not instructions
        lines += ["Notes the athlete keeps (their words):", notes]
    return "\n".join(lines)
