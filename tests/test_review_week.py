"""The weekly review reads like a training log: each sport with its time, distance and load; a
Strava import (a stub in the API) as an activity whose details Intervals.icu does not share,
with its load taken from that day's wellness load; a week before the synced history as "no
data"; and planned against done as what was planned and what was done."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest

from coach import analysis, demo, display
from coach.analysis import ActivityFacts, PlannedFacts
from coach.app import reviews
from coach.app.session import Coach
from coach.intervals.client import IntervalsClient
from coach.intervals.sync import sync_history
from coach.review import export as review_export
from coach.review import text as review_text
from coach.review.week import make_review
from coach.scope import Scope
from coach.settings import load_settings
from coach.store import Store
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.intervals_samples import SAMPLE_ACTIVITIES, SAMPLE_ATHLETE, SAMPLE_WELLNESS
from coach.testing.ollama_server import closed_port_url
from coach.testing.raw_values import raw_values_on_page
from tests.pages import no_failure, open_page, texts

MONDAY = date(2026, 11, 23)  # ISO week 2026-W48
TODAY = date(2026, 12, 2)    # the Wednesday after it
NBSP = "\u00a0"


def done(day: int, sport: str, minutes: float | None, km: float | None, load: float | None,
         *, event: int | None = None, match: float | None = None) -> ActivityFacts:
    return ActivityFacts(MONDAY + timedelta(days=day), sport,
                         minutes * 60 if minutes is not None else None,
                         km * 1000 if km is not None else None, load, paired_event_id=event,
                         compliance_pct=match, activity_id=f"i{day}{sport}", name=sport)


def planned(day: int, event: int, sport: str, name: str, minutes: float | None,
            load: float | None) -> PlannedFacts:
    return PlannedFacts(MONDAY + timedelta(days=day), event, sport, name,
                        minutes * 60 if minutes is not None else None, load)


def review(activities: list[ActivityFacts], plans: list[PlannedFacts] | None = None,
           **kw: Any) -> analysis.WeekReview:
    return analysis.week_review(MONDAY, TODAY, activities, plans or [], [], {}, **kw)


def row(text: str, day: int) -> str:
    """The table row of the week's `day` (0 = Monday)."""
    label = display.day(MONDAY + timedelta(days=day), TODAY).replace(" ", NBSP)
    [found] = [line for line in text.splitlines() if line.startswith(f"| {label} |")]
    return found


# --- by sport ---------------------------------------------------------------------------------

def test_each_sport_has_its_time_distance_and_load():
    text = review_text.section(review([
        done(0, "Ride", 90, 45.2, 80), done(2, "Ride", 60, 30.0, 52),
        done(1, "Run", 45, 9.6, 50), done(3, "Swim", 40, 2.4, 38)]))
    assert "| Sport | Time | Distance | Load |" in text
    assert "| Ride, 2 sessions | 2h30m | 75.2 km | 132 |" in text
    assert "| Run, 1 session | 45m | 9.6 km | 50 |" in text
    assert "| Swim, 1 session | 40m | 2.4 km | 38 |" in text
    assert "- **Hours:** 3h55m in 4 sessions" in text


def test_a_sport_without_distance_or_load_says_so_rather_than_zero():
    text = review_text.section(review([done(1, "WeightTraining", 45, None, None)]))
    assert "| WeightTraining, 1 session | 45m | — | — |" in text
    assert "0.0 km" not in text


# --- planned against done ---------------------------------------------------------------------

def test_a_planned_workout_reads_what_was_planned_and_what_was_done():
    """Intervals.icu's own match (92%) beside 45 minutes planned and 1h38m done reads as
    nonsense: the row says both sizes and the share of the planned time instead."""
    r = review([done(6, "Run", 98, 16.0, 90, event=7, match=92)],
               [planned(6, 7, "Run", "Long run", 45, 40)])
    sunday = row(review_text.section(r), 6)
    assert 'Run "Long run", planned 45m, load 40: **done** 1h38m, load 90 ' \
           '(218% of the planned time)' in sunday
    assert "match" not in sunday and "92%" not in sunday


def test_the_share_of_the_plan_is_shown_only_when_both_sides_know_it():
    r = review([done(1, "Ride", None, 30.0, 60, event=1),     # no time: the load compares
                done(2, "Ride", 70, 30.0, 55, event=2)],     # a plan with no size: nothing
               [planned(1, 1, "Ride", "Tempo", 60, 50), planned(2, 2, "Ride", "", None, None),
                planned(3, 3, "Swim", "CSS", 40, 35)])
    text = review_text.section(r)
    assert 'Ride "Tempo", planned 1h, load 50: **done** load 60 (120% of the planned load)' \
        in row(text, 1)
    assert "| Ride: **done** 1h10m, load 55 |" in row(text, 2)
    assert 'Swim "CSS", planned 40m, load 35: **missed** |' in row(text, 3)
    assert analysis.plan_share(r.days[2].planned[0].planned, r.paired(r.days[2].planned[0])) \
        is None


# --- a day Intervals.icu counts but does not show -----------------------------------------------

def test_a_day_with_only_a_wellness_load_is_not_rest():
    """An activity the API does not list still has its load in the day's wellness record."""
    r = review([done(0, "Ride", 60, 30.0, 50)], day_loads={MONDAY: 50.0,
                                                           MONDAY + timedelta(days=1): 65.0})
    text = review_text.section(r)
    tuesday = row(text, 1)
    assert "rest" not in tuesday
    assert "an activity Intervals.icu does not list (load 65, from the day's wellness load)" \
        in tuesday
    assert r.load == 115 and review_text.facts(r)["headline"]["Load"] == "115"
    assert "- **Load:** 115, including 65 that Intervals.icu counts in fitness" in text
    assert "rest" in row(text, 2)       # a day without load is a rest day


# --- a synced account with Strava imports ---------------------------------------------------

STRAVA_MONDAY = date(2026, 3, 9)   # ISO week 2026-W11; the samples are on 10-12 March
SYNC_DAY = date(2026, 3, 16)
# Intervals.icu holds the whole Strava ride; its API answers with the `Hidden` stub only
STRAVA_RIDE = {"id": "20171057600", "icu_athlete_id": "i123456",
               "start_date_local": "2026-03-09T07:15:00", "source": "STRAVA",
               "_note": "STRAVA activities are not available via the API", "type": "Ride",
               "name": "Morning Ride", "moving_time": 5400, "distance": 40000.0,
               "icu_training_load": 55}
STRAVA_RUN_LOAD = 48  # the sample Strava stub of 11 March: a run counted in that day's load


def strava_account() -> FakeIntervals:
    wellness = copy.deepcopy(SAMPLE_WELLNESS)
    for w in wellness:
        if w["id"] == "2026-03-11":   # the sample run (71) and the Strava import beside it
            w["ctlLoad"] = w["atlLoad"] = 71.0 + STRAVA_RUN_LOAD
    wellness.insert(0, {"id": "2026-03-09", "ctl": 62.0, "atl": 70.5, "ctlLoad": 55.0,
                        "atlLoad": 55.0, "restingHR": 48, "hrv": 70.0})
    events = [{"id": 104649834, "category": "WORKOUT", "type": "Run", "name": "Easy run",
               "start_date_local": "2026-03-11T00:00:00", "moving_time": 1500,
               "icu_training_load": 30},
              {"id": 104649900, "category": "WORKOUT", "type": "Ride", "name": "Endurance",
               "start_date_local": "2026-03-09T00:00:00", "moving_time": 5400,
               "icu_training_load": 60}]
    return FakeIntervals(athlete=SAMPLE_ATHLETE, activities=[*SAMPLE_ACTIVITIES, STRAVA_RIDE],
                         wellness=wellness, events=events)


@pytest.fixture
def strava_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "coach.db")
    with IntervalsClient("https://intervals.icu", API_KEY, transport=strava_account().transport(),
                         sleep=lambda s: None) as client:
        sync_history(client, store, SYNC_DAY)
    yield store
    store.close()


def strava_week(store: Store, week: str = "2026-W11") -> analysis.WeekReview:
    return make_review(Scope(store, "i123456", SYNC_DAY), week)[1]


def test_the_strava_ride_is_synced_as_the_api_serves_it_a_stub(strava_store):
    [ride] = strava_store.activities("i123456", STRAVA_MONDAY, STRAVA_MONDAY)
    assert ride.unavailable and ride.type is None and ride.moving_time is None


def test_a_day_whose_only_activity_is_a_strava_import_never_reads_rest(strava_store):
    text = review_text.section(strava_week(strava_store))
    monday = next(line for line in text.splitlines() if line.startswith("| Mon\u00a09\u00a0Mar"))
    assert "rest" not in monday
    assert "1 Strava activity, details hidden by Intervals.icu (load 55, from the day's " \
           "wellness load)" in monday
    assert 'Ride "Endurance", planned 1h30m, load 60: **missed**, unless it was the day\'s ' \
           "Strava activity" in monday
    assert "Morning Ride" not in text and "40.0 km" not in text   # only the stub was served


def test_the_wellness_load_of_strava_days_is_counted_in_the_weeks_load(strava_store):
    r = strava_week(strava_store)
    visible = 111 + 71 + 43                      # the three synced samples
    hidden = 55 + STRAVA_RUN_LOAD                # from the two days' wellness loads
    assert r.totals.load == visible and r.load == visible + hidden
    text = review_text.section(r)
    assert f"- **Load:** {visible + hidden}, including {hidden} that Intervals.icu counts in " \
           "fitness for 2 Strava activities whose details it does not share (from those " \
           "days' wellness loads)" in text
    assert f"| 2 Strava activities, details hidden | — | — | {hidden} |" in text
    assert "plus 2 Strava activities whose details Intervals.icu does not share" in text
    assert review_text.facts(r)["headline"]["Load"] == str(visible + hidden)


def test_a_planned_run_reads_the_share_of_its_time_not_intervals_match(strava_store):
    text = review_text.section(strava_week(strava_store))
    wednesday = next(line for line in text.splitlines()
                     if line.startswith("| Wed\u00a011\u00a0Mar"))
    assert 'Run "Easy run", planned 25m, load 30: **done** 48m, load 71 (192% of the ' \
           "planned time)" in wednesday
    assert "match" not in wednesday and "98%" not in wednesday   # the sample's compliance 97.5


def test_a_week_before_the_first_synced_day_says_no_data(strava_store):
    r = strava_week(strava_store, "2026-W09")
    text = review_text.section(r)
    assert text.endswith("No data for this week: it is before your first synced day, "
                         "Mon 9 Mar.")
    assert "0s" not in text and "0 sessions" not in text and "rest" not in text
    facts = review_text.facts(r)
    assert facts["no_data"] and facts["headline"] == {} and review_export.charts(facts) == []


def test_an_empty_week_inside_the_history_is_not_no_data(strava_store):
    text = review_text.section(strava_week(strava_store, "2026-W12"))
    assert "No data for this week" not in text and "- **Hours:** no activity yet" in text


def test_the_pdf_holds_the_sport_table(strava_store):
    r = strava_week(strava_store)
    stored = strava_store.save_review("i123456", r.week, review_text.section(r),
                                      review_text.facts(r), None)
    pages = pypdf.PdfReader(io.BytesIO(review_export.pdf(stored, None))).pages
    words = "\n".join(p.extract_text() for p in pages)
    assert "2 Strava activities, details hidden" in words and "Distance" in words


# --- the page ---------------------------------------------------------------------------------

@pytest.fixture
def new_account(monkeypatch) -> Iterator[tuple[FakeIntervals, date]]:
    """An account with three weeks of history (the demo generator), synced, no model."""
    today = date.today()
    data = demo.generate(today, days=20)
    athlete = {**copy.deepcopy(data.athlete), "id": "i123456", "name": "Nia New"}
    fake = FakeIntervals(athlete=athlete, wellness=data.wellness, events=data.events,
                         activities=[{**a, "icu_athlete_id": "i123456"} for a in data.activities],
                         curves={})
    with fake.serve() as served:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
        with Coach(load_settings()) as coach:
            coach.sync()
            yield fake, coach.today()


def test_the_page_says_no_data_for_a_week_before_the_history(new_account):
    _, today = new_account
    at = open_page("review")
    no_failure(at)
    old = reviews.week_choices(today)[-1]   # 12 weeks back: before the 20 days synced
    at.selectbox(key="review-week").set_value(old).run()
    at.button(key="review-start").click().run()
    no_failure(at)
    shown = texts(at)
    assert "No data for this week: it is before your first synced day" in shown
    assert not at.metric and "nothing to draw" not in shown and "0 sessions" not in shown
    assert "commentary" not in shown and not at.get("download_button")   # nothing to comment
    assert not raw_values_on_page(shown)


def test_the_page_shows_each_sport_of_the_week(new_account):
    _, today = new_account
    at = open_page("review")
    at.selectbox(key="review-week").set_value(analysis.last_full_week(today)).run()
    at.button(key="review-start").click().run()
    no_failure(at)
    shown = texts(at)
    assert "| Sport | Time | Distance | Load |" in shown
    assert [m.label for m in at.metric][:3] == ["Hours", "Distance", "Load"]
