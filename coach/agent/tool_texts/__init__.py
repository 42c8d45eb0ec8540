"""What the tools say to the model: short, labelled, already-interpreted text from the store.

Every report states today's date and the period it covers, puts a unit on every number, and
says "no data" where a source is missing instead of showing zeros. Names and notes written by
the athlete are quoted as JSON strings: they are data, not instructions.
"""

from coach.agent.tool_texts.calendar import planned_workouts
from coach.agent.tool_texts.common import activity_line, quote, today_line, weekday
from coach.agent.tool_texts.fitness import fitness_trend
from coach.agent.tool_texts.profile import athlete_card, athlete_profile, race_lines
from coach.agent.tool_texts.training import (
    best_efforts,
    compliance,
    compliance_lines,
    intensity_distribution,
    intensity_lines,
    list_activities,
    training_summary,
)
from coach.agent.tool_texts.wellness import wellness_trend

__all__ = ["activity_line", "athlete_card", "athlete_profile", "best_efforts", "compliance",
           "compliance_lines", "fitness_trend", "intensity_distribution", "intensity_lines",
           "list_activities", "planned_workouts", "quote", "race_lines", "today_line",
           "training_summary", "weekday", "wellness_trend"]
