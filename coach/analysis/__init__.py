"""Training analysis on plain values, pure (standard library only, no I/O): `fitness` (CTL, ATL,
form, ramp, forecast), `volume` (weekly and monthly totals), `intensity` (time around
threshold), `wellness` (against the athlete's own baseline), `compliance` (planned vs done),
`efforts` (best efforts) and `races` (countdown and phase). Callers turn API records into the
dataclasses here; everything imports from this package, not from the modules."""

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
from coach.analysis.races import Countdown, RaceFacts, race_countdown, race_phase
from coach.analysis.volume import (
    ActivityFacts,
    MonthSummary,
    WeekSummary,
    monday,
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
    "race_phase", "ramp_band", "ramp_rate", "resting_hr_band", "subjective_summary",
    "threshold_split", "weekly_summaries", "year_summary", "zone_secs_from_ids",
]
