"""The demo athlete as a CalendarSource: generated history, and a calendar kept in SQLite."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from coach import workout
from coach.demo import generator as demo
from coach.errors import IntervalsNotFound
from coach.records import Activity, Athlete, Curve, Event, NewEvent, Skipped, Wellness
from coach.store import Store, now_iso


@lru_cache(maxsize=2)
def _data(today: date) -> demo.DemoData:
    return demo.generate(today)


class DemoCalendar:
    """Behaves like Intervals.icu for the demo athlete; confirmed workouts stay on this machine."""

    def __init__(self, store: Store, today: date) -> None:
        self.store, self.today = store, today

    def athlete(self) -> Athlete:
        return Athlete.model_validate(_data(self.today).athlete)

    def activities(self, oldest: date, newest: date) -> list[Activity]:
        found = [a for a in _data(self.today).activities
                 if oldest.isoformat() <= a["start_date_local"][:10] <= newest.isoformat()]
        return [Activity.model_validate(a) for a in found]

    def wellness(self, oldest: date, newest: date) -> list[Wellness]:
        found = [w for w in _data(self.today).wellness
                 if oldest.isoformat() <= w["id"] <= newest.isoformat()]
        return [Wellness.model_validate({**w, **self._sent_wellness(w["id"])}) for w in found]

    def update_wellness(self, day: date, fields: dict[str, int]) -> Wellness:
        """A check-in sent in demo mode stays on this machine, kept over the generated day."""
        sent = {**self._sent_wellness(day.isoformat()), **fields}
        self.store.set_meta(f"demo_wellness:{day.isoformat()}", json.dumps(sent))
        generated = next((w for w in _data(self.today).wellness if w["id"] == day.isoformat()),
                         {"id": day.isoformat()})
        return Wellness.model_validate({**generated, **sent})

    def _sent_wellness(self, day: str) -> dict[str, Any]:
        saved = self.store.meta(f"demo_wellness:{day}")
        return json.loads(saved) if saved else {}

    def events(self, oldest: date, newest: date) -> list[Event]:
        self.store.seed_demo_events(demo.DEMO_ATHLETE_ID, _data(self.today).events)
        local = self.store.demo_events(demo.DEMO_ATHLETE_ID, oldest, newest)
        return [Event.model_validate(e) for e in local]

    def athletes(self) -> list[Athlete]:
        return [self.athlete()]

    def take_skipped(self) -> list[Skipped]:
        return []  # the demo's records always parse

    def close(self) -> None:
        """Nothing to close: the store belongs to the session."""

    def curves(self, sport: str) -> list[Curve]:
        return [Curve.model_validate(c) for c in demo.curves(sport)]

    def event(self, event_id: int) -> Event:
        return Event.model_validate(self._stored(event_id))

    def create_event(self, event: NewEvent) -> Event:
        day = date.fromisoformat(event.start_date_local[:10])
        stored = self.store.add_demo_event(demo.DEMO_ATHLETE_ID, _with_plan({
            **event.model_dump(exclude_none=True), "athlete_id": demo.DEMO_ATHLETE_ID,
            "uid": str(uuid.uuid4()), "updated": now_iso(),
            "end_date_local": f"{day + timedelta(days=1)}T00:00:00"}))
        return Event.model_validate(stored)

    def update_event(self, event_id: int, changes: dict[str, Any]) -> Event:
        event = {**self._stored(event_id), **changes, "updated": now_iso()}
        self.store.update_demo_event(_with_plan(event))
        return Event.model_validate(event)

    def delete_event(self, event_id: int) -> None:
        if not self.store.delete_demo_event(event_id):
            raise IntervalsNotFound(f"The demo calendar has no event {event_id}.")

    def _stored(self, event_id: int) -> dict[str, Any]:
        event = self.store.demo_event(event_id)
        if event is None:
            raise IntervalsNotFound(f"The demo calendar has no event {event_id}.")
        return event


def _with_plan(event: dict[str, Any]) -> dict[str, Any]:
    """What Intervals.icu derives from the text: steps and moving time (here: our parser)."""
    if event.get("category") == "WORKOUT" and event.get("description") and \
            workout.sport_family(event.get("type") or "Ride"):  # strength: its own moving time
        result = workout.check(event["description"], event.get("type") or "Ride")
        if result.workout is not None:
            event["moving_time"] = result.duration_s
            event["workout_doc"] = {"duration": result.duration_s,
                                    "steps": [{"text": line} for line in
                                              event["description"].splitlines()
                                              if line.startswith("-")]}
    return event
