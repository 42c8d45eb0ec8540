"""The Streamlit page in AppTest, against the fake Ollama and Intervals.icu servers and real SQLite.

The browser test (tests/test_browser.py) covers the whole flow once in Chromium; these tests
cover the page's states: first run, proposal card, reject, reload, model and sync failures,
the settings form, and a publish that fails and is retried.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import AppTestError, Button, Node, Widget

from coach import demo
from coach.app import answers as turns
from coach.messages import Message, Role
from coach.settings import KEY_FILE, load_settings
from coach.store import Store
from coach.testing.coach_script import WORKOUT_TEXT
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.intervals_samples import SAMPLE_ACTIVITIES, SAMPLE_ATHLETE, SAMPLE_WELLNESS
from coach.testing.intervals_served import ServedFake
from coach.testing.ollama_server import FakeOllama, closed_port_url
from tests.pages import open_page

PLAN = "Please plan a workout"
ANSWER = "I proposed **Threshold 3x8** for you."
TYPED_KEY = "typed-key-7f3a91c2e4b8"


pytestmark = pytest.mark.usefixtures("fresh_page_caches")


@pytest.fixture
def account() -> FakeIntervals:
    return FakeIntervals(athlete=SAMPLE_ATHLETE, activities=SAMPLE_ACTIVITIES,
                         wellness=SAMPLE_WELLNESS)


@pytest.fixture
def served(account: FakeIntervals, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServedFake]:
    """The fake account as a real local server, configured the way a user would (env vars)."""
    with account.serve() as server:
        monkeypatch.setenv("COACH_INTERVALS_URL", server.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        yield server


@contextmanager
def opened_store(data_dir: Path) -> Iterator[Store]:
    store = Store(data_dir / "coach.db")
    try:
        yield store
    finally:
        store.close()


def ask(at: AppTest, text: str = PLAN) -> AppTest:
    """Send a message; the answer runs in a background thread, so wait for it, then redraw
    (AppTest does not drive the page's timed refresh)."""
    at.chat_input[0].set_value(text).run()
    assert turns.wait_all(30), "the answer did not finish"
    return at.run()


def buttons(at: AppTest, label: str) -> list[Button]:
    return [b for b in at.button if b.label == label]


def click(at: AppTest, label: str) -> AppTest:
    [button] = buttons(at, label)
    return button.click().run()


def values(elements: Any) -> list[str]:
    return [e.value for e in elements]


def rendered_text(at: AppTest) -> str:
    """Everything the page sends to the browser (every element's proto) plus widget values."""
    parts: list[str] = []

    def walk(node: Node) -> None:
        if getattr(node, "proto", None) is not None:
            parts.append(str(node.proto))
        if isinstance(node, Widget):
            parts.append(repr(node.value))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    for chat_input in at.chat_input:
        walk(chat_input)
    return "\n".join(parts)


def assert_no_failure(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, values(at.error)


def demo_calendar(data_dir: Path) -> list[dict[str, Any]]:
    with opened_store(data_dir) as store:
        events = store.demo_events(demo.DEMO_ATHLETE_ID, date.min, date.max)
    # the demo calendar also holds the generated plan; count only what Local Coach published
    return [e for e in events if (e.get("external_id") or "").startswith("local-coach-")]


def proposal_statuses(data_dir: Path) -> list[str]:
    with opened_store(data_dir) as store:
        return [p.status for p in store.proposals()]


# --- demo athlete -------------------------------------------------------------------------------


def test_first_run_syncs_the_demo_athlete_and_explains_it(ollama: FakeOllama, data_dir: Path):
    at = open_page()

    assert_no_failure(at)
    assert "Athlete: Alex Demo · demo athlete" in values(at.sidebar.caption)
    [info] = at.info
    assert "demo athlete" in info.value and "Intervals.icu API key" in info.value
    assert "Loading your training history for the first time…" in values(at.main.caption)
    with opened_store(data_dir) as store:
        assert store.sync_state(demo.DEMO_ATHLETE_ID).last_sync_at is not None
        assert store.counts(demo.DEMO_ATHLETE_ID)["activities"] > 100  # a year of training
    assert not at.chat_input[0].disabled
    assert ollama.chat_requests == []  # opening the page asks the model nothing

    at.run()  # the next rerun in the same session does not sync again
    assert "Loading your training history for the first time…" not in values(at.main.caption)


def test_a_plan_request_shows_the_tool_call_and_a_card_that_confirms_once(
        ollama: FakeOllama, data_dir: Path):
    at = ask(open_page())

    assert_no_failure(at)
    user, assistant = at.chat_message
    assert user.name == "user" and values(user.markdown) == [PLAN]
    assert assistant.name == "assistant"
    assert [s.label for s in assistant.status][0].startswith("Tool: fitness_trend")
    assert any(s.label.startswith("Tool: propose_workout") for s in assistant.status)
    [evidence] = [e for e in assistant.expander if e.label.startswith("Sources")]
    assert evidence.label == "Sources (3 tool results)"
    assert any("CTL" in t for t in values(evidence.text))      # the fitness_trend result
    # a pending card shows the exact text in an editor, with its numbers under the chart
    assert [t.value for t in assistant.text_area] == [WORKOUT_TEXT]
    assert any("estimated load" in c and "time in zones" in c for c in values(assistant.caption))
    assert any(ANSWER in m for m in values(assistant.markdown))
    assert [b.label for b in assistant.button] == ["Confirm", "Reject"]
    assert "Waiting for your decision. Nothing is on your calendar yet." in values(at.caption)
    assert proposal_statuses(data_dir) == ["pending"]
    assert demo_calendar(data_dir) == []  # proposing writes nothing

    at = click(at, "Confirm")

    assert_no_failure(at)
    [success] = at.success
    assert success.value.startswith("Confirmed: on the demo calendar")
    [event] = demo_calendar(data_dir)
    assert event["name"] == "Threshold 3x8" and event["description"] == WORKOUT_TEXT
    assert str(event["id"]) not in success.value   # the athlete reads no internal id
    assert proposal_statuses(data_dir) == ["published"]
    assert buttons(at, "Confirm") == [] and buttons(at, "Reject") == []
    assert WORKOUT_TEXT in values(at.code)          # published: the text, no longer editable

    at.run()  # a rerun (what a second click would cause) publishes nothing more
    assert len(demo_calendar(data_dir)) == 1


def test_two_conversations_with_one_title_stay_two(ollama: FakeOllama, data_dir: Path):
    """The same first question twice: Confirm in the second publishes the second's proposal
    and stays there (the picker once resolved its choice by the shown title)."""
    at = ask(open_page())
    at = ask(click(at, "New conversation"))
    [picker] = [s for s in at.sidebar.selectbox if s.label == "Conversation"]
    assert len(picker.options) == 2 and len(set(picker.options)) == 2   # two distinct labels
    with opened_store(data_dir) as store:
        first, second = sorted(p.conversation_id or 0 for p in store.proposals())
    assert at.session_state.conversation_id == second
    assert proposal_statuses(data_dir) == ["pending", "pending"]

    at = click(at, "Confirm")

    assert_no_failure(at)
    assert at.session_state.conversation_id == second
    with opened_store(data_dir) as store:
        statuses = {p.conversation_id: p.status for p in store.proposals()}
    assert statuses == {first: "pending", second: "published"}
    [success] = at.success
    assert success.value.startswith("Confirmed: on the demo calendar")


def test_reject_keeps_the_calendar_empty(ollama: FakeOllama, data_dir: Path):
    at = click(ask(open_page()), "Reject")

    assert_no_failure(at)
    assert proposal_statuses(data_dir) == ["rejected"]
    assert demo_calendar(data_dir) == []
    assert "Rejected. Nothing was sent." in values(at.caption)
    assert buttons(at, "Confirm") == [] and buttons(at, "Reject") == []
    assert not at.success


def test_a_reload_shows_the_same_conversation_and_card_state(ollama: FakeOllama, data_dir: Path):
    ask(open_page())

    reloaded = open_page()  # a new session, as after a page reload
    assert_no_failure(reloaded)
    assert "Loading your training history for the first time…" not in values(reloaded.caption)
    user, assistant = reloaded.chat_message
    assert values(user.markdown) == [PLAN]
    assert any(ANSWER in m for m in values(assistant.markdown))
    assert [t.value for t in assistant.text_area] == [WORKOUT_TEXT]
    assert [b.label for b in assistant.button] == ["Confirm", "Reject"]

    click(reloaded, "Confirm")
    again = open_page()
    assert_no_failure(again)
    assert values(again.chat_message[0].markdown) == [PLAN]
    [success] = again.success
    assert success.value.startswith("Confirmed: on the demo calendar")
    assert buttons(again, "Confirm") == []
    assert len(demo_calendar(data_dir)) == 1


# --- the model is not usable --------------------------------------------------------------------


def test_ollama_down_says_how_to_start_it_and_sync_still_works(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    at = open_page()

    assert not at.exception
    [error] = at.error
    assert "ollama serve" in error.value
    chat_input = at.chat_input[0]
    assert chat_input.disabled
    with pytest.raises(AppTestError):
        chat_input.set_value(PLAN)

    at.button(key="sync").click().run()
    assert not at.exception
    assert not [e for e in values(at.error) if e.startswith("Sync failed")]
    assert any(str(p.text).startswith("Sync done") for p in at.get("progress"))  # an update sync


def test_a_missing_model_says_which_one_to_pull(
        ollama: FakeOllama, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COACH_MODEL", "llama3.1:8b")  # the fake has only qwen3:8b
    at = open_page()

    assert not at.exception
    [error] = at.error
    assert "ollama pull llama3.1:8b" in error.value
    assert at.chat_input[0].disabled


# --- settings -----------------------------------------------------------------------------------


@pytest.fixture
def account_for_typed_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIntervals]:
    """An account that accepts TYPED_KEY; the URL is set, the key is not (it gets typed)."""
    fake = FakeIntervals(athlete=SAMPLE_ATHLETE, activities=SAMPLE_ACTIVITIES,
                         wellness=SAMPLE_WELLNESS, api_key=TYPED_KEY)
    with fake.serve() as server:
        monkeypatch.setenv("COACH_INTERVALS_URL", server.url)
        yield fake


def settings_page(at: AppTest) -> AppTest:
    return at.switch_page("views/settings.py").run()


def test_a_saved_key_is_stored_and_never_shown(ollama: FakeOllama, data_dir: Path,
                                               account_for_typed_key: FakeIntervals):
    at = settings_page(open_page())
    assert load_settings().api_key_source == "none"
    [key_input] = [t for t in at.text_input if t.label.startswith("Intervals.icu API")]
    key_input.set_value(TYPED_KEY)
    assert TYPED_KEY in rendered_text(at)  # the walk does see typed values

    at = at.button(key="FormSubmitter:settings-Save settings").click().run()

    assert not at.exception
    settings = load_settings()
    assert settings.api_key_source == "file"
    assert settings.api_key is not None and settings.api_key.get_secret_value() == TYPED_KEY
    assert "Intervals.icu API key (a key is saved)" in [t.label for t in at.text_input]
    assert "Athlete: Ana Ruiz" in values(at.sidebar.caption)  # demo over: synced at once
    assert TYPED_KEY not in rendered_text(at)

    reloaded = open_page()  # a new session syncs the account with the saved key
    assert_no_failure(reloaded)
    assert "Athlete: Ana Ruiz" in values(reloaded.sidebar.caption)
    auth = "Basic " + base64.b64encode(f"API_KEY:{TYPED_KEY}".encode()).decode()
    requests = account_for_typed_key.requests
    assert requests and all(r.headers["authorization"] == auth for r in requests)
    assert TYPED_KEY not in rendered_text(reloaded)
    assert TYPED_KEY.encode() not in (data_dir / "coach.db").read_bytes()
    for path in data_dir.rglob("*"):
        if path.is_file() and path.name != KEY_FILE:
            assert TYPED_KEY.encode() not in path.read_bytes(), path


def test_a_key_from_the_environment_cannot_be_edited(ollama: FakeOllama, served: ServedFake):
    at = settings_page(open_page())

    assert not at.exception
    [key_input] = [t for t in at.text_input if t.label.startswith("Intervals.icu API")]
    assert key_input.label == "Intervals.icu API key (set by COACH_INTERVALS_API_KEY)"
    assert key_input.disabled
    assert API_KEY not in rendered_text(at)


def secrets_in(value: Any, key: str, seen: set[int] | None = None) -> list[str]:
    """Where a SecretStr, or the key itself, sits in `value` (dicts, sequences, objects)."""
    seen = seen if seen is not None else set()
    if id(value) in seen or isinstance(value, (int, float, bool, type(None))):
        return []
    seen.add(id(value))
    if isinstance(value, SecretStr):
        return ["a SecretStr"]
    if isinstance(value, (str, bytes)):
        return [repr(value)[:40]] if key in (value if isinstance(value, str) else
                                             value.decode(errors="ignore")) else []
    if isinstance(value, dict):
        inner = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        inner = list(value)
    else:
        inner = list(getattr(value, "__dict__", {}).values())
    return [found for item in inner for found in secrets_in(item, key, seen)]


def test_the_settings_and_their_key_stay_out_of_the_session_state(ollama: FakeOllama,
                                                                   served: ServedFake):
    """st.session_state holds a handle; the settings with the key are resolved elsewhere."""
    at = settings_page(open_page())
    assert not at.exception and at.session_state["settings-handle"]
    assert secrets_in(at.session_state.to_dict(), API_KEY) == []
    # the walk finds them where they used to be: the Settings object in the session state
    assert secrets_in({"resolved-settings": load_settings()}, API_KEY) == ["a SecretStr"]


# --- a real account (served fake Intervals.icu) -------------------------------------------------


def test_first_run_syncs_the_real_account(ollama: FakeOllama, served: ServedFake,
                                          account: FakeIntervals, data_dir: Path):
    at = open_page()

    assert_no_failure(at)
    assert "Athlete: Ana Ruiz" in values(at.sidebar.caption)
    assert not at.info  # no demo banner
    assert any(r.path == "/api/v1/athlete/0" for r in account.requests)
    with opened_store(data_dir) as store:
        assert store.sync_state("i123456").last_sync_at is not None


def test_a_refused_key_on_first_sync_is_a_sentence(ollama: FakeOllama, served: ServedFake,
                                                   account: FakeIntervals):
    account.fail_next(401, times=5)
    at = open_page()

    assert not at.exception
    failed = [e for e in values(at.error) if e.startswith("Sync failed:")]
    assert len(failed) == 1
    assert "did not accept the API key" in failed[0]
    assert API_KEY not in rendered_text(at)


def test_a_failed_publish_shows_the_error_and_retry_publishes_once(
        ollama: FakeOllama, served: ServedFake, account: FakeIntervals, data_dir: Path):
    at = ask(open_page())
    assert buttons(at, "Confirm")
    assert account.writes == []
    # Five answers of 500 exhaust the client's retries of the look-before-create GET;
    # Retry-After: 0 keeps the backoff out of the test's run time.
    account.fail_next(500, path_contains="/events", times=5, headers={"Retry-After": "0"})

    at = click(at, "Confirm")

    assert not at.exception
    [error] = at.error  # a server error: the confirmation waits and is resent by a sync
    assert error.value.startswith("Waiting to publish: Intervals.icu had a server error (500).")
    assert "sent when Intervals.icu is reachable again" in error.value
    assert proposal_statuses(data_dir) == ["failed"]
    assert buttons(at, "Confirm") == [] and len(buttons(at, "Retry")) == 1
    assert account.writes == []

    at = click(at, "Retry")

    assert_no_failure(at)
    [success] = at.success
    assert success.value.startswith("Confirmed: on your Intervals.icu calendar")
    assert proposal_statuses(data_dir) == ["published"]
    [posted] = account.writes
    assert posted.method == "POST" and posted.path == "/api/v1/athlete/i123456/events"
    assert posted.body["description"] == WORKOUT_TEXT
    assert buttons(at, "Retry") == []


def test_a_rejected_key_is_not_published_and_not_waiting(
        ollama: FakeOllama, served: ServedFake, account: FakeIntervals, data_dir: Path):
    at = ask(open_page())
    account.fail_next(403, path_contains="/events")
    at = click(at, "Confirm")
    [error] = at.error
    assert error.value.startswith("Not published: Intervals.icu refused access (403)")
    assert len(buttons(at, "Retry")) == 1 and len(buttons(at, "Reject")) == 1


def test_a_plan_of_three_with_an_edit_then_confirm_all_and_undo(ollama: FakeOllama,
                                                                 data_dir: Path):
    at = open_page()
    at = ask(at, "Propose three sessions please")
    assert_no_failure(at)
    assert "Plan: 3 proposals" in " ".join(values(at.markdown))
    assert len(buttons(at, "Confirm all")) == 1 and len(buttons(at, "Confirm")) == 3
    editors = at.text_area
    assert len(editors) == 3
    editors[1].set_value("- 10m Z1 Pace\n- 400m Z2 Pace").run()      # metres written as m
    assert any("`400m` means 400 minutes" in e for e in values(at.error))
    disabled = [b.disabled for b in at.button if b.label == "Confirm"]
    assert disabled == [False, True, False]                  # Confirm is off while invalid
    at.text_area[1].set_value("- 10m Z1 Pace\n- 4000mtr Z2 Pace").run()
    assert not at.error and all(not b.disabled for b in at.button if b.label == "Confirm")
    at = click(at, "Confirm all")
    assert_no_failure(at)
    assert len(demo_calendar(data_dir)) == 3
    assert proposal_statuses(data_dir) == ["published"] * 3
    published = [e for e in demo_calendar(data_dir) if e["type"] == "Run"]
    assert published[0]["description"] == "- 10m Z1 Pace\n- 4000mtr Z2 Pace"
    at = buttons(at, "Undo")[0].click().run()               # the first card's Undo
    assert_no_failure(at)
    assert len(demo_calendar(data_dir)) == 2
    assert "Undone: your calendar is as it was before." in values(at.info)


def test_markdown_images_from_the_model_are_never_rendered_as_images(ollama: FakeOllama):
    at = open_page()
    at = ask(at, "Show me an image")
    assert_no_failure(at)
    rendered = " ".join(values(at.markdown) + [s.label for s in at.status])
    assert "![" not in rendered.replace("!\\[", "")          # every image is escaped
    assert "198.51.100.7" in rendered                        # the text is still there


def test_forget_me_deletes_everything_after_a_confirmation(ollama: FakeOllama, data_dir: Path):
    from coach.settings import save_api_key

    at = settings_page(ask(open_page()))
    save_api_key(data_dir, "secret-key")
    assert (data_dir / "coach.db").exists()
    at = click(at, "Forget me…")
    assert not at.exception and (data_dir / "coach.db").exists()     # nothing yet
    at = click(at, "Delete it all")
    assert not at.exception
    assert not (data_dir / "intervals-api-key").exists()
    assert any("the stored Intervals.icu API key" in e for e in values(at.success))
    assert not values(at.error)


def test_forget_me_with_the_key_in_the_environment_reads_nothing_until_asked(
        ollama: FakeOllama, served: ServedFake, account: FakeIntervals, data_dir: Path):
    at = settings_page(open_page())                      # the first sync ran
    [monday] = [n for n in at.number_input if n.label == "Mon (h)"]
    monday.set_value(3.5)
    at = at.button(key="save-availability").click().run()
    saved = load_settings().availability
    assert saved is not None and saved.hours[0] == 3.5
    at = click(at, "Forget me…")
    assert any("COACH_INTERVALS_API_KEY" in w for w in values(at.warning))  # said before
    read_before = len(account.requests)

    at = click(at, "Delete it all")

    assert_no_failure(at)
    shown = " ".join(values(at.info) + values(at.warning) + values(at.success))
    assert "keeps nothing about you" in shown and "has **not** been read again" in shown
    for page in (at.run(), settings_page(at), open_page()):  # every page, a new tab too
        assert "keeps nothing about you" in " ".join(values(page.info))
        assert [n for n in page.number_input if n.label == "Mon (h)"] == []
    assert len(account.requests) == read_before           # nothing read again
    assert not (data_dir / "coach.db").exists() and not (data_dir / "settings.json").exists()

    at = click(at, "Read my Intervals.icu account again")   # the athlete asks

    assert_no_failure(at)
    assert len(account.requests) > read_before and (data_dir / "coach.db").exists()
    at = settings_page(at)
    [monday] = [n for n in at.number_input if n.label == "Mon (h)"]
    assert monday.value != 3.5                            # the form shows the forgotten state


def test_forget_me_says_when_the_keyring_refuses_and_never_reports_it_deleted(
        ollama: FakeOllama, data_dir: Path, refusing_keyring):
    from coach.settings import save_api_key

    at = settings_page(ask(open_page()))
    assert save_api_key(data_dir, "secret-key") == "keyring"
    at = click(click(at, "Forget me…"), "Delete it all")
    assert not at.exception
    shown = " ".join(values(at.error))
    assert "could not be removed from the OS keyring" in shown and "by hand" in shown
    assert "API key in the OS keyring" not in " ".join(values(at.success) + [shown.split(
        "Not deleted")[0]])
    assert refusing_keyring.passwords  # still there, and the page said so


def test_remote_model_warning_and_api_key_notice(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "http://192.0.2.10:11434")
    monkeypatch.setenv("COACH_ALLOW_REMOTE_MODEL", "1")
    monkeypatch.setenv("OLLAMA_API_KEY", "cloud")
    at = open_page()
    warnings = " ".join(values(at.warning))
    assert "is not on this machine" in warnings and "never sends it" in warnings


def test_offline_confirmation_waits_and_is_sent_when_the_app_starts_again(
        ollama: FakeOllama, served: ServedFake, account: FakeIntervals, data_dir: Path):
    at = ask(open_page())
    account.fail_next(503, times=10, headers={"Retry-After": "0"})   # Intervals.icu is down
    at = click(at, "Confirm")
    [error] = at.error
    assert error.value.startswith("Waiting to publish:")
    assert proposal_statuses(data_dir) == ["failed"]
    account.heal()               # Intervals.icu is back
    reopened = open_page()       # a new session: the app syncs and sends what waited
    assert_no_failure(reopened)
    assert proposal_statuses(data_dir) == ["published"]
    assert len([w for w in account.writes if w.method == "POST"]) == 1
    assert any(s.value.startswith("Confirmed: on your Intervals.icu calendar")
               for s in reopened.success)


def test_a_500_message_conversation_still_renders(ollama: FakeOllama, data_dir: Path):
    at = open_page()
    with opened_store(data_dir) as store:
        conversation = store.create_conversation("demo", "A long one")
        for i in range(250):
            store.add_message(conversation, Message(Role.USER, f"question {i}"))
            store.add_message(conversation, Message(Role.ASSISTANT, f"answer {i}"))
        assert store.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    at.session_state.conversation_id = conversation
    at.run()
    assert_no_failure(at)
    assert len(at.chat_message) == 500
    assert values(at.chat_message[-1].markdown) == ["answer 249"]


def test_a_tool_name_written_as_markdown_is_shown_as_text(monkeypatch, data_dir: Path):
    from coach.testing.ollama_server import Reply

    leak = "![x](http://198.51.100.7/leak?hrv=38)"

    def script(body):
        if body["messages"][-1]["role"] == "user":
            return Reply(tool_calls=[{"name": leak, "arguments": {}}])
        return Reply(content="ok")

    with FakeOllama(script=script) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        at = ask(open_page(), "hello")
    labels = [s.label for s in at.status]
    assert labels and all("![" not in label for label in labels)
    assert "leak" in " ".join(labels)                    # shown, as escaped text
    assert all("![" not in m for m in values(at.markdown))


# --- a sync that never strands the athlete ------------------------------------------------

def test_a_partial_first_sync_leaves_a_usable_page_with_a_banner_and_retry(
        ollama: FakeOllama, account: FakeIntervals, served: ServedFake):
    account.fail_path("/wellness", 503, headers={"Retry-After": "0"})  # no waiting between tries
    at = open_page()
    assert not at.exception
    errors = " ".join(values(at.error))
    assert "Sync failed: Intervals.icu had a server error (503)" in errors
    assert at.chat_input and not at.chat_input[0].disabled        # the coach works already
    assert any("Ana Ruiz" in c for c in values(at.sidebar.caption))
    warnings = " ".join(values(at.warning))
    assert "has not been loaded yet" in warnings or "partly loaded" in warnings
    assert "Last sync failed: Intervals.icu had a server error (503)" in warnings  # sidebar
    at = click(at, "Retry sync")                                  # still failing: still said
    assert "Last sync failed" in " ".join(values(at.warning))
    account.heal()
    at = click(at, "Retry sync")
    assert not at.exception
    at = at.run()
    assert not [w for w in values(at.warning) if "sync" in w.lower()]
    assert not buttons(at, "Retry sync")


def test_an_optional_part_that_fails_is_a_warning_and_the_rest_works(
        ollama: FakeOllama, account: FakeIntervals, served: ServedFake):
    account.fail_path("/pace-curves", 500, headers={"Retry-After": "0"})
    at = open_page()
    warnings = " ".join(values(at.warning))
    assert "Best efforts for Run were not updated: Intervals.icu had a server error (500)" \
        in warnings
    assert not at.error and at.chat_input and not at.chat_input[0].disabled


def test_a_database_that_cannot_be_opened_is_a_sentence_on_the_page(data_dir: Path):
    (data_dir / "coach.db").mkdir(parents=True)
    at = open_page()
    assert not at.exception
    assert any(e.startswith("Local Coach cannot open its database") for e in values(at.error))


def test_an_answer_the_model_did_not_manage_is_a_sentence_with_what_it_sent_and_retry(
        monkeypatch: pytest.MonkeyPatch):
    from coach.testing.ollama_server import Reply

    junk = Reply(content='{"name": "plan_my_week", "arguments": {"hours": 6}}')
    with FakeOllama(script=lambda body: junk) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        at = ask(open_page(), "Give me next week, 6 hours")
        warnings = " ".join(values(at.warning))
        assert "did not manage an answer from your data this time (it sent tool calls" in \
            warnings and "coach eval" in warnings
        assert not any('"arguments"' in m for m in values(at.markdown))
        assert any("What the model sent instead" in e.label for e in at.expander)
        fake.set_script([Reply(content="Three rides and a long run: which days suit you?")])
        at = click(at, "Retry")
        assert turns.wait_all(30), "the answer did not finish"
        at = at.run()
        assert any("Three rides and a long run" in m for m in values(at.markdown))
        assert not buttons(at, "Retry")
