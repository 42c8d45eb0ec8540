"""Every page reads like a training log in a real browser: no raw value (`None`, `nan`, an
epoch, a timestamp, a repr, a traceback) in the text or in the charts and tables, for the demo
athlete and for a synced account whose records carry nulls. First, the rows the pages draw
from that account: raw values to sort on, text for people where they show it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coach.app import rows as dashboard
from coach.intervals.client import IntervalsClient
from coach.intervals.sync import sync_history
from coach.proposals.check import check_text
from coach.proposals.create import create_proposal
from coach.scope import Scope
from coach.store import Store
from coach.testing.athletes import TODAY, sparse_account
from coach.testing.coach_script import coach
from coach.testing.intervals_fake import API_KEY
from coach.testing.ollama_server import FakeOllama
from coach.testing.raw_values import raw_values_on_page
from tests.browser import (
    Traffic,
    browser_page,
    require_browser,
    running_app,
    screenshot,
    send,
    wait_idle,
)

WIDTH = 1400
PAGES = [("Coach", None), ("Plan", "Plan: the next 4 weeks"), ("Fitness", "Fitness"),
         ("History", "History"), ("Settings & privacy", "Settings & privacy")]

# Streamlit draws charts (Vega) and tables (glide-data-grid) on canvases: record every text
# they draw, so the check reads axis labels, legends and table cells too.
RECORD_CANVAS_TEXT = """
window.__drawn = [];
for (const proto of [CanvasRenderingContext2D.prototype,
                     OffscreenCanvasRenderingContext2D.prototype]) {
  for (const name of ["fillText", "strokeText"]) {
    const original = proto[name];
    proto[name] = function (text, ...rest) {
      window.__drawn.push(String(text));
      return original.call(this, text, ...rest);
    };
  }
}
"""


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scope]:
    """The account with nulls, synced (through the fake's transport) into a store."""
    fake = sparse_account(TODAY)
    store = Store(tmp_path_factory.mktemp("sparse") / "coach.db")
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake.transport(),
                         sleep=lambda s: None) as client:
        sync_history(client, store, TODAY)
    yield Scope(store, "i123456", TODAY)
    store.close()


def test_history_rows_are_raw_values_with_none_for_what_is_missing(sparse):
    rows = dashboard.history_rows(sparse, dashboard.HistoryFilter(start=TODAY - timedelta(90)))
    assert all(isinstance(r["date"], date) for r in rows)
    assert all(r["duration"] is None or isinstance(r["duration"], int) for r in rows)
    assert 0 not in [r["km"] for r in rows] and None in [r["km"] for r in rows]
    assert any(r["km"] and not float(r["km"]).is_integer() for r in rows)   # not rounded
    for field in ("duration", "load", "intensity", "avg HR", "NP", "name"):
        assert any(r[field] is None for r in rows), field
    [stub] = [r for r in rows if r["sport"] == dashboard.STRAVA_SPORT]
    assert stub["name"] is None and stub["duration"] is None


def test_activity_details_are_text_for_people(sparse):
    rows = dashboard.history_rows(sparse, dashboard.HistoryFilter(start=TODAY - timedelta(90)))
    for row in rows:
        found = dashboard.activity_detail(sparse, row["id"])
        assert found is not None
        shown = " | ".join(f"{k}: {v}" for k, v in found["metrics"].items())
        assert all(isinstance(v, str) and v != "—" for v in found["metrics"].values())
        assert not raw_values_on_page(shown + " | " + found["day"]), shown
        assert not re.search(r"\d\.\d{2,}", shown.replace("W/kg", "")), shown


@pytest.mark.parametrize("weeks", [1, 2, 4, 13, 26, 52])
def test_intensity_shares_add_up_to_exactly_100(sparse, weeks):
    rows = dashboard.intensity_rows(sparse, weeks)
    assert rows and sum(r["share"] for r in rows) == 100
    assert all(isinstance(r["share"], int) for r in rows)


def test_plan_week_rows_say_done_planned_and_proposed_per_monday(sparse):
    monday = TODAY - timedelta(days=TODAY.weekday())
    first, last = monday - timedelta(weeks=4), monday + timedelta(weeks=2)
    rows = dashboard.plan_week_rows(sparse)
    weeks = {r["week"] for r in rows}
    assert weeks <= {(first + timedelta(weeks=i)).isoformat() for i in range(7)}
    done = {r["week"] for r in rows if r["kind"] == "done"}
    planned = {r["week"] for r in rows if r["kind"] == "planned"}
    assert len(done) == 5 and max(done) == monday.isoformat()      # 4 weeks back and this one
    assert planned and min(planned) >= monday.isoformat()
    assert all(r["hours"] > 0 for r in rows)
    assert not [r for r in rows if r["kind"] == "proposed"]
    text = "- 10m 60%\n- 40m Z2\n- 10m 50%"
    busy = TODAY + timedelta(days=1)        # a workout is planned: the proposal would clash
    assert [e for e in sparse.store.events("i123456", busy, busy) if e.category == "WORKOUT"]
    free = next(d for d in (TODAY + timedelta(days=n) for n in range(2, 14))
                if not [e for e in sparse.store.events("i123456", d, d)
                        if e.category == "WORKOUT"])
    for day in (busy, free, last + timedelta(days=7)):   # the last: too late
        create_proposal(sparse.store, athlete_id="i123456", conversation_id=None, day=day,
                        sport="Ride", name="Endurance", description=text,
                        check=check_text(sparse.store, "i123456", "Ride", text))
    proposed = [r for r in dashboard.plan_week_rows(sparse) if r["kind"] == "proposed"]
    week = free - timedelta(days=free.weekday())      # only the proposal on a free day counts
    assert proposed == [{"week": week.isoformat(), "kind": "proposed", "hours": 1.0}]


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture
def browser() -> None:
    require_browser()


def shown_text(page: Any) -> str:
    """The page's visible text and the text drawn on its canvases and SVG charts. The canvas
    log is emptied, then a 1 px resize makes every chart and table draw itself again, so only
    what this page draws is read."""
    page.evaluate("window.__drawn = []")
    for width in (WIDTH - 1, WIDTH):
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(700)
    body = page.inner_text("body")
    drawn = page.evaluate("window.__drawn")
    svg = page.evaluate("""Array.from(document.querySelectorAll(
        "[data-testid='stVegaLiteChart'] svg text")).map(t => t.textContent)""")
    return "\n".join([body, *drawn, *svg])


def whole_page_screenshot(page: Any, name: str) -> None:
    """Streamlit scrolls inside its main section, not the window: make the window as tall as
    that section's content for the full-page screenshot."""
    height = page.evaluate("""Math.max(...Array.from(document.querySelectorAll(
        "[data-testid='stMain'], [data-testid='stAppViewContainer'], section")).map(
        e => e.scrollHeight))""")
    page.set_viewport_size({"width": WIDTH, "height": max(1000, height)})
    page.wait_for_timeout(700)   # charts redraw at the new size
    screenshot(page, name)
    page.set_viewport_size({"width": WIDTH, "height": 1000})


@contextmanager
def opened(tmp_path: Path, env: dict[str, str], traffic: Traffic) -> Iterator[Any]:
    """`coach` started with `env`, a 1400 px wide page recording its canvas text, idle."""
    with running_app(tmp_path, env, tmp_path / "app.log") as app, \
            browser_page(traffic) as page:
        page.set_viewport_size({"width": WIDTH, "height": 1000})
        page.add_init_script(RECORD_CANVAS_TEXT)
        page.goto(app.url)
        wait_idle(page)
        yield page


def visit_every_page(page: Any, athlete: str, expected: dict[str, str]) -> list[str]:
    """Open each page (after asking for a week's plan) and screenshot it; return the raw
    values it shows, and the `expected` text (page title -> text) it does not."""
    problems = []
    send(page, "Propose three sessions please")  # cards on the Coach page, proposals on the Plan
    page.get_by_role("button", name="Confirm all").wait_for(timeout=60_000)
    wait_idle(page)
    for title, heading in PAGES:
        page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
        wait_idle(page)
        if heading:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        shown = shown_text(page)
        if expected.get(title, "") not in shown:
            problems.append(f"{title}: {expected[title]!r} is not shown")
        problems += [f"{title}: {p}" for p in raw_values_on_page(shown)]
        whole_page_screenshot(page, f"{title.split()[0].lower()}-{athlete}")
    return problems


@pytest.mark.browser
@pytest.mark.usefixtures("browser")
def test_every_page_of_the_demo_athlete_reads_without_raw_values_on_page(tmp_path: Path):
    traffic = Traffic()
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with opened(tmp_path, env, traffic) as page:
            page.get_by_text("demo athlete", exact=False).first.wait_for()
            problems = visit_every_page(page, "demo", {
                "Plan": "Hours per week", "Fitness": "Latest, ", "History": "Discuss with coach"})
    assert not problems, "\n".join(problems)
    assert traffic.external == []


@pytest.mark.browser
@pytest.mark.usefixtures("browser")
def test_every_page_of_an_account_with_nulls_reads_without_raw_values_on_page(tmp_path: Path):
    fake = sparse_account()
    traffic = Traffic()
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_INTERVALS_URL": intervals.url,
               "COACH_INTERVALS_API_KEY": API_KEY, "OLLAMA_HOST": ollama.url}
        with opened(tmp_path, env, traffic) as page:
            expect(page.get_by_text("Athlete: Sam Sparse")).to_be_visible()   # first sync ran
            problems = visit_every_page(page, "nulls", {
                "Plan": "Hours per week", "Fitness": "No sleep values in this period",
                "History": "Strava import"})
    assert not problems, "\n".join(problems)
    assert traffic.external == []
