"""Availability on the Settings page, the multi-week plan card (confirm and undo by week) and
the Plan page's calendar with its Change controls, through AppTest on the demo athlete."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach import display
from coach.app import plan as planning
from coach.app.session import Coach
from coach.settings import load_settings, save_settings
from coach.store import ProposalStatus as S
from tests.pages import no_failure, open_page, texts, wait_for_answers

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def stored(data_dir: Path) -> Coach:
    return Coach(load_settings())


def test_availability_is_set_once_on_the_settings_page(ollama, data_dir):
    at = open_page("settings")
    no_failure(at)
    at.multiselect(key="days-off").set_value([0, 4])
    at.number_input(key="hours-sat").set_value(4.0)
    at.number_input(key="max-session").set_value(150)
    at.toggle(key="two-a-day").set_value(True)
    [save] = [b for b in at.button if b.label == "Save availability"]
    save.click().run()
    no_failure(at)
    saved = json.loads((data_dir / "settings.json").read_text())["availability"]
    assert saved == {"hours": [1.5, 1.5, 1.5, 1.5, 1.5, 4.0, 3.0], "days_off": [0, 4],
                     "max_session_min": 150, "two_a_day": True}
    assert load_settings().availability.days_off == (0, 4)
    assert "Availability saved." in texts(at)
    assert at.multiselect(key="days-off").value == [0, 4]       # shown as saved


def ask_for_four_weeks() -> AppTest:
    at = open_page()
    at.chat_input[0].set_value("Build me 4 weeks to my race").run()
    wait_for_answers()
    return at.run()


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_the_plan_card_shows_targets_by_week_and_confirms_and_undoes_a_week(ollama, data_dir):
    save_settings(data_dir, {"availability": {"hours": [1.5] * 5 + [3, 3], "days_off": [0],
                                              "max_session_min": 180, "two_a_day": False}})
    at = ask_for_four_weeks()
    no_failure(at)
    shown = texts(at)
    assert "Plan: 4 weeks from" in shown and "Week 4 · week of" in shown
    [table] = at.table
    rows = table.value
    assert list(rows[""][:7]) == ["done"] * 6 + ["done so far"]    # the week in progress
    assert list(rows["within 10%"][7:]) == ["✓"] * 4
    assert {"Confirm all", "Reject all", "Confirm week 1", "Reject week 4"} <= set(labels(at))
    with stored(data_dir) as coach:
        ours = [p for p in coach.proposals() if p.plan_id is not None]
        assert ours and all(date.fromisoformat(p.day).weekday() != 0 for p in ours)
        first_week = {p.id for p in ours if p.plan_week == min(q.plan_week for q in ours)}
    at.button(key=[b.key for b in at.button if b.label == "Confirm week 1"][0]).click().run()
    no_failure(at)
    with stored(data_dir) as coach:
        status = {p.id: p.status for p in coach.proposals() if p.plan_id is not None}
    assert {status[i] for i in first_week} == {S.PUBLISHED}
    assert {s for i, s in status.items() if i not in first_week} == {S.PENDING}
    assert "Undo week 1" in labels(at)
    at.button(key=[b.key for b in at.button if b.label == "Undo week 1"][0]).click().run()
    no_failure(at)
    with stored(data_dir) as coach:
        assert {coach.proposal(i).status for i in first_week} == {S.UNDONE}


def test_a_rejected_week_is_flagged(ollama, data_dir):
    at = ask_for_four_weeks()
    at.button(key=[b.key for b in at.button if b.label == "Reject week 4"][0]).click().run()
    no_failure(at)
    assert any("Week 4" in w.value and "does not add up" in w.value for w in at.warning)
    assert "⚠ hours" in " ".join(at.table[0].value["within 10%"])


def test_the_plan_page_shows_four_weeks_ahead_and_a_move_makes_one_change(ollama, data_dir):
    at = open_page("plan")
    no_failure(at)
    shown = texts(at)
    assert "Plan: the next 4 weeks" in shown and "your last 6 weeks:" in shown
    moves = [s for s in at.selectbox if s.key and s.key.startswith("move-day-")]
    assert moves
    event_id = int(moves[0].key.removeprefix("move-day-"))
    with stored(data_dir) as coach:
        event = coach.store.event(coach.athlete_id, event_id)
        target = planning.move_days(coach, event)[-1]          # the calendar's last day
    assert moves[0].options[-1] == display.day(target, date.today())
    moves[0].select(target).run()
    at.button(key=f"move-{event_id}").click().run()
    no_failure(at)
    with stored(data_dir) as coach:
        [change] = [p for p in coach.proposals() if p.kind == "move"]
        assert change.target_event_id == event_id and change.status == S.PENDING
        assert change.new_day is not None and change.conversation_id is None
    assert "Change proposed for" in texts(at)
    assert change.new_day == target.isoformat()
    # the day it leaves says so, and its card is under the week, where the athlete acted
    assert f"○ move to {display.day(target, date.today())} proposed" in texts(at)
    assert "**Move · " in texts(at)
    at.button(key=f"confirm-{change.id}").click().run()
    no_failure(at)
    with stored(data_dir) as coach:
        assert coach.proposal(change.id).status == S.PUBLISHED
        moved = [e for e in coach.store.demo_events("demo", date.min, date.max)
                 if e["id"] == event_id]
        assert moved[0]["start_date_local"].startswith(change.new_day)


def test_a_change_the_checks_refuse_is_a_sentence_on_the_page(ollama, data_dir):
    at = open_page("plan")
    with stored(data_dir) as coach:   # `400m` is refused on a run or swim (metres meant)
        sports = {e.id: e.type for e in coach.store.events(coach.athlete_id or "",
                                                           date.min, date.max)}
    [text] = [t for t in at.text_area if t.key and t.key.startswith("replace-text-") and
              sports.get(int(t.key.removeprefix("replace-text-"))) in ("Run", "Swim")][:1]
    event_id = int(text.key.removeprefix("replace-text-"))
    text.set_value("- 400m Z2").run()
    at.button(key=f"replace-{event_id}").click().run()
    assert any("Not proposed" in e.value and "400mtr" in e.value for e in at.error)
    with stored(data_dir) as coach:
        assert not [p for p in coach.proposals() if p.kind == "replace"]
