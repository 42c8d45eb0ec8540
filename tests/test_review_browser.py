"""The weekly review in headless Chromium: review the week on the demo athlete, read the
coach's grounded commentary, download the PDF and find the week's hours in its text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from coach.testing.coach_script import coach
from coach.testing.ollama_server import FakeOllama
from tests.browser import Traffic, app_page, require_browser, screenshot, wait_idle

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
