"""Budgets that keep a 4-8k-token local model working: measured on the demo athlete and on a
synthetic 10-year athlete. A test fails if a budget is exceeded."""

import json
from datetime import timedelta
from typing import Any

import pytest

from coach.agent.tools import call_tool, catalog
from coach.app.session import Coach
from coach.scope import Scope
from coach.settings import Settings
from coach.testing.athletes import TODAY, demo_store, ten_year_store

CATALOG_BUDGET = 3000
PROMPT_BUDGET = 2400
RESULT_BUDGET = 2400
YEAR_BUDGET = 4000

STANDARD_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("athlete_profile", {}),
    ("training_summary", {"weeks": 1}),
    ("training_summary", {"weeks": 4}),
    ("fitness_trend", {"days": 42}),
    ("fitness_trend", {"days": 90}),
    ("wellness_trend", {"days": 14}),
    ("list_activities", {"start": str(TODAY - timedelta(days=7)), "end": str(TODAY)}),
    ("planned_workouts", {"start": str(TODAY), "end": str(TODAY + timedelta(days=14))}),
    ("training_summary", {"weeks": 12}),
    ("planned_workouts", {"start": str(TODAY - timedelta(days=28)), "end": str(TODAY)}),
    ("best_efforts", {"sport": "Ride"}),
    ("best_efforts", {"sport": "Run"}),
    ("best_efforts", {}),
]


@pytest.fixture(scope="module", params=["demo", "ten-years"])
def athlete(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    store = demo_store(folder) if request.param == "demo" else ten_year_store(folder)
    athlete_id = "demo" if request.param == "demo" else "i123456"
    yield request.param, store, athlete_id
    store.close()


def test_tool_catalog_sent_to_ollama_fits():
    size = len(json.dumps(catalog()))
    assert size <= CATALOG_BUDGET, f"tool catalog is {size} characters"


def test_system_prompt_with_athlete_card_fits(athlete, tmp_path):
    name, store, athlete_id = athlete
    ctx = Scope(store, athlete_id, TODAY)
    with Coach(Settings(data_dir=tmp_path)) as coach:
        prompt = coach.system_prompt(ctx)
    assert "CTL" in prompt and "FTP 250 W" in prompt
    assert len(prompt) <= PROMPT_BUDGET, f"{name}: system prompt is {len(prompt)} characters"


@pytest.mark.parametrize("tool, args", STANDARD_CALLS, ids=[
    f"{t}-{'-'.join(map(str, a.values()))}" for t, a in STANDARD_CALLS])
def test_each_standard_tool_result_fits(athlete, tool, args):
    name, store, athlete_id = athlete
    result = call_tool(Scope(store, athlete_id, TODAY), tool, args)
    assert result.ok, result.text
    assert len(result.text) <= RESULT_BUDGET, f"{name}: {tool} gave {len(result.text)} chars"
    assert "Today is Thursday 2026-11-26." in result.text


def test_a_year_of_history_in_one_summary(athlete):
    name, store, athlete_id = athlete
    result = call_tool(Scope(store, athlete_id, TODAY), "training_summary",
                       {"weeks": 52})
    assert result.ok and result.text.count("\n") >= 13      # 12 or 13 months and a total
    assert len(result.text) <= YEAR_BUDGET, f"{name}: a year is {len(result.text)} chars"


def test_the_ten_year_store_holds_ten_years(athlete):
    name, store, athlete_id = athlete
    counts = store.counts(athlete_id)
    expected = 3000 if name == "ten-years" else 300
    assert counts["activities"] > expected and counts["wellness"] > expected
