"""What the athlete sees when Intervals.icu misbehaves: one sentence, in `coach sync` (and the
same text on the page, which shows the exception's message), nothing lost."""

import io

import pytest

from coach.cli import main as cli
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.intervals_samples import SAMPLE_ACTIVITIES, SAMPLE_ATHLETE, SAMPLE_WELLNESS


@pytest.fixture
def account(monkeypatch):
    fake = FakeIntervals(athlete=SAMPLE_ATHLETE, activities=SAMPLE_ACTIVITIES,
                         wellness=SAMPLE_WELLNESS)
    with fake.serve() as served:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        yield fake


def sync():
    out = io.StringIO()
    code = cli.main(["sync"], out=out)
    return code, out.getvalue().strip().splitlines()[-1]


FAILURES = [
    # (status, extra fail_next args, the sentence)
    (401, {}, "Sync failed: Intervals.icu did not accept the API key (401): paste the key "
              "from Intervals.icu → Settings → Developer Settings."),
    (403, {}, "Sync failed: Intervals.icu refused access (403): check the API key, and that "
              "the athlete id is yours or one you coach (use 0 for your own account) "
              "(Intervals.icu said: Access denied)."),
    (404, {}, "Sync failed: Intervals.icu has no such item (404 for /api/v1/athlete/0): check "
              "the athlete id in Settings (Intervals.icu said: Not Found)."),
    (422, {"body": {"status": 422, "error": "Name is too long"}},
     "Sync failed: Intervals.icu rejected the data (422) (Intervals.icu said: Name is too "
     "long)."),
    (429, {"times": 10, "headers": {"Retry-After": "0"}},
     "Sync failed: Intervals.icu is rate limiting requests (429); wait a minute and try "
     "again."),
    (500, {"times": 10, "headers": {"Retry-After": "0"}},
     "Sync failed: Intervals.icu had a server error (500); try again in a few minutes."),
    (502, {"times": 10, "headers": {"Retry-After": "0"}},
     "Sync failed: Intervals.icu had a server error (502); try again in a few minutes."),
    (503, {"times": 10, "headers": {"Retry-After": "0"}},
     "Sync failed: Intervals.icu had a server error (503); try again in a few minutes."),
    (200, {"raw": b"<html>down for maintenance</html>"},
     "Sync failed: Intervals.icu sent a response that is not valid JSON (HTTP 200 for "
     "/api/v1/athlete/0); try again later."),
    (200, {"raw": b'{"id": "i123456", "sportSett'},
     "Sync failed: Intervals.icu sent a response that is not valid JSON (HTTP 200 for "
     "/api/v1/athlete/0); try again later."),
]


@pytest.mark.parametrize("status, extra, sentence", FAILURES,
                         ids=[f"{f[0]}-{i}" for i, f in enumerate(FAILURES)])
def test_each_failure_is_one_sentence_and_sync_can_be_retried(account, status, extra,
                                                              sentence):
    account.fail_next(status, **extra)
    code, last = sync()
    assert code == 1 and last == sentence
    account.heal()
    code, last = sync()
    assert code == 0 and "Full sync done" in last


def test_429_waits_as_told_then_succeeds(account):
    account.fail_next(429, times=2, headers={"Retry-After": "1"})
    code, last = sync()
    assert code == 0 and "Full sync done" in last
    assert [r.path for r in account.requests[:3]] == ["/api/v1/athlete/0"] * 3


def test_connection_refused_and_timeout(monkeypatch):
    from coach.testing.ollama_server import closed_port_url

    monkeypatch.setenv("COACH_INTERVALS_URL", closed_port_url())
    monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
    monkeypatch.setenv("COACH_LOG_LEVEL", "ERROR")
    code, last = sync()
    assert code == 1 and last.startswith("Sync failed: Cannot reach Intervals.icu at ")


def test_unknown_extra_and_missing_optional_fields_are_fine(account):
    odd = {"id": "i42", "start_date_local": "2026-03-09T07:00:00", "type": "Run",
           "some_new_field": {"nested": [1, 2]}, "another": None}   # no load, no name
    account.activities.append(odd)
    account.wellness.append({"id": "2026-03-09", "brandNewMetric": 3})
    code, last = sync()
    assert code == 0 and "5 activities" in last
