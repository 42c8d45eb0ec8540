"""What `plan_weeks` says: the plan's base, each week's targets, what is planned and the ramp;
for a season, its phases, each week's targets, the forecast to race morning and race-day
fuelling."""

from __future__ import annotations

from datetime import date

from coach import analysis, workout
from coach.agent.tool_texts.common import today_line, weekday
from coach.proposals import fit
from coach.proposals.plans import NewPlan
from coach.proposals.seasons import NewSeason, race_day_fuel
from coach.scope import Scope


def plan_text(scope: Scope, new: NewPlan) -> str:
    """What the model reads: the base, each week's targets, what is planned and the ramp."""
    req, weeks = new.request, new.weeks
    hours, load = analysis.base_week(req.recent, req.fitness.ctl)
    race = f" to the race on {req.race} {weekday(req.race)}" if req.race else ""
    lines = [today_line(scope),
             f"Plan {new.plan_id}: {len(weeks)} weeks from Mon {req.start}{race}; "
             f"{len(new.proposal_ids)} workouts proposed, NOT on the calendar: the athlete "
             "confirms them by week or all at once.",
             f"Base (last complete weeks): {hours:.1f} h, load {load:.0f} a week. CTL "
             f"{req.fitness.ctl:.1f} on {req.fitness.day}; ramp limit {analysis.MAX_RAMP:g} "
             "CTL/week; every 4th week easier.",
             f"Availability: {req.availability.describe()}."]
    if new.replaced:
        lines.append(f"{new.replaced} pending workouts of an earlier plan in these weeks were "
                     "withdrawn: this plan replaces them.")
    fuel = race_day_fuel(scope, req.race) if req.race else None
    if fuel:
        lines.append(fuel)
    for i, w in enumerate(weeks, 1):
        notes = f" ({'; '.join(w.notes)})" if w.notes else ""
        lines.append(
            f"Week {i} {w.monday} {w.kind}: target {w.hours:.1f} h, load {w.load:.0f}{notes}; "
            f"planned {w.planned_hours:.1f} h, load {w.planned_load:.0f} (already booked "
            f"{w.booked_hours:.1f} h){'' if w.adds_up else ', NOT within 10% of target'}; "
            f"CTL {w.end.ctl:.1f} (ramp {w.ramp:+.1f}/week).")
        if len(weeks) <= 4:
            lines.append("  " + ", ".join(
                f"{s.day:%a} {s.sport} {s.name} {workout.format_duration(s.minutes * 60)}"
                for s in w.sessions) if w.sessions else "  no new workouts")
    return "\n".join(lines + plan_findings(scope, new.proposal_ids))


def plan_findings(scope: Scope, proposal_ids: list[int]) -> list[str]:
    """What the week check found about the plan's workouts, as the card shows it; the model
    says it, the athlete decides."""
    lines, reads = [], fit.Reads(scope)
    for pid in proposal_ids:
        proposal = scope.store.proposal(pid)
        found = fit.findings(scope, proposal, reads) if proposal else []
        if proposal and found:
            day = f"{weekday(date.fromisoformat(proposal.day))} {proposal.day}"
            lines += [f"Check, {day} {proposal.sport} {proposal.name}: {f.message}"
                      for f in found]
    if lines:
        lines.insert(0, "Checked against the athlete's week (the cards show the athlete; say it "
                        "in your answer):")
    return lines


PHASE_ORDER = ("base", "build", "peak", "taper")


def season_text(scope: Scope, new: NewSeason) -> str:
    """What the model reads of a new season: phases, each week's targets, the forecast."""
    req, season = new.request, new.season
    hours, load = analysis.base_week(req.recent, req.fitness.ctl)
    phases = ", ".join(f"{p} {n}" for p in PHASE_ORDER
                       if (n := sum(w.phase.value == p for w in season.weeks)))
    morning = season.race_morning
    lines = [today_line(scope),
             f"Season (plan {new.plan_id}): {len(season.weeks)} weeks from Mon {req.start} to "
             f"the race on {req.race} {weekday(req.race)}: {phases}; a lighter week every 4th. "
             f"{len(new.proposal_ids)} workouts proposed for the first 2 weeks, NOT on the "
             "calendar: the athlete confirms them. Later weeks are targets, laid out when they "
             "come from what was actually done.",
             f"Base: {hours:.1f} h, load {load:.0f} a week; CTL {req.fitness.ctl:.1f} on "
             f"{req.fitness.day}; ramp limit {analysis.MAX_RAMP:g} CTL/week.",
             f"Race morning forecast if the targets are met: CTL {morning.ctl:.0f}, form "
             f"{morning.form:+.0f} ({season.race_form})."]
    if new.replaced:
        lines.append(f"{new.replaced} pending workouts of an earlier plan were withdrawn.")
    fuel = race_day_fuel(scope, req.race)
    if fuel:
        lines.append(fuel)
    for i, w in enumerate(season.weeks, 1):
        lighter = " lighter" if w.recovery else ""
        lines.append(f"W{i} {w.monday} {w.phase.value}{lighter}: {w.hours:.1f} h, load "
                     f"{w.load:.0f}, CTL {w.end.ctl:.0f} ({w.ramp:+.1f})")
    return "\n".join(lines)
