"""The Intervals.icu client against the fake, through httpx.MockTransport and over real HTTP."""

from datetime import date

import httpx
import pytest

from coach.errors import (
    IntervalsAuthError,
    IntervalsBadResponse,
    IntervalsNotFound,
    IntervalsUnavailable,
    IntervalsValidationError,
)
from coach.intervals.client import IntervalsClient
from coach.records import NewEvent
from coach.testing.intervals_fake import API_KEY, FakeIntervals


def new_event(**overrides):
    values = dict(start_date_local="2026-03-14T00:00:00", type="Ride", name="Sweet spot",
                  description="- 10m 60%\n- 20m 90%", external_id="local-coach-abc")
    return NewEvent(**{**values, **overrides})


def test_uses_basic_auth_with_literal_api_key_username(intervals, fake_intervals):
    athlete = intervals.athlete()
    assert athlete.id == "i123456"
    sent = fake_intervals.requests[0]
    assert sent.path == "/api/v1/athlete/0"
    assert sent.headers["authorization"] == httpx.BasicAuth("API_KEY", API_KEY)._auth_header


def test_athlete_sport_settings_parsed(intervals):
    athlete = intervals.athlete()
    ride = next(s for s in athlete.sportSettings if "Ride" in s.types)
    assert ride.ftp == 250 and ride.power_zones[-1] == 999
    run = next(s for s in athlete.sportSettings if "Run" in s.types)
    assert run.threshold_pace == pytest.approx(3.7)


def test_activities_window_newest_first_and_strava_stub_kept(intervals, fake_intervals):
    acts = intervals.activities(date(2026, 3, 10), date(2026, 3, 12))
    assert [a.day for a in acts] == sorted([a.day for a in acts], reverse=True)
    stubs = [a for a in acts if a.unavailable]
    assert len(stubs) == 1 and stubs[0].icu_training_load is None
    assert fake_intervals.requests[-1].query["oldest"] == "2026-03-10"
    ride = next(a for a in acts if a.type == "Ride")
    assert ride.icu_training_load == 111 and ride.model_extra["icu_zone_times"]


def test_wellness_and_events_by_window(intervals, fake_intervals):
    days = intervals.wellness(date(2026, 3, 10), date(2026, 3, 11))
    assert [d.id for d in days] == ["2026-03-10", "2026-03-11"]
    assert days[0].ctl == pytest.approx(63.17)
    assert intervals.events(date(2026, 3, 1), date(2026, 3, 31)) == []


def test_create_list_and_delete_event(intervals, fake_intervals):
    created = intervals.create_event(new_event())
    assert created.id and created.external_id == "local-coach-abc"
    body = fake_intervals.writes[0].body
    assert body == {"category": "WORKOUT", "start_date_local": "2026-03-14T00:00:00",
                    "type": "Ride", "name": "Sweet spot",
                    "description": "- 10m 60%\n- 20m 90%", "external_id": "local-coach-abc"}
    listed = intervals.events(date(2026, 3, 14), date(2026, 3, 14))
    assert [e.id for e in listed] == [created.id]
    intervals.delete_event(created.id)
    assert fake_intervals.events == {}


def test_names_are_trimmed_to_80_characters_before_sending(intervals, fake_intervals):
    intervals.create_event(new_event(name="Very long name " * 10))
    assert len(fake_intervals.writes[0].body["name"]) == 80


@pytest.mark.parametrize("status, error, words", [
    (401, IntervalsAuthError, "did not accept the API key"),
    (403, IntervalsAuthError, "refused access"),
    (404, IntervalsNotFound, "athlete id"),
    (422, IntervalsValidationError, "rejected the data"),
])
def test_typed_errors_with_plain_messages(intervals, fake_intervals, status, error, words):
    fake_intervals.fail_next(status)
    with pytest.raises(error, match=words) as info:
        intervals.athlete()
    assert info.value.status == status
    assert API_KEY not in str(info.value)


def test_wrong_key_is_an_auth_error_without_the_key(fake_intervals):
    with IntervalsClient("https://intervals.icu", "wrong-key-secret",
                         transport=fake_intervals.transport()) as client:
        with pytest.raises(IntervalsAuthError) as info:
            client.athlete()
    assert "wrong-key-secret" not in str(info.value)
    assert "wrong-key-secret" not in repr(client)


def test_backoff_on_429_honours_retry_after(fake_intervals):
    waits = []
    fake_intervals.fail_next(429, headers={"Retry-After": "3"}, times=2)
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake_intervals.transport(),
                         sleep=waits.append) as client:
        assert client.athlete().id == "i123456"
    assert waits == [3.0, 3.0]


def test_backoff_on_5xx_then_gives_up_with_a_sentence(fake_intervals):
    waits = []
    fake_intervals.fail_next(503, times=10)
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake_intervals.transport(),
                         sleep=waits.append, max_retries=3) as client:
        with pytest.raises(IntervalsUnavailable, match="server error"):
            client.athlete()
    assert waits == [0.5, 1.0, 2.0]
    assert len(fake_intervals.requests) == 4


def test_post_is_not_retried_after_a_server_error(intervals, fake_intervals):
    # The create may have happened; publishing looks before it creates again, not the client.
    fake_intervals.fail_after_write(502)
    with pytest.raises(IntervalsUnavailable):
        intervals.create_event(new_event())
    assert len(fake_intervals.writes) == 1 and len(fake_intervals.events) == 1


def test_non_json_and_truncated_bodies(intervals, fake_intervals):
    fake_intervals.fail_next(200, raw=b"<html>maintenance</html>")
    with pytest.raises(IntervalsBadResponse, match="not valid JSON"):
        intervals.athlete()
    fake_intervals.fail_next(200, raw=b'[{"id": "i1", "type": "Ri')
    with pytest.raises(IntervalsBadResponse):
        intervals.activities(date(2026, 3, 1), date(2026, 3, 2))


def test_a_record_that_does_not_parse_is_left_out_with_a_sentence(intervals, fake_intervals):
    good = {"id": "i7", "start_date_local": "2026-03-01T10:00:00", "type": "Ride"}
    wrong_type = {"id": "i8", "start_date_local": "2026-03-01T12:00:00", "moving_time": "n/a"}
    no_id = {"start_date_local": "2026-03-01T10:00:00"}
    fake_intervals.fail_next(200, body=[good, wrong_type, no_id])
    found = intervals.activities(date(2026, 3, 1), date(2026, 3, 2))
    assert [a.id for a in found] == ["i7"]
    skipped = intervals.take_skipped()
    assert [s.id for s in skipped] == ["i8", None]
    assert skipped[0].sentence.startswith("The activity i8 was left out")
    assert "moving_time" in skipped[0].sentence
    assert "(without an id)" in skipped[1].sentence
    assert intervals.take_skipped() == []


def test_a_missing_required_field_of_the_athlete_fails_loudly(intervals, fake_intervals):
    fake_intervals.fail_next(200, body={"name": "no id"})
    with pytest.raises(IntervalsBadResponse, match="id"):
        intervals.athlete()


def test_connection_refused_and_timeouts_are_unavailable():
    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    def slow(request):
        raise httpx.ReadTimeout("slow", request=request)

    for handler, words in [(refuse, "Cannot reach"), (slow, "did not answer in time")]:
        with IntervalsClient("https://intervals.icu", API_KEY, max_retries=1,
                             transport=httpx.MockTransport(handler),
                             sleep=lambda s: None) as client:
            with pytest.raises(IntervalsUnavailable, match=words):
                client.athlete()


def test_real_http_server_seam():
    fake = FakeIntervals()
    with fake.serve() as served, IntervalsClient(served.url, API_KEY) as client:
        assert client.athlete().id == fake.athlete["id"]
        created = client.create_event(new_event())
        assert client.events(date(2026, 3, 14), date(2026, 3, 14))[0].id == created.id


def test_secrets_in_the_athlete_record_are_dropped_at_the_boundary(intervals, fake_intervals):
    assert fake_intervals.athlete["icu_api_key"] == API_KEY    # the real record carries it
    athlete = intervals.athlete()
    dumped = athlete.model_dump_json()
    assert API_KEY not in dumped and "invite-0f0f0f" not in dumped
    assert "icu_api_key" not in (athlete.model_extra or {})


def test_the_client_paces_itself_under_ten_requests_a_second(fake_intervals):
    waits = []
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake_intervals.transport(),
                         sleep=waits.append) as client:
        for _ in range(12):
            client.athlete()
    # the 11th and 12th requests would be over 10 in the same second: they wait
    assert len(waits) == 2 and all(0 < w <= 1.1 for w in waits)
