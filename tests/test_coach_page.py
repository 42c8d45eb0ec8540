"""The Coach page a newcomer meets (AppTest, real SQLite, fake servers at the edge): every
disabled control says why; installed tool-capable models are offered before a download; a
heading, example questions, a check-in that stays out of the way; rename and delete that
behave; no internal ids in what the athlete reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from coach.app import setup
from coach.app.setup import InstalledModel
from coach.model.choice import GB, TIERS, recommend, total_memory
from coach.settings import load_settings
from coach.testing.athletes import PLANNED_ID, athletes_today, low_hrv_account
from coach.testing.coach_script import coach as scripted_coach
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.ollama_server import FakeModel, FakeOllama, Reply, closed_port_url
from tests.pages import no_failure, open_page, texts, wait_for_answers

pytestmark = pytest.mark.usefixtures("fresh_page_caches")

LLAMA = FakeModel("llama3.2:3b", capabilities=("completion", "tools"), size=2_019_393_189,
                  parameter_size="3.2B", family="llama", context_length=131072)
GEMMA = FakeModel("gemma:2b", capabilities=("completion",), size=1_700_000_000,
                  parameter_size="2.5B", family="gemma", context_length=8192)
EXAMPLES = ["How was my last week?", "Am I ready for my race?", "Plan tomorrow's ride"]
CHECKIN = "Check in and ask the coach"


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def button(at: AppTest, label: str) -> Any:
    [found] = [b for b in at.button if b.label == label]
    return found


def model_offers(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label.startswith(("Use ", "Download "))]


@pytest.fixture
def models_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    """Ollama with llama3.2:3b (tools) and gemma:2b (no tools), not the default qwen3:8b."""
    with FakeOllama(script=scripted_coach, models=[GEMMA, LLAMA]) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        yield fake


# --- item 2: no model, no reason ----------------------------------------------------------------

def test_without_a_model_every_disabled_control_says_why(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    at = open_page()
    no_failure_but_the_model(at)
    box = at.chat_input[0]
    assert box.disabled
    assert "Ask your coach" not in box.placeholder and "Ollama" in box.placeholder
    disabled = [b for b in at.button if b.disabled]
    assert {b.label for b in disabled} >= {CHECKIN, *EXAMPLES}
    for b in disabled:
        assert b.help and "Ollama" in b.help, b.label


def no_failure_but_the_model(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1 and "ollama serve" in at.error[0].value


def test_an_installed_tool_model_is_offered_before_the_download(models_only: FakeOllama):
    at = open_page()
    assert "qwen3:8b is not installed" in at.error[0].value
    offers = model_offers(at)
    assert offers[0].startswith("Use llama3.2:3b") and offers[-1].startswith("Download qwen3:8b")
    assert not [o for o in offers if "gemma" in o]                 # it cannot call tools
    button(at, offers[0]).click().run()
    no_failure(at)
    assert load_settings().model == "llama3.2:3b"
    assert not at.chat_input[0].disabled and model_offers(at) == []


def test_installed_models_are_ranked_as_the_recommendation_ranks_the_table():
    """The recommendation for a memory is the first of the table's models, ranked."""
    table = [InstalledModel(name, size, tools=True) for _, name, size in TIERS]
    for gb in (2, 8, 16, 64):
        assert setup.rank(table, gb * GB)[0].name == recommend(gb * GB).model, gb


def test_installed_models_rank_what_this_machine_runs_first_largest_first():
    llama = InstalledModel("llama3.2:3b", 2_019_393_189, tools=True)
    qwen4, qwen14 = (InstalledModel("qwen3:4b", 2_500_000_000, tools=True),
                     InstalledModel("qwen3:14b", 9_300_000_000, tools=True))
    big = InstalledModel("llama3.1:70b", 42_000_000_000, tools=True)
    gemma = InstalledModel("gemma:2b", 1_700_000_000, tools=False)
    ranked = setup.rank([gemma, big, llama, qwen14, qwen4], 16 * GB)
    assert [m.name for m in ranked] == ["qwen3:4b", "llama3.2:3b", "qwen3:14b", "llama3.1:70b"]


def test_a_model_set_by_the_environment_is_not_switched_but_says_how(
        models_only: FakeOllama, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COACH_MODEL", "qwen3:14b")
    at = open_page()
    assert not [o for o in model_offers(at) if o.startswith("Use ")]
    shown = texts(at)
    assert "COACH_MODEL=llama3.2:3b" in shown and "llama3.2:3b is installed" in shown


def test_settings_says_why_the_model_picker_is_locked_and_how_to_change_it(
        monkeypatch: pytest.MonkeyPatch):
    advice = recommend(total_memory())
    installed = FakeModel(advice.model)
    with FakeOllama(models=[LLAMA, installed]) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        monkeypatch.setenv("COACH_MODEL", "llama3.2:3b")
        at = open_page("settings")
        [picker] = [s for s in at.selectbox if s.label == "Model"]
        assert picker.disabled and "COACH_MODEL" in (picker.help or "")
        said = " ".join(c.value for c in at.caption)
        assert "pick it as the model above" not in said
        assert f"COACH_MODEL={advice.model}" in said


# --- item 3: the Coach page ---------------------------------------------------------------------

def test_the_page_has_a_heading_and_example_questions_that_ask(ollama: FakeOllama):
    at = open_page()
    no_failure(at)
    assert "Coach" in [h.value for h in at.header]
    assert [b for b in EXAMPLES if b in labels(at)] == EXAMPLES
    button(at, "How was my last week?").click().run()
    wait_for_answers()
    at.run()
    no_failure(at)
    user, assistant = at.chat_message[:2]
    assert [m.value for m in user.markdown] == ["How was my last week?"]
    assert any("Here is what your data says" in m.value for m in assistant.markdown)
    assert not [b for b in EXAMPLES if b in labels(at)]   # a conversation is under way


def checkin_expander(at: AppTest) -> Any:
    [found] = [e for e in at.expander if e.label.startswith("Morning check-in")]
    return found


def test_the_checkin_is_collapsed_with_a_one_line_summary(ollama: FakeOllama):
    at = open_page()
    form = checkin_expander(at)
    assert not form.proto.expanded and "not done today" in form.label
    button(at, CHECKIN).click().run()
    wait_for_answers()
    at.run()
    done = checkin_expander(at)
    assert not done.proto.expanded and "done today" in done.label and "not done" not in done.label


@pytest.fixture
def planned_today(monkeypatch: pytest.MonkeyPatch, ollama: FakeOllama) -> Iterator[FakeIntervals]:
    """An account with a workout planned today (event PLANNED_ID), served."""
    fake = low_hrv_account(athletes_today())
    with fake.serve() as served:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        yield fake


def checked_in(at: AppTest) -> AppTest:
    button(at, CHECKIN).click().run()
    wait_for_answers()
    return at.run()


def test_a_failed_checkin_send_is_shown_with_its_conversation_once_and_dismissed(
        planned_today: FakeIntervals):
    at = checked_in(open_page())
    planned_today.fail_path("/wellness/", 404)
    button(at, "Send this check-in to Intervals.icu").click().run()
    button(at, "Confirm send").click().run()
    [error] = at.error
    assert "wellness" in error.value and "saved on this machine" in error.value
    assert "athlete id" not in error.value and "/api/v1" not in error.value
    checkin_id = at.session_state.conversation_id

    at.button(key="new-conversation").click().run()
    assert not at.error and "Retry sending" not in labels(at)   # another conversation
    at.sidebar.selectbox[0].set_value(checkin_id).run()
    assert len(at.error) == 1 and "Retry sending" in labels(at)
    button(at, "Dismiss").click().run()
    assert not at.error and "Retry sending" in labels(at)
    at.run()
    assert not at.error


# --- item 4: conversations ----------------------------------------------------------------------

def test_delete_asks_first_and_cancel_keeps_the_conversation(ollama: FakeOllama):
    at = open_page()
    at.chat_input[0].set_value("How was my last week?").run()
    wait_for_answers()
    at.run()
    cid = at.session_state.conversation_id
    at.button(key=f"delete-{cid}").click().run()
    assert at.sidebar.selectbox[0].options == ["How was my last week?"]   # not deleted yet
    assert any("cannot be undone" in w.value for w in at.sidebar.warning)
    button(at, "Cancel").click().run()
    assert at.sidebar.selectbox[0].options == ["How was my last week?"]
    at.button(key=f"delete-{cid}").click().run()
    button(at, "Yes, delete it").click().run()
    no_failure(at)
    assert not at.sidebar.selectbox and at.session_state.conversation_id is None


# --- item 5: no internal ids --------------------------------------------------------------------

def test_the_checkin_question_shows_no_event_id_but_the_model_reads_it(
        planned_today: FakeIntervals, ollama: FakeOllama):
    at = checked_in(open_page())
    question = at.chat_message[0]
    shown = " ".join(m.value for m in question.markdown)
    assert "Threshold 3x10" in shown and "event" not in shown and str(PLANNED_ID) not in shown
    labels = [s.label for s in at.chat_message[1].status]
    assert any(x.startswith("Tool: propose_change(") for x in labels)
    assert not [x for x in labels if str(PLANNED_ID) in x]
    asked = [m["content"] for m in ollama.chat_requests[0]["messages"] if m["role"] == "user"]
    assert f"[event {PLANNED_ID}]" in asked[-1]


def test_a_confirmed_card_shows_no_event_id(ollama: FakeOllama):
    at = open_page()
    at.chat_input[0].set_value("Please plan a workout").run()
    wait_for_answers()
    at.run()
    button(at, "Confirm").click().run()
    [success] = at.success
    assert success.value.startswith("Confirmed: on the demo calendar")
    assert "event" not in success.value and not any(c.isdigit() for c in success.value)


VIRTUAL_ID = 104799990


def test_a_moved_virtual_ride_is_labelled_with_its_own_type(planned_today: FakeIntervals,
                                                            ollama: FakeOllama):
    day = athletes_today() + timedelta(days=3)
    planned_today.events[VIRTUAL_ID] = {
        "id": VIRTUAL_ID, "category": "WORKOUT", "type": "VirtualRide", "name": "Zwift endurance",
        "start_date_local": f"{day}T00:00:00", "description": "- 60m 65%", "moving_time": 3600}
    ollama.set_script([
        Reply(tool_calls=[{"name": "propose_change", "arguments": {
            "event_id": VIRTUAL_ID, "action": "move",
            "new_date": (day + timedelta(days=1)).isoformat()}}]),
        Reply(content="Moved it a day later.")])
    at = open_page()
    at.chat_input[0].set_value("Move my indoor ride one day later").run()
    wait_for_answers()
    at.run()
    no_failure(at)
    [title] = [m.value for m in at.markdown if m.value.startswith("**Move")]
    assert "· VirtualRide ·" in title and "· Ride ·" not in title


def test_a_planned_ride_replaced_by_a_long_one_shows_its_carbohydrate_on_the_card(
        planned_today: FakeIntervals, ollama: FakeOllama):
    ollama.set_script([
        Reply(tool_calls=[{"name": "propose_change", "arguments": {
            "event_id": VIRTUAL_ID + 1, "action": "replace",
            "description": "- 15m 55%\n- 2h30m Z2\n- 15m 50%"}}]),
        Reply(content="Saturday's ride becomes three hours; take 60 g an hour.")])
    day = athletes_today() + timedelta(days=3)
    planned_today.events[VIRTUAL_ID + 1] = {
        "id": VIRTUAL_ID + 1, "category": "WORKOUT", "type": "Ride", "name": "Endurance",
        "start_date_local": f"{day}T00:00:00", "description": "- 60m 65%", "moving_time": 3600}
    at = open_page()
    at.chat_input[0].set_value("Make my ride in three days a 3-hour ride").run()
    wait_for_answers()
    at.run()
    no_failure(at)
    [carbs] = [n for n in at.number_input if n.label.startswith("Carbohydrate per hour")]
    assert carbs.value == 60
    assert "over 2.5 h: up to 90 g/h" in texts(at)
