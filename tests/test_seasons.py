"""A season to the A race on a real store (the demo athlete): plan_weeks past 8 weeks makes one
through the same proposal path as any plan (so the week check applies), only its first 2 weeks
laid out; opening it re-targets it from what was done (a missed week lowers the next ones);
an ill or injured check-in, or an injury note, offers a pause with a return week; the Coach
re-targets it after a sync; `coach season` prints it, --plan makes one, --pause pauses it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from coach.agent.tools import call_tool
from coach.analysis import MAX_RAMP, Availability, NoteKind
from coach.app import Coach, notes, season
from coach.cli import main as cli
from coach.proposals import fit, plans, seasons
from coach.records import Event
from coach.settings import Settings, load_settings
from coach.store import ProposalStatus, Store
from coach.testing.athletes import TODAY

START = plans.plan_start(TODAY)                     # Monday 2026-11-30
RACE = START + timedelta(weeks=19, days=6)          # the Sunday of week 20
ORDER = ["base", "build", "peak", "taper"]


def add_race(store: Store, day: date = RACE, hours: float = 5.0) -> None:
    store.save_events("demo", [Event(id=990_100, start_date_local=f"{day}T00:00:00",
                                     category="RACE_A", type="Ride", name="Big Ride Race",
                                     moving_time=hours * 3600)])


@pytest.fixture
def coach(tmp_path: Path) -> Iterator[Coach]:
    with Coach(Settings(data_dir=tmp_path / "data"), today=TODAY) as c:
        c.sync()
        add_race(c.store)
        yield c


def later(coach: Coach, days: int) -> Coach:
    """The same athlete's data seen `days` later (nothing new was done in between)."""
    return Coach(coach.settings, today=TODAY + timedelta(days=days))


def made(coach: Coach) -> tuple[str, int]:
    result = call_tool(coach.scope(), "plan_weeks", {"race": RACE.isoformat()})
    assert result.ok, result.text
    [record] = coach.store.seasons("demo")
    return result.text, record.id


# --- making one -------------------------------------------------------------------------------

def test_twenty_weeks_to_the_race_are_a_season_with_only_two_weeks_laid_out(coach):
    text, plan_id = made(coach)
    record = coach.store.plan(plan_id)
    assert record is not None and record.season is not None and record.race == RACE.isoformat()
    phases = [w["phase"] for w in record.weeks]
    assert len(phases) == 20 and phases == sorted(phases, key=ORDER.index)
    assert phases[-2:] == ["taper", "taper"] and phases.count("build") == 8
    assert all(w["ramp"] <= MAX_RAMP for w in record.weeks)
    assert record.weeks[-1]["load"] < record.weeks[-3]["load"]           # tapered
    proposals = coach.store.plan_proposals(plan_id)
    assert proposals and {p.plan_week for p in proposals} <= {START.isoformat(),
                                                               (START + timedelta(7)).isoformat()}
    assert all(p.status == ProposalStatus.PENDING for p in proposals)
    assert "Season (plan" in text and "base 8, build 8, peak 2, taper 2" in text
    assert "W20 2027-04-12 taper" in text and "Race morning forecast" in text
    assert "Race day, Big Ride Race (5h00): 90 g carbohydrate per hour" in text
    assert len(text) <= 2400
    scope = coach.scope()
    for p in proposals:                                  # each passes the week check
        fit.findings(scope, p)
    assert fit._week_target(scope, START + timedelta(weeks=10)) == (
        record.weeks[10]["hours"], record.weeks[10]["load"])


def test_a_season_the_athlete_turned_down_sets_no_week_target(coach):
    _, plan_id = made(coach)
    week = START + timedelta(weeks=10)
    *declined, kept = coach.store.plan_proposals(plan_id)
    for p in declined:
        coach.store.transition(p.id, [ProposalStatus.PENDING], ProposalStatus.REJECTED, "no")
    assert fit._week_target(coach.scope(), week) is not None        # one still pending
    coach.store.transition(kept.id, [ProposalStatus.PENDING], ProposalStatus.REJECTED, "no")
    assert fit._week_target(coach.scope(), week) is None


@pytest.mark.parametrize(("args", "says"), [
    ({"weeks": 31}, "weeks"),
    ({"race": (START + timedelta(weeks=31)).isoformat()}, "1 to 30 weeks"),
])
def test_a_season_is_one_to_thirty_weeks(coach, args, says):
    result = call_tool(coach.scope(), "plan_weeks", args)
    assert not result.ok and says in result.text


def test_more_than_eight_weeks_without_a_race_asks_for_one(tmp_path):
    with Coach(Settings(data_dir=tmp_path / "d"), today=TODAY) as c:
        c.sync()
        for e in c.store.events("demo", TODAY, TODAY + timedelta(days=400)):
            if (e.category or "").startswith("RACE"):
                c.store.forget_event("demo", e.id)
        result = call_tool(c.scope(), "plan_weeks", {"weeks": 16})
    assert not result.ok and "builds to a race" in result.text and "race=YYYY-MM-DD" in result.text


def test_eight_weeks_or_fewer_stay_a_block_plan(coach):
    result = call_tool(coach.scope(), "plan_weeks", {"weeks": 6})
    assert result.ok and "Season" not in result.text and coach.store.seasons("demo") == []


# --- re-targeting from what was done ----------------------------------------------------------

def test_opening_it_again_the_same_day_changes_nothing(coach):
    _, plan_id = made(coach)
    before = coach.store.plan_proposals(plan_id)
    view = season.view(coach)
    assert view is not None and view.laid_out == 0
    assert coach.store.plan_proposals(plan_id) == before
    assert [w["phase"] for w in view.weeks][:2] == ["base", "base"]


def test_a_missed_week_lowers_the_next_and_its_workouts_come_when_due(coach):
    _, plan_id = made(coach)
    planned = coach.store.plan(plan_id)
    assert planned is not None
    with later(coach, 12) as c:                       # Tuesday of week 2; week 1 not done
        view = season.view(c)
        assert view is not None
        week1, week2, week3 = view.weeks[:3]
        assert week1["when"] == "done" and week1["done hours"] == 0
        assert week2["when"] == "this week"
        assert week2["target hours"] < planned.weeks[1]["hours"]          # not stacked
        assert week3["target hours"] < planned.weeks[2]["hours"]
        assert view.laid_out > 0                          # week 3 laid out now
        third = (START + timedelta(weeks=2)).isoformat()
        fresh = [p for p in c.store.plan_proposals(plan_id) if p.plan_week == third]
        assert len(fresh) == view.laid_out
        c.reject_all([p.id for p in fresh])
        again = season.view(c)
        assert again is not None and again.laid_out == 0  # a rejected week stays rejected
        lines = season.text(again, c.today())
    assert any(line.startswith("  2<") for line in lines)


def test_the_coach_re_targets_the_season_after_a_sync(coach):
    made(coach)
    with later(coach, 12) as c:
        report = c.sync()
    assert any("Season:" in n and "laid out for the week ahead" in n for n in report.notes)


# --- a pause for illness or injury -----------------------------------------------------------

def test_an_injured_check_in_offers_a_pause_and_the_pause_gives_a_return_week(coach):
    _, plan_id = made(coach)
    with later(coach, 12) as c:
        today = c.today()
        c.store.save_checkin(athlete_id="demo", day=today.isoformat(),
                             feelings={"sleepQuality": 2, "soreness": 2, "stress": 1,
                                       "motivation": 2, "injury": 4},
                             measured={}, verdict="rest", reasons=["injured"])
        view = season.view(c)
        assert view is not None and view.offer is not None
        assert "said you are injured" in view.offer.reason
        back = today + timedelta(days=2)
        before = max(p.id for p in c.store.plan_proposals(plan_id))
        paused = season.pause(c, back, view.offer.reason)
        assert paused.paused is not None and paused.paused["back"] == back.isoformat()
        phases = [w["phase"] for w in paused.weeks]
        assert phases[1] == "return" and phases[-1] == "taper" and paused.race == RACE
        after = c.store.plan_proposals(plan_id)
        easy = [p for p in after if p.id > before and p.plan_week == paused.weeks[1]["week"]]
        assert easy and all(p.day >= back.isoformat() and p.duration_s <= 3600 for p in easy)
        assert all(p.day >= back.isoformat() for p in after    # planned before: withdrawn
                   if p.id <= before and p.status == ProposalStatus.REJECTED)
        assert not [p for p in after if p.id <= before and p.day >= back.isoformat()
                    and p.status == ProposalStatus.PENDING]
        assert getattr(season.view(c), "offer", 1) is None     # answered by the pause


def test_an_injury_note_offers_a_pause_that_leaves_out_the_sport_it_rules_out(coach):
    made(coach)
    with later(coach, 12) as c:
        notes.add(c, NoteKind.INJURY, "Sore Achilles: no running")
        view = season.view(c)
        assert view is not None and view.offer is not None
        assert "Sore Achilles" in view.offer.reason
        paused = season.pause(c, c.today() + timedelta(days=1), view.offer.reason)
        returning = paused.weeks[1]["week"]
        sports = {p.sport for p in c.store.plan_proposals(paused.plan_id)
                  if p.plan_week == returning and p.status == ProposalStatus.PENDING}
    assert sports and "Run" not in sports


def test_a_pause_needs_a_season_and_a_day_before_the_race(coach):
    with pytest.raises(Exception, match="no season to pause"):
        season.pause(coach, TODAY + timedelta(days=1), "ill")
    made(coach)
    with pytest.raises(Exception, match="not on"):
        season.pause(coach, RACE + timedelta(days=1), "ill")


# --- the terminal ------------------------------------------------------------------------------

def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def test_coach_season_in_the_terminal(data_dir):
    with Coach(load_settings(), today=TODAY) as c:
        c.sync()
    code, out = run("season")
    assert code == 0 and "No season yet. Plan one to Demo Olympic Triathlon" in out
    code, out = run("season", "--plan")
    assert code == 0 and "Planned a season of" in out and "coach proposals confirm" in out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("wk"))
    weeks = [line for line in lines[header + 1:] if line[:3].strip().isdigit()]
    assert weeks and "build" in weeks[0] and "taper" in weeks[-1]
    assert "Race morning, if the targets are met" in out and "Race day, Demo Olympic" in out
    code, out = run("season", "--pause", "--back", "2099-01-01")
    assert code == 1 and "Not paused" in out
    store = Store(data_dir / "coach.db")
    try:
        record = store.seasons("demo")[0]
        back = date.fromisoformat(record.start) + timedelta(days=2)
    finally:
        store.close()
    code, out = run("season", "--pause", "--back", back.isoformat())
    assert code == 0 and "Paused: an easy return week" in out and "return" in out


def test_the_season_keeps_to_the_availability(tmp_path):
    few = Availability(hours=(0, 1, 1, 1, 0, 2, 2), days_off=(0, 4))
    with Coach(Settings(data_dir=tmp_path / "d", availability=few), today=TODAY) as c:
        c.sync()
        add_race(c.store)
        made_now = season.make(c, RACE)
        laid = c.store.plan_proposals(made_now.plan_id)
    assert all(w.hours <= 7 + 1e-6 for w in made_now.season.weeks)
    assert laid and all(date.fromisoformat(p.day).weekday() not in (0, 4) for p in laid)
    assert seasons.weeks_to(RACE, TODAY) == 20


def test_a_race_week_gets_a_race_day_fuelling_line_in_the_athlete_profile(coach):
    profile = call_tool(coach.scope(), "athlete_profile", {}).text
    assert "Race day," not in profile                       # the races are weeks away
    add_race(coach.store, TODAY + timedelta(days=3), hours=2.0)
    profile = call_tool(coach.scope(), "athlete_profile", {}).text
    assert "Race day, Big Ride Race (2h00): 60 g carbohydrate per hour from the start" in profile


def test_opening_the_season_again_writes_nothing(coach):
    made(coach)
    season.view(coach)
    changes = coach.store.db.conn.total_changes
    season.view(coach)
    assert coach.store.db.conn.total_changes == changes
