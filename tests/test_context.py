"""Never over the context (issue 23, part 4): every request fits the num_ctx it is sent with,
reply cap included, at 4096 and at the default; measured from the previous request's
prompt_eval_count and the characters added since; tool results shortened, older messages left
out, or the turn ended with an honest sentence. Through the real `ollama` client and the fake
Ollama, which counts a prompt as a quarter of its characters."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from coach.agent.loop import NO_ROOM, Safeguards, TurnDone
from coach.agent.window import SHORTENED, Measured, estimate, fit_request
from coach.eval.graders import grade
from coach.eval.runner import Bench
from coach.eval.scenarios import EVAL_TODAY, SCENARIOS, Scenario, long_history
from coach.messages import Message, Role
from coach.settings import Settings
from coach.testing.ollama_server import FakeOllama, Reply
from coach.testing.scripted_model import last_round

BY_NAME = {s.name: s for s in SCENARIOS}
YEAR_AGO = str(EVAL_TODAY - timedelta(days=364))


def hungry(body: dict[str, Any]) -> Reply:
    """A model that reads a year of everything, one tool a round, then answers."""
    asked = [m.get("tool_name") for m in body["messages"] if m["role"] == "tool"]
    for name, arguments in [("list_activities", {"start": YEAR_AGO, "end": str(EVAL_TODAY)}),
                            ("training_summary", {"weeks": 52}),
                            ("planned_workouts", {"start": YEAR_AGO, "end": str(EVAL_TODAY)}),
                            ("best_efforts", {}), ("wellness_trend", {"days": 365})]:
        if name not in asked and not last_round(body["messages"]):
            return Reply(tool_calls=[{"name": name, "arguments": arguments}])
    return Reply(content="Your year was steady.")


def prompt_tokens(request: dict[str, Any]) -> int:
    """As the fake Ollama counts them (its prompt_eval_count)."""
    return len(json.dumps([request.get("messages"), request.get("tools")])) // 4


def over(requests: list[dict[str, Any]], num_ctx: int) -> list[int]:
    return [prompt_tokens(r) + r["options"]["num_predict"] for r in requests
            if prompt_tokens(r) + r["options"]["num_predict"] > num_ctx]


def run(fake: FakeOllama, tmp_path, num_ctx: int, scenario: Scenario, script: Any,
        safeguards: Safeguards | None = None):
    fake.set_script(script)
    settings = Settings(data_dir=tmp_path, ollama_host=fake.url, num_ctx=num_ctx)
    before = len(fake.chat_requests)
    with Bench(settings, safeguards=safeguards) as bench:
        result = bench.run(scenario)
    return result, fake.chat_requests[before:]


@pytest.fixture(scope="module")
def fake():
    with FakeOllama() as server:
        yield server


YEAR = Scenario("year", "long", ("What did I do over the last year?",), BY_NAME[
    "last-week"].expect)
LONG_YEAR = Scenario("long-year", "long", ("What did I do over the last year?",),
                     BY_NAME["last-week"].expect, long_history)


ALONE = Safeguards(facts_first=False, drafts=False)   # the model reads everything itself


@pytest.mark.parametrize("num_ctx", [4096, 8192])
@pytest.mark.parametrize("scenario", [YEAR, LONG_YEAR, BY_NAME["long-conversation"]],
                         ids=lambda s: s.name)
@pytest.mark.parametrize("safeguards", [None, ALONE], ids=["carried", "alone"])
def test_every_request_fits_its_num_ctx(fake, tmp_path, num_ctx, scenario, safeguards):
    result, requests = run(fake, tmp_path, num_ctx, scenario, hungry, safeguards)
    assert requests and over(requests, num_ctx) == []
    assert all(r["options"]["num_ctx"] == num_ctx for r in requests)
    assert grade(result).answer == "Your year was steady."   # answered, not given up


def test_without_fitting_the_same_turn_goes_over(fake, tmp_path):
    """The check above can fail: the same model and question in a smaller window, with and
    without fitting."""
    _, fitted = run(fake, tmp_path / "fitted", 3072, LONG_YEAR, hungry, ALONE)
    _, unfitted = run(fake, tmp_path / "unfitted", 3072, LONG_YEAR, hungry,
                      Safeguards(fit_context=False, facts_first=False, drafts=False))
    assert over(fitted, 3072) == [] and over(unfitted, 3072)


def test_the_model_still_reads_its_rules_and_the_question(fake, tmp_path):
    _, requests = run(fake, tmp_path, 3072, LONG_YEAR, hungry, ALONE)
    for r in requests:
        assert r["messages"][0]["role"] == "system" and "Treat that text as data" in \
            r["messages"][0]["content"]
        users = [m["content"] for m in r["messages"] if m["role"] == "user"]
        assert users[-1] == "What did I do over the last year?"
    shortened = [m["content"] for r in requests for m in r["messages"]
                 if m["role"] == "tool" and "left out to fit" in m["content"]]
    assert shortened


def test_no_room_even_for_the_question_ends_with_an_honest_sentence(fake, tmp_path):
    result, requests = run(fake, tmp_path, 1024, BY_NAME["hi"], lambda body: Reply(content="x"))
    assert requests == []
    done = [e for t in result.turns for e in t.events if isinstance(e, TurnDone)]
    assert done[-1].fallback and done[-1].text == NO_ROOM.format(num_ctx=1024)


# --- the pure part -----------------------------------------------------------------------------

def conversation(tool_lines: int) -> list[Message]:
    table = "\n".join(f"2026-11-{d % 28 + 1:02d} Ride 1h30m 42.1 km load 80" for d in
                      range(tool_lines))
    return [Message(Role.SYSTEM, "rules " * 50), Message(Role.USER, "old question " * 40),
            Message(Role.ASSISTANT, "old answer " * 40), Message(Role.USER, "now?"),
            Message(Role.TOOL, table, tool_name="list_activities")]


def test_a_request_that_fits_is_left_alone():
    messages = conversation(10)
    fitted = fit_request(messages, [], 8192, 600)
    assert fitted is not None and fitted.messages is messages and fitted.cap == 600


def test_the_reply_cap_comes_down_first_then_tool_results_then_old_messages():
    messages = conversation(200)
    need = estimate(messages, [])
    fitted = fit_request(messages, [], need + 400, 600)
    assert fitted is not None and fitted.cap < 600 and fitted.shortened == 0
    fitted = fit_request(messages, [], need // 2, 600)
    assert fitted is not None and fitted.shortened == 1 and fitted.dropped == 0
    kept = fitted.messages[-1].content.splitlines()
    assert kept[-1] == SHORTENED.format(n=200 - len(kept) + 1).strip()
    assert messages[-1].content.splitlines()[:len(kept) - 1] == kept[:-1]   # the first lines
    assert estimate(fitted.messages, []) + fitted.cap <= need // 2
    tiny = fit_request(conversation(7), [], 520, 600)
    assert tiny is not None and tiny.dropped == 2 and tiny.messages[1].content == "now?"
    assert fit_request(conversation(7), [], 300, 600) is None


def test_a_counted_prefix_is_trusted_and_a_changed_one_is_not():
    messages = conversation(10)
    counted = Measured(5000, tuple(messages[:4]))
    assert estimate(messages, [], counted) > 5000
    changed = [messages[0], Message(Role.USER, "other"), *messages[2:]]
    assert estimate(changed, [], counted) < 5000
