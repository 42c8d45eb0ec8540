"""The weekly review in headless Chromium: review the week on the demo athlete, read the
coach's grounded commentary, download the PDF and find the week's hours in its text."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from coach import display
from coach.analysis import iso_week
from coach.testing.athletes import sparse_account
from coach.testing.coach_script import coach
from coach.testing.intervals_fake import FakeIntervals
from coach.testing.ollama_server import FakeOllama, closed_port_url
from coach.testing.raw_values import raw_values_on_page
from tests.browser import Traffic, account_env, app_page, require_browser, screenshot, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    require_browser()


def test_a_weekly_review_exports_a_pdf_whose_text_holds_the_weeks_hours(tmp_path: Path):
    traffic = Traffic()
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, traffic) as page:
            page.get_by_test_id("stSidebarNavLink").filter(has_text="Weekly review").click()
            wait_idle(page)
            expect(page.get_by_role("heading", name="Weekly review")).to_be_visible()
            page.get_by_role("button", name="Review my week").click()
            comment = page.get_by_test_id("stChatMessage").filter(
                has_text="Suggestion for next week")
            expect(comment).to_be_visible(timeout=60_000)
            wait_idle(page)
            expect(comment).to_contain_text(re.compile(r"✓ All \d+ figures found in your data"))
            hours = page.get_by_test_id("stMetric").filter(has_text="Hours").get_by_test_id(
                "stMetricValue").inner_text().strip()
            assert re.fullmatch(r"\d+h\d\dm|\d+h|\d+m", hours), hours
            expect(page.get_by_text(f"Hours: {hours} in")).to_be_visible()   # the section
            expect(comment).to_contain_text(hours)                  # the commentary quotes it
            expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2)
            past = page.get_by_role("combobox", name="Past reviews")   # listed to reopen
            expect(past).to_have_value(re.compile(r"Week \d{4}-W\d\d, reviewed"))
            page.set_viewport_size({"width": 1280, "height": 2600})  # the whole review
            wait_idle(page)
            screenshot(page, "review")
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="Download PDF").click()
            data = Path(download.value.path()).read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert f"Hours: {hours} in" in text
    assert "Suggestion for next week" in text and "figures found in your data" in text
    assert sum(len(p.images) for p in reader.pages) == 2          # the two charts
    assert traffic.external == []


def strava_day_account(load: float) -> tuple[FakeIntervals, date]:
    """The account with nulls, whose Strava import yesterday (a stub in the API) Intervals.icu
    counts in that day's wellness load, as it does for every activity it holds."""
    fake = sparse_account()
    yesterday = date.today() - timedelta(days=1)
    shown = sum(a.get("icu_training_load") or 0 for a in fake.activities
                if a.get("start_date_local", "").startswith(yesterday.isoformat())
                and a.get("source") != "STRAVA")
    for w in fake.wellness:
        if w["id"] == yesterday.isoformat():
            w["ctlLoad"] = w["atlLoad"] = float(shown + load)
    return fake, yesterday


def test_a_synced_week_reads_by_sport_and_the_strava_day_on_a_phone(tmp_path: Path):
    fake, yesterday = strava_day_account(load=60)
    traffic = Traffic()
    with fake.serve() as intervals:
        env = account_env(tmp_path, intervals.url, closed_port_url())
        with app_page(tmp_path, env, traffic) as page:
            expect(page.get_by_text("Athlete: Sam Sparse")).to_be_visible(timeout=60_000)
            page.get_by_test_id("stSidebarNavLink").filter(has_text="Weekly review").click()
            wait_idle(page)
            page.set_viewport_size({"width": 390, "height": 900})   # a phone
            page.get_by_role("combobox", name="Week").click()
            page.get_by_role("option").filter(has_text=iso_week(yesterday)).first.click()
            wait_idle(page)
            page.get_by_role("button", name="Review my week").click()
            wait_idle(page)
            sports = page.locator("table").filter(has_text="Distance")
            expect(sports).to_contain_text("1 Strava activity, details hidden")
            expect(sports.locator("th")).to_have_text(["Sport", "Time", "Distance", "Load"])
            day = display.day(yesterday, yesterday).replace(" ", "\u00a0")
            row = page.locator("tr").filter(has_text=day).inner_text().replace("\u00a0", " ")
            assert "1 Strava activity, details hidden by Intervals.icu (load 60, from the " \
                   "day's wellness load)" in row and "rest" not in row, row
            expect(page.get_by_text("including 60 that Intervals.icu counts in fitness")) \
                .to_be_visible()
            for table in page.get_by_test_id("stMarkdownContainer").locator("table").all():
                box = table.bounding_box()            # each table within the text column
                column = table.locator("xpath=..").bounding_box()
                assert box["x"] + box["width"] <= column["x"] + column["width"] + 0.5, \
                    (box, column)
            assert not raw_values_on_page(page.inner_text("body"))
            screenshot(page, "review-strava-day-390")
    assert traffic.external == []
