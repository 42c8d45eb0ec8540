"""Fuelling and strength end to end, through the model's tools, the Coach the pages use and a
fake Intervals.icu account that checks every request against the official OpenAPI document:
a long or hard session carries its carbohydrate target on the card (editable) and in the event
body (`carbs_per_hour`); a strength session is a WeightTraining event with a duration and plain
words, counted in the day's and the week's hours, never given an endurance target."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from coach.agent.tools import call_tool
from coach.analysis import Availability, Concern
from coach.app import Coach, plan
from coach.settings import load_settings
from coach.testing.intervals_fake import FakeIntervals
from coach.testing.openapi import Contract, ContractError
from tests.browser import account_env, real_account

THREE_HOURS = "- 15m 55%\n- 2h30m Z2\n- 15m 50%"
THRESHOLD_75 = "- 15m 60%\n\n3x\n- 10m 100%\n- 5m 55%\n\n- 15m 50%"   # 30 min at threshold
EASY_45 = "- 10m 55%\n- 30m Z2\n- 5m 50%"
GYM = "Strength 40 min: squats, Romanian deadlifts, step-ups and planks, 3 rounds."


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeIntervals]:
    fake = real_account()
    with fake.serve() as served:
        for key, value in account_env(tmp_path, served.url, "http://127.0.0.1:9").items():
            monkeypatch.setenv(key, value)
        yield fake


@pytest.fixture
def coach(account: FakeIntervals) -> Iterator[Coach]:
    with Coach(load_settings()) as c:
        c.sync()
        yield c


def propose(coach: Coach, day: date, sport: str, text: str, name: str = "Session"):
    return call_tool(coach.scope(), "propose_workout", {
        "date": day.isoformat(), "sport": sport, "name": name, "description": text})


def posted(account: FakeIntervals) -> list[dict]:
    return [r.body for r in account.writes if r.method == "POST" and r.path.endswith("/events")]


# --- fuelling --------------------------------------------------------------------------------

def test_a_long_ride_carries_its_target_to_the_card_and_the_event(coach, account):
    day = coach.today() + timedelta(days=3)
    result = propose(coach, day, "Ride", THREE_HOURS, "Long ride")
    proposal = coach.proposal(result.proposal_id or 0)
    assert proposal is not None and proposal.carbs_per_hour == 60
    assert "Fuelling: 60 g carbohydrate per hour, sent with the workout" in result.text
    rule = coach.fuelling(proposal)
    assert rule is not None and "over 2.5 h: up to 90 g/h" in rule.text
    assert "Thomas, Erdman & Burke 2016" in rule.text              # the cited rule
    coach.set_fuel(proposal.id, 75)                                   # edited on the card
    coach.confirm(proposal.id)
    [body] = posted(account)
    assert body["carbs_per_hour"] == 75 and isinstance(body["carbs_per_hour"], int)
    contract = Contract.load()
    contract.check_request("POST", "/api/v1/athlete/i123456/events", None, body)
    with pytest.raises(ContractError, match="carbs_per_hour"):          # the check can fail
        contract.check_request("POST", "/api/v1/athlete/i123456/events", None,
                               {**body, "carbs_per_hour": "75 g"})


def test_a_planned_workout_replaced_by_a_long_ride_gets_its_target_and_undo_clears_it(
        coach, account):
    """The real 0.5B's 'Plan a 3-hour endurance ride for Saturday' replaced Saturday's planned
    ride (rightly: not two rides that day), and the replace went without a target."""
    day = coach.today() + timedelta(days=3)
    planned = coach.confirm(propose(coach, day, "Ride", EASY_45, "Easy").proposal_id or 0)
    result = call_tool(coach.scope(), "propose_change", {
        "event_id": planned.event_id, "action": "replace", "description": THREE_HOURS})
    assert result.ok and "Fuelling: 60 g carbohydrate per hour" in result.text, result.text
    change = coach.proposal(result.proposal_id or 0)
    assert change is not None and change.kind == "replace" and change.carbs_per_hour == 60
    coach.set_fuel(change.id, 70)                                    # editable on its card
    coach.confirm(change.id)
    [put] = [r.body for r in account.writes if r.method == "PUT"]
    assert put["carbs_per_hour"] == 70
    Contract.load().check_request("PUT", f"/api/v1/athlete/i123456/events/{planned.event_id}",
                                  None, put)
    assert account.events[planned.event_id or 0]["carbs_per_hour"] == 70
    coach.undo(change.id)                              # back as it was: no target of its own
    assert not account.events[planned.event_id or 0].get("carbs_per_hour")
    assert account.events[planned.event_id or 0]["description"] == EASY_45


def test_replace_it_on_a_clash_keeps_the_target_the_athlete_set(coach, account):
    day = coach.today() + timedelta(days=3)
    planned = coach.confirm(propose(coach, day, "Ride", EASY_45, "Easy").proposal_id or 0)
    long = coach.proposal(propose(coach, day, "Ride", THREE_HOURS, "Long").proposal_id or 0)
    assert long is not None and long.carbs_per_hour == 60
    coach.set_fuel(long.id, 85)                               # the athlete's, on the card
    coach.replace_with(long.id, planned.event_id or 0)        # "Replace Easy"
    [put] = [r.body for r in account.writes if r.method == "PUT"]
    assert put["carbs_per_hour"] == 85 and put["name"] == "Long"


def test_short_easy_sessions_carry_none_and_hard_hours_do(coach, account):
    day = coach.today() + timedelta(days=3)
    easy = coach.proposal(propose(coach, day, "Ride", EASY_45).proposal_id or 0)
    hard = coach.proposal(propose(coach, day + timedelta(days=1), "Ride", THRESHOLD_75)
                          .proposal_id or 0)
    assert easy is not None and easy.carbs_per_hour is None
    assert hard is not None and hard.carbs_per_hour == 50        # 30 min at threshold: 30-60
    coach.confirm(easy.id)
    assert "carbs_per_hour" not in posted(account)[0]             # nothing sent for none
    coach.set_fuel(hard.id, 0)
    assert (coach.proposal(hard.id) or hard).carbs_per_hour is None
    with pytest.raises(Exception, match="0 to 150 g per hour"):
        coach.set_fuel(hard.id, 400)


def test_editing_the_text_recomputes_a_target_the_athlete_did_not_set(coach):
    day = coach.today() + timedelta(days=3)
    pid = propose(coach, day, "Ride", EASY_45).proposal_id or 0
    coach.edit(pid, THREE_HOURS)
    assert getattr(coach.proposal(pid), "carbs_per_hour", None) == 60
    coach.set_fuel(pid, 80)
    coach.edit(pid, THREE_HOURS.replace("2h30m", "2h15m"))
    assert getattr(coach.proposal(pid), "carbs_per_hour", None) == 80   # the athlete's, kept


def test_a_plans_long_sessions_carry_their_targets(coach):
    today = coach.today()
    for e in coach.store.events(coach.athlete_id or "", today, today + timedelta(days=30)):
        coach.store.forget_event(coach.athlete_id or "", e.id)   # an empty calendar ahead
    result = call_tool(coach.scope(), "plan_weeks", {"weeks": 2})
    assert result.ok, result.text
    made = [p for p in coach.proposals() if p.plan_id]
    assert any(p.carbs_per_hour for p in made)
    for p in made:
        rule = coach.fuelling(p)
        assert rule is not None and p.carbs_per_hour == rule.carbs_per_hour, p
        assert p.carbs_per_hour or p.duration_s <= 90 * 60


# --- strength --------------------------------------------------------------------------------

def test_a_strength_session_is_weight_training_with_a_duration_and_words(coach, account):
    day = coach.today() + timedelta(days=2)
    result = propose(coach, day, "Strength", GYM, "Gym")
    assert result.ok, result.text
    assert "WeightTraining" in result.text and "no power, pace or heart-rate" in result.text
    p = coach.proposal(result.proposal_id or 0)
    assert p is not None and (p.sport, p.duration_s, p.carbs_per_hour) == \
        ("WeightTraining", 2400, None)
    assert p.load is not None and 15 < p.load < 25
    assert coach.check_proposal(p).ok and coach.fuelling(p) is None
    confirmed = coach.confirm(p.id)
    assert confirmed.status == "published" and confirmed.verify_note is None
    [body] = posted(account)
    assert body["type"] == "WeightTraining" and body["moving_time"] == 2400
    assert body["description"] == GYM and "carbs_per_hour" not in body
    assert account.events[confirmed.event_id or 0]["moving_time"] == 2400


@pytest.mark.parametrize(("text", "says"), [
    ("- 10m 60%\n- 30m 70%", "line 1 reads as a workout step"),
    ("Squats and lunges at 200w", "'200w' is an endurance target"),
    ("Squats, lunges and planks", "say how long it lasts"),
    ("Strength 120 min: everything", "15 to 90 minutes, not 120"),
])
def test_a_strength_text_with_steps_or_targets_is_refused_with_its_fix(coach, text, says):
    result = propose(coach, coach.today() + timedelta(days=2), "WeightTraining", text)
    assert not result.ok and says in result.text
    assert "the workout text has problems" in result.text and "Strength 40 min" in result.text


def free_day(coach: Coach) -> date:
    for offset in range(2, 20):
        day = coach.today() + timedelta(days=offset)
        if not coach.store.events(coach.athlete_id or "", day, day):
            return day
    raise AssertionError("no free day")


def test_strength_counts_in_the_days_and_the_weeks_hours(coach):
    day = free_day(coach)
    before = {w.monday: w.proposed_hours for w in plan.calendar(coach)}
    pid = propose(coach, day, "WeightTraining", GYM).proposal_id
    [week] = [w for w in plan.calendar(coach) if w.monday <= day <= w.monday + timedelta(6)]
    assert any(p.id == pid for d in week.days for p in d.proposals)
    assert week.proposed_hours - before[week.monday] == pytest.approx(40 / 60)
    short = Coach(coach.settings.model_copy(update={"availability": Availability(
        hours=(0.5,) * 7)}))
    try:
        proposal = short.proposal(pid or 0)
        assert proposal is not None
        found = short.findings(proposal)
    finally:
        short.close()
    assert Concern.DAY_HOURS in {f.concern for f in found}
