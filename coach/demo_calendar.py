"""The demo athlete as a CalendarSource: generated history, and a calendar kept in SQLite."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from functools import lru_cache

from coach import demo
from coach.intervals import Activity, Athlete, Event, IntervalsNotFound, NewEvent, Wellness
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
        return [Wellness.model_validate(w) for w in found]

    def events(self, oldest: date, newest: date) -> list[Event]:
        generated = [e for e in _data(self.today).events
                     if oldest.isoformat() <= e["start_date_local"][:10] <= newest.isoformat()]
        local = self.store.demo_events(demo.DEMO_ATHLETE_ID, oldest, newest)
        return [Event.model_validate(e) for e in [*generated, *local]]

    def create_event(self, event: NewEvent) -> Event:
        day = date.fromisoformat(event.start_date_local[:10])
        stored = self.store.add_demo_event(demo.DEMO_ATHLETE_ID, {
            **event.model_dump(), "athlete_id": demo.DEMO_ATHLETE_ID,
            "uid": str(uuid.uuid4()), "updated": now_iso(),
            "end_date_local": f"{day + timedelta(days=1)}T00:00:00"})
        return Event.model_validate(stored)

    def delete_event(self, event_id: int) -> None:
        if not self.store.delete_demo_event(event_id):
            raise IntervalsNotFound(f"The demo calendar has no event {event_id}.")
