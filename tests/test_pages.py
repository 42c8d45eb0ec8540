"""Each page's logic with seeded data (AppTest, the real store, fake servers at the edge)."""

from __future__ import annotations

import pytest

from coach.app.session import Coach
from coach.settings import load_settings
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.intervals_samples import SAMPLE_ACTIVITIES, SAMPLE_ATHLETE, SAMPLE_WELLNESS
from coach.testing.ollama_server import closed_port_url
from coach.ui.text import plain
from tests.pages import no_failure, open_page, texts, wait_for_answers

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def test_fitness_page_draws_every_chart_with_data(ollama):
    at = open_page("fitness")
    no_failure(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 6           # fitness, hours, load, intensity, HRV, resting HR, sleep
    assert "Latest" in texts(at) and "form" in texts(at)
    at.segmented_control[0].set_value("1 year").run()
    no_failure(at)
    assert len(at.get("vega_lite_chart")) >= 6


def test_history_filters_and_detail_and_discuss(ollama):
    at = open_page("history")
    no_failure(at)
    [table] = at.dataframe
    rows = len(table.value)
    assert rows > 20
    at.selectbox(key="history-sport").set_value("Swim").run()
    assert 0 < len(at.dataframe[0].value) < rows
    assert set(at.dataframe[0].value["sport"]) <= {"Swim", "OpenWaterSwim"}
    at.text_input(key="history-text").set_value("pool").run()
    assert all("pool" in n.lower() for n in at.dataframe[0].value["name"])
    assert any(m.label == "load" for m in at.metric)
    [discuss] = [b for b in at.button if b.label == "Discuss with coach"]
    discuss.click().run()
    assert at.chat_message                     # the page switched to the Coach
    wait_for_answers()
    at.switch_page("views/coach.py").run()     # (AppTest stays on its own page between runs)
    no_failure(at)
    assert any("Let's discuss my activity on" in m.value for m in at.chat_message[0].markdown)


def test_plan_page_shows_planned_workouts_and_proposals(ollama):
    at = open_page()
    at.chat_input[0].set_value("Propose three sessions please").run()
    wait_for_answers()
    at.switch_page("views/plan.py").run()
    no_failure(at)
    shown = texts(at)
    assert "Plan: the next 4 weeks" in shown and "○ proposed" in shown
    assert "Long ride" in shown                          # the generated plan's events
    assert [b.label for b in at.button].count("Confirm") == 3
    [b for b in at.button if b.label == "Confirm"][0].click().run()
    assert "✓ confirmed" in texts(at)


def test_conversations_new_rename_search_delete(ollama):
    at = open_page()
    at.chat_input[0].set_value("How was my last week?").run()
    wait_for_answers()
    at.run()
    at.button(key="new-conversation").click().run()
    at.chat_input[0].set_value("Why is my HRV down?").run()
    wait_for_answers()
    at.run()
    picker = at.sidebar.selectbox[0]
    assert len(picker.options) == 2
    at.text_input(key="conversation-search").set_value("last week").run()
    assert [o for o in at.sidebar.selectbox[0].options] == ["How was my last week?"]
    cid = at.session_state.conversation_id
    at.text_input(key=f"title-{cid}").set_value("Weekly review").run()
    at.button(key=f"rename-{cid}").click().run()
    at.text_input(key="conversation-search").set_value("").run()
    assert "Weekly review" in at.sidebar.selectbox[0].options
    current = at.session_state.conversation_id
    at.button(key=f"delete-{current}").click().run()
    assert len(at.sidebar.selectbox[0].options) == 2          # it asks first
    at.button(key=f"delete-yes-{current}").click().run()
    no_failure(at)
    assert len(at.sidebar.selectbox[0].options) == 1


def test_settings_page_lists_models_with_badges_and_data_size(ollama, data_dir):
    at = open_page("settings")
    no_failure(at)
    [model] = [s for s in at.selectbox if s.label == "Model"]
    assert model.format_func(model.options[0]) == "qwen3:8b · 8.2B · 5.2 GB · tools ✓"
    shown = texts(at)
    assert "What leaves this machine" in shown and plain(str(data_dir)) in shown and " MB)" in shown
    assert any("ready, can call tools" in s.value for s in at.success)
    at.number_input[0].set_value(16384)          # a form: the value counts on submit
    at.button(key="FormSubmitter:settings-Save settings").click().run()
    assert load_settings().num_ctx == 16384


def test_first_run_with_no_key_and_no_ollama_explains_and_stays_usable(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    at = open_page()
    assert not at.exception
    shown = texts(at)
    assert "demo athlete" in shown and "Developer Settings" in shown
    assert any("ollama serve" in e.value for e in at.error)
    assert "ollama pull qwen3:8b" in " ".join(e.value for e in at.markdown)
    assert at.chat_input[0].disabled
    at.switch_page("views/fitness.py").run()
    assert not at.exception and at.get("vega_lite_chart")


@pytest.fixture
def coach_account(monkeypatch):
    """A coach's key that also sees athlete i777 (with their own history)."""
    coached = FakeIntervals(athlete={**SAMPLE_ATHLETE, "id": "i777", "name": "Bea Coached"},
                            activities=SAMPLE_ACTIVITIES[:1], wellness=SAMPLE_WELLNESS,
                            athlete_id="i777")
    fake = FakeIntervals(athlete=SAMPLE_ATHLETE, activities=SAMPLE_ACTIVITIES,
                         wellness=SAMPLE_WELLNESS)
    fake.coached["i777"] = coached
    with fake.serve() as served:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        yield fake, coached


def test_coach_mode_switches_athletes_and_keeps_them_apart(ollama, coach_account):
    fake, coached = coach_account
    at = open_page("settings")
    at.button(key="load-roster").click().run()
    assert any("2 athletes" in s.value for s in at.success)
    switcher = at.sidebar.selectbox(key="athlete-switcher")
    assert switcher.format_func(switcher.value) == "Ana Ruiz"
    switcher.set_value("i777").run()
    no_failure(at)
    assert "Athlete: Bea Coached" in [c.value for c in at.sidebar.caption]
    with Coach(load_settings()) as c:
        assert c.athlete_id == "i777"
        assert c.store.counts("i777")["activities"] == 1
        assert c.store.counts("i123456")["activities"] == 4
    at.sidebar.selectbox(key="athlete-switcher").set_value("i123456").run()
    assert "Athlete: Ana Ruiz" in [c.value for c in at.sidebar.caption]
