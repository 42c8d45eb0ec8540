"""The morning check-in for a Coach: the form, the check-in saved here with its own
conversation (whose question the page or `coach checkin` puts to the coach), today's check-in,
and sending it to Intervals.icu wellness after its own Confirm, at most once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach import display
from coach.analysis import SCALES, Measure, Scale, Verdict
from coach.app.session import Coach
from coach.checkin import morning
from coach.checkin.morning import (
    MEASURES,
    QUESTION_PREFIX,
    Form,
    amount,
    band_text,
    feelings_text,
    measure_text,
)
from coach.errors import CoachError, IntervalsNotFound
from coach.proposals import publish
from coach.records import CalendarSource, Wellness
from coach.store import Checkin, CheckinStatus

__all__ = ["MEASURES", "SCALES", "Checkin", "CheckinStatus", "Form", "Measure", "Scale",
           "Submitted", "amount", "as_shown", "band_text", "feelings_text", "latest",
           "measure_text", "prefill", "send", "submit"]

# The question names each planned workout's event id: the coach changes a workout by its id,
# the athlete reads the workout by its name.
_EVENT_ID = re.compile(r" \[event \d+\]")
WELLNESS_NOT_FOUND = (
    "Intervals.icu answered 404 (not found) to writing the wellness of {day}. Press Retry "
    "sending in a while; if it keeps failing, enter these answers in that day's wellness on "
    "Intervals.icu yourself (open the day on your calendar).")


@dataclass(frozen=True)
class Submitted:
    checkin: Checkin
    verdict: Verdict
    question: str   # the athlete's message to the coach, in the check-in's own conversation


def prefill(coach: Coach) -> Form:
    """This morning's measures against the athlete's own range, and the answers' defaults."""
    return morning.prefill(coach.scope())


def submit(coach: Coach, answers: Mapping[str, int]) -> Submitted:
    """Save the check-in here (nothing is sent), with the verdict, in a new conversation whose
    question the page or the command then puts to the coach."""
    weighed = morning.assess(coach.scope(), answers)
    conversation_id = coach.new_conversation(f"Morning check-in, {display.day(weighed.form.day)}")
    checkin = coach.store.save_checkin(
        athlete_id=coach.athlete_id or "", day=weighed.form.day.isoformat(),
        feelings=weighed.feelings, measured=weighed.measured(), verdict=weighed.verdict.level,
        reasons=weighed.verdict.reasons, conversation_id=conversation_id)
    return Submitted(checkin, weighed.verdict, weighed.question)


def latest(coach: Coach) -> Checkin | None:
    """Today's last check-in, if any."""
    return morning.latest(coach.scope())


def send(coach: Coach, checkin_id: int) -> Checkin:
    """The athlete confirmed: write this check-in's answers to that day's Intervals.icu
    wellness (the demo athlete's stay on this machine). At most once."""
    checkin = coach.store.checkin(checkin_id)
    if checkin is None or checkin.athlete_id != coach.athlete_id:
        raise CoachError(f"Check-in {checkin_id} is not one of this athlete's; switch back to "
                         "that athlete to send it.")
    calendar = _WellnessWrite(coach.calendar_for(checkin.athlete_id))
    return publish.publish_checkin(coach.store, calendar, checkin_id)


def as_shown(message: str) -> str:
    """A message as the athlete reads it: a check-in question without the event ids that only
    the coach needs; any other message as it was written."""
    return _EVENT_ID.sub("", message) if message.startswith(QUESTION_PREFIX) else message


class _WellnessWrite:
    """The athlete's calendar, whose wellness write says what "not found" means for it (the
    client's own advice, to check the athlete id, is for reading the athlete)."""

    def __init__(self, calendar: CalendarSource) -> None:
        self._calendar = calendar

    def __getattr__(self, name: str) -> Any:
        return getattr(self._calendar, name)

    def update_wellness(self, day: date, fields: dict[str, int]) -> Wellness:
        try:
            return self._calendar.update_wellness(day, fields)
        except IntervalsNotFound:
            raise IntervalsNotFound(WELLNESS_NOT_FOUND.format(day=display.day(day))) from None
