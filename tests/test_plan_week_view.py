"""The Plan page one week at a time: Previous / Next instead of five weeks stacked (a phone's
page stays short), a change's card under the week where the athlete asked for it, a day that
reads sensibly after a confirmed move, and each planned workout's length said once, timed from
its text (AppTest on the demo athlete and on a served account; Chromium for sizes)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coach import display
from coach.intervals.client import IntervalsClient
from coach.records import NewEvent
from coach.testing.athletes import athletes_today
from coach.testing.coach_script import coach
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.ollama_server import FakeOllama
from tests.browser import (
    Traffic,
    account_env,
    app_page,
    nav,
    real_account,
    require_browser,
    screenshot,
    wait_idle,
)
from tests.pages import no_failure, open_page, texts

SWIM = "- 200mtr Z1 Pace\n\n8x\n- 100mtr Z3 Pace\n- 20s Z1 Pace\n\n- 200mtr Z1 Pace"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- AppTest ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("fresh_page_caches")
def test_the_plan_shows_one_week_at_a_time_with_previous_and_next(ollama):
    today = athletes_today()
    this, following = monday(today), monday(today) + timedelta(weeks=1)
    at = open_page("plan")
    no_failure(at)
    shown = texts(at)
    assert display.day(this, today) in shown and display.day(this + timedelta(6), today) in shown
    assert display.day(following, today) not in shown                # one week, not five
    assert "**This week**" in shown and "Week 1 of 5" in shown
    [previous] = [b for b in at.button if b.label == "← Previous week"]
    assert previous.disabled                                         # nothing before this week
    [b for b in at.button if b.label == "Next week →"][0].click().run()
    no_failure(at)
    shown = texts(at)
    assert display.day(following, today) in shown and display.day(this, today) not in shown
    assert f"**Week of {display.day_month(following, today)}**" in shown
    for _ in range(3):                                 # the last week: Next has nowhere to go
        [b for b in at.button if b.label == "Next week →"][0].click().run()
    assert "Week 5 of 5" in texts(at)
    assert [b for b in at.button if b.label == "Next week →"][0].disabled
    assert display.day(this + timedelta(weeks=4), today) in texts(at)


@pytest.fixture
def account_with_named_lengths(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIntervals]:
    """A served account whose calendar today holds a swim of 8x100 (Intervals.icu times only
    its rests: 2m40s) and a ride whose name says its length ("Endurance 2h", 2 hours)."""
    fake = real_account()
    today = athletes_today().isoformat()
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake.transport(),
                         sleep=lambda s: None) as client:
        for sport, name, text in (("Swim", "Swim 8x100", SWIM),
                                  ("Ride", "Endurance 2h", "- 2h Z2")):
            client.create_event(NewEvent(start_date_local=f"{today}T00:00:00", type=sport,
                                         name=name, description=text, external_id=name))
    with fake.serve() as served:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        yield fake


@pytest.mark.usefixtures("fresh_page_caches")
def test_a_planned_workout_shows_its_length_once_and_timed_from_its_text(
        ollama, account_with_named_lengths):
    swim = next(e for e in account_with_named_lengths.events.values()
                if e["name"] == "Swim 8x100")
    assert swim["moving_time"] == 160                        # what Intervals.icu says: rests
    at = open_page("plan")
    no_failure(at)
    shown = texts(at)
    assert "Endurance 2h" in shown and "Endurance 2h 2h" not in shown
    assert "Swim 8x100 2m40s" not in shown
    found = re.search(r"Swim 8x100 (?:(\d+)h)?(\d+)m\b", shown)
    assert found, shown                                     # 1,400 m of swimming, timed
    minutes = int(found.group(1) or 0) * 60 + int(found.group(2))
    assert 15 <= minutes <= 60, found.group(0)


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture
def browser() -> None:
    require_browser()


def top(page: Any, locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None, locator
    return float(box["y"])


def page_height(page: Any, width: int) -> float:
    """The main section's height at `width` (Streamlit scrolls inside it, not the window)."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.wait_for_timeout(800)
    return float(page.evaluate(
        "document.querySelector(\"[data-testid='stMain']\").scrollHeight"))


@pytest.mark.browser
@pytest.mark.usefixtures("browser")
def test_the_plan_page_is_short_on_a_phone_and_on_a_desktop(tmp_path: Path):
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, Traffic()) as page:
            nav(page, "Plan")
            expect(page.get_by_role("heading", name="Hours per week")).to_be_visible()
            phone, desktop = page_height(page, 390), page_height(page, 1400)
            page.set_viewport_size({"width": 390, "height": int(phone)})
            page.wait_for_timeout(800)
            screenshot(page, "plan-week-phone")
    # five weeks stacked in one column were about 5,800 px on a phone, 2,300 px on a desktop
    assert phone < 2600, phone
    assert desktop < 1500, desktop


def day_lines(page: Any, day: date) -> list[str]:
    """What one day of the calendar reads, line by line (its date first)."""
    cell = page.locator(f".st-key-plan-day-{day.isoformat()}")
    return [line.strip() for line in cell.inner_text().splitlines() if line.strip()]


def first_planned_workout(fake: FakeIntervals) -> dict[str, Any]:
    tomorrow = date.today() + timedelta(days=1)
    return min((e for e in fake.events.values() if e.get("category") == "WORKOUT" and
                date.fromisoformat(e["start_date_local"][:10]) >= tomorrow),
               key=lambda e: e["start_date_local"])


def go_to_week(page: Any, day: date, shown: date) -> None:
    """Next week until the week of `day` is shown (`shown`: the Monday shown now)."""
    for _ in range((monday(day) - shown).days // 7):
        page.get_by_role("button", name="Next week →").click()
        wait_idle(page)


@pytest.mark.browser
@pytest.mark.usefixtures("browser")
def test_a_move_is_confirmed_under_its_week_and_the_new_day_reads_as_one_workout(
        tmp_path: Path):
    fake = real_account()
    event = first_planned_workout(fake)
    old_day = date.fromisoformat(event["start_date_local"][:10])
    new_day = old_day + timedelta(days=1)
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, Traffic()) as page:
            page.set_viewport_size({"width": 1400, "height": 1000})
            nav(page, "Plan")
            go_to_week(page, old_day, monday(date.today()))
            change = page.locator(f".st-key-change-{event['id']}")
            change.get_by_role("button").click()
            page.locator(f".st-key-move-day-{event['id']} input").click()
            page.keyboard.press("ArrowDown")
            page.get_by_role("option", name=display.day(new_day, date.today())).click()
            page.get_by_role("button", name="Propose the move").click()
            expect(page.get_by_text("Change proposed for")).to_be_visible(timeout=30_000)
            wait_idle(page)
            page.keyboard.press("Escape")
            card = page.locator("[class*='st-key-proposal-']").filter(has_text="Move ·")
            expect(card).to_have_count(1)
            heading = page.get_by_role("heading", name="Hours per week")
            # the card is where the athlete acted: under the week, not below the page's chart
            assert top(page, change) < top(page, card) < top(page, heading)
            assert top(page, card) - top(page, change) < 600
            screenshot(page, "plan-move-card-under-the-week")
            card.get_by_role("button", name=re.compile("^Confirm")).click()
            expect(card.get_by_text("Confirmed: moved on your Intervals.icu calendar")
                   ).to_be_visible(timeout=30_000)
            wait_idle(page)
            left = day_lines(page, old_day)
            go_to_week(page, new_day, monday(old_day))
            lines = day_lines(page, new_day)
            screenshot(page, "plan-moved-day")
    name = event["name"]
    # the new day: the workout first, marked as moved here, then its Change; never a bare
    # Change above a separate "confirmed move" line
    assert lines[0] == display.day(new_day, date.today()) and lines[1] != "Change", lines
    for i, line in enumerate(lines):
        if line == "Change":
            assert lines[i - 1] != "Change" and not lines[i - 1].startswith(("✓", "○")), lines
    moved = next(i for i, line in enumerate(lines) if line.startswith("✓ moved here"))
    assert lines[moved + 1].startswith(name) and "Change" in lines[moved + 2:], lines
    assert not any(line.startswith("move:") for line in lines), lines
    # the day it left says where it went, instead of "rest"
    assert f"✓ moved to {display.day(new_day, date.today())}" in left and name in left, left
