"""The conversation loop: model → tools → model, reporting through events. No Streamlit here."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from coach.agent.fallback import FACTS_READ, FALLBACK, facts_digest, fallback_text
from coach.agent.first_moves import first_moves
from coach.agent.focused import focused_request, usable
from coach.agent.textcalls import (
    StreamGate,
    TextCalls,
    copies_tool_notes,
    echoes_instructions,
    echoes_notes,
    not_an_answer,
    only_names,
    read_calls,
    repeats_from,
    without_thinking,
)
from coach.agent.tools import TOOLS, Tool, ToolResult, call_tool, catalog
from coach.agent.window import (
    CHARS_PER_TOKEN,
    COMPACT_AT,
    DROPPED,
    HISTORY_AT,
    Measured,
    compact_turn,
    estimate,
    fit_history,
    fit_request,
    learnt_ratio,
    seen_texts,
)
from coach.analysis import remembered
from coach.errors import CoachError, ModelStopped
from coach.grounding import Grounding, check_answer
from coach.messages import AnswerMeta, Message, Role
from coach.model.client import ChatModel, ToolCall
from coach.scope import Scope

log = logging.getLogger(__name__)
MAX_TOOL_ROUNDS = 6
MAX_REPEATS = 2     # identical calls answered from the first result before the answer is asked
MAX_STRIKES = 2     # junk replies set aside before the answer is asked for without tools
MAX_PROPOSALS_PER_TURN = 14
MAX_TEXT_FIXES = 2  # after an invalid workout text, the model may try to fix it twice
INVALID_TEXT = "the workout text has problems"
RUNAWAY_TOKENS = 300  # a reply this long with nothing the athlete could read is cut
WORKING_EVERY = 16    # held-back pieces between two reports that the model is working
ANSWER_CAP = 400      # tokens for an answer from facts in hand, or the last round's answer
ROUND_CAP = 800       # …for a round in which the model may still write calls or proposals
ADDED_LINES = 4       # of each read, after an answer that stated none of its figures
CARRIED_ROUNDS = 1    # a model given the facts or drafts has one round that may call more
                      # tools, then the answer is asked for
PROPOSING = ("propose_workout", "propose_change", "plan_weeks")
GIVE_UP = ("\nThis was the last try: do not propose again in this answer; tell the athlete "
           "in words what you wanted to propose.")


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ToolStarted:
    name: str
    arguments: dict[str, Any]
    product: bool = False   # called by the product before the model's first round


@dataclass(frozen=True)
class ToolFinished:
    name: str
    arguments: dict[str, Any]
    result: str
    ok: bool
    proposal_id: int | None
    product: bool = False   # called by the product before the model's first round
    note_id: int | None = None   # a proposed athlete note, waiting on its card


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int | None
    output_tokens: int | None
    num_ctx: int
    prompt_s: float | None = None   # Ollama's time reading the prompt
    output_s: float | None = None   # …writing the answer
    total_s: float | None = None    # …for the whole request, loading the model included

    @property
    def share(self) -> float:
        """How full the context window was after this response (the server truncates
        silently when it overflows, so we watch it ourselves)."""
        used = (self.prompt_tokens or 0) + (self.output_tokens or 0)
        return used / self.num_ctx if self.num_ctx else 0.0


@dataclass(frozen=True)
class Working:
    """The model is writing, but nothing can be shown yet (a call, JSON or thinking is held
    back): how much it has written and for how long, so the athlete sees it is alive."""

    tokens: int
    seconds: float


@dataclass(frozen=True)
class Cut:
    """A reply was stopped early: it went on for `tokens` with nothing to read ("runaway"), or
    started repeating itself ("repeats"); what it said up to there is used."""

    reason: str
    tokens: int


@dataclass(frozen=True)
class AgentError:
    message: str


@dataclass(frozen=True)
class TurnDone:
    text: str
    proposal_ids: tuple[int, ...]
    fallback: bool = False  # the model managed no answer: the text is our honest sentence
    grounding: str = ""     # "All 7 figures found in your data" / "2 of 9 figures not found…"


@dataclass(frozen=True)
class Compacted:
    """The context was nearly full: older tool results were left out, from now on, up to the
    message with this id."""

    before_id: int | None


@dataclass(frozen=True)
class Revising:
    """The answer named figures nothing showed; the model is checking them (the live view
    starts the answer again)."""

    figures: str


TurnEvent = (TextDelta | ToolStarted | ToolFinished | Usage | AgentError | TurnDone | Revising |
             Compacted | Working | Cut)
Save = Callable[[Message, int | None], None]


def load_prompt(name: str) -> str:
    return resources.files("coach.prompts").joinpath(name).read_text(encoding="utf-8")


def warm(model: ChatModel, system_prompt: str, tools: dict[str, Tool] = TOOLS) -> None:
    """Have the model read the system prompt and the tool catalog now (one request, one token
    out), so the first question finds them in its cache: every request starts with them."""
    stream = model.chat([Message(Role.SYSTEM, system_prompt).to_chat()], catalog(tools),
                        max_tokens=1)
    try:
        for _ in stream:
            pass
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()


@dataclass
class _Turn:
    """The state of one answer in progress."""

    scope: Scope
    on_event: Callable[[TurnEvent], None]
    save: Save
    messages: list[Message]
    proposals: list[int] = field(default_factory=list)
    invalid_texts: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    crowded: bool = False
    answered: dict[tuple[str, str], str] = field(default_factory=dict)  # call -> its result
    repeats: int = 0        # calls identical to one already answered
    strikes: int = 0        # replies set aside as junk
    discarded: list[str] = field(default_factory=list)  # what the model sent that was junk
    rechecked: str = ""     # the first answer, when its figures were sent back to be checked
    carried: bool = False   # the product's facts or drafts came before the model's round
    question: bool = False  # …and it was a question about the data, not a plan or a change
    facts: list[str] = field(default_factory=list)  # what the product read for the question
    measured: Measured | None = None  # the last request as the model server counted it
    ratio: float = CHARS_PER_TOKEN  # characters a token, learnt from the last count
    task: str = ""          # the product asks back: what the short request asks for
    say: str = ""           # …and what the athlete reads if the model manages or asks nothing


@dataclass(frozen=True)
class _Reply:
    text: str
    calls: list[ToolCall]


@dataclass(frozen=True)
class Safeguards:
    """What the agent does for models that misbehave; each can be switched off to measure
    what it brings (`coach eval --without …`)."""

    recheck_figures: bool = True   # send an answer with invented figures back once
    answer_repeats: bool = True    # answer an identical call from its first result
    facts_first: bool = True       # run the reads an everyday question needs before the model
    drafts: bool = True            # the planner drafts what a plan or change ask asks for
    cut_runaway: bool = True       # stop a reply that goes on unreadable or repeats itself
    fit_context: bool = True       # make every request fit num_ctx before it is sent
    focused_answer: bool = True    # no answer: one short request, only its facts and drafts


class Stopped(CoachError):
    """The athlete stopped the answer."""

    def __init__(self, partial: str) -> None:
        super().__init__("You stopped the answer.")
        self.partial = partial


class Agent:
    """Runs one athlete turn: at most MAX_TOOL_ROUNDS rounds of tool calls, then an answer."""

    def __init__(self, model: ChatModel, system_prompt: str,
                 tools: dict[str, Tool] = TOOLS, safeguards: Safeguards = Safeguards()) -> None:
        self.model, self.system_prompt, self.tools = model, system_prompt, tools
        self.safeguards = safeguards

    def run_turn(self, history: list[Message], scope: Scope,
                 on_event: Callable[[TurnEvent], None], save: Save,
                 stop: threading.Event | None = None, context_used: float = 0.0,
                 cut: int = 0) -> None:
        """`history` ends with the new user message; every new message goes to `save`.
        Setting `stop` ends the answer at the next streamed piece; what was said is kept.
        `context_used` is the share of num_ctx the previous answer filled; `cut` is where the
        conversation was compacted last (an index into `history`)."""
        # nothing measured (an older or imported conversation): its size by characters
        used = context_used or self._share(fit_history(history, cut))
        if used > HISTORY_AT:  # compact once, up to this question; it stays so
            cut = max(i for i, m in enumerate(history) if m.role == Role.USER)
            on_event(Compacted(history[cut].id))
        fitted = fit_history(history, cut)
        turn = _Turn(replace(scope, turn=uuid.uuid4().hex), on_event, save,
                     [Message(Role.SYSTEM, self.system_prompt), *fitted],
                     stop=stop or threading.Event())
        if context_used:  # the last answer's count: what this conversation's text costs
            turn.ratio = learnt_ratio(turn.messages[:-1], catalog(self.tools),
                                      round(context_used * self.model.num_ctx))
        try:
            self._remember(turn)
            self._first_moves(turn)
            self._rounds(turn)
        except Stopped as e:
            if e.partial.strip():
                save(Message(Role.ASSISTANT, e.partial + " … (stopped)"), None)
            on_event(AgentError("You stopped the answer."))
        except CoachError as e:
            on_event(AgentError(str(e)))

    def _share(self, history: list[Message]) -> float:
        """Share of num_ctx a first request with `history` would take, by characters."""
        messages = [Message(Role.SYSTEM, self.system_prompt), *history]
        return estimate(messages, catalog(self.tools)) / self.model.num_ctx

    def _first_moves(self, turn: _Turn) -> None:
        """The facts and drafts the product has before the model's first round, handed to it
        as calls it made and their results (so the page, the grounding check and the next
        request see them as any other), and a note on what was done."""
        try:
            moves = first_moves(turn.messages, turn.scope, facts=self.safeguards.facts_first,
                                drafts_on=self.safeguards.drafts)
        except (CoachError, ValueError, LookupError):  # nothing to start from: today's loop
            log.exception("the first moves failed")
            return
        calls = [c for c in moves.calls if c.name in self.tools]
        turn.carried = bool(calls)
        turn.question = turn.carried and not any(c.name in PROPOSING for c in calls)
        if calls:
            assistant = _assistant("", calls)
            turn.save(assistant, None)
            turn.messages.append(assistant)
            scope = replace(turn.scope, availability=moves.availability or
                            turn.scope.availability)
            for call in calls:
                self._run_tool(turn, call, scope, product=True)
        if moves.note and (calls or not moves.calls):
            turn.messages.append(Message(Role.SYSTEM, moves.note))
        turn.task, turn.say = moves.task, moves.say

    def _remember(self, turn: _Turn) -> None:
        """"Remember that …": the product proposes the note before the model's first round
        (a propose_note call of its own, so the card and the model see it as any other), and
        the model is told to acknowledge it."""
        users = [m for m in turn.messages if m.role == Role.USER]
        said = remembered(users[-1].content) if users else None
        if said is None or "propose_note" not in self.tools:
            return
        call = ToolCall("propose_note", {"text": said})
        assistant = _assistant("", [call])
        turn.save(assistant, None)
        turn.messages.append(assistant)
        self._run_tool(turn, call, product=True)
        turn.messages.append(Message(Role.SYSTEM, REMEMBERED))

    def _rounds(self, turn: _Turn) -> None:
        last = CARRIED_ROUNDS if turn.carried else MAX_TOOL_ROUNDS
        for round_no in range(last + 1):
            final = round_no == last or turn.repeats >= MAX_REPEATS or \
                turn.strikes >= MAX_STRIKES
            if turn.crowded:
                compact_turn(turn.messages)
            if final:
                turn.messages.append(Message(Role.SYSTEM, FINAL_ROUND))
            cap = ANSWER_CAP if final or (turn.carried and round_no == 0) else ROUND_CAP
            # The tools stay in the last request too (its calls are ignored): every request
            # then starts as the one before, and the model server reuses what it has read.
            asked = self._ask(turn, catalog(self.tools), cap)
            if asked is None:  # not even the question fits: an honest sentence, no request
                self._finish(turn, "", NO_ROOM.format(num_ctx=self.model.num_ctx))
                return
            content, calls = asked
            reply = self._judge(turn, content, [] if final else calls, final)
            if final:
                self._finish(turn, reply.text if reply else "")
                return
            if reply is None:
                continue  # nothing usable: discarded, with a hint; the next round asks again
            if not reply.calls:
                if self._recheck(turn, reply.text):
                    continue  # invented figures: asked once to check them with the tools
                self._finish(turn, reply.text)
                return
            assistant = _assistant(reply.text, reply.calls)
            turn.save(assistant, None)
            turn.messages.append(assistant)
            for call in reply.calls:
                self._run_tool(turn, call)

    def _judge(self, turn: _Turn, content: str, calls: list[ToolCall],
               final: bool) -> _Reply | None:
        """What of a reply may be used: its calls (structured or written as text) and the
        prose around them. Junk (an empty reply, bare JSON, the prompt or the tool catalog
        echoed, calls when an answer was asked for) is set aside with a hint, never shown."""
        text = without_thinking(content)
        found = read_calls(text, self.tools)
        prose = found.prose if found.found else text
        junk = not prose.strip() or not_an_answer(prose) or self._echoes(turn, prose) or \
            only_names(prose, _names(turn.scope)) or copies_tool_notes(prose)
        if calls or (found.found and not final):
            return _Reply("" if junk else prose, [*calls, *found.calls, *found.unknown])
        if junk or found.found:
            turn.discarded.append(content)
            turn.strikes += 1
            if not final:
                turn.messages.append(Message(Role.SYSTEM, self._hint(content, found)))
            return None
        return _Reply(prose, [])

    def _echoes(self, turn: _Turn, text: str) -> bool:
        """The system prompt, the tool catalog or this turn's notes to the model said back."""
        notes = [m.content for m in turn.messages[1:] if m.role == Role.SYSTEM]
        return echoes_instructions(text, self.system_prompt) or echoes_notes(text, notes)

    def _recheck(self, turn: _Turn, text: str) -> bool:
        """Figures in the answer that nothing in this turn showed: ask once to check them with
        the tools (the first answer is kept with the final one)."""
        if turn.rechecked or not self.safeguards.recheck_figures:
            return False
        grounding = check_answer(text, seen_texts(turn.messages), turn.scope.today)
        if grounding.ok:
            return False
        turn.rechecked = text
        listed = ", ".join(f.text for f in grounding.missing[:8])
        turn.messages += [Message(Role.ASSISTANT, text),
                          Message(Role.SYSTEM, RECHECK.format(figures=listed))]
        turn.on_event(Revising(listed))
        return True

    def _finish(self, turn: _Turn, text: str, honest: str = "") -> None:
        """The answer the athlete reads, with the check of its figures; or, when the model
        managed none, one honest sentence (`honest`, else why the model failed; what it sent
        is kept with it, for the curious)."""
        grounding: Grounding | None = None
        focused = not text.strip() and not honest and self.safeguards.focused_answer
        if focused:
            text = self._focused(turn)
        if text.strip():
            grounding = check_answer(text, seen_texts(turn.messages), turn.scope.today)
            first = turn.rechecked if turn.rechecked and turn.rechecked != text else None
            added = _added(turn, text, grounding)
            meta = AnswerMeta(grounding=grounding.to_json(), first_answer=first,
                              focused=focused, added=added)
            text = f"{text.rstrip()}\n\n{added}" if added else text
        else:
            reason = "it sent tool calls instead" if any(
                read_calls(d, self.tools).found for d in turn.discarded) else \
                "it repeated its instructions instead" if any(
                    self._echoes(turn, d) for d in turn.discarded) else \
                "it answered with only a name" if any(
                    only_names(d, _names(turn.scope)) for d in turn.discarded) else \
                "it copied a tool's result instead" if any(
                    copies_tool_notes(d) for d in turn.discarded) else \
                "it sent empty replies"
            # what the product read and drafted is still an answer
            text = honest or fallback_text(
                FALLBACK.format(model=self.model.name.split(":")[0], reason=reason), turn.facts,
                turn.scope, turn.say)
            meta = AnswerMeta(fallback=True, sent=tuple(d[:4000] for d in turn.discarded[-6:]))
        message = Message(Role.ASSISTANT, text, meta=meta)
        turn.save(message, None)
        turn.messages.append(message)
        turn.on_event(TurnDone(text, tuple(turn.proposals), fallback=meta.fallback,
                               grounding=grounding.line() if grounding else ""))

    def _focused(self, turn: _Turn) -> str:
        """The model's answer to a short request of its own: the athlete's message with only
        what was read or drafted for it, no tools, no history ("" when there is nothing to
        hand it, or the reply is junk again)."""
        last_user = max(i for i, m in enumerate(turn.messages) if m.role == Role.USER)
        reads = [m.content for m in turn.messages[last_user:] if m.role == Role.TOOL and
                 m.tool_name in READS_FOR_FACTS and m.content != DROPPED and
                 not m.content.startswith("Error")]
        messages = focused_request(turn.messages[last_user].content, reads, turn.scope,
                                   turn.task)
        if not messages:
            return ""
        asked = self._ask(replace(turn, messages=messages, measured=None), [], ANSWER_CAP)
        if asked is None:
            return ""
        notes = [m.content for m in turn.messages[1:] if m.role == Role.SYSTEM]
        text = usable(asked[0], messages[0].content, notes, _names(turn.scope), list(self.tools))
        if not text:
            turn.discarded.append(asked[0])
        return text

    def _ask(self, turn: _Turn, tools: list[dict[str, Any]],
             cap: int = ROUND_CAP) -> tuple[str, list[ToolCall]] | None:
        """One request and its reply (content, calls); None when it cannot fit num_ctx."""
        if self.safeguards.fit_context:
            fitted = fit_request(turn.messages, tools, self.model.num_ctx, cap, turn.measured,
                                 turn.ratio)
            if fitted is None:
                return None
            turn.messages[:] = fitted.messages  # shortened for the model only, not stored
            cap = fitted.cap
        content: list[str] = []
        calls: list[ToolCall] = []
        reading = _Reading(turn, self.safeguards.cut_runaway)
        sent = tuple(turn.messages)
        stream = self.model.chat([m.to_chat() for m in sent], tools, turn.stop, cap)
        try:
            for chunk in stream:
                if turn.stop.is_set():
                    raise Stopped("".join(content))
                if chunk.content:
                    content.append(chunk.content)
                calls.extend(chunk.tool_calls)
                if chunk.done:
                    usage = Usage(chunk.prompt_tokens, chunk.output_tokens, self.model.num_ctx,
                                  chunk.prompt_s, chunk.output_s, chunk.total_s)
                    turn.crowded = usage.share > COMPACT_AT
                    turn.measured = Measured((chunk.prompt_tokens or 0) +
                                             (chunk.output_tokens or 0), sent) \
                        if chunk.prompt_tokens else None
                    turn.ratio = learnt_ratio(list(sent), tools, chunk.prompt_tokens or 0)
                    turn.on_event(usage)
                elif reading.piece(chunk.content, chunk.thinking, content):
                    break  # cut: closing the request makes Ollama stop writing
        except ModelStopped:
            raise Stopped("".join(content)) from None
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()  # closing the request makes Ollama stop generating
        if rest := reading.gate.close():
            turn.on_event(TextDelta(rest))
        return "".join(content), calls

    def _run_tool(self, turn: _Turn, call: ToolCall, scope: Scope | None = None,
                  product: bool = False) -> None:
        turn.on_event(ToolStarted(call.name, call.arguments, product))
        key = (call.name, json.dumps(call.arguments, sort_keys=True, default=str))
        if key in turn.answered and self.safeguards.answer_repeats:
            # the same call again: not run, the model is told to answer
            turn.repeats += 1
            result = ToolResult(f"{turn.answered[key]}\n{ALREADY}", ok=True)
        else:
            result = self._refusal(turn, call) or call_tool(scope or turn.scope, call.name,
                                                             call.arguments, self.tools)
            turn.answered[key] = result.text
        if call.name.startswith("propose") and INVALID_TEXT in result.text:
            turn.invalid_texts += 1
            if turn.invalid_texts > MAX_TEXT_FIXES:
                result = ToolResult(result.text + GIVE_UP, ok=False)
        if result.proposal_id is not None:
            turn.proposals.append(result.proposal_id)
        if product and result.ok and call.name in READS_FOR_FACTS:
            turn.facts.append(result.text)
        turn.on_event(ToolFinished(call.name, call.arguments, result.text, result.ok,
                                   result.proposal_id, product, result.note_id))
        message = Message(Role.TOOL, result.text, tool_name=call.name, note_id=result.note_id)
        turn.save(message, result.proposal_id)
        turn.messages.append(message)

    def _refusal(self, turn: _Turn, call: ToolCall) -> ToolResult | None:
        """Limits that protect the athlete from a runaway or manipulated model."""
        if turn.question and call.name in PROPOSING:  # "How was my last week?" is no plan ask
            return ToolResult(f"Error: the athlete asked about their training, not for new "
                              f"workouts or changes, so {call.name} is not run. Answer the "
                              "question from the results above.", ok=False)
        if not call.name.startswith("propose"):
            return None
        if len(turn.proposals) >= MAX_PROPOSALS_PER_TURN:
            return ToolResult(f"Error: at most {MAX_PROPOSALS_PER_TURN} proposals per answer; "
                              "stop proposing and summarise.", ok=False)
        if turn.invalid_texts > MAX_TEXT_FIXES:
            return ToolResult("Error: no more proposals in this answer: the workout text was "
                              "still invalid after 2 fixes. Explain the workout in words.",
                              ok=False)
        return None

    def _hint(self, content: str, found: TextCalls) -> str:
        tools = ", ".join(self.tools)
        if found.found:
            return ("You wrote tool calls as text while an answer was asked for. Answer the "
                    "athlete now in plain text from the tool results you have.")
        if echoes_instructions(content, self.system_prompt):
            return ("Your last reply repeated your instructions or the tool list. Answer the "
                    f"athlete's question in plain text, or call one of these tools: {tools}.")
        if content.strip():
            return (f"Your last reply was JSON that is not a call to one of the tools ({tools}). "
                    "Call a tool properly, or answer in plain text.")
        return (f"Your last reply was empty. The only tools are: {tools}. "
                "Call one of them, or answer in plain text.")


REMEMBERED = ("The athlete asked you to remember this: the note above waits on its card for "
              "their confirmation. Say so in a sentence, and answer anything else they asked.")
ALREADY = ("You already have this result (above): do not call the tool again, answer the "
           "athlete now.")
RECHECK = ("These figures in your answer are not in the tool results, the athlete card or the "
           "athlete's words: {figures}. Check them with the tools, then answer again using only "
           "figures the tools gave; leave out what you cannot find.")
READS_FOR_FACTS = ("athlete_profile", "training_summary", "fitness_trend", "list_activities",
                   "wellness_trend", "planned_workouts", "best_efforts")


NO_ROOM = ("This question and the data it needs do not fit in the model's context window "
           "({num_ctx} tokens). Start a new conversation, ask about a shorter period, or raise "
           "COACH_NUM_CTX if your machine has the memory.")
FINAL_ROUND = ("You have used all tool calls for this answer. Answer the athlete now in plain "
                "text with what you found; do not call tools.")


class _Reading:
    """One reply as it streams: prose shown as it comes (the gate holds back what looks like a
    call), the athlete told the model is working while nothing can be shown, and the reply cut
    when it runs away (RUNAWAY_TOKENS with nothing to read) or repeats itself. Tokens are the
    streamed pieces (Ollama sends one a token), or a quarter of the characters if more."""

    def __init__(self, turn: _Turn, cut: bool) -> None:
        self.turn, self.cut, self.gate = turn, cut, StreamGate()
        self.began, self.pieces, self.chars, self.shown = time.monotonic(), 0, 0, False
        self.written = self.written_chars = 0  # of the content (thinking is never cut)
        self.checked = 0  # characters already looked at for repeats

    @property
    def tokens(self) -> int:
        return max(self.pieces, self.chars // 4)

    def piece(self, text: str, thinking: str, content: list[str]) -> bool:
        """Take one streamed piece (already added to `content`); True when the reply is cut
        (`content` then holds what is kept)."""
        self.pieces += bool(text or thinking)
        self.chars += len(text) + len(thinking)
        self.written += bool(text)
        self.written_chars += len(text)
        if text and (shown := self.gate.feed(text)):
            self.shown = True
            self.turn.on_event(TextDelta(shown))
        elif self.pieces % WORKING_EVERY == 0 and not self.shown:
            self.turn.on_event(Working(self.tokens, round(time.monotonic() - self.began, 1)))
        if not self.cut or not text:
            return False
        written = max(self.written, self.written_chars // 4)
        if not self.shown and written >= RUNAWAY_TOKENS:
            self.turn.on_event(Cut("runaway", written))
            return True
        whole = "".join(content)
        if len(whole) - self.checked >= 80:
            self.checked = len(whole)
            if (at := repeats_from(whole)) is not None:
                content[:] = [whole[:at].rstrip()]
                self.turn.on_event(Cut("repeats", self.tokens))
                return True
        return False


def _added(turn: _Turn, text: str, grounding: Grounding) -> str | None:
    """What the product says after the model's answer: its question back when it had to ask
    and the answer asks nothing; the figures it read when a data question's answer states none
    of them ("Yes, you are ready for your race.")."""
    if turn.say:
        return turn.say if "?" not in text else None
    if turn.facts and not turn.proposals and not grounding.states_data:
        return f"{FACTS_READ}\n\n{facts_digest(turn.facts, ADDED_LINES)}"
    return None


def _names(scope: Scope) -> list[str]:
    """The athlete's name, as the card shows it to the model."""
    athlete = scope.store.athlete(scope.athlete_id) if scope.athlete_id else None
    return [athlete.name] if athlete and athlete.name else []


def _assistant(content: str, calls: Iterable[ToolCall]) -> Message:
    return Message(Role.ASSISTANT, content, tuple(calls))
