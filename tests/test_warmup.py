"""A warm, stable prefix (issue 23, part 5): when the Coach page opens, or a sync changes the
athlete card, the model reads the system prompt and the tool catalog (one request, one token
out), and every request of a turn, the last one included, starts with exactly that: the model
server reuses what it has read. Through the real `ollama` client and the fake Ollama."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from coach.agent.tools import catalog
from coach.app import warmup
from coach.app.session import Coach
from coach.settings import Settings
from coach.testing.ollama_server import FakeOllama, Reply
from tests.pages import open_page

TODAY = date(2026, 11, 24)


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    warmup.forget()
    with FakeOllama(lambda body: Reply(content="Fine.")) as server:
        yield server


@pytest.fixture
def coach(fake: FakeOllama, tmp_path) -> Iterator[Coach]:
    with Coach(Settings(data_dir=tmp_path, ollama_host=fake.url), today=TODAY) as c:
        c.sync()
        yield c


def test_the_warm_up_reads_the_prompt_and_tools_once_with_one_token_out(fake, coach):
    assert warmup.warm_now(coach) and not warmup.warm_now(coach)
    [sent] = fake.warmups
    assert [m["role"] for m in sent["messages"]] == ["system"]
    assert sent["messages"][0]["content"] == coach.system_prompt(coach.scope())
    assert sent["tools"] == catalog() and sent["options"]["num_predict"] == 1
    assert fake.chat_requests == []        # nothing the script answers


def test_every_request_of_a_turn_starts_as_the_warm_up(fake, coach):
    warmup.warm_now(coach)
    conversation = coach.new_conversation()
    coach.ask(conversation, "How was my last week?", lambda e: None)
    coach.ask(conversation, "hi", lambda e: None)
    warm = fake.warmups[0]
    for request in fake.chat_requests:
        assert request["messages"][0] == warm["messages"][0]
        assert request["tools"] == warm["tools"]       # the last request of a turn too


def test_a_sync_that_changes_the_card_warms_again(fake, coach):
    warmup.warm_now(coach)
    athlete = coach.athlete()
    assert athlete is not None and not warmup.needed(coach)
    coach.store.save_athlete(athlete.model_copy(update={"name": "Alex (renamed)"}))
    assert warmup.needed(coach) and warmup.warm_now(coach)
    assert len(fake.warmups) == 2 and fake.warmups[0] != fake.warmups[1]


def test_opening_the_coach_page_warms_the_model(ollama, fresh_page_caches):
    warmup.forget()
    open_page()
    assert warmup.wait(30)
    assert len(ollama.warmups) == 1
    open_page()                             # a reload: the model has read it already
    assert warmup.wait(30) and len(ollama.warmups) == 1
