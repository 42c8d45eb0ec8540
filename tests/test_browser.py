"""The confirm-then-push flow in headless Chromium against `coach` started as a user would."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coach.cli.egress import read_log
from coach.store import Store
from coach.testing.coach_script import WORKOUT_TEXT, coach
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.ollama_server import FakeOllama
from tests.browser import (
    Traffic,
    account_env,
    app_page,
    browser_page,
    listening_addresses,
    nav,
    real_account,
    require_browser,
    running_app,
    screenshot,
    send,
    wait_idle,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    require_browser()


def ask_for_a_week(page) -> None:
    """Ask for a week's plan and wait until its three cards are on the page."""
    send(page, "Propose three sessions please")
    page.get_by_role("button", name="Confirm all").wait_for(timeout=60_000)
    wait_idle(page)


def ask_for_a_plan(page) -> None:
    send(page, "Please plan a workout for me")


def test_confirm_pushes_exactly_one_event_and_nothing_leaves_the_machine(tmp_path: Path):
    fake = real_account()
    traffic = Traffic()
    data_dir = tmp_path / "data"
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        connections = tmp_path / "connections.log"
        env = {**account_env(tmp_path, intervals.url, ollama.url),
               "COACH_CONNECTION_LOG": str(connections)}
        allowed = {("127.0.0.1", intervals.url.rsplit(":", 1)[1]),
                   ("127.0.0.1", ollama.url.rsplit(":", 1)[1])}
        with running_app(tmp_path, env, tmp_path / "app.log") as app:
            assert listening_addresses(app.port) == {"127.0.0.1"}
            with browser_page(traffic) as page:
                page.goto(app.url)
                wait_idle(page)
                expect(page.get_by_text("Athlete: Ana Ruiz")).to_be_visible()  # first sync ran
                ask_for_a_plan(page)
                confirm = page.get_by_role("button", name="Confirm")
                confirm.wait_for(timeout=60_000)
                wait_idle(page)
                tool = page.get_by_test_id("stExpander").filter(
                    has_text="Tool: fitness_trend", has_not_text="Sources")
                expect(tool).to_have_count(1)                                # call visible
                card = page.locator(".st-key-proposal-1")
                expect(card).to_contain_text("Threshold 3x8")
                expect(card).to_contain_text("Main set 3x")
                expect(page.get_by_role("button", name="Reject")).to_be_visible()
                assert fake.writes == []                     # proposing wrote nothing
                screenshot(page, "proposal-card")

                confirm.dblclick()                           # a double click, on purpose
                page.get_by_text("Confirmed: on your Intervals.icu calendar").wait_for(
                    timeout=30_000)
                wait_idle(page)
                screenshot(page, "published")
                assert len(fake.writes) == 1
                posted = fake.writes[0]
                assert posted.method == "POST" and posted.path == "/api/v1/athlete/i123456/events"
                assert posted.body["category"] == "WORKOUT"
                assert posted.body["type"] == "Ride" and posted.body["name"] == "Threshold 3x8"
                assert posted.body["description"] == WORKOUT_TEXT
                assert posted.body["start_date_local"].endswith("T00:00:00")
                assert posted.body["external_id"].startswith("local-coach-")

                page.reload()
                wait_idle(page)
                page.get_by_text("Confirmed: on your Intervals.icu calendar").wait_for()
                expect(page.get_by_role("button", name="Confirm")).to_have_count(0)
                html = page.content()
        # After an app restart the conversation and the published proposal are still there.
        with app_page(tmp_path, env, traffic, "app2.log") as page:
            page.get_by_text("Please plan a workout for me").first.wait_for()
            page.get_by_text("Confirmed: on your Intervals.icu calendar").wait_for()
            html += page.content()
    ours = [e for e in fake.events.values()
            if (e.get("external_id") or "").startswith("local-coach-")]
    assert len(fake.writes) == 1 and len(ours) == 1
    assert traffic.external == []
    assert traffic.websockets and all(w.startswith("ws://127.0.0.1") for w in traffic.websockets)
    # The app process itself connected to the fake Intervals.icu and the fake Ollama only.
    made = {(host, port) for kind, host, port in read_log(connections) if kind == "connect"}
    assert made and made <= allowed, made - allowed
    looked_up = {host for kind, host, _ in read_log(connections) if kind == "lookup"}
    assert looked_up <= {"127.0.0.1", "localhost"}, looked_up
    # The key reached Intervals.icu only, never the model, the page, the logs or the disk.
    assert API_KEY not in html
    assert all(API_KEY not in str(r["body"]) for r in ollama.requests)
    assert API_KEY not in (tmp_path / "app.log").read_text() + (tmp_path / "app2.log").read_text()
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert API_KEY.encode() not in path.read_bytes(), path


def test_demo_athlete_flow_needs_no_account(tmp_path: Path):
    traffic = Traffic()
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, traffic) as page:
            page.get_by_text("demo athlete", exact=False).first.wait_for()
            ask_for_a_plan(page)
            page.get_by_role("button", name="Confirm").wait_for(timeout=60_000)
            wait_idle(page)
            page.get_by_role("button", name="Confirm").click()
            page.get_by_text("Confirmed: on the demo calendar").wait_for(timeout=30_000)
            screenshot(page, "demo-published")
    store = Store(tmp_path / "data" / "coach.db")
    try:
        ours = [e for e in store.demo_events("demo", date.min, date.max)
                if (e.get("external_id") or "").startswith("local-coach-")]
        assert len(ours) == 1
        assert [p.status for p in store.proposals()] == ["published"]
    finally:
        store.close()
    assert traffic.external == []


def test_first_run_with_no_key_and_no_ollama(tmp_path: Path):
    traffic = Traffic()
    env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": "http://127.0.0.1:9"}
    with app_page(tmp_path, env, traffic) as page:
        expect(page.get_by_test_id("stAlertContentError").first).to_contain_text("ollama serve")
        expect(page.get_by_text("Developer Settings", exact=False).first).to_be_visible()
        expect(page.get_by_text("ollama pull qwen3:8b").first).to_be_visible()
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_disabled()
        expect(page.get_by_role("button", name="Sync now")).to_be_enabled()
        screenshot(page, "first-run")
        nav(page, "Fitness")                                   # the rest works without a model
        expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    assert traffic.external == []


PAGES = [("Coach", None), ("Plan", "Plan: the next 4 weeks"), ("Fitness", "Fitness"),
         ("History", "History"), ("Settings & privacy", "Settings & privacy")]


def test_every_page_renders_its_main_elements(tmp_path: Path):
    fake = real_account()
    traffic = Traffic()
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            ask_for_a_week(page)
            for title, heading in PAGES:
                nav(page, title)
                if heading:
                    expect(page.get_by_role("heading", name=heading)).to_be_visible()
                expect(page.get_by_test_id("stException")).to_have_count(0)
                expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
                screenshot(page, f"page-{title.split()[0].lower()}")
                if title == "Fitness":
                    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(7)
                if title == "History":
                    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
                    expect(page.get_by_test_id("stMetric").first).to_be_visible()
                if title == "Plan":
                    expect(page.get_by_text("○ proposed").first).to_be_visible()
                    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
            page.emulate_media(color_scheme="dark")     # the athlete's dark theme is followed
            page.reload()
            wait_idle(page)
            nav(page, "Fitness")
            background = page.evaluate(
                "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
            assert background != "rgb(255, 255, 255)", background
            expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(7)
            screenshot(page, "page-fitness-dark")
    assert traffic.external == []


def test_switching_athletes_keeps_their_data_apart(tmp_path: Path):
    fake = real_account()
    other = FakeIntervals(athlete={**fake.athlete, "id": "i777", "name": "Bea Coached"},
                          activities=fake.activities[:5], wellness=fake.wellness,
                          athlete_id="i777")
    fake.coached["i777"] = other
    traffic = Traffic()
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            send(page, "Please plan a workout for me")
            page.get_by_role("button", name="Confirm").wait_for(timeout=60_000)
            nav(page, "Settings & privacy")
            page.get_by_role("button", name="Load the athletes I coach").click()
            wait_idle(page)
            switcher = page.get_by_test_id("stSelectbox").filter(has_text="Coaching")
            switcher.click()
            page.get_by_role("option", name="Bea Coached").click()
            expect(page.get_by_text("Athlete: Bea Coached")).to_be_visible()
            wait_idle(page)
            nav(page, "Coach")
            expect(page.get_by_text("Please plan a workout for me")).to_have_count(0)
            nav(page, "History")
            expect(page.get_by_text("5 activities")).to_be_visible()
            screenshot(page, "switched-athlete")
    assert traffic.external == []


def test_a_plan_of_three_edited_confirmed_all_and_one_undone(tmp_path: Path):
    fake = real_account()
    traffic = Traffic()
    with fake.serve() as intervals, FakeOllama(script=coach) as ollama:
        env = account_env(tmp_path, intervals.url, ollama.url)
        with app_page(tmp_path, env, traffic) as page:
            ask_for_a_week(page)
            expect(page.get_by_role("button", name="Confirm", exact=True)).to_have_count(3)
            run_text = page.locator(".st-key-text-2 textarea")
            run_text.fill("- 10m Z1 Pace\n- 400m Z2 Pace")
            run_text.press("Control+Enter")
            wait_idle(page)
            card = page.locator(".st-key-proposal-2")
            expect(card).to_contain_text("`400m` means 400 minutes".replace("`", ""))
            expect(card.get_by_role("button", name="Confirm", exact=True)).to_be_disabled()
            wait_idle(page)
            screenshot(page, "plan-invalid-edit")
            run_text.fill("- 10m Z1 Pace\n- 4000mtr Z2 Pace")
            run_text.press("Control+Enter")
            wait_idle(page)
            expect(card.get_by_role("button", name="Confirm", exact=True)).to_be_enabled()
            assert fake.writes == []
            page.get_by_role("button", name="Confirm all").click()
            expect(page.get_by_text("Confirmed: on your Intervals.icu calendar")).to_have_count(
                3, timeout=30_000)
            wait_idle(page)
            screenshot(page, "plan-confirmed")
            posts = [w for w in fake.writes if w.method == "POST"]
            assert len(posts) == 3
            assert {p.body["type"] for p in posts} == {"Ride", "Run", "Swim"}
            run_post = next(p for p in posts if p.body["type"] == "Run")
            assert run_post.body["description"] == "- 10m Z1 Pace\n- 4000mtr Z2 Pace"
            run_id = next(i for i, e in fake.events.items()
                          if e.get("external_id") == run_post.body["external_id"])
            page.locator(".st-key-proposal-2").get_by_role("button", name="Undo").click()
            expect(page.get_by_text("Undone: your calendar is as it was before.")).to_be_visible(
                timeout=30_000)
    deletes = [w for w in fake.writes if w.method == "DELETE"]
    assert [d.path for d in deletes] == [f"/api/v1/athlete/i123456/events/{run_id}"]
    assert run_id not in fake.events and len(fake.writes) == 4
    assert traffic.external == []


def test_images_in_model_text_never_leave_the_machine(tmp_path: Path):
    traffic = Traffic()
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, traffic) as page:
            send(page, "Show me an image")
            page.get_by_text("198.51.100.7").first.wait_for(timeout=60_000)
            wait_idle(page)
            page.reload()
            wait_idle(page)
            page.get_by_text("198.51.100.7").first.wait_for()
            assert page.locator("img[src*='198.51.100.7']").count() == 0
    assert traffic.external == []


def test_a_slow_answer_keeps_the_page_responsive_and_can_be_stopped(tmp_path: Path):
    from coach.testing.ollama_server import Reply

    words = " ".join(f"word{i}" for i in range(400))
    traffic = Traffic()
    # The first piece (word0…word49) comes after 1 s, the next only a minute later: the test
    # stops the answer in between however slow the machine (it raced at 1.5 s under load).
    with FakeOllama(script=lambda body: Reply(content=words, delay_s=1.0,
                                              chunk_delay_s=60)) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, traffic) as page:
            send(page, "Tell me everything")
            page.get_by_text("Thinking…").wait_for(timeout=20_000)    # before the first word
            page.get_by_text("word5", exact=False).first.wait_for(timeout=20_000)
            nav(page, "Fitness")                                   # the app stays usable
            expect(page.get_by_role("heading", name="Fitness")).to_be_visible()
            nav(page, "Coach")
            screenshot(page, "slow-answer")
            page.get_by_role("button", name="Stop answer").click()
            expect(page.get_by_role("button", name="Stop answer")).to_have_count(
                0, timeout=20_000)
            wait_idle(page)
            expect(page.get_by_text("(stopped)", exact=False)).to_be_visible(timeout=15_000)
            expect(page.get_by_text("word399")).to_have_count(0)
            expect(page.get_by_test_id("stChatInputTextArea")).to_be_enabled()
    assert traffic.external == []


STANDARD_QUESTIONS = [
    ("How was my last week?", "Weekly training", "training_summary"),
    ("Am I ready for my race?", "days to go", "athlete_profile"),
    ("Why is my HRV down?", "HRV (rMSSD)", "wellness_trend"),
    ("Plan my next week around 6 hours", re.compile(r"Plan: \d+ proposals"), "propose_workout"),
    ("What are my best 20-minute power and 5k pace?", "20 min", "best_efforts"),
]


def test_the_standard_questions_on_the_demo_athlete(tmp_path: Path):
    traffic = Traffic()
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, traffic) as page:
            for n, (question, evidence, tool) in enumerate(STANDARD_QUESTIONS, start=1):
                send(page, question)
                answers = page.get_by_test_id("stChatMessage")
                expect(answers).to_have_count(2 * n, timeout=60_000)
                wait_idle(page)
                answer = answers.last
                expect(answer.get_by_test_id("stExpander").filter(
                    has_text=f"Tool: {tool}").first).to_be_visible()
                expect(answer).to_contain_text(evidence)
                if tool != "propose_workout":
                    sources = answer.get_by_test_id("stExpander").filter(has_text="Sources")
                    sources.click()
                    expect(sources).to_contain_text("Today is")
            screenshot(page, "standard-questions")
    assert traffic.external == []


def test_every_answer_says_whether_its_figures_are_in_the_data(tmp_path: Path):
    traffic = Traffic()
    with FakeOllama(script=coach) as ollama:
        env = {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": ollama.url}
        with app_page(tmp_path, env, traffic) as page:
            send(page, "How was my last week?")
            answers = page.get_by_test_id("stChatMessage")
            expect(answers).to_have_count(2, timeout=60_000)
            wait_idle(page)
            expect(answers.last).to_contain_text(
                re.compile(r"✓ All \d+ figures found in your data"))
            send(page, "What is my best power?")
            expect(answers).to_have_count(4, timeout=60_000)
            wait_idle(page)
            expect(answers.last).to_contain_text("1 figure not found in your data: 312 W")
            marked = answers.last.locator("span", has_text="312 W").first
            background = marked.evaluate("e => getComputedStyle(e).backgroundColor")
            assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
            screenshot(page, "grounding-lines")
            page.reload()                                   # stored with the message
            wait_idle(page)
            expect(page.get_by_text("1 figure not found in your data: 312 W")).to_be_visible()
    assert traffic.external == []
