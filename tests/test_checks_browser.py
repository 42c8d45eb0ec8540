"""The week check on the card, in headless Chromium against `coach` started as a user would (a
fake Intervals.icu account over HTTP, a scripted model): a proposal on a day with a planned
workout shows the clash and "Replace …" sends exactly one update; after a low-HRV check-in that
says ease off, a hard session's card carries the flag with the verdict quoted, and Confirm says
what it accepts."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coach.testing.athletes import PLANNED_ID, athletes_today, low_hrv_account
from coach.testing.coach_script import coach, today_from
from coach.testing.ollama_server import FakeOllama, Reply
from tests.browser import (
    Traffic,
    account_env,
    app_page,
    require_browser,
    screenshot,
    send,
    wait_idle,
)

pytestmark = pytest.mark.browser
SWEET_SPOT = "Warmup\n- 15m 60%\n\nMain set 3x\n- 12m 88%\n- 4m 55%\n\nCooldown\n- 10m 50%"


def sweet_spot_coach(body: dict[str, Any]) -> Reply:
    """Proposes sweet spot on the day asked ("today" or "tomorrow"), with no look at the week;
    anything else is the usual scripted coach."""
    messages = body["messages"]
    asked = [m for m in messages if m["role"] == "user"][-1]["content"]
    found = re.search(r"sweet spot (today|tomorrow)", asked, re.I)
    if not found:
        return coach(body)
    if messages[-1]["role"] == "user":
        day = today_from(body) + timedelta(days=found.group(1).lower() == "tomorrow")
        return Reply(tool_calls=[{"name": "propose_workout", "arguments": {
            "date": str(day), "sport": "Ride", "name": "Sweet spot 3x12",
            "description": SWEET_SPOT}}])
    return Reply(content="I proposed a sweet spot session; the card says how it fits your week.")


def test_the_card_shows_the_clash_replace_sends_one_update_and_ease_off_is_flagged(
        tmp_path: Path):
    require_browser()
    fake, traffic = low_hrv_account(athletes_today()), Traffic()
    with fake.serve() as intervals, FakeOllama(script=sweet_spot_coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            send(page, "Sweet spot today please")
            card = page.locator(".st-key-proposal-1")
            replace = card.get_by_role("button", name="Replace Threshold 3x10")
            replace.wait_for(timeout=60_000)
            wait_idle(page)
            expect(card).to_contain_text("Today already has Threshold 3x10 (1h10m), planned")
            expect(card).to_contain_text("allows one session a day")
            screenshot(page, "card-clash")
            assert fake.writes == []

            replace.click()
            page.get_by_text("Confirmed: replaced on your Intervals.icu calendar").wait_for(
                timeout=30_000)
            wait_idle(page)
            [put] = fake.writes
            assert (put.method, put.path) == ("PUT", f"/api/v1/athlete/i123456/events/"
                                                     f"{PLANNED_ID}")
            assert put.body == {"description": SWEET_SPOT, "name": "Sweet spot 3x12"}
            expect(card).to_contain_text("You chose it to replace Threshold 3x10")
            screenshot(page, "card-clash-replaced")

            page.get_by_test_id("stExpander").filter(has_text="Morning check-in").locator(
                "summary").click()                    # collapsed under its summary line
            page.get_by_role("button", name="Check in and ask the coach").click()
            page.get_by_text("Today's check-in says ease off").wait_for(timeout=60_000)
            wait_idle(page)
            send(page, "Then sweet spot tomorrow")
            flagged = page.get_by_role("paragraph").filter(
                has_text="Your check-in today said ease off")
            flagged.wait_for(timeout=60_000)
            wait_idle(page)
            expect(flagged).to_contain_text("36 min in Z3 or above")
            anyway = page.get_by_role("button", name="Confirm anyway")
            expect(anyway).to_be_visible()
            expect(page.get_by_text("Confirming accepts: a harder session than the check-in "
                                    "advised (ease off)")).to_be_visible()
            screenshot(page, "card-ease-off")
            writes = len(fake.writes)
            anyway.click()
            page.get_by_text("Confirmed: on your Intervals.icu calendar").wait_for(
                timeout=30_000)
            assert [w.method for w in fake.writes[writes:]] == ["POST"]
    assert traffic.external == []
