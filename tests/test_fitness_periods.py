"""The Fitness page's period drives every chart on it (and says so), the forecast reaches the
next A race so the race is marked, and every chart is tall enough to read with a tick every
sensible step: read in Chromium from what Vega draws (axis labels, their scale's description,
the text marks) and from the plot's size, on the demo athlete."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coach import demo
from coach.testing.athletes import athletes_today
from coach.testing.coach_script import coach
from coach.testing.ollama_server import FakeOllama
from tests.browser import Traffic, app_page, nav, require_browser, screenshot, send, wait_idle

pytestmark = pytest.mark.browser

# Per chart: the plot's size (the view's background), each axis's description and labels,
# and every text drawn (marks included).
CHARTS = """() => Array.from(document.querySelectorAll("[data-testid='stVegaLiteChart']"))
  .map(chart => {
    const svg = chart.querySelector("svg");
    if (!svg) return null;
    const plot = svg.querySelector("g.role-frame.root > g > path.background");
    const box = plot ? plot.getBoundingClientRect() : {width: 0, height: 0};
    const shown = t => t.getAttribute("opacity") !== "0";
    return {
      plot: [box.width, box.height],
      axes: Array.from(svg.querySelectorAll("g.role-axis")).map(a => ({
        aria: a.getAttribute("aria-label") || "",
        labels: Array.from(a.querySelectorAll("g.role-axis-label text")).filter(shown)
          .map(t => t.textContent)})).filter(a => a.aria),
      texts: Array.from(svg.querySelectorAll("text")).map(t => t.textContent),
    };
  }).filter(c => c)"""


@pytest.fixture
def demo_page(tmp_path: Path) -> Iterator[Any]:
    require_browser()
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, Traffic()) as page:
            page.set_viewport_size({"width": 1400, "height": 1000})
            yield page


def charts(page: Any) -> list[dict[str, Any]]:
    page.wait_for_timeout(800)          # Vega draws after the page is idle
    return list(page.evaluate(CHARTS))


def axis(chart: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [a for a in chart["axes"] if a["aria"].startswith(f"{name}-axis")]
    return found


def first_day(chart: dict[str, Any]) -> date:
    """The first day of a time axis, from its description (`… values from Friday, 05
    December 2025, 12:00:00 AM UTC to …`)."""
    found = re.search(r"values from \w+, (\d{2} \w+ \d{4})", axis(chart, "X")["aria"])
    assert found, axis(chart, "X")["aria"]
    return datetime.strptime(found.group(1), "%d %B %Y").date()


def last_day(chart: dict[str, Any]) -> date:
    found = re.search(r"to \w+, (\d{2} \w+ \d{4})", axis(chart, "X")["aria"])
    assert found, axis(chart, "X")["aria"]
    return datetime.strptime(found.group(1), "%d %B %Y").date()


def evenly_stepped(labels: list[str]) -> Decimal:
    """The step between tick labels: at least 4 labels, one step, a 1, 2, 2.5 or 5 times a
    power of ten (not 0 and 50 only)."""
    values = [Decimal(label.replace("−", "-").replace(",", "")) for label in labels]
    assert len(values) >= 4, labels
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1, labels
    step = steps.pop()
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {1, 2, Decimal("2.5"), 5}, labels
    return step


def readable(chart: dict[str, Any], min_height: float) -> None:
    assert chart["plot"][1] >= min_height, chart["plot"]
    evenly_stepped(axis(chart, "Y")["labels"])


def test_the_a_race_six_weeks_out_is_marked_on_the_fitness_chart(demo_page):
    page = demo_page
    today = athletes_today()
    [race] = [e for e in demo.generate(today).events if e.get("category") == "RACE_A"]
    assert 28 < (date.fromisoformat(race["start_date_local"][:10]) - today).days <= 16 * 7
    nav(page, "Fitness")
    fitness = charts(page)[0]
    # beyond the 4 weeks the forecast used to cover: its name is drawn beside its rule
    assert any(t.startswith(race["name"][:20]) for t in fitness["texts"]), fitness["texts"]
    assert first_day(fitness) < today < last_day(fitness)


def test_the_period_drives_every_chart_and_says_so(demo_page):
    page = demo_page
    today = athletes_today()
    nav(page, "Fitness")
    page.get_by_text("1 year", exact=True).click()
    wait_idle(page)
    drawn = charts(page)
    screenshot(page, "fitness-one-year")
    days = [c for c in drawn if "for a utc scale" in axis(c, "X")["aria"]]
    bars = [c for c in drawn if "discrete scale" in axis(c, "X")["aria"]]
    assert len(days) == 4 and len(bars) == 2            # fitness and wellness; hours and load
    for chart in days:                                   # every day axis reaches a year back
        assert first_day(chart) <= today - timedelta(days=330), axis(chart, "X")["aria"]
    for chart in bars:                                   # a bar per month, for a year
        assert "titled 'month'" in axis(chart, "X")["aria"], axis(chart, "X")["aria"]
        assert re.search(r"discrete scale with 1[23] values", axis(chart, "X")["aria"])
    expect(page.get_by_text("Every chart below shows the last year, hours and load by "
                            "month.")).to_be_visible()
    page.get_by_text("All history", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Every chart below shows all your history, from")).to_be_visible()
    page.get_by_text("6 weeks", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Every chart below shows the last 6 weeks.")).to_be_visible()
    for chart in charts(page):
        if "for a utc scale" in axis(chart, "X")["aria"]:
            assert first_day(chart) >= today - timedelta(days=43), axis(chart, "X")["aria"]


def test_charts_are_tall_enough_with_a_tick_every_sensible_step(demo_page):
    page = demo_page
    send(page, "Propose three sessions please")
    page.get_by_role("button", name="Confirm all").wait_for(timeout=60_000)
    wait_idle(page)
    workouts = charts(page)                              # the cards' intensity charts
    assert len(workouts) == 3
    for chart in workouts:
        readable(chart, 150)
    nav(page, "Plan")
    [hours] = [c for c in charts(page) if "time (hours)" in axis(c, "Y")["aria"]]
    readable(hours, 150)
    nav(page, "Fitness")
    drawn = charts(page)
    screenshot(page, "fitness-charts")
    for chart in drawn:
        if any(a["aria"].startswith("Y-axis") for a in chart["axes"]):
            readable(chart, 120)
        else:                                            # the intensity bar: one bar, thick
            assert chart["plot"][1] >= 30, chart["plot"]
