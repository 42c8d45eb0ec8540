"""The morning check-in in headless Chromium, against `coach` started as a user would, a fake
Intervals.icu account served over HTTP and the scripted coach: a low-HRV morning leads to an
easier-workout change card; Confirm changes exactly that event, Undo restores it; the check-in
reaches Intervals.icu wellness only after its own Confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from coach.testing.athletes import HARD_TEXT, PLANNED_ID, athletes_today, low_hrv_account
from coach.testing.coach_script import EASY_TEXT, coach
from coach.testing.ollama_server import FakeOllama
from tests.browser import (
    Traffic,
    account_env,
    app_page,
    require_browser,
    screenshot,
    wait_idle,
)

pytestmark = pytest.mark.browser
EVENT_PATH = f"/api/v1/athlete/i123456/events/{PLANNED_ID}"


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    require_browser()


def whole_page(page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its own container, so the
    window is made as tall as the page for it."""
    height = page.evaluate("Math.max(...[...document.querySelectorAll('section, div')]"
                           ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": max(1000, int(height) + 40)})
    page.evaluate("document.querySelectorAll('section, div').forEach(e => e.scrollTop = 0)")
    wait_idle(page)
    screenshot(page, name)
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_a_low_hrv_checkin_leads_to_an_easier_workout_confirm_and_undo(tmp_path: Path):
    today = athletes_today()
    fake = low_hrv_account(today)
    traffic = Traffic()
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            form = page.get_by_test_id("stExpander").filter(has_text="Morning check-in")
            expect(form).to_contain_text("38 ms")
            expect(form).to_contain_text("below your normal range")
            expect(form).to_contain_text("4 Poor")                 # Intervals.icu's words
            form.locator("summary").click()           # collapsed under its summary line
            whole_page(page, "checkin-form")
            page.get_by_role("button", name="Check in and ask the coach").click()
            confirm = page.get_by_role("button", name="Confirm", exact=True)
            confirm.wait_for(timeout=60_000)
            wait_idle(page)
            expect(page.get_by_text("Today's check-in says ease off")).to_be_visible()
            expect(page.get_by_text("Your HRV is 38 ms, below your normal range")).to_be_visible()
            card = page.locator(".st-key-proposal-1")
            expect(card).to_contain_text("Replace · Threshold 3x10")
            expect(card).to_contain_text("Main set 3x")                          # before
            expect(card.locator("textarea")).to_have_value(EASY_TEXT["Ride"])    # after
            assert fake.writes == []                    # checking in and proposing sent nothing
            whole_page(page, "checkin")

            confirm.click()
            page.get_by_text("Confirmed: replaced on your Intervals.icu calendar").wait_for(
                timeout=30_000)
            wait_idle(page)
            assert [(w.method, w.path, w.body) for w in fake.writes] == [
                ("PUT", EVENT_PATH, {"description": EASY_TEXT["Ride"]})]
            assert fake.events[PLANNED_ID]["description"] == EASY_TEXT["Ride"]

            card.get_by_role("button", name="Undo").click()
            expect(page.get_by_text("Undone: your calendar is as it was before.")).to_be_visible(
                timeout=30_000)
            wait_idle(page)
            assert [(w.method, w.path, w.body) for w in fake.writes[1:]] == [
                ("PUT", EVENT_PATH, {"description": HARD_TEXT})]
            assert fake.events[PLANNED_ID]["description"] == HARD_TEXT

            page.get_by_role("button", name="Send this check-in to Intervals.icu").click()
            send = page.get_by_role("button", name="Confirm send")
            send.wait_for()
            wait_idle(page)
            assert len(fake.writes) == 2                # asking is not sending
            send.click()
            expect(page.get_by_text("Sent to your Intervals.icu wellness")).to_be_visible(
                timeout=30_000)
            wait_idle(page)
            whole_page(page, "checkin-sent")
    (wellness,) = [w for w in fake.writes if "/wellness" in w.path]
    assert (wellness.method, wellness.path) == ("PUT", f"/api/v1/athlete/i123456/wellness/{today}")
    assert wellness.body == {"sleepQuality": 2, "soreness": 1, "stress": 1, "motivation": 2,
                             "injury": 1}
    assert len(fake.writes) == 3 and traffic.external == []
