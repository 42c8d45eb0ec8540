"""Issue 25 in headless Chromium against `coach` started as a user would (a fake Intervals.icu
account over HTTP, a scripted model): a note dictated with "remember that …" shows as a card,
is kept only on Keep, then reaches the model and flags a proposal on the day it keeps free; the
season view on the Plan page, planned to the A race, drawn at desktop and phone widths; and
nothing of either is sent to Intervals.icu."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coach.store import NoteStatus, Store
from coach.testing.coach_script import today_from
from coach.testing.ollama_server import FakeOllama, Reply
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
EASY_RIDE = "Warmup\n- 10m 55%\n\nMain set\n- 40m Z2\n\nCooldown\n- 10m 50%"


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    require_browser()


def next_wednesday(today: date) -> date:
    return today + timedelta(days=(2 - today.weekday()) % 7 or 7)


def wednesday_coach(body: dict[str, Any]) -> Reply:
    """Acknowledges a note; asked for a ride, proposes one on the next Wednesday (a careless
    coach: the product's check is what catches it)."""
    messages = body["messages"]
    asked = [m for m in messages if m["role"] == "user"][-1]["content"]
    if re.search(r"remember", asked, re.I):
        return Reply(content="Noted: keep the note on its card and I will plan around it.")
    day = next_wednesday(today_from(body)).isoformat()
    last_ask = max(i for i, m in enumerate(messages) if m["role"] == "user")
    calls = [c["function"] for m in messages[last_ask:] for c in m.get("tool_calls") or []]
    if not any(c["name"] == "propose_workout" and c["arguments"].get("date") == day
               for c in calls):    # whatever the product drafted first, the Wednesday ride
        return Reply(tool_calls=[{"name": "propose_workout", "arguments": {
            "date": day, "sport": "Ride", "name": "Endurance ride",
            "description": EASY_RIDE}}])
    return Reply(content="I proposed an endurance ride; the card says how it fits your week.")


def notes_in(tmp_path: Path) -> list[tuple[str, str]]:
    store = Store(tmp_path / "data" / "coach.db")
    try:
        return [(n.text, n.status) for n in store.notes("i123456", list(NoteStatus))]
    finally:
        store.close()


def test_a_note_card_is_kept_on_keep_and_then_used(tmp_path: Path):
    fake, traffic = real_account(), Traffic()
    with fake.serve() as intervals, FakeOllama(script=wednesday_coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            send(page, "Remember that I can't train on Wednesdays")
            card = page.locator(".st-key-note-1")
            keep = card.get_by_role("button", name="Keep note")
            keep.wait_for(timeout=60_000)
            wait_idle(page)
            expect(card).to_contain_text("Note to keep in mind")
            expect(card).to_contain_text("Nothing is kept until you press Keep")
            assert notes_in(tmp_path) == [("I can't train on Wednesdays", "proposed")]
            screenshot(page, "note-card")
            keep.click()
            expect(card.get_by_text("Kept in your notes")).to_be_visible(timeout=30_000)
            wait_idle(page)
            assert notes_in(tmp_path) == [("I can't train on Wednesdays", "kept")]
            screenshot(page, "note-card-kept")

            send(page, "Plan me an easy ride this week")
            flagged = page.get_by_role("paragraph").filter(
                has_text="Your notes keep Wednesdays free of training")
            flagged.wait_for(timeout=60_000)
            wait_idle(page)
            expect(flagged).to_contain_text("Your note: “I can't train on Wednesdays”")
            screenshot(page, "note-used-on-card")
            system = ollama.chat_requests[-1]["messages"][0]["content"]
            assert "- constraint: I can't train on Wednesdays" in system

            nav(page, "Settings & privacy")
            kept = page.locator(".st-key-kept-note-1")
            expect(kept).to_contain_text("I can't train on Wednesdays")
            screenshot(page, "notes-on-settings")
    sent = json.dumps([r.body for r in fake.requests])
    assert "Wednesdays" not in sent and fake.writes == []
    assert traffic.external == []


def test_the_season_view_at_desktop_and_phone_widths(tmp_path: Path):
    fake, traffic = real_account(), Traffic()
    with fake.serve() as intervals, FakeOllama() as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            nav(page, "Plan")
            section = page.locator(".st-key-season")
            expect(section).to_contain_text("No season yet")
            section.get_by_role("button", name="Plan my season").click()
            expect(page.get_by_text("Season planned:")).to_be_visible(timeout=60_000)
            wait_idle(page)
            expect(section).to_contain_text("Season to Demo Olympic Triathlon")
            expect(section).to_contain_text("Race morning: fitness (CTL)")
            expect(section).to_contain_text("Race-day fuelling:")
            charts = section.locator("[data-testid='stVegaLiteChart']")
            expect(charts).to_have_count(2)
            for width, name in ((1400, "season-view-desktop"), (390, "season-view-phone")):
                page.set_viewport_size({"width": width, "height": 2600})
                wait_idle(page)
                expect(charts.first).to_be_visible()
                box = charts.first.bounding_box()
                assert box is not None and box["width"] <= width   # nothing runs off screen
                section.screenshot(path=str(_shot_dir() / f"{name}.png"))
            assert fake.writes == []                       # planning a season writes nothing
    assert traffic.external == []


def _shot_dir() -> Path:
    import os

    folder = Path(os.environ.get("SCREENSHOTS_DIR", "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
