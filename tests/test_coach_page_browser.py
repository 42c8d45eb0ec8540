"""The Coach page as a person sees it in headless Chromium, against `coach` started as a user
would: the check-in leaves the first screen to the conversation, a renamed conversation shows
its new title at once, and a chat box without a model says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from coach.testing.coach_script import coach
from coach.testing.ollama_server import FakeOllama, closed_port_url
from tests.browser import Traffic, app_page, require_browser, send, wait_idle

pytestmark = pytest.mark.browser
FIRST_SCREEN = 1000


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    require_browser()


@pytest.mark.parametrize("width", [1400, 390])
def test_the_checkin_leaves_the_first_screen_to_the_conversation(tmp_path: Path, width: int):
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, Traffic()) as page:
            page.set_viewport_size({"width": width, "height": FIRST_SCREEN})
            wait_idle(page)
            expect(page.get_by_role("heading", name="Coach", exact=True)).to_be_visible()
            checkin = page.get_by_test_id("stExpander").filter(has_text="Morning check-in")
            expect(checkin).to_contain_text("not done today")
            box = checkin.bounding_box()
            assert box is not None and box["height"] < 120, box
            example = page.get_by_role("button", name="How was my last week?")
            expect(example).to_be_in_viewport()
            example.click()
            expect(page.get_by_text("Here is what your data says")).to_be_visible(timeout=60_000)


def test_a_renamed_conversation_shows_its_new_title_at_once(tmp_path: Path):
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, Traffic()) as page:
            send(page, "How was my last week?")
            expect(page.get_by_text("Here is what your data says")).to_be_visible(timeout=60_000)
            wait_idle(page)
            sidebar = page.get_by_test_id("stSidebar")
            picker = sidebar.get_by_role("combobox", name="Conversation")  # shows the title
            expect(picker).to_have_value("How was my last week?")
            sidebar.get_by_text("Rename or delete").click()
            sidebar.get_by_label("Title").fill("Week 48 review")
            sidebar.get_by_label("Title").press("Enter")
            wait_idle(page)
            sidebar.get_by_role("button", name="Rename").click()
            wait_idle(page)
            expect(picker).to_have_value("Week 48 review")


def test_without_a_model_the_chat_box_says_why(tmp_path: Path):
    env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": closed_port_url()}
    with app_page(tmp_path, env, Traffic()) as page:
        box = page.get_by_test_id("stChatInputTextArea")
        expect(box).to_be_disabled()
        placeholder = box.get_attribute("placeholder") or ""
        assert "Ask your coach" not in placeholder and "Ollama" in placeholder, placeholder
