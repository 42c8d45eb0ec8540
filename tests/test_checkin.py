"""The morning check-in: scales, readiness verdicts, the prefill against the athlete's own normal
range, the store, the question put to the coach and its change proposal, the write-back to
Intervals.icu wellness (only after its own Confirm, at most once) and `coach checkin`."""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from coach import analysis
from coach.analysis import SCALE, Band, Measure, check_feelings, morning_verdict, normal_band
from coach.app import checkins as checkin
from coach.app.session import Coach
from coach.cli import main as cli
from coach.errors import CoachError
from coach.intervals.client import IntervalsClient
from coach.settings import Settings
from coach.store import CheckinStatus
from coach.testing.athletes import HARD_TEXT, PLANNED_ID, athletes_today, low_hrv_account
from coach.testing.coach_script import EASY_TEXT
from coach.testing.coach_script import coach as coach_script
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.ollama_server import FakeOllama, closed_port_url

TODAY = date(2026, 11, 26)  # a Thursday
FEEL = {"sleepQuality": 2, "soreness": 1, "stress": 1, "motivation": 2, "injury": 1}


@contextmanager
def synced_coach(tmp_path: Path, fake: FakeIntervals, ollama_url: str = "",
                 today: date = TODAY) -> Iterator[Coach]:
    settings = Settings(data_dir=tmp_path / "data", api_key=API_KEY,
                        ollama_host=ollama_url or closed_port_url())
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake.transport(),
                         sleep=lambda s: None) as client, \
            Coach(settings, today=today, calendar=client) as coach:
        coach.sync()
        yield coach


def wellness_writes(fake: FakeIntervals) -> list:
    return [w for w in fake.writes if "/wellness" in w.path]


# --- the scales and the verdict (pure) ------------------------------------------------------

def test_the_scales_are_intervals_icus_own():
    """Reference §3.5: sleepQuality 1 Excellent … 4 Poor; soreness and stress 0 None … 4
    Extreme; motivation 1 Excellent … 4 Poor; injury 1 Excellent, 2 Niggle, 3 Poor, 4 Injured."""
    assert SCALE["sleepQuality"].options == ((1, "Excellent"), (2, "Good"), (3, "Avg"),
                                             (4, "Poor"))
    for field in ("soreness", "stress"):
        assert SCALE[field].values == [0, 1, 2, 3, 4]
        assert (SCALE[field].word(0), SCALE[field].word(4)) == ("No", "Extreme")
    assert SCALE["motivation"].word(1) == "Excellent" and SCALE["motivation"].word(4) == "Poor"
    assert [w for _, w in SCALE["injury"].options] == ["Excellent", "Niggle", "Poor", "Injured"]
    assert list(SCALE) == ["sleepQuality", "soreness", "stress", "motivation", "injury"]


@pytest.mark.parametrize("answers, error", [
    ({"sleepQuality": 0}, "Sleep quality must be one of 1 Excellent"),
    ({"motivation": 5}, "Motivation must be one of"),
    ({"injury": True}, "Illness / injury must be one of"),
    ({"stress": "2"}, "Stress must be one of 0 No"),
])
def test_answers_outside_a_scale_are_refused_by_name(answers, error):
    with pytest.raises(ValueError, match=error):
        check_feelings(answers)


def test_missing_answers_take_the_scales_defaults():
    assert check_feelings({"soreness": 3}) == {**FEEL, "soreness": 3}


BAND = Band(60.0, 70.0, 60)
NORMAL = (Measure(65.0, BAND), Measure(48.0, Band(45.0, 50.0, 60)),
          Measure(7.5, Band(6.5, 8.5, 60)))


@pytest.mark.parametrize("change, feelings, level, flags", [
    ({}, {}, "as planned", ()),
    ({0: 55.0}, {}, "ease off", ("hrv_low",)),
    ({0: 75.0}, {}, "as planned", ()),                       # high HRV is no warning
    ({1: 53.0}, {}, "ease off", ("rhr_high",)),
    ({0: 55.0, 1: 53.0}, {}, "rest", ("hrv_low", "rhr_high")),  # the classic illness sign
    ({2: 5.0}, {"sleepQuality": 4}, "ease off", ("sleep_short", "sleep_poor")),
    ({}, {"soreness": 3}, "ease off", ("sore",)),
    ({}, {"stress": 4, "motivation": 4}, "ease off", ("stressed", "unmotivated")),
    ({}, {"injury": 2}, "ease off", ("niggle",)),
    ({}, {"injury": 3}, "rest", ("ill_or_injured",)),
    ({}, {"injury": 4, "soreness": 4}, "rest", ("sore", "ill_or_injured")),
    ({0: 55.0, 2: 5.0}, {"sleepQuality": 4, "stress": 3}, "rest",
     ("hrv_low", "sleep_short", "sleep_poor", "stressed")),   # four signs
])
def test_readiness_verdicts(change, feelings, level, flags):
    measures = [Measure(change.get(i, m.value), m.band) for i, m in enumerate(NORMAL)]
    verdict = morning_verdict(*measures, check_feelings(feelings))
    assert (verdict.level, verdict.flags) == (level, flags)
    assert len(verdict.reasons) == len(flags)


def test_without_a_value_or_a_normal_range_a_measure_says_nothing():
    verdict = morning_verdict(Measure(None, BAND), Measure(90.0, None), Measure(3.0, None), FEEL)
    assert verdict.level == "as planned"


def test_the_normal_range_needs_two_weeks_and_is_never_narrower_than_the_floor():
    today = TODAY
    few = [(today - timedelta(days=i), 60.0 + i % 2) for i in range(1, 10)]
    assert normal_band(analysis.baseline(few, today), 3.0) is None
    steady = [(today - timedelta(days=i), 60.0 + i % 2) for i in range(1, 40)]
    band = normal_band(analysis.baseline(steady, today), 3.0)
    assert band is not None and band.high - band.low == pytest.approx(6.0)


# --- the form, the question and the store ---------------------------------------------------

def test_prefill_reads_this_mornings_measures_against_the_athletes_own_range(tmp_path):
    with synced_coach(tmp_path, low_hrv_account(TODAY)) as coach:
        form = checkin.prefill(coach)
    hrv = form.measures["hrv"]
    assert hrv.value == 38.0 and hrv.day == TODAY and hrv.position == "below"
    assert hrv.band is not None and hrv.band.days >= 50 and hrv.band.low > 50
    assert form.measures["restingHR"].position == "within"
    assert form.measures["sleep"].value == pytest.approx(26400 / 3600)
    assert form.defaults == FEEL               # Intervals.icu has no answers for today yet
    text = checkin.measure_text("hrv", hrv)
    assert re.fullmatch(r"HRV 38 ms \(your normal range \d+–\d+ ms\)", text), text


def test_prefill_uses_last_night_when_today_has_no_measure_and_says_what_is_missing(tmp_path):
    fake = low_hrv_account(TODAY, days=10, hrv=None)  # ten days: no normal range yet
    fake.wellness[-1].update(restingHR=None, sleepSecs=None, soreness=3, injury=2)
    fake.wellness[-2].update(sleepSecs=None)
    with synced_coach(tmp_path, fake) as coach:
        form = checkin.prefill(coach)
    hrv, sleep = form.measures["hrv"], form.measures["sleep"]
    assert hrv.day == TODAY - timedelta(days=1) and hrv.value == fake.wellness[-2]["hrv"]
    assert hrv.band is None and hrv.position is None
    assert "no normal range yet: fewer than 14 days measured" in checkin.measure_text("hrv", hrv)
    assert sleep.value is None and checkin.measure_text("sleep", sleep) == \
        "Sleep: not measured today"
    assert form.defaults["soreness"] == 3 and form.defaults["injury"] == 2  # today's answers


def test_prefill_before_any_sync_has_no_measures(tmp_path):
    with Coach(Settings(data_dir=tmp_path, api_key=API_KEY), today=TODAY) as coach:
        form = checkin.prefill(coach)
        assert all(m.value is None for m in form.measures.values())
        with pytest.raises(CoachError, match="Sync with Intervals.icu first"):
            checkin.submit(coach, FEEL)


def test_submit_saves_locally_and_asks_with_the_figures_and_the_event_ids(tmp_path):
    fake = low_hrv_account(TODAY)
    with synced_coach(tmp_path, fake) as coach:
        submitted = checkin.submit(coach, {**FEEL, "soreness": 3})
        question = submitted.question
        assert checkin.latest(coach) == submitted.checkin
        conversation = coach.conversation(submitted.checkin.conversation_id)
    assert conversation.title == "Morning check-in, Thu 26 Nov"
    assert question.startswith("Morning check-in for Thu 26 Nov.")
    assert re.search(r"HRV 38 ms \(my normal range \d+–\d+ ms\)", question)
    assert "soreness 3 High" in question and "illness / injury 1 Excellent" in question
    assert "Check-in says: ease off (HRV below normal range, high soreness)" in question
    assert f'Planned today, Thu 26 Nov: Ride "Threshold 3x10", 1h10m [event {PLANNED_ID}]' \
        in question
    assert "Planned tomorrow, Fri 27 Nov: nothing" in question
    assert question.endswith("Should I change today's or tomorrow's workout?")
    saved = submitted.checkin
    assert saved.status == CheckinStatus.LOCAL and saved.feelings["soreness"] == 3
    assert saved.verdict == "ease off" and saved.measured["hrv"]["value"] == 38.0
    assert wellness_writes(fake) == [] and fake.writes == []   # nothing left the machine


def test_store_claims_a_checkin_once_and_only_the_holder_releases_it(store):
    c = store.save_checkin(athlete_id="a", day="2026-11-26", feelings=FEEL, measured={},
                           verdict="as planned", reasons=[])
    assert store.claim_checkin(c.id, "one") and not store.claim_checkin(c.id, "two")
    assert not store.release_checkin(c.id, "two", CheckinStatus.SENT)
    assert store.claim_checkin(c.id, "two", take_over=True)       # the first one died
    assert not store.release_checkin(c.id, "one", CheckinStatus.SENT)
    assert store.release_checkin(c.id, "two", CheckinStatus.SENT)
    sent = store.checkin(c.id)
    assert sent.status == CheckinStatus.SENT and sent.sent_at and sent.claim is None
    assert not store.claim_checkin(c.id, "three", take_over=True)  # sent is final
    assert store.checkins("a", "2026-11-26") == [sent] and store.checkins("b") == []


# --- the coach's answer: an easier workout, confirmed, undone -------------------------------

def test_a_low_hrv_checkin_leads_to_an_easier_workout_that_changes_only_that_event(tmp_path):
    fake = low_hrv_account(TODAY)
    events = []
    with FakeOllama(script=coach_script) as ollama, \
            synced_coach(tmp_path, fake, ollama.url) as coach:
        submitted = checkin.submit(coach, FEEL)
        coach.ask(submitted.checkin.conversation_id, submitted.question, events.append)
        (change,) = coach.proposals()
        assert (change.kind, change.target_event_id) == ("replace", PLANNED_ID)
        assert change.description == EASY_TEXT["Ride"]
        assert change.before_event["description"] == HARD_TEXT
        answer = coach.messages(submitted.checkin.conversation_id)[-1].content
        assert fake.writes == []
        coach.confirm(change.id)
        assert [(w.method, w.path, w.body) for w in fake.writes] == [
            ("PUT", f"/api/v1/athlete/0/events/{PLANNED_ID}", {"description": EASY_TEXT["Ride"]})]
        coach.undo(change.id)
    assert re.match(r"Your HRV is 38 ms, below your normal range of \d+–\d+ ms", answer)
    assert [w.body for w in fake.writes[1:]] == [{"description": HARD_TEXT}]
    assert fake.events[PLANNED_ID]["description"] == HARD_TEXT


# --- the write-back to Intervals.icu wellness ----------------------------------------------

def test_sending_writes_only_the_answers_once_and_records_it(tmp_path):
    fake = low_hrv_account(TODAY)
    with synced_coach(tmp_path, fake) as coach:
        c = checkin.submit(coach, {**FEEL, "sleepQuality": 4, "stress": 0}).checkin
        sent = checkin.send(coach, c.id)
        again = checkin.send(coach, c.id)                 # a double click, another tab
        local = coach.store.wellness("i123456", TODAY, TODAY)[0]
    (write,) = wellness_writes(fake)
    assert (write.method, write.path) == ("PUT", f"/api/v1/athlete/0/wellness/{TODAY}")
    assert write.body == {"sleepQuality": 4, "soreness": 1, "stress": 0, "motivation": 2,
                          "injury": 1}
    assert sent.status == again.status == CheckinStatus.SENT and sent.sent_at
    today = next(w for w in fake.wellness if w["id"] == TODAY.isoformat())
    assert today["sleepQuality"] == 4 and today["hrv"] == 38.0     # nothing else changed
    assert local.sleepQuality == 4 and local.stress == 0           # the local copy follows


def test_a_failed_send_keeps_its_reason_and_retry_sends_once(tmp_path):
    fake = low_hrv_account(TODAY)
    with synced_coach(tmp_path, fake) as coach:
        c = checkin.submit(coach, FEEL).checkin
        fake.fail_next(422, body={"status": 422, "error": "Bad value"}, path_contains="wellness")
        failed = checkin.send(coach, c.id)
        assert failed.status == CheckinStatus.FAILED and "Bad value" in failed.error
        retried = checkin.send(coach, c.id)
    assert retried.status == CheckinStatus.SENT and retried.error is None
    assert len(wellness_writes(fake)) == 2


def test_another_window_sending_is_left_alone_and_a_dead_ones_claim_is_taken_over(tmp_path):
    fake = low_hrv_account(TODAY)
    with synced_coach(tmp_path, fake) as coach:
        c = checkin.submit(coach, FEEL).checkin
        assert coach.store.claim_checkin(c.id, "999999999:theirs")  # a pid that is not alive
        assert checkin.send(coach, c.id).status == CheckinStatus.SENT
        other = checkin.submit(coach, FEEL).checkin
        assert coach.store.claim_checkin(other.id, f"{os.getpid()}:live")
        assert checkin.send(coach, other.id).status == CheckinStatus.SENDING
    assert len(wellness_writes(fake)) == 1


def test_a_checkin_of_another_athlete_is_not_sent(tmp_path):
    with synced_coach(tmp_path, low_hrv_account(TODAY)) as coach:
        c = coach.store.save_checkin(athlete_id="i777", day=str(TODAY), feelings=FEEL,
                                     measured={}, verdict="as planned", reasons=[])
        with pytest.raises(CoachError, match="not one of this athlete's"):
            checkin.send(coach, c.id)


def test_the_demo_athletes_checkin_stays_on_this_machine(tmp_path):
    with Coach(Settings(data_dir=tmp_path), today=TODAY) as coach:
        coach.sync()
        c = checkin.submit(coach, {**FEEL, "motivation": 4}).checkin
        assert checkin.send(coach, c.id).status == CheckinStatus.SENT
        coach.sync()                                       # a later sync keeps it
        day = coach.store.wellness("demo", TODAY, TODAY)[0]
    assert day.motivation == 4


@pytest.fixture
def machine_a_day_behind() -> Iterator[None]:
    """The machine's clock 23 hours behind UTC (POSIX TZ "LCL+23"), a day or more behind Madrid:
    Madrid is always on a later calendar day, as it is for an hour each night on a machine on
    UTC (the CI run that found this crossed midnight in Madrid)."""
    with pytest.MonkeyPatch.context() as mp:   # undoes only this, before the clock is reset
        mp.setenv("TZ", "LCL+23")
        time.tzset()
        yield
    time.tzset()


def test_the_first_sync_reads_this_morning_where_the_athlete_lives_not_where_the_machine_is(
        tmp_path, machine_a_day_behind):
    their_today = athletes_today()
    assert their_today > date.today()
    settings = Settings(data_dir=tmp_path / "data", api_key=API_KEY,
                        ollama_host=closed_port_url())
    with IntervalsClient("https://intervals.icu", API_KEY,
                         transport=low_hrv_account(their_today).transport(),
                         sleep=lambda s: None) as client, \
            Coach(settings, calendar=client) as coach:     # no fixed today: the real clock
        coach.sync()
        assert coach.today() == their_today
        (morning,) = coach.store.wellness("i123456", their_today, their_today)
    assert morning.hrv == 38.0


def test_the_demo_athlete_lives_in_madrid_from_the_first_sync(tmp_path, machine_a_day_behind):
    settings = Settings(data_dir=tmp_path / "data", ollama_host=closed_port_url())
    with Coach(settings) as coach:
        assert coach.demo and coach.today() == athletes_today()
        coach.sync()
        assert coach.today() == athletes_today()
        (morning,) = coach.store.wellness("demo", athletes_today(), athletes_today())
    assert morning.ctl is not None                # this morning's record was generated and read


# --- coach checkin ---------------------------------------------------------------------------

def run_checkin(monkeypatch, typed: str) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    out = io.StringIO()
    return cli.main(["checkin"], out=out), out.getvalue()


@pytest.fixture
def account_env(monkeypatch):
    fake = low_hrv_account(athletes_today())
    with fake.serve() as served, FakeOllama(script=coach_script) as ollama:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        monkeypatch.setenv("OLLAMA_HOST", ollama.url)
        yield fake


def test_checkin_in_the_terminal_asks_compares_answers_and_sends_only_on_yes(monkeypatch,
                                                                             account_env):
    code, out = run_checkin(monkeypatch, "4\n\nlots\n1\n\n\ny\n")
    assert code == 0, out
    assert re.search(r"HRV 38 ms \(your normal range \d+–\d+ ms\): below", out)
    assert "Sleep quality (1 Excellent, 2 Good, 3 Avg, 4 Poor) [2]: " in out
    assert "Type one of 0, 1, 2, 3, 4." in out                  # "lots" is asked again
    assert "It says: ease off (HRV below normal range, poor sleep quality)" in out
    assert "[tool planned_workouts(" in out and "[tool propose_change(" in out
    proposal = re.search(r"Proposal (\d+): Ride 'Threshold 3x10' on \S+ — confirm with "
                         r"`coach proposals confirm (\d+)`", out)
    assert proposal and proposal.group(1) == proposal.group(2)
    assert "Your HRV is 38 ms" in out and "Sent to Intervals.icu wellness." in out
    (write,) = wellness_writes(account_env)
    assert write.body == {"sleepQuality": 4, "soreness": 1, "stress": 1, "motivation": 2,
                          "injury": 1}
    assert [w for w in account_env.writes if "/events" in w.path] == []  # not confirmed


def test_checkin_in_the_terminal_keeps_it_local_by_default(monkeypatch, account_env):
    code, out = run_checkin(monkeypatch, "\n\n\n\n\n\n")
    assert code == 0 and "It says: ease off (HRV below normal range)" in out
    assert "Not sent: the check-in stays on this machine." in out
    assert wellness_writes(account_env) == []


def test_checkin_in_the_terminal_without_a_model_still_saves_and_offers_to_send(monkeypatch,
                                                                                account_env):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    code, out = run_checkin(monkeypatch, "\n\n\n\n\nyes\n")
    assert code == 0 and "The coach cannot answer now:" in out and "ollama serve" in out
    assert "Check-in saved on this machine." in out and "Sent to Intervals.icu wellness." in out
    assert len(wellness_writes(account_env)) == 1
