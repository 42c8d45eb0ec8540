"""Every proposal measured against the athlete's week, end to end through the Coach the pages use
and the model's tools, on a synced account (the demo year served by the fake Intervals.icu):
what the model hears, what the card offers, what Confirm sends, and how days are counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from coach.agent.tools import TOOLS
from coach.analysis import Concern
from coach.app import Coach, ProposalKind, ProposalStatus
from coach.app.plan import calendar as plan_calendar
from coach.scope import planned_loads
from coach.settings import load_settings
from coach.testing.intervals_fake import FakeIntervals
from tests.browser import account_env, real_account

SWEET_SPOT = "- 15m 60%\n\n3x\n- 12m 88%\n- 4m 55%\n\n- 10m 50%"   # 36 minutes in Z3
EASY = "- 10m 55%\n- 30m Z2\n- 5m 50%"


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[FakeIntervals]:
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


def propose(coach: Coach, day: date, text: str = SWEET_SPOT, name: str = "Sweet spot 3x12",
            sport: str = "Ride", turn: str = "t1",
            conversation: int | None = None) -> tuple[str, int | None]:
    scope = coach.scope()
    scope = type(scope)(scope.store, scope.athlete_id, scope.today, conversation, turn,
                        scope.availability)
    tool = TOOLS["propose_workout"]
    result = tool.run(scope, tool.args(date=day.isoformat(), sport=sport, name=name,
                                       description=text))
    return result.text, result.proposal_id


def planned_day(coach: Coach) -> tuple[date, Any]:
    """The first day from tomorrow with exactly one planned workout, and that workout."""
    today = coach.today()
    for offset in range(1, 15):
        day = today + timedelta(days=offset)
        workouts = [e for e in coach.store.events(coach.athlete_id or "", day, day)
                    if e.category == "WORKOUT"]
        if len(workouts) == 1:
            return day, workouts[0]
    raise AssertionError("no planned day in the demo calendar")


def free_day(coach: Coach) -> date:
    today = coach.today()
    for offset in range(1, 15):
        day = today + timedelta(days=offset)
        if not [e for e in coach.store.events(coach.athlete_id or "", day, day)
                if e.category == "WORKOUT"]:
            return day
    raise AssertionError("no free day")


def test_a_clash_is_heard_by_the_model_and_replace_sends_one_update(coach, account):
    day, planned = planned_day(coach)
    text, pid = propose(coach, day)
    assert pid is not None and f"already has {planned.name}" in text
    assert f"[event_id {planned.id}]" in text and "propose_change to replace" in text
    proposal = coach.proposal(pid)
    [found] = [f for f in coach.findings(proposal) if f.concern == Concern.SAME_DAY]
    assert found.other.event_id == planned.id and "one session a day" in found.message
    writes = len(account.writes)

    change = coach.replace_with(pid, planned.id)

    [put] = account.writes[writes:]
    assert put.method == "PUT" and put.path.endswith(f"/events/{planned.id}")
    assert put.body["name"] == "Sweet spot 3x12" and put.body["description"] == SWEET_SPOT
    assert change.status == ProposalStatus.PUBLISHED and change.kind == ProposalKind.REPLACE
    old = coach.proposal(pid)
    assert old.status == ProposalStatus.SUPERSEDED and old.superseded_by == change.id
    assert "replace the planned workout" in (coach.proposal(change.id).accepted or "")
    coach.undo(change.id)                                # undo puts the planned one back
    assert account.writes[-1].body["name"] == planned.name
    assert account.writes[-1].body["description"] == planned.description


def test_after_an_ease_off_check_in_a_hard_session_is_flagged_with_the_verdict(coach):
    coach.store.save_checkin(athlete_id=coach.athlete_id or "", day=coach.today().isoformat(),
                             feelings={}, measured={}, verdict="ease off",
                             reasons=["HRV below your normal range"], conversation_id=None)
    tomorrow = coach.today() + timedelta(days=1)
    text, pid = propose(coach, tomorrow)
    assert "said ease off (HRV below your normal range)" in text
    assert "36 min in Z3 or above" in text
    flagged = [f.concern for f in coach.findings(coach.proposal(pid))]
    assert Concern.READINESS in flagged
    _, easy = propose(coach, tomorrow, EASY, "Easy spin", turn="t2")
    assert Concern.READINESS not in [f.concern for f in coach.findings(coach.proposal(easy))]


def test_the_same_session_asked_three_times_is_one_proposal_counted_once(coach):
    day = free_day(coach)
    ids = [propose(coach, day, turn=f"t{n}")[1] for n in range(3)]
    statuses = [coach.proposal(i).status for i in ids]
    assert statuses == [ProposalStatus.SUPERSEDED, ProposalStatus.SUPERSEDED,
                        ProposalStatus.PENDING]
    assert "takes the place of proposal" in propose(coach, day, turn="t9")[0]
    scope = coach.scope()
    loads = planned_loads(scope, coach.today(), 21)
    assert loads[day] == pytest.approx(coach.proposal(ids[-1]).load)      # counted once
    week = next(w for w in plan_calendar(coach) if w.monday <= day <= w.monday
                + timedelta(days=6))
    assert week.proposed_hours == pytest.approx(coach.proposal(ids[-1]).duration_s / 3600)


def free_days(coach: Coach, n: int) -> list[date]:
    today, days = coach.today(), list[date]()
    for offset in range(1, 22):
        day = today + timedelta(days=offset)
        if not coach.store.events(coach.athlete_id or "", day, day) and len(days) < n:
            days.append(day)
    return days


def test_one_answer_may_repeat_a_session_but_a_flagged_one_proposed_again_gives_way(coach):
    conversation = coach.new_conversation()
    first, second = free_days(coach, 2)
    ids = [propose(coach, d, EASY, "Easy spin", conversation=conversation)[1]
           for d in (first, second)]                     # a week that repeats a session
    assert [coach.proposal(i).status for i in ids] == [ProposalStatus.PENDING] * 2
    day, _ = planned_day(coach)
    _, clashing = propose(coach, day, conversation=conversation)
    text, moved = propose(coach, first + timedelta(days=7) if day != first + timedelta(days=7)
                          else second + timedelta(days=7), conversation=conversation)
    assert coach.proposal(clashing).status == ProposalStatus.SUPERSEDED      # the model's fix
    assert f"takes the place of proposal {clashing}" in text
    assert [coach.proposal(i).status for i in ids] == [ProposalStatus.PENDING] * 2


def test_a_proposal_on_a_planned_day_does_not_count_on_top_of_it(coach):
    day, planned = planned_day(coach)
    propose(coach, day)
    loads = planned_loads(coach.scope(), coach.today(), 21)
    assert loads[day] == pytest.approx(planned.icu_training_load or 0)


def test_metre_steps_on_a_ride_are_timed_at_the_athletes_recent_ride_speed_and_say_so(coach):
    day = free_day(coach)
    _, pid = propose(coach, day, EASY)
    check = coach.edit(pid, "- 10m 60%\n\n4x\n- 400mtr 105%\n- 2m 50%\n\n- 10m 50%")
    rides = [a for a in coach.store.activities(coach.athlete_id or "", date(2000, 1, 1),
                                               coach.today())
             if (a.type or "").endswith("Ride") and (a.distance or 0) > 0
             and (a.moving_time or 0) > 0][:10]
    kmh = sum(a.distance or 0 for a in rides) / sum(a.moving_time or 0 for a in rides) * 3.6
    assert len(rides) == 10 and check.ok
    assert [w.message for w in check.warnings if "recent average" in w.message] == [
        f"`400mtr` and the other distance steps are timed at your recent average ride speed, "
        f"{kmh:.1f} km/h (no threshold pace is set): the duration and load are estimates"]
    seconds_at_that_speed = 4 * 400 / (kmh / 3.6)
    assert check.duration_s == pytest.approx(20 * 60 + 4 * 120 + seconds_at_that_speed, abs=1)
    tool = TOOLS["propose_workout"]
    told = tool.run(coach.scope(), tool.args(date=str(day), sport="Ride", name="x",
                                             description="- 20km Z2"))
    made = next(p for p in coach.proposals() if p.id == told.proposal_id)
    assert made.duration_s == pytest.approx(20_000 / (kmh / 3.6), abs=1)


def test_an_edited_card_keeps_its_numbers_and_name_whole(coach, account):
    day = free_day(coach)
    _, pid = propose(coach, day)
    coach.edit(pid, "- 10m 60%\n\n10x\n- 1m 110%\n- 1m 50%\n\n- 10m 50%")
    coach.rename(pid, "Ten by one")
    edited = coach.proposal(pid)
    assert edited.edited and edited.name == "Ten by one" and edited.duration_s == 40 * 60
    coach.confirm(pid)
    assert account.writes[-1].body["name"] == "Ten by one"


def test_an_undone_proposal_can_be_proposed_again(coach, account):
    day = free_day(coach)
    _, pid = propose(coach, day, EASY, "Easy spin")
    coach.confirm(pid)
    coach.undo(pid)
    again = coach.propose_again(pid)
    assert again.status == ProposalStatus.PENDING and again.id != pid
    assert (again.day, again.name, again.description) == (day.isoformat(), "Easy spin", EASY)
    assert coach.proposal(pid).superseded_by == again.id
    coach.confirm(again.id)
    assert account.writes[-1].method == "POST"


def test_a_move_from_the_plan_page_onto_a_busy_day_is_flagged(coach):
    from coach.app import plan

    day, planned = planned_day(coach)
    target = day + timedelta(days=1)
    while not [e for e in coach.store.events(coach.athlete_id or "", target, target)
               if e.category == "WORKOUT"]:
        target += timedelta(days=1)
    change = plan.propose_change(coach, planned.id, "move", target)
    concerns = [f.concern for f in coach.findings(change)]
    assert Concern.SAME_DAY in concerns


def test_the_terminal_lists_the_findings_and_confirm_records_what_was_accepted(coach, account):
    import io

    from coach.cli import main as cli

    day, planned = planned_day(coach)
    _, pid = propose(coach, day)
    out = io.StringIO()
    assert cli.main(["proposals"], out=out) == 0
    assert f"already has {planned.name}" in out.getvalue() and "       ! " in out.getvalue()
    out = io.StringIO()
    assert cli.main(["proposals", "confirm", str(pid)], out=out) == 0
    assert f"already has {planned.name}" in out.getvalue() and "published" in out.getvalue()
    assert "two sessions that day" in (coach.proposal(pid).accepted or "")
