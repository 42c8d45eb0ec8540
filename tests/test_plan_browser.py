"""Multi-week plans and the Plan calendar in headless Chromium against `coach` started as a user
would, with a fake Intervals.icu account served over HTTP that records every write."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coach import display
from coach.proposals import plans
from coach.scope import Scope
from coach.store import Store
from coach.testing.coach_script import coach
from coach.testing.ollama_server import FakeOllama
from tests.browser import (
    Traffic,
    account_env,
    app_page,
    nav,
    real_account,
    require_browser,
    screenshot,
    send,
    wait_idle,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    require_browser()


def tall_screenshot(page, name: str, height: int = 3400) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the window grows."""
    page.set_viewport_size({"width": 1280, "height": height})
    wait_idle(page)
    screenshot(page, name)
    page.set_viewport_size({"width": 1280, "height": 1000})


def set_monday_off(page) -> None:
    nav(page, "Settings & privacy")
    page.locator(".st-key-days-off input").click()
    page.keyboard.press("ArrowDown")                  # the list opens from the keyboard
    page.get_by_role("option", name="Mon", exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save availability").click()
    expect(page.get_by_text("Availability saved.")).to_be_visible()
    wait_idle(page)


def test_four_weeks_with_monday_off_add_up_to_their_targets(tmp_path: Path):
    fake = real_account()
    traffic = Traffic()
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            set_monday_off(page)
            nav(page, "Coach")
            send(page, "Build me 4 weeks to my race")
            page.get_by_role("button", name="Confirm all").wait_for(timeout=60_000)
            wait_idle(page)
            card = page.locator(".st-key-plan-weeks-1")
            expect(card).to_contain_text("Plan: 4 weeks from")
            rows = card.get_by_test_id("stTable").locator("tbody tr")
            expect(rows).to_have_count(6 + 1 + 4)      # 6 weeks done, this one, 4 planned
            expect(rows.filter(has_text="✓")).to_have_count(4)    # each week within 10%
            store = Store(tmp_path / "data" / "coach.db")
            try:
                plan = store.plan(1)
                assert plan is not None
                status = plans.plan_status(Scope(store, "i123456", date.today()), plan)
                workouts = store.plan_proposals(1)
            finally:
                store.close()
            for week in plan.weeks:
                monday = page.locator(f".st-key-plan-1-day-{week['monday']}")
                expect(monday).to_have_count(1)
                expect(monday).not_to_contain_text("○")              # no Monday workout
            assert workouts and all(date.fromisoformat(p.day).weekday() != 0 for p in workouts)
            assert len(status) == 4 and all(w.adds_up for w in status)
            for w in status:
                assert abs(w.planned_hours - w.target_hours) <= 0.1 * w.target_hours
                assert abs(w.planned_load - w.target_load) <= 0.1 * w.target_load
            assert fake.writes == []                                  # proposing wrote nothing
            tall_screenshot(page, "plan-card")
            nav(page, "Plan")                 # the calendar shows the plan's weeks and card
            expect(page.locator(".st-key-plan-weeks-1")).to_be_visible()
            next_week_until(page, page.get_by_text("○ proposed"))   # one week at a time
            expect(page.get_by_text("○ proposed").first).to_be_visible()
            tall_screenshot(page, "plan-page-with-plan", 5200)
    assert traffic.external == []


def next_week_until(page, shown) -> None:
    """Next week → until `shown` is on the page (the calendar shows one week at a time)."""
    for _ in range(4):
        if shown.count():
            return
        page.get_by_role("button", name="Next week →").click()
        wait_idle(page)


def first_planned_workout(fake) -> dict:
    tomorrow = date.today() + timedelta(days=1)
    return min((e for e in fake.events.values() if e.get("category") == "WORKOUT" and
                date.fromisoformat(e["start_date_local"][:10]) >= tomorrow),
               key=lambda e: e["start_date_local"])


def propose_move(page, event_id: int, new_day: date) -> None:
    """Change → Move to → a day → Propose the move, from the calendar itself."""
    page.locator(f".st-key-change-{event_id}").get_by_role("button").click()
    page.locator(f".st-key-move-day-{event_id} input").click()
    page.keyboard.press("ArrowDown")
    page.get_by_role("option", name=display.day(new_day, date.today())).click()
    page.get_by_role("button", name="Propose the move").click()
    expect(page.get_by_text("Change proposed for")).to_be_visible(timeout=30_000)
    wait_idle(page)
    page.keyboard.press("Escape")                                # close the popover


def test_a_move_on_the_plan_page_is_one_change_and_one_update(tmp_path: Path):
    fake = real_account()
    traffic = Traffic()
    event = first_planned_workout(fake)
    new_day = date.fromisoformat(event["start_date_local"][:10]) + timedelta(days=1)
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            nav(page, "Plan")
            expect(page.get_by_role("heading", name="Plan: the next 4 weeks")).to_be_visible()
            tall_screenshot(page, "plan-page", 3000)
            next_week_until(page, page.locator(f".st-key-change-{event['id']}"))
            propose_move(page, event["id"], new_day)
            store = Store(tmp_path / "data" / "coach.db")
            try:
                changes = store.proposals(athlete_id="i123456")
            finally:
                store.close()
            assert [(p.kind, p.target_event_id, p.new_day) for p in changes] == [
                ("move", event["id"], new_day.isoformat())]
            assert fake.writes == []                                  # proposing wrote nothing
            card = page.locator(f".st-key-proposal-{changes[0].id}")
            expect(card).to_contain_text("Move ·")
            tall_screenshot(page, "plan-page-move", 3000)
            card.get_by_role("button", name="Confirm").click()
            expect(card.get_by_text("Confirmed: moved on your Intervals.icu calendar")
                   ).to_be_visible(timeout=30_000)
            wait_idle(page)
    [put] = fake.writes                                               # exactly one write
    assert put.method == "PUT"
    assert put.path == f"/api/v1/athlete/i123456/events/{event['id']}"
    assert put.body == {"start_date_local": f"{new_day.isoformat()}T00:00:00"}
    assert fake.events[event["id"]]["start_date_local"].startswith(new_day.isoformat())
    assert traffic.external == []
