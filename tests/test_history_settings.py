"""History shows each figure whole and with its unit, and hands an activity to the coach in a
conversation of its own, without its id; Settings takes the hours field away from a day off and
says why (AppTest with the real store and the fake Ollama; a real browser for what fits)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from coach.app.session import Coach
from coach.messages import Role
from coach.settings import load_settings
from coach.testing.coach_script import coach as coach_script
from coach.testing.ollama_server import FakeOllama
from tests.browser import Traffic, app_page, require_browser, wait_idle
from tests.pages import no_failure, open_page, texts, wait_for_answers

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def metrics_of(at: Any) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(("sport", "unit"), [("Run", "spm"), ("Ride", "rpm"),
                                             ("Swim", "strokes/min")])
def test_history_shows_cadence_with_its_unit(ollama, sport, unit):
    at = open_page("history")
    at.selectbox(key="history-sport").set_value(sport).run()
    no_failure(at)
    cadence = metrics_of(at)["cadence"]
    assert re.fullmatch(rf"\d+ {unit}", cadence), cadence
    if sport == "Run":   # steps of both feet, as runners count them (the demo records one)
        assert 150 <= int(cadence.split()[0]) <= 200, cadence


def test_settings_takes_the_hours_field_away_from_a_day_off_and_says_why(ollama):
    at = open_page("settings")
    assert at.number_input(key="hours-mon").disabled is False
    at.multiselect(key="days-off").set_value([0, 6]).run()
    no_failure(at)
    numbers = {n.key for n in at.number_input}
    assert "hours-mon" not in numbers and "hours-sun" not in numbers and "hours-tue" in numbers
    for key in ("hours-mon-off", "hours-sun-off"):
        field = at.text_input(key=key)
        assert field.disabled and field.value == "day off" and "Days off" in field.help
    assert "Mon, Sun: a day off has no hours; remove it from Days off to train on it " \
        "again." in texts(at)
    at.multiselect(key="days-off").set_value([6]).run()        # Monday trained again
    assert at.number_input(key="hours-mon").value == 1.5 and not at.number_input(
        key="hours-mon").disabled


def test_settings_says_which_fields_the_environment_locks_and_how_to_change_them(
        ollama, monkeypatch):
    monkeypatch.setenv("COACH_NUM_CTX", "4096")
    at = open_page("settings")
    no_failure(at)
    assert "Set by environment variables, so locked here: Ollama host (OLLAMA_HOST), Context " \
        "window (COACH_NUM_CTX). To change them, start Local Coach without those variables, " \
        "or with other values." in texts(at)
    [host] = [t for t in at.text_input if t.label == "Ollama host"]
    [athlete] = [t for t in at.text_input if t.label.startswith("Athlete id")]
    assert host.disabled and "environment variable OLLAMA_HOST" in host.help
    [ctx] = [n for n in at.number_input if n.label.startswith("Context window")]
    assert ctx.disabled and "COACH_NUM_CTX" in ctx.help
    assert not athlete.disabled and not athlete.help


def discuss(at: Any, sport: str) -> None:
    at.switch_page("views/history.py").run()
    at.selectbox(key="history-sport").set_value(sport).run()
    [button] = [b for b in at.button if b.label == "Discuss with coach"]
    button.click().run()
    wait_for_answers()


def test_each_activity_handed_to_the_coach_has_its_own_title_and_no_id(ollama):
    at = open_page("history")
    discuss(at, "Swim")
    discuss(at, "Run")
    with Coach(load_settings()) as coach:
        conversations = coach.conversations()
        firsts = {c.title: next(m.content for m in coach.messages(c.id) if m.role == Role.USER)
                  for c in conversations}
        today = coach.today()
        ids = [a.id for a in coach.store.activities("demo", today - timedelta(90), today)]
    assert len(conversations) == 2 and len(firsts) == 2               # two distinct titles
    for title, text in firsts.items():
        assert re.fullmatch(r".+ · (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} \w{3}( \d{4})?", title)
        assert not title.endswith("…") and "Let's discuss" not in title
        assert text.startswith("Let's discuss my activity on 20")       # its day, for the tools
        assert "[id" not in text and not re.search(r"\bi\d{6,}\b", text), text
    assert ids and not [i for i in ids if i in " ".join(firsts.values())]
    at.switch_page("views/coach.py").run()
    no_failure(at)
    shown = " ".join(m.value for msg in at.chat_message for m in msg.markdown)
    assert "Let's discuss my activity on" in shown and "[id " not in shown


def test_discuss_says_why_it_cannot_start_without_the_model(monkeypatch):
    from coach.testing.ollama_server import closed_port_url

    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    at = open_page("history")
    no_failure(at)
    [button] = [b for b in at.button if b.label == "Discuss with coach"]
    assert button.disabled and "needs its model" in (button.help or "")
    assert "The coach needs its model to answer: see the Coach page." in texts(at)


# --- in the browser ---------------------------------------------------------------------------

FITS = """() => Array.from(document.querySelectorAll(
    ".st-key-activity-detail [data-testid='stMetricValue'], "
    + ".st-key-activity-detail [data-testid='stMetricValue'] *")).every(
    e => e.scrollWidth <= e.clientWidth + 1)"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 390])
def test_history_shows_the_swim_pace_whole(tmp_path: Path, width: int):
    require_browser()
    with FakeOllama(script=coach_script) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, Traffic()) as page:
            page.get_by_test_id("stSidebarNavLink").filter(has_text="History").click()
            wait_idle(page)
            page.get_by_test_id("stSelectbox").filter(has_text="Sport").click()
            page.get_by_role("option", name="Swim", exact=True).click()
            wait_idle(page)
            page.set_viewport_size({"width": width, "height": 1000})   # a phone: sidebar shut
            page.wait_for_timeout(700)
            values = page.locator(".st-key-activity-detail [data-testid='stMetricValue']")
            shown = values.all_inner_texts()
            assert any(re.fullmatch(r"\d:\d\d /100m", v) for v in shown), shown
            assert page.evaluate(FITS), f"a figure is cut at {width} px: {shown}"
