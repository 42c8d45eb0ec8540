"""The notes on the pages (AppTest, demo athlete, fake Ollama): the Settings section adds, edits,
pins and deletes them; "remember that …" on the Coach page makes a note card that keeps the note
only on Keep, and the kept note is then on the athlete card the model reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from coach.store import NoteStatus, Store
from coach.testing.ollama_server import FakeOllama, Reply
from tests.pages import open_page, texts, wait_for_answers

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def noted(body: dict[str, Any]) -> Reply:
    return Reply(content="Noted: keep it on its card and I will plan around it.")


@pytest.fixture
def ollama(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    with FakeOllama(script=noted) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        yield fake


def stored(data_dir: Path) -> list[tuple[str, str, bool, str]]:
    store = Store(data_dir / "coach.db")
    try:
        return [(n.kind, n.text, n.pinned, n.status) for n in
                store.notes("demo", list(NoteStatus))]
    finally:
        store.close()


def no_failure(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def click(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def test_notes_are_added_edited_pinned_and_deleted_on_settings(ollama, data_dir):
    at = open_page("settings")
    assert "Notes the coach keeps in mind" in texts(at)
    at.selectbox(key="new-note-kind").set_value(at.selectbox(key="new-note-kind").options[2])
    at.text_area(key="new-note-text").set_value("Left knee sore: no running for now")
    at = click(at, "FormSubmitter:add-note-Add note")
    no_failure(at)
    assert stored(data_dir) == [("injury", "Left knee sore: no running for now", False, "kept")]
    assert "Note added" in " ".join(s.value for s in at.success)
    [note_id] = [int(k.split("-")[-1]) for k in (b.key for b in at.button)
                 if k and k.startswith("pin-note-")]
    at = click(at, f"pin-note-{note_id}")
    assert stored(data_dir)[0][2] is True
    at.toggle(key=f"edit-note-{note_id}").set_value(True).run()
    at.text_area(key=f"note-{note_id}-text").set_value("Left knee better: easy runs only")
    at = click(at, f"FormSubmitter:note-form-{note_id}-Save note")
    no_failure(at)
    assert stored(data_dir)[0][1] == "Left knee better: easy runs only"
    at = click(at, f"delete-note-{note_id}")
    no_failure(at)
    assert stored(data_dir) == []
    assert "deleted from this machine" in " ".join(s.value for s in at.success)


def test_an_empty_note_is_refused_with_a_sentence(ollama, data_dir):
    at = click(open_page("settings"), "FormSubmitter:add-note-Add note")
    assert stored(data_dir) == []
    assert any("A note needs some text" in e.value for e in at.error)


def test_remember_that_makes_a_card_that_keeps_the_note_only_on_keep(ollama, data_dir):
    at = open_page()
    at.chat_input[0].set_value("Remember that I can't train on Wednesdays").run()
    wait_for_answers()
    at = at.run()
    no_failure(at)
    assert "Note to keep in mind" in texts(at) and "Nothing is kept until you press Keep" in \
        texts(at)
    [(kind, text, _, status)] = stored(data_dir)
    assert (kind, text, status) == ("constraint", "I can't train on Wednesdays", "proposed")
    first = ollama.chat_requests[0]
    system = first["messages"][0]["content"]
    assert "Wednesdays" not in system                 # not kept: the model does not read it
    keep = next(b for b in at.button if b.key and b.key.startswith("keep-note-"))
    at = keep.click().run()
    no_failure(at)
    assert stored(data_dir)[0][3] == "kept"
    assert "Kept in your notes" in " ".join(s.value for s in at.success)
    at.chat_input[0].set_value("Plan my week").run()
    wait_for_answers()
    system = ollama.chat_requests[-1]["messages"][0]["content"]
    assert "Notes the athlete keeps (their words):\n- constraint: I can't train on " \
           "Wednesdays" in system


def test_dismiss_keeps_nothing(ollama, data_dir):
    at = open_page()
    at.chat_input[0].set_value("Please remember that I prefer indoor rides on weekdays").run()
    wait_for_answers()
    at = at.run()
    dismiss = next(b for b in at.button if b.key and b.key.startswith("dismiss-note-"))
    at = dismiss.click().run()
    no_failure(at)
    assert stored(data_dir)[0][3] == "dismissed" and "Not kept" in texts(at)
