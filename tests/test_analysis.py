"""Pure analysis on hand-computed fixtures; the arithmetic is in the comments, to be checked."""

from datetime import date, timedelta
from typing import Any

import pytest

from coach import demo
from coach.analysis import (
    SUBJECTIVE_SCALES,
    ActivityFacts,
    CurvePoint,
    DayFitness,
    PlannedFacts,
    RaceFacts,
    best_efforts,
    compliance,
    duration_label,
    forecast,
    forecast_summary,
    format_pace,
    intensity_distribution,
    next_fitness,
    pace_best,
    race_countdown,
    race_phase,
    recent_speed,
    subjective_summary,
    weekly_summaries,
    year_summary,
    zone_secs_from_ids,
)

D0 = date(2026, 3, 13)  # a Friday


def act(day: date, sport: str | None = "Ride", secs: float = 3600, km: float = 0, load: float = 0,
        **extra: Any) -> ActivityFacts:
    return ActivityFacts(day, sport, secs, km * 1000, load, **extra)


def stub(day: date) -> ActivityFacts:
    return ActivityFacts(day, None, None, None, None, unavailable=True)


# --- fitness and forecast ---------------------------------------------------------------------

def test_ctl_atl_recurrence_by_hand():
    # ctl += (load - ctl) / 42, atl += (load - atl) / 7, starting at 50 / 50:
    # load 100: ctl 50 + 50/42 = 51.190476        atl 50 + 50/7 = 57.142857
    # load   0: ctl 51.190476 * 41/42 = 49.971655  atl 57.142857 * 6/7 = 48.979592
    # load  60: ctl + (60 - 49.971655)/42 = 50.210425, atl + (60 - 48.979592)/7 = 50.553936
    f = DayFitness(D0, 50.0, 50.0)
    expected = [(51.190, 57.143), (49.972, 48.980), (50.210, 50.554)]
    for i, (load, (ctl, atl)) in enumerate(zip([100, 0, 60], expected, strict=True), start=1):
        f = next_fitness(f, load, D0 + timedelta(days=i))
        assert (round(f.ctl, 3), round(f.atl, 3)) == (ctl, atl)
    assert round(f.form, 3) == -0.344                  # 50.210425 - 50.553936 = -0.343510


def test_forecast_continues_the_recurrence_with_zero_on_unplanned_days():
    # Same sequence as above: day 2 has nothing planned, so its load is 0.
    series = forecast(DayFitness(D0, 50.0, 50.0), {D0 + timedelta(days=1): 100.0,
                                                   D0 + timedelta(days=3): 60.0}, 3)
    assert [f.day for f in series] == [D0 + timedelta(days=i) for i in (1, 2, 3)]
    assert [(round(f.ctl, 3), round(f.atl, 3)) for f in series] == [
        (51.190, 57.143), (49.972, 48.980), (50.210, 50.554)]


def test_forecast_summary_reaches_a_known_form_on_race_day():
    # A week of rest from ctl = atl = 60: ctl = 60 * (41/42)^7 = 50.687, atl = 60 * (6/7)^7
    # = 20.395, form = 30.292, i.e. 59.8% of fitness (> 20%: "transition").
    # ATL peaks on day 1: 60 * 6/7 = 51.429.
    race = D0 + timedelta(days=7)
    summary = forecast_summary(DayFitness(D0, 60.0, 60.0), {}, race)
    assert summary.fitness.day == race
    assert (round(summary.fitness.ctl, 3), round(summary.fitness.atl, 3)) == (50.687, 20.395)
    assert round(summary.fitness.form, 3) == 30.292
    assert summary.form_band.startswith("transition")
    assert (round(summary.peak_atl, 3), summary.peak_atl_day) == (51.429, D0 + timedelta(days=1))
    with pytest.raises(ValueError, match="not after the last known day"):
        forecast_summary(DayFitness(D0, 60.0, 60.0), {}, D0)


def test_demo_wellness_follows_the_same_recurrence():
    # The demo serves CTL/ATL rounded to 0.01; stepping from a rounded day adds < 0.01 of error.
    wellness = demo.generate(date(2026, 4, 16)).wellness
    for prev, now in zip(wellness[100:130], wellness[101:131], strict=True):
        f = next_fitness(DayFitness(date.fromisoformat(prev["id"]), prev["ctl"], prev["atl"]),
                         now["ctlLoad"], date.fromisoformat(now["id"]))
        assert f.ctl == pytest.approx(now["ctl"], abs=0.01)
        assert f.atl == pytest.approx(now["atl"], abs=0.01)


# --- intensity distribution -------------------------------------------------------------------

RIDE = act(D0, "Ride", power_zone_secs=(600, 1200, 300, 300, 100, 0, 0),
           hr_zone_secs=(500, 1500, 400, 100, 0, 0, 0))
RUN = act(D0, "Run", pace_zone_secs=(300, 900, 600, 0, 0, 0, 0),
          hr_zone_secs=(200, 1000, 500, 100, 0, 0, 0))
SWIM = act(D0, "Swim", hr_zone_secs=(0, 600, 0, 0, 200))
STRENGTH = act(D0, "WeightTraining", power_zone_secs=(0, 0, 0, 0, 0, 0, 0))  # zeros = no data


def test_intensity_distribution_uses_power_then_pace_then_hr():
    dist = intensity_distribution([RIDE, RUN, SWIM, STRENGTH, stub(D0)])
    # ride by power: below 600+1200 = 1800, around 300+300 = 600, above 100
    # run by pace:   below 300+900  = 1200, around 600,           above 0
    # swim by HR:    below 0+600    =  600, around 0,             above 200
    assert (dist.below_secs, dist.around_secs, dist.above_secs) == (3600, 1200, 300)
    # 3600 / 5100 = 70.588%, 1200 / 5100 = 23.529%, 300 / 5100 = 5.882%
    assert dist.shares_pct is not None
    assert [round(s, 3) for s in dist.shares_pct] == [70.588, 23.529, 5.882]
    assert sum(dist.shares_pct) == pytest.approx(100)
    assert (dist.no_zone_data, dist.unavailable) == (1, 1)   # the stub is not zero seconds


def test_intensity_distribution_per_source_totals_and_use():
    by = intensity_distribution([RIDE, RUN, SWIM]).by_source
    assert (by["power"].activities, by["power"].used) == (1, 1)
    assert (by["pace"].activities, by["pace"].used) == (1, 1)
    assert (by["hr"].activities, by["hr"].used) == (3, 1)    # all had HR, only the swim used it
    # HR seconds per zone over all three:
    # Z1 500+200+0, Z2 1500+1000+600, Z3 400+500+0, Z4 100+100+0, Z5 200 (swim has 5 zones)
    assert by["hr"].zone_secs == (700, 3100, 900, 200, 200, 0, 0)


def test_intensity_distribution_for_one_sport_still_counts_stubs():
    dist = intensity_distribution([RIDE, RUN, SWIM, stub(D0)], sport="run")
    assert (dist.below_secs, dist.around_secs, dist.above_secs) == (1200, 600, 0)
    assert set(dist.by_source) == {"pace", "hr"}
    assert dist.unavailable == 1               # a stub has no sport: it might have been a run


def test_no_zone_data_means_no_shares():
    dist = intensity_distribution([stub(D0), act(D0)])
    assert dist.shares_pct is None and dist.by_source == {}
    assert (dist.no_zone_data, dist.unavailable) == (1, 1)


def test_power_zone_ids_ignore_sweet_spot():
    sample = [{"id": "Z1", "secs": 610}, {"id": "Z2", "secs": 1650}, {"id": "Z3", "secs": 1210},
              {"id": "Z4", "secs": 1830}, {"id": "Z5", "secs": 60}, {"id": "Z6", "secs": 25},
              {"id": "Z7", "secs": 15}, {"id": "SS", "secs": 2650}]     # reference §7.2
    assert zone_secs_from_ids(sample) == (610, 1650, 1210, 1830, 60, 25, 15)
    assert zone_secs_from_ids([]) == ()


# --- compliance -------------------------------------------------------------------------------

def plan(days_from_today: int, event_id: int, secs: float, load: float) -> PlannedFacts:
    return PlannedFacts(D0 + timedelta(days=days_from_today), event_id, "Ride", f"w{event_id}",
                        secs, load)


def test_compliance_done_missed_upcoming_around_today():
    planned = [plan(1, 4, 3600, 50), plan(-3, 1, 3600, 60), plan(-2, 2, 2700, 40),
               plan(0, 3, 1800, 30), plan(-12, 5, 3600, 70)]       # event 5 is before the period
    done = [act(D0 - timedelta(days=3), secs=3300, load=55, paired_event_id=1,
                compliance_pct=91.7, activity_id="i1"),
            act(D0 - timedelta(days=1), secs=5400, load=90, activity_id="i2")]  # unplanned
    report = compliance(planned, done, D0, D0 - timedelta(days=4), D0 + timedelta(days=2))
    assert [(o.planned.event_id, o.status) for o in report.outcomes] == [
        (1, "done"), (2, "missed"), (3, "upcoming"), (4, "upcoming")]   # today's is still open
    assert report.outcomes[0].compliance_pct == 91.7
    assert report.outcomes[0].activity_ids == ("i1",)
    assert (report.done, report.missed, report.upcoming) == (1, 1, 2)
    assert report.completed_pct == 50.0                 # 1 done of 2 due
    assert report.planned_due_hours == 1.75             # (3600 + 2700) / 3600
    assert report.planned_due_load == 100               # 60 + 40
    assert report.done_hours == pytest.approx(0.91667, abs=1e-5)   # 3300 / 3600; i2 unplanned
    assert report.done_load == 55


def test_compliance_today_paired_is_done_and_empty_period_has_no_percentage():
    report = compliance([plan(0, 3, 1800, 30)], [act(D0, paired_event_id=3)], D0, D0, D0)
    assert report.outcomes[0].status == "done" and report.outcomes[0].compliance_pct is None
    empty = compliance([], [], D0, D0, D0)
    assert empty.completed_pct is None and empty.outcomes == []


# --- best efforts -----------------------------------------------------------------------------

def test_best_efforts_exact_or_nearest_shorter():
    curve = [CurvePoint(s, w) for s, w in
             [(300, 320), (1, 900), (5, 800), (60, 450), (1140, 280), (1500, 265)]]
    efforts = best_efforts(curve)
    assert [(e.secs, e.value, e.label, e.curve_secs) for e in efforts] == [
        (5, 800, "5 s", 5), (60, 450, "1 min", 60), (300, 320, "5 min", 300),
        (1200, 280, "20 min", 1140)]        # 20 min read at 19 min; 60 min is past the curve's end
    assert best_efforts([]) == []


def test_pace_best_for_standard_distances():
    points = [(400, 70), (1000, 200), (5000, 1140), (10000, 2400), (21100, 5486)]
    best = {b.label: b for b in pace_best(points)}
    assert set(best) == {"1 km", "5 km", "10 km", "half marathon"}    # no marathon on the curve
    assert format_pace(best["1 km"].pace_s_per_km) == "3:20 /km"      # 200 s per km
    assert format_pace(best["5 km"].pace_s_per_km) == "3:48 /km"      # 1140 / 5 = 228 s
    assert best["10 km"].secs == 2400
    # 21100 m is within 2% of 21097.5 m: its pace 5486 / 21.1 = 260 s/km over 21.0975 km = 5485.35 s
    assert best["half marathon"].pace_s_per_km == pytest.approx(260)
    assert best["half marathon"].secs == pytest.approx(5485.35)


@pytest.mark.parametrize("secs, text", [(270, "4:30 /km"), (299.6, "5:00 /km"), (59, "0:59 /km")])
def test_format_pace(secs, text):
    assert format_pace(secs) == text


@pytest.mark.parametrize("secs, text", [(5, "5 s"), (60, "1 min"), (90, "1 min 30 s"),
                                        (3600, "1 h"), (5400, "1 h 30 min")])
def test_duration_label(secs, text):
    assert duration_label(secs) == text


# --- race countdown ---------------------------------------------------------------------------

@pytest.mark.parametrize("days, phase", [
    (0, "race day"), (1, "taper"), (13, "taper"),       # 13 days = 1 whole week
    (14, "peak"), (27, "peak"), (28, "build"),          # 27 days = 3 weeks, 28 = 4
    (90, "build"), (91, "base")])                       # 90 days = 12 weeks, 91 = 13
def test_race_phase_boundaries(days, phase):
    assert race_phase(days) == phase


def test_race_countdown_skips_past_races_and_sorts():
    races = [RaceFacts(D0 + timedelta(days=58), "Olympic", "RACE_A"),
             RaceFacts(D0 - timedelta(days=1), "Last week's 10k", "RACE_C"),
             RaceFacts(D0 + timedelta(days=9), "Sprint", "RACE_B")]
    countdown = race_countdown(D0, races)
    assert [(c.race.name, c.days_to_go, c.weeks_to_go, c.phase) for c in countdown] == [
        ("Sprint", 9, 1, "taper"), ("Olympic", 58, 8, "build")]


# --- wellness ---------------------------------------------------------------------------------

def test_subjective_scales_state_the_direction_of_each_field():
    assert SUBJECTIVE_SCALES["sleepQuality"] == "1 excellent, 2 good, 3 average, 4 poor"
    assert SUBJECTIVE_SCALES["soreness"].startswith("0 none")
    assert SUBJECTIVE_SCALES["injury"].endswith("4 injured")
    assert set(SUBJECTIVE_SCALES) == {"sleepQuality", "soreness", "fatigue", "stress", "mood",
                                      "motivation", "injury", "hydration"}


def test_subjective_summary_means_over_seven_days_with_gaps():
    days = [(date(2026, 3, 6), {"soreness": 4}),
            (date(2026, 3, 7), {"soreness": 1, "fatigue": 2, "sleepQuality": 2}),
            (date(2026, 3, 9), {"soreness": 3, "fatigue": None, "sleepQuality": 1}),
            (date(2026, 3, 13), {"soreness": 2, "fatigue": 4, "sleepQuality": None})]
    week = subjective_summary(days)                    # 03-07..03-13; 03-06 is outside
    assert week["soreness"] == 2.0                     # (1 + 3 + 2) / 3
    assert week["fatigue"] == 3.0                      # (2 + 4) / 2; None is no answer, not 0
    assert week["sleepQuality"] == 1.5                 # (2 + 1) / 2
    assert week["mood"] is None and week["injury"] is None
    earlier = subjective_summary(days, end=date(2026, 3, 10))   # 03-04..03-10
    assert earlier["soreness"] == pytest.approx(8 / 3)          # (4 + 1 + 3) / 3
    assert subjective_summary([]) == dict.fromkeys(SUBJECTIVE_SCALES)


# --- weekly and year summaries ----------------------------------------------------------------

def test_weekly_summary_leaves_stubs_out_of_totals():
    week = weekly_summaries([act(D0, "Ride", 5400, 45, 80), act(D0, "Run", 1800, 6, 30),
                             stub(D0)], date(2026, 3, 9), 1)[0]
    assert (week.hours, week.distance_km, week.load, week.sessions) == (2.0, 51.0, 110, 2)
    assert week.unavailable == 1


def test_year_summary_by_month():
    today = date(2026, 4, 16)
    acts = [act(date(2025, 4, 30), load=99),             # before the first month: left out
            act(date(2025, 5, 1), "Ride", 3600, 30, 50),
            act(date(2026, 4, 10), "Run", 1800, 6, 30),
            act(date(2026, 4, 12), "Ride", 5400, 45, 80),
            stub(date(2026, 4, 11)),
            act(date(2026, 4, 20), load=99)]             # after today: left out
    months = year_summary(acts, today)
    assert [m.month for m in months][::11] == [date(2025, 5, 1), date(2026, 4, 1)]
    assert len(months) == 12
    may, april = months[0], months[-1]
    assert (may.hours, may.km, may.load, may.sessions) == (1.0, 30.0, 50, 1)
    # April: 0.5 h + 1.5 h, 6 + 45 km, load 30 + 80, two sessions and one stub
    assert (april.hours, april.km, april.load, april.sessions) == (2.0, 51.0, 110, 2)
    assert april.unavailable == 1
    assert april.by_sport == {"Run": (0.5, 6.0, 30, 1), "Ride": (1.5, 45.0, 80, 1)}
    assert all(m.sessions == 0 for m in months[1:-1])


def test_year_summary_crosses_new_year():
    months = year_summary([], date(2026, 1, 5))
    assert (months[0].month, months[-1].month) == (date(2025, 2, 1), date(2026, 1, 1))


# --- a real-shaped year: the demo athlete -----------------------------------------------------

def demo_facts(a: dict) -> ActivityFacts:
    """The demo's API-shaped activity as analysis facts (the tools do the same from the store)."""
    if a.get("source") == "STRAVA":
        return stub(date.fromisoformat(a["start_date_local"][:10]))
    return ActivityFacts(
        date.fromisoformat(a["start_date_local"][:10]), a["type"], a["moving_time"],
        a.get("icu_distance") or a.get("distance"), a.get("icu_training_load"),
        power_zone_secs=zone_secs_from_ids(a.get("icu_zone_times") or []),
        hr_zone_secs=tuple(a.get("icu_hr_zone_times") or ()),
        pace_zone_secs=tuple(a.get("pace_zone_times") or ()),
        paired_event_id=a.get("paired_event_id"), compliance_pct=a.get("compliance"),
        activity_id=a["id"], name=a.get("name", ""))


def test_demo_year_intensity_and_months():
    today = date(2026, 4, 16)
    data = demo.generate(today)
    facts = [demo_facts(a) for a in data.activities]
    dist = intensity_distribution(facts)
    assert dist.shares_pct is not None and sum(dist.shares_pct) == pytest.approx(100)
    assert dist.shares_pct[0] > 50                      # mostly easy, as endurance training is
    assert dist.unavailable == 3                        # the demo's three Strava stubs
    assert dist.by_source["power"].used > 0 and dist.by_source["pace"].used > 0
    months = year_summary(facts, today)
    # The months cover 2025-05-01 up to yesterday: 350 days = 50 weeks.
    weekly_hours = sum(m.hours for m in months) / 50
    assert 5 < weekly_hours < 14
    assert sum(m.unavailable for m in months) <= 3
    assert all(m.sessions > 0 for m in months)


def test_demo_compliance_over_the_planned_weeks():
    today = date(2026, 4, 16)
    data = demo.generate(today)
    planned = [PlannedFacts(date.fromisoformat(e["start_date_local"][:10]), e["id"], e["type"],
                            e["name"], e["moving_time"], e["icu_training_load"])
               for e in data.events if e["category"] == "WORKOUT"]
    report = compliance(planned, [demo_facts(a) for a in data.activities], today,
                        today - timedelta(days=21), today + timedelta(days=20))
    assert report.done > 0 and report.upcoming > 0
    assert report.completed_pct is not None and 80 <= report.completed_pct <= 100
    assert all(o.compliance_pct is not None for o in report.outcomes if o.status == "done")


def test_the_recent_speed_is_the_newest_ten_moves_of_the_sport_and_none_from_fewer_than_three():
    rides = [("Ride", 3600.0, 30_000.0)] * 10 + [("Ride", 3600.0, 20_000.0)] * 5
    moves = [("Run", 1800.0, 6000.0), ("Ride", 0.0, 5000.0), *rides]
    assert recent_speed(moves, "Ride") == pytest.approx(30_000 / 3600)    # the 5 older are not read
    assert recent_speed(moves, "Run") is None                               # one run
    assert recent_speed([("Swim", 1200.0, 1000.0)] * 3, "Swim") == pytest.approx(1000 / 1200)
