"""What `plan_weeks` says: the plan's base, each week's targets, what is planned and the ramp."""

from __future__ import annotations

from coach import analysis, workout
from coach.agent.tool_texts.common import today_line, weekday
from coach.proposals.plans import NewPlan
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
    return "\n".join(lines)
