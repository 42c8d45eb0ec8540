"""Training analysis on plain values, pure (standard library only, no I/O): `fitness` (CTL, ATL,
form, ramp, forecast), `volume` (weekly and monthly totals), `intensity` (time around
threshold), `wellness` (against the athlete's own baseline), `compliance` (planned vs done),
`efforts` (best efforts), `races` (countdown and phase), `review` (one week's facts) and
`blocks` (multi-week plans: weekly targets, then the sessions `layout` puts on the days) and
`fit` (how a proposed session fits the week: the check every proposal passes through).
Callers turn API records into the dataclasses here; everything imports from this package, not
from the modules."""

from coach.analysis.blocks import (
    MAX_RAMP,
    BlockRequest,
    WeekLoad,
    WeekPlan,
    base_week,
    plan_block,
    ramp_ceiling,
    within,
)
from coach.analysis.compliance import (
    ComplianceReport,
    PlannedFacts,
    PlannedOutcome,
    compliance,
)
from coach.analysis.efforts import (
    BestEffort,
    CurvePoint,
    PaceBest,
    best_efforts,
    duration_label,
    format_pace,
    pace_best,
)
from coach.analysis.fit import (
    Concern,
    Finding,
    Race,
    Readiness,
    Session,
    Severity,
    Week,
    assess,
    counted,
    superseded,
)
from coach.analysis.fitness import (
    ATL_DAYS,
    CTL_DAYS,
    DayFitness,
    ForecastSummary,
    forecast,
    forecast_summary,
    form_band,
    next_fitness,
    ramp_band,
    ramp_rate,
)
from coach.analysis.intensity import (
    ZONE_SOURCES,
    IntensityDistribution,
    ZoneTotals,
    intensity_distribution,
    threshold_split,
    zone_secs_from_ids,
)
from coach.analysis.layout import WEEKDAYS, Availability, Booked, PlannedSession
from coach.analysis.races import Countdown, RaceFacts, race_countdown, race_phase
from coach.analysis.readiness import (
    AS_PLANNED,
    BAND_FLOORS,
    EASE_OFF,
    MIN_BASELINE_DAYS,
    REST,
    SCALE,
    SCALES,
    Band,
    Measure,
    Scale,
    Verdict,
    check_feelings,
    morning_verdict,
    normal_band,
)
from coach.analysis.review import (
    CurveFacts,
    DayReview,
    FitnessChange,
    HistorySpan,
    PlanShare,
    WeekBest,
    WeekReview,
    WellnessTrend,
    iso_week,
    last_full_week,
    plan_share,
    week_monday,
    week_review,
)
from coach.analysis.volume import (
    ActivityFacts,
    MonthSummary,
    WeekSummary,
    monday,
    recent_speed,
    weekly_summaries,
    year_summary,
)
from coach.analysis.wellness import (
    SUBJECTIVE_SCALES,
    Baseline,
    baseline,
    hrv_band,
    resting_hr_band,
    subjective_summary,
)

__all__ = [
    "ATL_DAYS", "CTL_DAYS", "SUBJECTIVE_SCALES", "ZONE_SOURCES", "ActivityFacts", "Baseline",
    "BestEffort", "ComplianceReport", "Countdown", "CurvePoint", "DayFitness", "ForecastSummary",
    "IntensityDistribution", "MonthSummary", "PaceBest", "PlannedFacts", "PlannedOutcome",
    "RaceFacts", "WeekSummary", "ZoneTotals", "baseline", "best_efforts", "compliance",
    "duration_label", "forecast", "forecast_summary", "form_band", "format_pace",
    "hrv_band", "intensity_distribution", "monday", "next_fitness", "pace_best", "race_countdown",
    "race_phase", "ramp_band", "ramp_rate", "recent_speed", "resting_hr_band",
    "subjective_summary",
    "threshold_split", "weekly_summaries", "year_summary", "zone_secs_from_ids",
]
__all__ += ["CurveFacts", "DayReview", "FitnessChange", "HistorySpan", "PlanShare", "WeekBest",
            "WeekReview", "WellnessTrend", "iso_week", "last_full_week", "plan_share",
            "week_monday", "week_review"]
__all__ += ["AS_PLANNED", "BAND_FLOORS", "EASE_OFF", "MIN_BASELINE_DAYS", "REST", "SCALE",
            "SCALES", "Band", "Measure", "Scale", "Verdict", "check_feelings",
            "morning_verdict", "normal_band"]
__all__ += ["Concern", "Finding", "Race", "Readiness", "Session", "Severity", "Week", "assess",
            "counted", "superseded"]
__all__ += ["MAX_RAMP", "WEEKDAYS", "Availability", "BlockRequest", "Booked", "PlannedSession",
            "WeekLoad", "WeekPlan", "base_week", "plan_block", "ramp_ceiling", "within"]

# Issue 25's pure core: a season to the A race, fuelling, strength sessions, athlete notes.
from coach.analysis.fuel import (  # noqa: E402
    FUEL_SOURCE,
    MOST_CARBS,
    Fuelling,
    carb_band,
    race_fuel,
    session_fuel,
)
from coach.analysis.notes import (  # noqa: E402
    CARD_BUDGET,
    Note,
    NoteConstraint,
    NoteKind,
    NoteRule,
    avoided_sports,
    check_notes,
    guess_kind,
    note_constraints,
    note_days_off,
    notes_card,
    remembered,
)
from coach.analysis.season import (  # noqa: E402
    MAX_SEASON_WEEKS,
    Season,
    SeasonPhase,
    SeasonRequest,
    SeasonWeek,
    pause_season,
    plan_season,
    resume_share,
    retarget_season,
    return_week,
    season_phases,
)
from coach.analysis.strength import (  # noqa: E402
    WEIGHT_TRAINING,
    StrengthKind,
    StrengthSession,
    stated_minutes,
    strength_as_session,
    strength_days,
    strength_hours,
    strength_kind,
    strength_load,
    strength_problems,
    strength_session,
    with_strength,
)

__all__ += ["FUEL_SOURCE", "MOST_CARBS", "Fuelling", "carb_band", "race_fuel", "session_fuel"]
__all__ += ["CARD_BUDGET", "Note", "NoteConstraint", "NoteKind", "NoteRule", "avoided_sports",
            "check_notes", "guess_kind", "note_constraints", "note_days_off", "notes_card",
            "remembered"]
__all__ += ["MAX_SEASON_WEEKS", "Season", "SeasonPhase", "SeasonRequest", "SeasonWeek",
            "pause_season", "plan_season", "resume_share", "retarget_season", "return_week",
            "season_phases"]
__all__ += ["WEIGHT_TRAINING", "StrengthKind", "StrengthSession", "stated_minutes",
            "strength_as_session", "strength_days", "strength_hours", "strength_kind",
            "strength_load", "strength_problems", "strength_session", "with_strength"]
