"""Every endpoint the client calls, matched to its operation in the official OpenAPI document
(the fake checks each request and answer against it; see tests/conftest.py)."""

from datetime import date

from coach.intervals.client import IntervalsClient
from coach.intervals.sync import sync_history
from coach.records import NewEvent
from coach.store import Store
from coach.testing.athletes import long_history_fake
from coach.testing.intervals_fake import API_KEY, OPERATIONS_SEEN, FakeIntervals

TODAY = date(2026, 3, 13)
EXPECTED = {
    ("GET", "/api/v1/athlete/{id}", "getAthlete"),
    ("GET", "/api/v1/athletes", "listAthletes"),
    ("GET", "/api/v1/athlete/{id}/activities", "listActivities"),
    ("GET", "/api/v1/athlete/{id}/wellness{ext}", "listWellnessRecords"),
    ("GET", "/api/v1/athlete/{id}/events{format}", "listEvents"),
    ("GET", "/api/v1/athlete/{id}/power-curves{ext}", "listAthletePowerCurves"),
    ("GET", "/api/v1/athlete/{id}/pace-curves{ext}", "listAthletePaceCurves"),
    ("POST", "/api/v1/athlete/{id}/events", "createEvent"),
    ("GET", "/api/v1/athlete/{id}/events/{eventId}", "showEvent"),
    ("PUT", "/api/v1/athlete/{id}/events/{eventId}", "updateEvent"),
    ("DELETE", "/api/v1/athlete/{id}/events/{eventId}", "deleteEvent"),
    ("PUT", "/api/v1/athlete/{id}/wellness/{date}", "updateWellness"),
}


def every_call(fake: FakeIntervals, tmp_path) -> None:
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake.transport(),
                         sleep=lambda s: None) as client:
        store = Store(tmp_path / "c.db")
        sync_history(client, store, TODAY)          # athlete, history, calendar, curves, roster
        event = client.create_event(NewEvent(start_date_local="2026-03-14T00:00:00",
                                             type="Ride", name="Sweet spot",
                                             description="- 10m 60%\n- 20m 90%",
                                             external_id="local-coach-x"))
        client.event(event.id)                                           # the read-back
        client.update_event(event.id, {"start_date_local": "2026-03-15T00:00:00"})  # a move
        client.update_event(event.id, {"description": "- 30m 65%"})                  # replace
        client.delete_event(event.id)                                                # undo
        client.update_wellness(TODAY, {"sleepQuality": 3, "soreness": 1, "stress": 2,
                                       "motivation": 2, "injury": 1})  # a check-in, confirmed
        store.close()


def test_the_client_calls_exactly_these_operations(tmp_path):
    OPERATIONS_SEEN.clear()
    every_call(long_history_fake(TODAY, days=30), tmp_path)
    assert OPERATIONS_SEEN == EXPECTED
    print("\n" + "\n".join(f"{m:6} {t:45} {op}" for m, t, op in sorted(OPERATIONS_SEEN,
                                                                         key=lambda o: o[1])))
