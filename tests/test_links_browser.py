"""In the browser, with Streamlit's own renderer: an account whose names, notes and calendar
carry addresses and Markdown links, and a model that answers with them, leave no clickable
link off the machine on any page and load nothing from elsewhere; the address stays readable."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from coach import demo
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.ollama_server import FakeOllama, Reply
from tests.browser import Traffic, browser_page, require_browser, running_app, send, wait_idle

pytestmark = pytest.mark.browser

LINKS = ("[see here](http://elsewhere.example/?ftp=250&hrv=38) or www.elsewhere.example, "
         "mail me@elsewhere.example, <http://elsewhere.example/b>, http\\://elsewhere.example/c")
PAGES = ["", "plan", "fitness", "history", "review", "settings"]


def linked_account() -> FakeIntervals:
    data = demo.generate(date.today())
    athlete = {**copy.deepcopy(data.athlete), "id": "i123456",
               "name": "Ana www.elsewhere.example"}
    activities = [{**a, "icu_athlete_id": "i123456"} for a in data.activities]
    latest = max(range(len(activities)), key=lambda i: activities[i]["start_date_local"])
    activities[latest] = {**activities[latest], "name": "Ride http://elsewhere.example/a",
                          "description": LINKS}
    events = [dict(e) for e in data.events]
    for event in events[:3]:
        event["name"] = "[Planned](http://elsewhere.example/e) me@elsewhere.example"
    return FakeIntervals(athlete=athlete, activities=activities, wellness=data.wellness,
                         events=events)


def answers_with_links(body):
    if body["messages"][-1]["role"] == "user":
        return Reply(tool_calls=[{"name": "athlete_profile", "arguments": {}}])
    return Reply(content=f"Your figures are all here: {LINKS}")


def off_machine_links(page, own: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    return [h for h in hrefs if not h.startswith(own)]


def test_no_page_shows_an_active_link_off_the_machine(tmp_path):
    require_browser()
    fake, traffic = linked_account(), Traffic()
    with fake.serve() as intervals, FakeOllama(script=answers_with_links) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_INTERVALS_URL": intervals.url,
               "COACH_INTERVALS_API_KEY": API_KEY, "OLLAMA_HOST": ollama.url}
        with running_app(tmp_path, env, tmp_path / "app.log") as app, \
                browser_page(traffic) as page:
            page.goto(app.url)
            wait_idle(page)
            send(page, "Where can I read more?")
            page.get_by_text("Your figures are all here").wait_for(timeout=60_000)
            wait_idle(page)
            answer = page.get_by_test_id("stChatMessage").last.inner_text()
            found = {"": off_machine_links(page, app.url)}
            texts = {"": page.locator("body").inner_text()}
            for name in PAGES[1:]:
                page.goto(f"{app.url}/{name}")
                wait_idle(page)
                found[name] = off_machine_links(page, app.url)
                texts[name] = page.locator("body").inner_text()
    assert found == {name: [] for name in PAGES}
    assert "http://elsewhere.example/?ftp=250&hrv=38" in answer   # readable, as text
    assert "www.elsewhere.example" in answer and "me@elsewhere.example" in answer
    assert "elsewhere.example" in texts["plan"] and "Ana" in texts["settings"] + texts[""]
    assert traffic.external == []
