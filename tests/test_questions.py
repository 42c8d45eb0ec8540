"""The standard questions, as scripted conversations on the demo athlete: which tools the
coach calls, and that the numbers it is given come from the store (checked independently)."""

import re
from datetime import date, timedelta

import pytest

from coach import analysis
from coach.agent.loop import Agent, Safeguards, ToolFinished, TurnDone
from coach.messages import Message, Role
from coach.model.client import ToolCall
from coach.scope import Scope
from coach.testing.athletes import TODAY, demo_store
from coach.testing.scripted_model import ScriptedModel, Turn, say

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = demo_store(tmp_path_factory.mktemp("questions"))
    yield s
    s.close()


MODEL_ALONE = Safeguards(facts_first=False, drafts=False)


def converse(store, question, rounds):
    """The model asks for `rounds` of tool calls, then answers quoting numbers it was given.
    The product's own facts and drafts are off: these are the tools as the model calls them
    (tests/test_first_moves.py has what the product calls first)."""
    script = [Turn(calls=[ToolCall(n, a) for n, a in r]) for r in rounds]

    def model(messages, tools):
        if script:
            return script.pop(0)
        results = [m["content"] for m in messages if m["role"] == "tool"]
        quoted = [NUMBER.findall(r)[:6] for r in results]
        return say("From your data: " + "; ".join(" ".join(q) for q in quoted))

    conversation = store.create_conversation("demo")
    store.add_message(conversation, Message(Role.USER, question))
    events = []
    Agent(ScriptedModel(model), "system", safeguards=MODEL_ALONE).run_turn(
        store.messages(conversation), Scope(store, "demo", TODAY, conversation),
        events.append, lambda m, p: store.add_message(conversation, m, p))
    finished = [e for e in events if isinstance(e, ToolFinished)]
    answer = events[-1]
    assert isinstance(answer, TurnDone)
    # nothing in the answer that the tools did not say
    said = set(NUMBER.findall(" ".join(e.result for e in finished)))
    assert set(NUMBER.findall(answer.text)) <= said
    results = {e.name: "\n".join(f.result for f in finished if f.name == e.name)
               for e in finished}
    return results, [e.name for e in finished]


def hours(store, start, end):
    return sum(a.moving_time or 0 for a in store.activities("demo", start, end)) / 3600


def test_how_was_my_last_week(store):
    monday = analysis.monday(TODAY) - timedelta(weeks=1)
    results, called = converse(store, "How was my last week?", [
        [("training_summary", {"weeks": 2}),
         ("list_activities", {"start": str(monday), "end": str(monday + timedelta(days=6))})]])
    assert called == ["training_summary", "list_activities"]
    week = hours(store, monday, monday + timedelta(days=6))
    assert f"{monday}: {week:.1f} h" in results["training_summary"]
    count = len(store.activities("demo", monday, monday + timedelta(days=6)))
    assert f"{monday} to {monday + timedelta(days=6)}: {count}." in results["list_activities"]


def test_am_i_ready_for_my_race(store):
    race = next(e for e in store.events("demo", TODAY, TODAY + timedelta(days=120))
                if e.category == "RACE_A")
    results, called = converse(store, f"Am I ready for my race on {race.day}?", [
        [("athlete_profile", {}), ("fitness_trend", {"days": 42})],
        [("planned_workouts", {"start": str(TODAY), "end": race.day})]])
    assert called == ["athlete_profile", "fitness_trend", "planned_workouts"]
    days_to_go = (date.fromisoformat(race.day) - TODAY).days
    assert f"{days_to_go} days to go" in results["athlete_profile"]
    latest = store.wellness("demo", TODAY - timedelta(days=1), TODAY)[-1]
    assert f"CTL {latest.ctl:.1f}, ATL {latest.atl:.1f}" in results["fitness_trend"]
    assert "Forecast if the" in results["fitness_trend"]


def test_why_is_my_hrv_down(store):
    results, called = converse(store, "Why is my HRV down?", [
        [("wellness_trend", {"days": 14}), ("training_summary", {"weeks": 2})]])
    assert called == ["wellness_trend", "training_summary"]
    week = [w.hrv for w in store.wellness("demo", TODAY - timedelta(days=7),
                                          TODAY - timedelta(days=1)) if w.hrv]
    assert f"HRV (rMSSD): 7-day mean {sum(week) / len(week):.1f} ms" in \
        results["wellness_trend"]


def test_plan_my_next_week_around_six_hours(store):
    monday = analysis.monday(TODAY) + timedelta(weeks=1)
    sessions = [("Ride", 90, "- 15m 60%\n- 60m Z2\n- 15m 55%"),
                ("Run", 60, "- 60m Z2 Pace"), ("Swim", 45, "- 45m Z2 Pace"),
                ("Ride", 120, "- 120m Z2"), ("Run", 45, "- 45m Z2 Pace")]
    proposals = [("propose_workout", {"date": str(monday + timedelta(days=i)), "sport": sport,
                                      "name": f"{sport} {mins} min", "description": text})
                 for i, (sport, mins, text) in enumerate(sessions)]
    results, called = converse(store, "Plan my next week around 6 hours", [
        [("training_summary", {"weeks": 4}), ("fitness_trend", {"days": 42}),
         ("planned_workouts", {"start": str(monday), "end": str(monday + timedelta(6))})],
        proposals])
    assert called[:3] == ["training_summary", "fitness_trend", "planned_workouts"]
    assert called.count("propose_workout") == 5
    planned = [p for p in store.proposals(athlete_id="demo") if p.day >= str(monday)]
    assert sum(p.duration_s for p in planned) == 6 * 3600


def test_best_20_minute_power_and_5k_pace(store):
    results, called = converse(store, "What are my best 20-minute power and 5k pace?", [
        [("best_efforts", {"sport": "Ride", "period": "1 year"}),
         ("best_efforts", {"sport": "Run", "period": "1 year"})]])
    assert called == ["best_efforts", "best_efforts"]
    ride = store.curves("demo", "Ride")["1y"]
    watts = ride.values[ride.secs.index(1200)]
    run = store.curves("demo", "Run")["1y"]
    five_k = int(run.secs[run.distance.index(5000)])
    assert f"20 min: {watts:.0f} W ({watts / 250:.0%} of FTP)" in results["best_efforts"]
    minutes, seconds = divmod(five_k, 60)
    pace = round(five_k / 5)
    assert f"5 km: {minutes}m{seconds:02d}s ({pace // 60}:{pace % 60:02d} /km)" in \
        results["best_efforts"]
