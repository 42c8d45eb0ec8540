"""A season to the A race, pure: phases to the race week, targets held to the availability and
the CTL ramp limit, a taper that leaves the athlete fresh, only the next weeks laid out, a
missed week that lowers what follows instead of stacking it, and a pause for illness."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coach import workout
from coach.analysis import MAX_RAMP, Availability, DayFitness, WeekLoad, forecast
from coach.analysis.season import (
    MAX_SEASON_WEEKS,
    Season,
    SeasonPhase,
    SeasonRequest,
    SeasonWeek,
    pause_season,
    plan_season,
    resume_share,
    retarget_season,
    season_phases,
)

START = date(2026, 1, 5)                         # a Monday
RACE = START + timedelta(weeks=19, days=5)       # the Saturday of week 20
EIGHT_HOURS = Availability(hours=(0, 1, 1, 1, 1, 2, 2), days_off=(0,))
TRIATHLON = {"Ride": 0.6, "Run": 0.25, "Swim": 0.15}
LETTERS = {SeasonPhase.BASE: "b", SeasonPhase.BUILD: "u", SeasonPhase.PEAK: "p",
           SeasonPhase.TAPER: "t", SeasonPhase.RETURN: "r"}


def request(**changes: object) -> SeasonRequest:
    values: dict[str, object] = {
        "start": START, "race": RACE, "fitness": DayFitness(START - timedelta(days=1), 55, 55),
        "recent": [WeekLoad(START - timedelta(weeks=4 - i), 7.5, 385) for i in range(4)],
        "availability": EIGHT_HOURS, "sports": TRIATHLON}
    return SeasonRequest(**(values | changes))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def season() -> Season:
    return plan_season(request())


def names(weeks: list[tuple[SeasonPhase, bool]] | tuple[SeasonWeek, ...]) -> str:
    """A letter a week: b base, u build, p peak, t taper, r return; upper case if lighter."""
    marks = [(w.phase, w.recovery) if isinstance(w, SeasonWeek) else w for w in weeks]
    return "".join(LETTERS[p].upper() if r else LETTERS[p] for p, r in marks)


def sessions_done(week: SeasonWeek, share: float) -> WeekLoad:
    return WeekLoad(week.monday, week.hours * share, week.load * share)


def fitness_after(season: Season, done: list[WeekLoad]) -> DayFitness:
    loads = {w.monday + timedelta(days=d): w.load / 7 for w in done for d in range(7)}
    return forecast(request().fitness, loads, 7 * len(done))[-1]


# --- phases -------------------------------------------------------------------------------

def test_twenty_weeks_base_build_peak_then_a_two_week_taper():
    assert names(season_phases(20)) == "bbbBbbbB" "uuuUuuuU" "pp" "tt"
    assert names(season_phases(20, recovery_every=3)) == "bbBbbBbb" "UuuUuuUu" "pp" "tt"


@pytest.mark.parametrize("weeks", range(1, MAX_SEASON_WEEKS + 1))
def test_every_season_ends_in_its_race_week_in_phase_order(weeks):
    marks = season_phases(weeks)
    order = [SeasonPhase.BASE, SeasonPhase.BUILD, SeasonPhase.PEAK, SeasonPhase.TAPER]
    assert len(marks) == weeks and marks[-1] == (SeasonPhase.TAPER, False)
    assert [order.index(p) for p, _ in marks] == sorted(order.index(p) for p, _ in marks)
    assert sum(p == SeasonPhase.TAPER for p, _ in marks) == (2 if weeks >= 12 else 1)
    assert sum(p == SeasonPhase.BUILD for p, _ in marks) <= 8
    streak = 0
    for phase, recovery in marks:
        streak = 0 if recovery or phase not in (SeasonPhase.BASE, SeasonPhase.BUILD) else streak + 1
        assert streak <= 3                       # a lighter week at least every 4th
        assert not recovery or phase in (SeasonPhase.BASE, SeasonPhase.BUILD)


def test_short_seasons_build_without_base():
    assert names(season_phases(1)) == "t"
    assert names(season_phases(4)) == "uupt"
    assert names(season_phases(10)) == "uuuUuuupp" "t"


def test_a_request_says_what_is_wrong_with_it():
    with pytest.raises(ValueError, match="starts on a Monday"):
        request(start=START + timedelta(days=1))
    with pytest.raises(ValueError, match="the day before the start"):
        request(fitness=DayFitness(START, 55, 55))
    with pytest.raises(ValueError, match="1 to 30 weeks"):
        request(race=START + timedelta(weeks=30))
    with pytest.raises(ValueError, match="1 to 30 weeks"):
        request(race=START - timedelta(days=1))
    with pytest.raises(ValueError, match="3 or 4"):
        request(recovery_every=5)
    assert request(race=START + timedelta(weeks=29, days=6)).weeks == 30


# --- targets and forecast -----------------------------------------------------------------

def test_a_twenty_week_season_for_eight_hours_a_week(season):
    weeks = season.weeks
    assert names(weeks) == names(season_phases(20))
    assert [w.monday for w in weeks] == [START + timedelta(weeks=i) for i in range(20)]
    assert all(w.hours <= 8.0 + 1e-9 for w in weeks)
    assert all(w.ramp <= MAX_RAMP for w in weeks)
    assert weeks[0].hours == pytest.approx(7.5 * 1.05, rel=0.05)     # from the recent weeks
    for before, week in zip(weeks, weeks[1:], strict=False):
        if week.recovery:
            assert week.hours < 0.8 * before.hours and week.load < 0.7 * before.load
    build = max(w.load for w in weeks if w.phase == SeasonPhase.BUILD)
    peak, taper, race_week = weeks[-4], weeks[-2], weeks[-1]
    assert build >= peak.load > taper.load > race_week.load
    assert race_week.kind == "taper" and taper.kind == "build"   # intensity kept a week longer


def test_only_the_next_two_weeks_are_laid_out(season):
    laid_out = [w for w in season.weeks if w.plan is not None]
    assert [w.monday for w in laid_out] == [START, START + timedelta(weeks=1)]
    for w in laid_out:
        assert w.plan.sessions and w.plan.adds_up
        assert {s.day.weekday() for s in w.plan.sessions}.isdisjoint({0})   # Monday off
    assert plan_season(request(laid_out=0)).weeks[0].plan is None


def test_the_forecast_runs_to_race_morning_and_finds_the_athlete_fresh(season):
    assert season.daily[0].day == START
    assert season.race_morning == season.daily[-1]
    assert season.race_morning.day == RACE - timedelta(days=1)
    assert 0.05 < season.race_morning.form / season.race_morning.ctl <= 0.2
    assert season.race_form == "fresh: ready to race"
    peak_ctl = max(f.ctl for f in season.daily)
    assert peak_ctl > 55 + 5                      # the season builds fitness
    by_day = {f.day: f for f in season.daily}
    for f in season.daily[7:]:
        assert f.ctl - by_day[f.day - timedelta(days=7)].ctl <= MAX_RAMP


def test_a_big_jump_in_volume_is_held_to_the_ramp_limit():
    fit_and_keen = request(fitness=DayFitness(START - timedelta(days=1), 20, 20),
                           recent=[WeekLoad(START - timedelta(weeks=1), 16, 960)],
                           availability=Availability(hours=(3,) * 7, max_session_min=240))
    weeks = plan_season(fit_and_keen).weeks
    assert all(w.ramp <= MAX_RAMP for w in weeks)
    assert any("held to a CTL ramp of 7/week" in w.notes for w in weeks if w.plan is None)
    assert weeks[4].end.ctl > 40                  # still climbing as fast as is safe


def test_availability_caps_the_hours_and_the_note_says_so(season):
    capped = [w for w in season.weeks if "availability allows 8.0 h" in w.notes]
    assert capped and all(w.phase in (SeasonPhase.BASE, SeasonPhase.BUILD) for w in capped)


def test_a_race_early_in_its_week_leaves_only_the_days_before_it():
    monday_race = plan_season(request(race=START + timedelta(weeks=5)))
    race_week = monday_race.weeks[-1]
    assert race_week.hours == 0 and race_week.load == 0 and race_week.kind == "taper"
    assert monday_race.race_morning.day == START + timedelta(weeks=5, days=-1)


# --- what was done ------------------------------------------------------------------------

@pytest.mark.parametrize(("share", "expected"), [
    (1.0, 1.0), (0.95, 1.0), (1.3, 1.0), (0.8, 0.9), (0.5, 0.7), (0.0, 0.7)])
def test_the_next_week_resumes_from_what_was_done(season, share, expected):
    week = season.weeks[3]
    assert resume_share(week, sessions_done(week, share)) == pytest.approx(expected)


def test_weeks_done_as_planned_leave_the_season_as_it_was(season):
    done = [sessions_done(w, 1.0) for w in season.weeks[:4]]
    again = retarget_season(request(), season, done, fitness_after(season, done))
    assert [w.done for w in again.weeks[:4]] == done
    for before, after in zip(season.weeks[6:], again.weeks[6:], strict=True):
        assert after.load == pytest.approx(before.load, rel=0.01)
    assert again.weeks[4].plan is not None and again.weeks[6].plan is None


def test_a_missed_week_lowers_the_next_ones_instead_of_stacking_them(season):
    done = [sessions_done(season.weeks[0], 1.0), sessions_done(season.weeks[1], 1.0),
            WeekLoad(season.weeks[2].monday, 0.0, 0.0)]
    again = retarget_season(request(), season, done, fitness_after(season, done))
    ahead = again.ahead
    assert ahead[0].monday == START + timedelta(weeks=3)
    assert "resumes at 70% of its target after a short week" in ahead[0].notes
    shares = [a.load / b.load for a, b in zip(ahead[:5], season.weeks[3:8], strict=True)]
    assert shares[1:4] == pytest.approx([0.8, 0.9, 1.0], abs=0.03)   # a step a week back
    assert shares[0] == pytest.approx(0.7, abs=0.12)                 # laid out: near its target
    for a, b in zip(ahead, season.weeks[3:], strict=True):
        assert a.load <= b.load * 1.02                               # never above the plan
    assert sum(w.load for w in ahead) < sum(w.load for w in season.weeks[3:])


def test_a_short_week_lowers_less_than_a_missed_one(season):
    def next_load(share: float) -> float:
        done = [sessions_done(season.weeks[0], share)]
        return retarget_season(request(laid_out=0), season, done,
                               fitness_after(season, done)).ahead[0].load
    assert next_load(0.0) == next_load(0.5) < next_load(0.8) < next_load(1.0)


def test_retarget_starts_on_a_monday(season):
    with pytest.raises(ValueError, match="on a Sunday"):
        retarget_season(request(), season, [], DayFitness(START + timedelta(days=3), 55, 55))


# --- a pause ------------------------------------------------------------------------------

def test_illness_gives_a_short_easy_return_week_then_the_season_to_the_same_race(season):
    done = [sessions_done(season.weeks[0], 1.0), WeekLoad(season.weeks[1].monday, 2.0, 90)]
    back = START + timedelta(weeks=2, days=2)                       # a Wednesday
    fitness = forecast(fitness_after(season, done), {}, 2)[-1]      # ill Monday and Tuesday
    assert fitness.day == back - timedelta(days=1)
    paused = pause_season(request(), season, done, fitness, back)
    ret = paused.weeks[2]
    assert ret.phase == SeasonPhase.RETURN and ret.done is None and ret.plan is not None
    assert [w.done for w in paused.weeks[:2]] == done
    assert ret.plan.sessions and ret.hours <= 0.5 * 7.9
    for s in ret.plan.sessions:
        zones = workout.check(s.text, s.sport).zone_times
        assert s.day >= back and s.minutes <= 60 and not s.key
        assert all(zone <= 2 for zone, secs in zones.items() if secs), (s.name, zones)
    assert paused.race == RACE and paused.weeks[-1].monday == season.weeks[-1].monday
    after = paused.weeks[3:]
    # the pause takes base weeks; build, peak and taper stay before the race
    assert names(after) == "bbbBb" "uuUuuuUu" "pp" "tt"
    assert names(season.weeks[3:]) == "BbbbB" "uuuUuuuU" "pp" "tt"
    assert after[0].plan is not None and after[1].plan is None
    assert after[0].load < season.weeks[3].load
    assert all(w.ramp <= MAX_RAMP for w in paused.weeks[2:])


def test_an_injury_return_week_keeps_to_the_sports_allowed(season):
    paused = pause_season(request(sports={"Ride": 0.7, "Swim": 0.3}), season, [],
                          DayFitness(START + timedelta(weeks=3, days=-1), 50, 40),
                          START + timedelta(weeks=3))
    ret = next(w for w in paused.weeks if w.phase == SeasonPhase.RETURN)
    assert ret.plan is not None and {s.sport for s in ret.plan.sessions} <= {"Ride", "Swim"}


def test_a_return_in_race_week_is_only_the_return_week(season):
    back = RACE - timedelta(days=3)
    paused = pause_season(request(), season, [], DayFitness(back - timedelta(days=1), 50, 40),
                          back)
    assert paused.ahead[-1].phase == SeasonPhase.RETURN and len(paused.ahead) == 1
    assert all(s.day < RACE for s in paused.ahead[0].plan.sessions)
    with pytest.raises(ValueError, match="by the race"):
        pause_season(request(), season, [], DayFitness(RACE, 50, 40), RACE + timedelta(days=1))
