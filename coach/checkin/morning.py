"""The morning check-in: how the athlete feels on Intervals.icu's wellness scales, this
morning's HRV, resting HR and sleep against their own normal range, a deterministic verdict, and
the question put to the coach. The check-in stays on this machine; `coach.app.checkins` stores
it with its conversation, and writes it to Intervals.icu wellness only after its own Confirm
(through coach.proposals.publish), at most once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach import analysis, display
from coach.analysis import SCALES, Measure, Verdict
from coach.errors import CoachError
from coach.messages import quote
from coach.records import Event, Wellness
from coach.scope import Scope
from coach.store import Checkin

QUESTION_PREFIX = "Morning check-in for"
BASELINE_DAYS = 60
MEASURES = (("hrv", "HRV", "ms"), ("restingHR", "Resting HR", "bpm"), ("sleep", "Sleep", "h"))


@dataclass(frozen=True)
class Form:
    """What the check-in form starts with: today's measures and the answers' defaults."""

    day: date
    measures: dict[str, Measure]   # hrv, restingHR, sleep (hours)
    defaults: dict[str, int]       # what Intervals.icu already has for today, else the scale's


@dataclass(frozen=True)
class Assessment:
    """A check-in's answers weighed: the form they answered, the verdict and the question."""

    form: Form
    feelings: dict[str, int]
    verdict: Verdict
    question: str   # the athlete's message to the coach, in the check-in's own conversation

    def measured(self) -> dict[str, dict[str, Any]]:
        """The measures as stored with the check-in."""
        return {field: _measured(m) for field, m in self.form.measures.items()}


# --- the form -------------------------------------------------------------------------------

def prefill(scope: Scope) -> Form:
    """Today's (or last night's) HRV, resting HR and sleep from the synced wellness, each with
    the athlete's own 60-day normal range; the answers Intervals.icu already has for today."""
    today = scope.today
    # a day more than the range: last night's value is compared with the 60 days before it
    oldest = today - timedelta(days=BASELINE_DAYS + 1)
    found = scope.store.wellness(scope.athlete_id, oldest, today) if scope.athlete_id else []
    measures = {field: _measure(found, field, today) for field, _, _ in MEASURES}
    own = next((w for w in found if w.id == today.isoformat()), None)
    defaults = {s.field: v if own and (v := getattr(own, s.field, None)) in s.values
                else s.default for s in SCALES}
    return Form(today, measures, defaults)


def _value(w: Wellness, field: str) -> float | None:
    """A measure of one day; 0 means "not measured" (a device that sent nothing)."""
    if field == "sleep":
        return w.sleepSecs / 3600 if w.sleepSecs else None
    value = getattr(w, field, None)
    return float(value) if value else None


def _measure(found: list[Wellness], field: str, today: date) -> Measure:
    """Measured overnight: today's record, else last night's (yesterday's) when today has none."""
    by_day = {w.id: w for w in found}
    for day in (today, today - timedelta(days=1)):
        value = _value(by_day[day.isoformat()], field) if day.isoformat() in by_day else None
        if value is not None:
            break
    else:
        value, day = None, today
    series = [(date.fromisoformat(w.id), _value(w, field)) for w in found]
    band = analysis.normal_band(analysis.baseline(series, day, baseline_days=BASELINE_DAYS),
                                analysis.BAND_FLOORS[field])
    return Measure(value, band, day if value is not None else None)


def measure_text(field: str, m: Measure, whose: str = "your") -> str:
    """"HRV 41 ms (your normal range 58–68 ms)", or says what is missing."""
    label = next(label for f, label, _ in MEASURES if f == field)
    if m.value is None:
        return f"{label}: not measured today"
    if m.band is None:
        return f"{label} {amount(field, m.value)} (no normal range yet: fewer than " \
               f"{analysis.MIN_BASELINE_DAYS} days measured)"
    return f"{label} {amount(field, m.value)} ({whose} normal range {band_text(field, m)})"


def amount(field: str, value: float) -> str:
    """A measure's value as people read it: "41 ms", "52 bpm", "7h05m"."""
    if field == "sleep":
        return display.hours(value)
    unit = next(unit for f, _, unit in MEASURES if f == field)
    return f"{display.number(value)} {unit}"


def band_text(field: str, m: Measure) -> str:
    """The normal range: "58–68 ms", "6h40m–8h00m"; empty without one."""
    if m.band is None:
        return ""
    low = display.hours(m.band.low) if field == "sleep" else display.number(m.band.low)
    return f"{low}–{amount(field, m.band.high)}"


def feelings_text(feelings: Mapping[str, int]) -> str:
    """"sleep quality 3 Avg, soreness 1 Low, …" in Intervals.icu's words."""
    return ", ".join(f"{s.label.lower()} {feelings[s.field]} {s.word(feelings[s.field])}"
                     for s in SCALES if s.field in feelings)


# --- weighing the answers -------------------------------------------------------------------

def assess(scope: Scope, answers: Mapping[str, int]) -> Assessment:
    """The answers checked and weighed against this morning's measures, with the question for
    the coach; CoachError before the first sync or for an answer off its scale."""
    if not scope.athlete_id:
        raise CoachError("Sync with Intervals.icu first: the check-in compares today with "
                         "your own history.")
    try:
        feelings = analysis.check_feelings(answers)
    except ValueError as e:
        raise CoachError(str(e)) from None
    form = prefill(scope)
    m = form.measures
    verdict = analysis.morning_verdict(m["hrv"], m["restingHR"], m["sleep"], feelings)
    return Assessment(form, feelings, verdict, _question(scope, form, feelings, verdict))


def _measured(m: Measure) -> dict[str, Any]:
    band = {"low": round(m.band.low, 2), "high": round(m.band.high, 2)} if m.band else {}
    return {"value": m.value, "day": m.day.isoformat() if m.day else None, **band}


def _question(scope: Scope, form: Form, feelings: Mapping[str, int], verdict: Verdict) -> str:
    """The athlete's message: the figures, the verdict's facts and the workouts they may
    change, with their event ids, so the coach answers from what it was shown."""
    today, tomorrow = form.day, form.day + timedelta(days=1)
    measured = ", ".join(_lower(measure_text(f, m, "my")) for f, m in form.measures.items())
    because = f" ({', '.join(verdict.reasons)})" if verdict.reasons else ""
    planned = _planned(scope, today, tomorrow)
    lines = [f"{QUESTION_PREFIX} {display.day(today)}.", "",
             f"- Measured: {measured}",
             f"- How I feel (Intervals.icu scales, lower is better): {feelings_text(feelings)}",
             f"- Check-in says: {verdict.level}{because}",
             f"- Planned today, {display.day(today)}: {_workouts(planned, today)}",
             f"- Planned tomorrow, {display.day(tomorrow)}: {_workouts(planned, tomorrow)}",
             "", _ask(verdict, bool(planned))]
    return "\n".join(lines)


def _lower(text: str) -> str:
    return text if text.startswith("HRV") else text[0].lower() + text[1:]


def _planned(scope: Scope, first: date, last: date) -> list[Event]:
    events = scope.store.events(scope.athlete_id, first, last)
    return [e for e in events if e.category == "WORKOUT"]


def _workouts(events: list[Event], day: date) -> str:
    found = [f"{e.type or 'Workout'} {quote(e.name or 'Workout')}"
             + (f", {display.duration(e.moving_time)}" if e.moving_time else "")
             + f" [event {e.id}]" for e in events if e.day == day.isoformat()]
    return "; ".join(found) or "nothing"


def _ask(verdict: Verdict, planned: bool) -> str:
    if not planned:
        return "Nothing is planned today or tomorrow: what should I do today?"
    if verdict.level == analysis.REST:
        return "Should I rest today, and change today's or tomorrow's workout?"
    if verdict.level == analysis.EASE_OFF:
        return "Should I change today's or tomorrow's workout?"
    return "Nothing stands out: is today's workout fine as planned?"


# --- what was checked in --------------------------------------------------------------------

def latest(scope: Scope) -> Checkin | None:
    """Today's last check-in, if any."""
    if not scope.athlete_id:
        return None
    found = scope.store.checkins(scope.athlete_id, scope.today.isoformat())
    return found[-1] if found else None
