"""The agent loop with a scripted model: events, tools, proposals, limits, failures."""

from datetime import timedelta

import pytest

from coach.agent.loop import (
    MAX_PROPOSALS_PER_TURN,
    MAX_TOOL_ROUNDS,
    Agent,
    AgentError,
    Compacted,
    Safeguards,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnDone,
    Usage,
)
from coach.agent.window import DROPPED, fit_history
from coach.grounding import Grounding
from coach.messages import AnswerMeta, Message, Role
from coach.model.client import ToolCall
from coach.scope import Scope
from coach.testing.intervals_samples import SAMPLE_TODAY as TODAY
from coach.testing.scripted_model import (
    ScriptedModel,
    Turn,
    call,
    last_round,
    say,
    sequence,
)

WORKOUT = {"date": str(TODAY + timedelta(days=1)), "sport": "Ride", "name": "Endurance",
           "description": "- 10m 60%\n- 40m Z2\n- 10m 50%"}


def answered(events) -> str:
    """The text of a turn that ended with an answer and no proposal."""
    done = events[-1]
    assert isinstance(done, TurnDone) and done.proposal_ids == () and not done.fallback, done
    return done.text


def run_turn(store, script, text="How am I doing?"):
    model = ScriptedModel(script)
    conversation = store.create_conversation("i123456")
    store.add_message(conversation, Message(Role.USER, text))
    events, saved = [], []

    def save(message, proposal_id):
        saved.append((message, proposal_id))
        store.add_message(conversation, message, proposal_id)

    ctx = Scope(store, "i123456", TODAY, conversation)
    Agent(model, "system prompt").run_turn(store.messages(conversation), ctx, events.append,
                                           save)
    return model, events, saved


def test_plain_answer_streams_and_is_saved(synced):
    model, events, saved = run_turn(synced, sequence(say("Rest today, you look tired.")))
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 1 and "".join(deltas) == "Rest today, you look tired."
    assert isinstance(events[-1], TurnDone) and any(isinstance(e, Usage) for e in events)
    assert saved == [(Message(Role.ASSISTANT, "Rest today, you look tired.",
                              meta=AnswerMeta(grounding='{"v":1,"figures":[]}')), None)]
    assert model.requests[0][0][0] == {"role": "system", "content": "system prompt"}


def test_tool_round_then_answer(synced):
    model, events, saved = run_turn(synced, sequence(call("fitness_trend", days=14),
                                                     say("Your form is -6.4.")))
    started = [e for e in events if isinstance(e, ToolStarted)]
    finished = [e for e in events if isinstance(e, ToolFinished)]
    assert started[0].name == "fitness_trend" and finished[0].ok
    assert "CTL 62.9" in finished[0].result
    roles = [m.role for m, _ in saved]
    assert roles == ["assistant", "tool", "assistant"]
    assert saved[0][0].tool_calls == (ToolCall("fitness_trend", {"days": 14}),)
    second_request = model.requests[1][0]
    assert second_request[-1] == {"role": "tool", "tool_name": "fitness_trend",
                                  "content": finished[0].result}


def test_proposal_is_created_but_nothing_is_written(synced, fake_intervals):
    writes_before = len(fake_intervals.writes)
    _, events, saved = run_turn(synced, sequence(call("propose_workout", **WORKOUT),
                                                 say("I proposed an endurance ride.")))
    done = events[-1]
    assert isinstance(done, TurnDone) and len(done.proposal_ids) == 1
    assert saved[1][1] == done.proposal_ids[0]
    assert synced.proposal(done.proposal_ids[0]).status == "pending"
    assert len(fake_intervals.writes) == writes_before


def test_unknown_tool_and_bad_arguments_go_back_to_the_model(synced):
    model, events, _ = run_turn(synced, sequence(
        Turn(calls=[ToolCall("delete_everything", {}), ToolCall("fitness_trend",
                                                                {"days": "many"})]),
        say("Sorry.")))
    results = [e.result for e in events if isinstance(e, ToolFinished)]
    assert results[0].startswith('Error: tool "delete_everything" does not exist')
    assert results[1].startswith("Error: invalid arguments for fitness_trend")
    assert [m["content"] for m in model.requests[1][0][-2:]] == results


def test_round_limit_ends_with_a_plain_answer(synced):
    def always_tools(messages, tools):  # a different call each round: none is a repeat
        return say("Here is what I found.") if last_round(messages) else \
            call("fitness_trend", days=7 + len(messages))

    model, events, _ = run_turn(synced, always_tools)
    assert len([e for e in events if isinstance(e, ToolStarted)]) == MAX_TOOL_ROUNDS
    assert model.requests[-1][1] == model.requests[0][1]        # the same tools: one prefix
    assert "used all tool calls" in model.requests[-1][0][-1]["content"]
    assert answered(events) == "Here is what I found."


def test_empty_reply_gets_one_retry_with_the_real_tool_names(synced):
    model, events, _ = run_turn(synced, sequence(say(""), say("Fixed it.")))
    assert "The only tools are: athlete_profile" in model.requests[1][0][-1]["content"]
    assert answered(events) == "Fixed it."


def test_model_failure_becomes_one_sentence_and_keeps_the_question(synced):
    _, events, saved = run_turn(synced, sequence(Turn(fail="Ollama is not running at x — "
                                                       "start it with `ollama serve`.")))
    assert events == [AgentError("Ollama is not running at x — start it with `ollama serve`.")]
    assert saved == []
    assert synced.db.execute("SELECT content FROM messages").fetchall() == [("How am I doing?",)]


def test_at_most_14_proposals_per_answer(synced):
    many = Turn(calls=[ToolCall("propose_workout", {**WORKOUT, "name": f"Ride {i}"})
                       for i in range(MAX_PROPOSALS_PER_TURN + 6)])
    _, events, _ = run_turn(synced, sequence(many, say("Done.")))
    assert len(events[-1].proposal_ids) == MAX_PROPOSALS_PER_TURN
    refused = [e for e in events if isinstance(e, ToolFinished) and not e.ok]
    assert len(refused) == 6 and "at most 14 proposals" in refused[0].result


def test_history_keeps_old_words_but_drops_old_tool_traffic():
    history = []
    for i in range(12):
        history += [Message(Role.USER, f"q{i}", id=4 * i),
                    Message(Role.ASSISTANT, "", (ToolCall("fitness_trend", {}),)),
                    Message(Role.TOOL, f"r{i}", tool_name="fitness_trend"),
                    Message(Role.ASSISTANT, f"a{i}", meta=AnswerMeta(grounding="{}"))]
    fitted = fit_history(history, cut=9 * 4)                 # compacted up to q9
    assert [m.content for m in fitted if m.role == Role.USER] == [f"q{i}" for i in range(12)]
    assert [m.content for m in fitted if m.role == Role.TOOL] == ["r9", "r10", "r11"]
    assert all(m.id is None and m.meta == AnswerMeta() for m in fitted)  # what the model reads
    assert [m.content for m in fit_history(history)] == [m.content for m in history]  # all
    assert len(fit_history(history, cut=9 * 4, keep_older=4)) == 4 + 3 * 4



def test_an_empty_reply_on_the_last_round_is_an_honest_sentence_not_silence(synced):
    def tools_then_nothing(messages, tools):
        return say("") if last_round(messages) else call("fitness_trend", days=7 + len(messages))

    _, events, saved = run_turn(synced, tools_then_nothing)
    assert events[-1].fallback and events[-1].text.startswith("scripted did not manage an "
                                                             "answer from your data")
    assert saved[-1][0].meta.fallback is True


def test_calls_made_in_the_last_round_are_not_run(synced):
    def stubborn(messages, tools):
        return Turn(text="Summary.", calls=[ToolCall("propose_workout", WORKOUT)]) if \
            last_round(messages) else call("fitness_trend", days=7 + len(messages))

    _, events, _ = run_turn(synced, stubborn)
    assert len([e for e in events if isinstance(e, ToolStarted)]) == MAX_TOOL_ROUNDS
    assert answered(events) == "Summary."
    assert synced.proposals() == []


def test_an_invalid_workout_text_gets_two_fixes_then_stops(synced):
    bad = {**WORKOUT, "description": "- 400m Z2 Pace", "sport": "Run"}
    tries = [call("propose_workout", **{**bad, "name": f"Try {i}"}) for i in range(4)]
    _, events, _ = run_turn(synced, sequence(*tries, say("I could not write it.")))
    results = [e.result for e in events if isinstance(e, ToolFinished)]
    assert all(r.startswith("Error: the workout text has problems") for r in results[:3])
    assert "last try" not in results[1] and "This was the last try" in results[2]
    assert results[3].startswith("Error: no more proposals in this answer")
    assert synced.proposals() == []


def test_proposals_of_one_answer_share_a_turn(synced):
    other_day = {**WORKOUT, "date": str(TODAY + timedelta(days=2))}
    _, events, _ = run_turn(synced, sequence(
        Turn(calls=[ToolCall("propose_workout", WORKOUT), ToolCall("propose_workout",
                                                                   other_day)]),
        say("Two sessions.")))
    turns = {synced.proposal(pid).turn for pid in events[-1].proposal_ids}
    assert len(events[-1].proposal_ids) == 2 and len(turns) == 1 and None not in turns


@pytest.mark.parametrize("text", [
    '{"name": "fitness_trend", "arguments": {"days": 14}}',
    '```json\n{"name": "fitness_trend", "parameters": {"days": 14}}\n```',
    '<tool_call>\n{"name": "fitness_trend", "arguments": "{\\"days\\": 14}"}\n</tool_call>',
    '[{"function": {"name": "fitness_trend", "arguments": {"days": 14}}}]',
])
def test_a_tool_call_written_as_text_is_run_as_a_call(synced, text):
    _, events, saved = run_turn(synced, sequence(say(text), say("Form is -6.4.")))
    finished = [e for e in events if isinstance(e, ToolFinished)]
    assert [(e.name, e.arguments) for e in finished] == [("fitness_trend", {"days": 14})]
    assert saved[0][0] == Message(Role.ASSISTANT, "", (ToolCall("fitness_trend", {"days": 14}),))
    assert answered(events) == "Form is -6.4."


def test_prose_around_a_call_written_as_text_is_kept_and_the_call_run(synced):
    text = 'Let me check your form. {"name": "fitness_trend", "arguments": {"days": 14}}'
    _, events, saved = run_turn(synced, sequence(say(text), say("Form is -6.4.")))
    assert [e.name for e in events if isinstance(e, ToolFinished)] == ["fitness_trend"]
    assert saved[0][0].content == "Let me check your form."
    assert answered(events) == "Form is -6.4."


@pytest.mark.parametrize("text", [
    '{"name": "delete_calendar", "arguments": {}}',                  # not one of our tools
    'functions.plan_week: {"hours": 6}',
])
def test_a_call_to_a_tool_that_does_not_exist_goes_back_with_the_real_names(synced, text):
    model, events, _ = run_turn(synced, sequence(say(text), say("Here is your week.")))
    [finished] = [e for e in events if isinstance(e, ToolFinished)]
    assert not finished.ok and "does not exist. Available tools: athlete_profile" in \
        finished.result
    assert answered(events) == "Here is your week."
    assert all(text not in str(e) for e in events if isinstance(e, TextDelta))


@pytest.mark.parametrize("text", [
    '{"days": 14}',                                                   # JSON, but no call
    '```json\n{"weeks": 4}\n```',
    '<tools> {"type": "function", "function": {"name": "training_summary"}} </tools>',
    '{"type": "function", "function": {"name": "fitness_trend", "description": "Fitness"}}',
    '```json\n{\n  "name": "Propose Workout",\n  "arguments": {\n    "date": "2027',  # cut off
])
def test_json_or_the_catalog_echoed_is_never_shown_and_the_model_is_asked_again(synced, text):
    model, events, saved = run_turn(synced, sequence(say(text), say("Rest today: you look tired.")))
    assert answered(events) == "Rest today: you look tired."
    assert [m.content for m, _ in saved] == ["Rest today: you look tired."]
    assert "Your last reply" in model.requests[1][0][-1]["content"]
    assert not [e for e in events if isinstance(e, TextDelta) and "{" in e.text]


def test_a_crowded_context_is_compacted_before_the_next_request(synced):
    class Crowded(ScriptedModel):
        def chat(self, messages, tools, stop=None, max_tokens=None):
            for chunk in super().chat(messages, tools):
                yield chunk if not chunk.done else type(chunk)(
                    tool_calls=chunk.tool_calls, done=True, prompt_tokens=800,
                    output_tokens=20)

    model = Crowded(sequence(call("fitness_trend", days=7), call("wellness_trend", days=7),
                             say("Done.")), num_ctx=1000)
    conversation = synced.create_conversation("i123456")
    for i in range(5):   # earlier turns, with tool traffic
        for m in [Message(Role.USER, f"q{i}"),
                  Message(Role.ASSISTANT, "", (ToolCall("fitness_trend", {}),)),
                  Message(Role.TOOL, f"old{i}", tool_name="fitness_trend"),
                  Message(Role.ASSISTANT, f"a{i}")]:
            synced.add_message(conversation, m)
    synced.add_message(conversation, Message(Role.USER, "now"))
    ctx = Scope(synced, "i123456", TODAY, conversation)
    events = []
    # a 1000-token window holds no catalog: fitting each request is tested in test_context.py
    Agent(model, "system", safeguards=Safeguards(fit_context=False)).run_turn(
        synced.messages(conversation), ctx, events.append, lambda m, p: None, context_used=0.9)
    first = model.requests[0][0]
    assert not any(m["role"] == "tool" for m in first)           # old tool results dropped
    assert [m["content"] for m in first if m["role"] == "user"] == [
        "q0", "q1", "q2", "q3", "q4", "now"]                     # the athlete's words kept
    assert "a4" in [m["content"] for m in first]                 # and the coach's answers
    third = model.requests[2][0]
    tool_results = [m["content"] for m in third if m["role"] == "tool"]
    assert tool_results[0] == DROPPED and tool_results[1] != DROPPED
    [compacted] = [e for e in events if isinstance(e, Compacted)]
    assert compacted.before_id == synced.messages(conversation)[-1].id   # up to "now"
    assert any(isinstance(e, Usage) and e.share == 0.82 for e in events)


def test_an_invented_figure_is_sent_back_once_and_the_checked_answer_kept(synced):
    model, events, saved = run_turn(synced, sequence(
        call("fitness_trend", days=42),
        say("Your CTL is 75 and rising."),                       # 75: nothing showed it
        say("Your CTL is 62.9 and your form -6.4.")))
    recheck = model.requests[2][0][-1]["content"]
    assert recheck.startswith("These figures in your answer are not in the tool results") \
        and ": 75." in recheck
    assert answered(events) == "Your CTL is 62.9 and your form -6.4."
    assert events[-1].grounding == "All 2 figures found in your data"
    final = saved[-1][0]
    assert final.meta.first_answer == "Your CTL is 75 and rising."
    assert "All 2 figures" in Grounding.from_json(final.meta.grounding or "").line()


def test_a_figure_still_invented_after_the_check_is_shown_with_the_line(synced):
    model, events, saved = run_turn(synced, sequence(
        call("fitness_trend", days=42), say("You rode 312 W."), say("You rode 312 W.")))
    assert len(model.requests) == 3                           # asked once, not again
    assert answered(events) == "You rode 312 W."
    assert events[-1].grounding == "1 figure not found in your data: 312 W"
