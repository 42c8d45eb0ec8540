"""Multi-week plans on a real store: the plan_weeks tool proposes (never writes) a plan of
weekly blocks; the store keeps its targets and each workout's week; a plan is judged week by
week against its targets as the athlete confirms, rejects or moves its workouts."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from coach.agent.tools import call_tool, catalog
from coach.analysis import Availability
from coach.proposals import plans
from coach.scope import Scope
from coach.store import ProposalStatus as S
from coach.testing.athletes import TODAY, demo_store

MONDAY_OFF = Availability(days_off=(0,))


@pytest.fixture
def store(tmp_path):
    s = demo_store(tmp_path)
    yield s
    s.close()


@pytest.fixture
def ctx(store):
    return Scope(store, "demo", TODAY, conversation_id=None, turn="t1",
                       availability=MONDAY_OFF)


def plan_of(store, result):
    proposal = store.proposal(result.proposal_id)
    return store.plan(proposal.plan_id)


def test_four_weeks_from_next_monday_with_targets_and_pending_workouts(ctx, store):
    result = call_tool(ctx, "plan_weeks", {"weeks": 4})
    assert result.ok, result.text
    plan = plan_of(store, result)
    assert plan.start == "2026-11-30" and len(plan.weeks) == 4     # TODAY is a Thursday
    assert [w["kind"] for w in plan.weeks] == ["build", "build", "build", "recovery"]
    workouts = store.plan_proposals(plan.id)
    assert workouts and all(p.status == S.PENDING and p.turn == "t1" for p in workouts)
    assert all(date.fromisoformat(p.day).weekday() != 0 for p in workouts)   # Monday off
    assert {p.plan_week for p in workouts} <= {w["monday"] for w in plan.weeks}
    for p in workouts:
        monday = date.fromisoformat(p.day) - timedelta(days=date.fromisoformat(p.day).weekday())
        assert p.plan_week == monday.isoformat()
    assert all(w.adds_up for w in plans.plan_status(store_reading(store), plan))
    assert "NOT on the calendar" in result.text and "Today is Thursday 2026-11-26." in result.text
    assert "Mon off" in result.text and "ramp limit 7 CTL/week" in result.text


def store_reading(store):
    return Scope(store, "demo", TODAY)


def test_the_result_states_each_week_with_its_numbers(ctx, store):
    text = call_tool(ctx, "plan_weeks", {"weeks": 4}).text
    plan = plan_of(store, call_tool(ctx, "plan_weeks", {"weeks": 4}))
    weeks = [line for line in text.splitlines() if line.startswith("Week ")]
    assert len(weeks) == 4
    for line, week in zip(weeks, plan.weeks, strict=True):
        assert f"{week['monday']} {week['kind']}: target {week['hours']:.1f} h" in line
        assert "ramp" in line and "CTL" in line
    assert len(text) <= 2400


def test_a_race_in_the_weeks_makes_its_week_a_taper_and_ends_the_plan(ctx, store):
    race = TODAY + timedelta(days=59)                     # the demo's A race, a Sunday
    assert [e.day for e in store.events("demo", race, race)] == [race.isoformat()]
    result = call_tool(ctx, "plan_weeks", {"weeks": 8})
    plan = plan_of(store, result)
    assert plan.race == race.isoformat() and plan.weeks[-1]["kind"] == "taper"
    assert all(p.day < race.isoformat() for p in store.plan_proposals(plan.id))
    assert f"to the race on {race}" in result.text
    up_to = plan_of(store, call_tool(ctx, "plan_weeks", {"race": race.isoformat()}))
    assert len(up_to.weeks) == 8                          # no weeks given: up to the race


@pytest.mark.parametrize("args, words", [
    ({"weeks": 0}, "weeks"), ({"weeks": 31}, "weeks"), ({"race": "someday"}, "race"),
    ({"race": "2026-11-27"}, "before the plan's first Monday"),
])
def test_bad_arguments_are_errors_the_model_can_fix(ctx, args, words):
    result = call_tool(ctx, "plan_weeks", args)
    assert not result.ok and words in result.text


def test_a_new_plan_replaces_the_pending_workouts_of_the_last_one(ctx, store):
    first = plan_of(store, call_tool(ctx, "plan_weeks", {"weeks": 4}))
    kept = store.plan_proposals(first.id)[0]
    store.transition(kept.id, [S.PENDING], S.PUBLISHING, "test")   # being confirmed: kept
    second = call_tool(ctx, "plan_weeks", {"weeks": 4})
    assert "withdrawn" in second.text
    statuses = {p.id: p.status for p in store.plan_proposals(first.id)}
    assert statuses.pop(kept.id) == S.PUBLISHING
    assert set(statuses.values()) == {S.REJECTED}
    assert store.audit_trail(next(iter(statuses)))[-1]["detail"] == "replaced by a newer plan"


def test_workouts_already_on_the_calendar_count_toward_their_week(ctx, store):
    plan = plan_of(store, call_tool(ctx, "plan_weeks", {"weeks": 2}))
    booked = plans.booked_days(store_reading(store), date(2026, 11, 30), date(2026, 12, 6))
    events = [e for e in store.events("demo", date(2026, 11, 30), date(2026, 12, 6))
              if e.category == "WORKOUT"]
    assert events and all(date.fromisoformat(e.day) in booked for e in events)
    new_days = {p.day for p in store.plan_proposals(plan.id) if p.plan_week == "2026-11-30"}
    assert new_days.isdisjoint({e.day for e in events})     # one a day: their days are taken


def test_a_week_whose_workouts_are_rejected_no_longer_adds_up(ctx, store):
    plan = plan_of(store, call_tool(ctx, "plan_weeks", {"weeks": 4}))
    last = [p for p in store.plan_proposals(plan.id) if p.plan_week == plan.weeks[3]["monday"]]
    for p in last[:3]:
        store.transition(p.id, [S.PENDING], S.REJECTED, "rejected by user")
    status = plans.plan_status(store_reading(store), plan)
    assert [w.adds_up for w in status] == [True, True, True, False]
    assert status[3].planned_hours < 0.9 * status[3].target_hours
    assert status[3].proposed_hours < status[3].planned_hours + 0.01


def test_the_store_keeps_the_targets_as_computed(store):
    plan_id = store.create_plan(athlete_id="demo", conversation_id=None, turn=None,
                                start="2026-11-30", race=None,
                                weeks=[{"monday": "2026-11-30", "kind": "build", "hours": 9.1,
                                        "load": 512.0, "ramp": 0.5, "ctl": 72.0, "notes": []}])
    plan = store.plan(plan_id)
    assert plan.weeks[0]["hours"] == 9.1 and plan.race is None and plan.athlete_id == "demo"
    assert store.plan(plan_id + 1) is None and store.plan_proposals(plan_id) == []
    columns = {c.name for c in store.db["proposals"].columns}
    assert {"plan_id", "plan_week"} <= columns
    assert json.loads(store.db["plans"].get(plan_id)["weeks"])[0]["load"] == 512.0


def test_an_athlete_without_thresholds_is_told_what_is_missing(tmp_path):
    from coach.records import Athlete
    from coach.store import Store

    s = Store(tmp_path / "empty.db")
    s.save_athlete(Athlete.model_validate({"id": "i9", "name": "New"}))
    result = call_tool(Scope(s, "i9", TODAY), "plan_weeks", {"weeks": 2})
    s.close()
    assert not result.ok and "FTP or threshold pace" in result.text


def test_the_tool_is_in_the_catalog_with_two_terse_arguments():
    [tool] = [t["function"] for t in catalog() if t["function"]["name"] == "plan_weeks"]
    assert set(tool["parameters"]["properties"]) == {"weeks", "race"}
    assert "required" not in tool["parameters"]


def test_without_wellness_the_recent_daily_load_stands_for_fitness(tmp_path, store):
    from coach.store import Store

    empty = Store(tmp_path / "none.db")
    start = plans.plan_start(TODAY)
    assert plans.start_fitness(Scope(empty, "x", TODAY), start, 70.0).ctl == 70.0
    empty.close()
    known = plans.start_fitness(store_reading(store), start)     # carried forward to Sunday
    assert known.day == start - timedelta(days=1) and known.ctl > 40


def test_the_model_hears_what_the_week_check_finds_about_the_plans_workouts(store):
    sunday = TODAY + timedelta(days=6 - TODAY.weekday())
    scope = Scope(store, "demo", sunday, conversation_id=None, turn="t1")
    quiet = call_tool(scope, "plan_weeks", {"weeks": 2})
    assert "Checked against the athlete's week" not in quiet.text
    store.save_checkin(athlete_id="demo", day=sunday.isoformat(), feelings={}, measured={},
                       verdict="ease off", reasons=["HRV low"], conversation_id=None)
    result = call_tool(scope, "plan_weeks", {"weeks": 2})
    monday = sunday + timedelta(days=1)
    hard = [p for p in store.proposals(athlete_id="demo", statuses=[S.PENDING])
            if p.day == monday.isoformat() and p.plan_id == plan_of(store, result).id]
    assert "Checked against the athlete's week" in result.text
    assert f"Check, Mon {monday}" in result.text and "said ease off (HRV low)" in result.text
    assert any(p.name in result.text.split("Checked against")[1] for p in hard)
