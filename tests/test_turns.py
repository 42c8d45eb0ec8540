"""Answers in a background thread: progress, completion, stop, failures."""


from coach.agent.loop import AgentError, TextDelta, TurnDone
from coach.app import answers as turns
from coach.app.session import Coach
from coach.settings import load_settings
from coach.testing.coach_script import coach as coach_script
from coach.testing.ollama_server import FakeOllama, Reply
from tests.waiting import wait_until


def wait(turn, seconds=20):
    assert turn.done.wait(seconds), "the answer did not finish"
    return turn.snapshot()


def conversation(monkeypatch, url):
    monkeypatch.setenv("OLLAMA_HOST", url)
    with Coach(load_settings()) as coach:
        coach.sync()
        cid = coach.new_conversation()
    return cid


def make():
    return Coach(load_settings())


def test_an_answer_runs_in_the_background_and_is_saved(monkeypatch):
    with FakeOllama(script=coach_script) as fake:
        cid = conversation(monkeypatch, fake.url)
        with make() as c:
            c.add_user_message(cid, "Please plan a workout")
        turn = turns.start(make, cid)
        assert turns.start(make, cid) is turn               # one answer at a time
        events = wait(turn)
    assert isinstance(events[-1], TurnDone) and events[-1].proposal_ids
    assert turns.running(cid) is None
    with make() as c:
        roles = [m.role for m in c.messages(cid)]
    assert roles == ["user", "assistant", "tool", "tool", "assistant", "tool", "assistant"]


def test_stop_ends_the_answer_and_keeps_what_was_said(monkeypatch):
    words = " ".join(f"word{i}" for i in range(200))
    with FakeOllama(script=[Reply(content=words, chunk_delay_s=0.5)]) as fake:
        cid = conversation(monkeypatch, fake.url)
        with make() as c:
            c.add_user_message(cid, "Tell me a long story")
        turn = turns.start(make, cid)
        wait_until(lambda: any(isinstance(e, TextDelta) for e in turn.snapshot()), 10,
                   "the first words")
        turn.stop.set()
        events = wait(turn)
    assert events[-1] == AgentError("You stopped the answer.")
    with make() as c:
        last = c.messages(cid)[-1]
    assert last.role == "assistant" and last.content.endswith(" … (stopped)")
    assert last.content.startswith("word0") and "word199" not in last.content


def test_a_model_that_is_down_ends_the_answer_with_a_sentence(monkeypatch):
    from coach.testing.ollama_server import closed_port_url

    cid = conversation(monkeypatch, closed_port_url())
    with make() as c:
        c.add_user_message(cid, "hello")
    events = wait(turns.start(make, cid))
    assert isinstance(events[-1], AgentError) and "ollama serve" in events[-1].message


def test_an_unexpected_failure_still_ends_the_answer(monkeypatch):
    def broken():
        raise RuntimeError("boom")

    events = wait(turns.start(broken, 424242))
    assert events == [AgentError("The answer failed unexpectedly (RuntimeError).")]


def test_stop_works_before_the_first_word(monkeypatch):
    # The model would take 120 s to say anything; the answer must end as soon as it is stopped
    # (waiting for it ends with "timed out" long before the model would have answered).
    with FakeOllama(script=[Reply(content="late words", delay_s=120)]) as fake:
        cid = conversation(monkeypatch, fake.url)
        with make() as c:
            c.add_user_message(cid, "Think hard")
        turn = turns.start(make, cid)
        wait_until(lambda: fake.chat_requests)           # the request reached the model
        turn.stop.set()
        events = wait(turn, seconds=30)
        assert not any(isinstance(e, TextDelta) for e in events)
    assert events[-1] == AgentError("You stopped the answer.")

