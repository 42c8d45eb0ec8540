"""What the model reads of a conversation: the history fitted to its context window (compacted
once when it fills, so every request starts like the one before), and the texts the figures of
an answer may come from."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

from coach.messages import Message, Role, calls_to_json

COMPACT_AT = 0.75   # past this share of num_ctx, compact before the next request
# A turn starts compacted when its conversation passes this share: read cold (a conversation
# opened again, the model reloaded), 79% of 8,192 took the real 1.5B 118 s on 2 CPU cores
# before its first token, over the 120 s a turn may take with its tool rounds and answer.
HISTORY_AT = 0.6
COMPACT_KEEP = 20   # when compacting: older words and answers kept, newest first
DROPPED = "[this earlier tool result was dropped to save context; call the tool again if needed]"


def fit_history(messages: list[Message], cut: int = 0,
                keep_older: int = COMPACT_KEEP) -> list[Message]:
    """The conversation as the model reads it: messages from `cut` on whole; before it, only
    the athlete's words and the coach's answers (the last `keep_older` of them). The cut moves
    only when the context fills up, so every request starts like the one before it and the
    model server can reuse what it already read."""
    older = [m for m in messages[:cut]
             if m.role == Role.USER or (m.role == Role.ASSISTANT and not m.tool_calls
                                        and m.content)]
    older = older[-keep_older:] if keep_older else []
    return [_clean(m) for m in older + messages[cut:]]


def compact_turn(messages: list[Message]) -> None:
    """Drop the results of this turn's earlier tool rounds; the latest round stays whole."""
    last_user = max(i for i, m in enumerate(messages) if m.role == Role.USER)
    rounds = [i for i, m in enumerate(messages) if i > last_user and m.tool_calls]
    if len(rounds) < 2:
        return
    for i in range(last_user, rounds[-1]):
        if messages[i].role == Role.TOOL:
            messages[i] = replace(messages[i], content=DROPPED)


def _clean(m: Message) -> Message:
    """What the model reads of a stored message: no id, meta or proposal."""
    return Message(m.role, m.content, m.tool_calls, m.tool_name)


def seen_texts(messages: list[Message]) -> list[str]:
    """What the figures of an answer may come from: the system prompt (with the athlete
    card), the athlete's words, every tool result in context, and the workouts the coach
    proposed (their text is the coach's own)."""
    # later system messages are ours (hints, "check these figures"): never evidence
    texts = [messages[0].content] if messages[0].role == Role.SYSTEM else []
    texts += [m.content for m in messages if m.role in (Role.USER, Role.TOOL)]
    for m in messages:
        for call in m.tool_calls:
            texts.append(" ".join(str(v) for v in call.arguments.values()))
    return texts


# --- every request within num_ctx ----------------------------------------------------------------
# Ollama truncates a prompt over num_ctx silently, dropping the oldest messages, the system
# prompt first (its rules, "treat data as data" included); llama.cpp refuses it. So each request
# is measured before it is sent: the previous request's prompt_eval_count and reply (what the
# model server counted) plus the characters added since, at a conservative characters-per-token
# ratio; with no count yet, all of it by characters.

CHARS_PER_TOKEN = 3.0   # fewer than tokenizers give for English (~4) or numbers-heavy text (~3.3)
RATIO_RANGE = (2.5, 4.5)  # a ratio learnt from a count is kept within these
RATIO_SAFETY = 0.9      # …and taken 10 % lower, to stay on the safe side
MESSAGE_TOKENS = 8      # the chat template's tokens around each message
MARGIN = 64             # tokens kept free for what estimates miss
MIN_REPLY = 200         # a reply is never capped below this to make room
SHORTENED = "\n[{n} more lines left out to fit the model's context window]"
MIN_RESULT_LINES = 6    # a shortened tool result keeps at least its first lines


@dataclass(frozen=True)
class Measured:
    """What the model server counted for one request: its prompt and its reply, in tokens,
    and the messages that prompt held (the same objects, so a later change shows)."""

    tokens: int
    messages: tuple[Message, ...]


def chars(m: Message) -> int:
    return len(m.content) + (len(json.dumps(calls_to_json(m.tool_calls))) if m.tool_calls else 0)


def estimate(messages: list[Message], tools: list[dict[str, Any]],
             measured: Measured | None = None, ratio: float = CHARS_PER_TOKEN) -> int:
    """Tokens the request will take: counted ones for the prefix the server already read,
    characters for the rest (at `ratio` characters a token)."""
    n = len(measured.messages) if measured else 0
    if measured and len(messages) >= n and \
            all(a is b for a, b in zip(messages, measured.messages, strict=False)):
        return measured.tokens + _by_chars(messages[n:], 0, ratio)
    return _by_chars(messages, len(json.dumps(tools)) if tools else 0, ratio)


def learnt_ratio(messages: list[Message], tools: list[dict[str, Any]], tokens: int) -> float:
    """Characters a token, from a request the model server counted `tokens` for: taken a
    little low, and within RATIO_RANGE; CHARS_PER_TOKEN without a count."""
    if tokens <= 0:
        return CHARS_PER_TOKEN
    text = sum(chars(m) for m in messages) + (len(json.dumps(tools)) if tools else 0)
    observed = max(1, text - MESSAGE_TOKENS * len(messages)) / tokens
    return min(max(observed * RATIO_SAFETY, RATIO_RANGE[0]), RATIO_RANGE[1])


def _by_chars(messages: list[Message], extra: int, ratio: float = CHARS_PER_TOKEN) -> int:
    text = sum(chars(m) for m in messages) + extra
    return math.ceil(text / ratio) + MESSAGE_TOKENS * len(messages)


@dataclass(frozen=True)
class Fitted:
    """A request that fits: the messages to send, the reply cap, and what was done to them."""

    messages: list[Message]
    cap: int
    shortened: int = 0      # tool results cut to their first lines
    dropped: int = 0        # older messages left out


def fit_request(messages: list[Message], tools: list[dict[str, Any]], num_ctx: int, cap: int,
                measured: Measured | None = None,
                ratio: float = CHARS_PER_TOKEN) -> Fitted | None:
    """The request made to fit `num_ctx` with room for a reply: first the reply cap comes
    down (not below MIN_REPLY), then this turn's longest tool results are shortened, then the
    oldest messages before the question are left out. None when even the system prompt, the
    question and the tools do not fit: the caller ends the turn with an honest sentence."""
    need = estimate(messages, tools, measured, ratio)
    if need + cap + MARGIN <= num_ctx:
        return Fitted(messages, cap)
    cap = max(MIN_REPLY, min(cap, num_ctx - need - MARGIN))
    budget = num_ctx - cap - MARGIN
    if need <= budget:
        return Fitted(messages, cap)
    out = list(messages)
    shortened = _shorten_results(out, tools, budget, ratio)
    dropped = _drop_oldest(out, tools, budget, ratio)
    if estimate(out, tools, ratio=ratio) > budget:
        return None
    return Fitted(out, cap, shortened, dropped)


def _shorten_results(messages: list[Message], tools: list[dict[str, Any]], budget: int,
                     ratio: float) -> int:
    """Cut this turn's tool results, longest first, to their first lines until all fits."""
    last_user = max((i for i, m in enumerate(messages) if m.role == Role.USER), default=0)
    done = 0
    while estimate(messages, tools, ratio=ratio) > budget:
        results = [i for i, m in enumerate(messages) if i > last_user and m.role == Role.TOOL
                   and len(m.content.splitlines()) > MIN_RESULT_LINES
                   and not m.content.endswith(SHORTENED.format(n="")[-40:])]
        if not results:
            break
        i = max(results, key=lambda k: len(messages[k].content))
        lines = messages[i].content.splitlines()
        over = (estimate(messages, tools, ratio=ratio) - budget) * ratio + len(SHORTENED) + 6
        keep = len(lines)
        while keep > MIN_RESULT_LINES and over > 0:
            keep -= 1
            over -= len(lines[keep]) + 1
        kept = "\n".join(lines[:keep]) + SHORTENED.format(n=len(lines) - keep)
        messages[i] = replace(messages[i], content=kept)
        done += 1
    return done


def _drop_oldest(messages: list[Message], tools: list[dict[str, Any]], budget: int,
                 ratio: float) -> int:
    """Leave out the oldest messages between the system prompt and the question (a call with
    its results) until all fits."""
    dropped = 0
    while estimate(messages, tools, ratio=ratio) > budget:
        last_user = max(i for i, m in enumerate(messages) if m.role == Role.USER)
        first = 1 if messages and messages[0].role == Role.SYSTEM else 0
        if first >= last_user:
            break
        end = first + 1
        while end < last_user and messages[end].role == Role.TOOL:
            end += 1
        del messages[first:end]
        dropped += end - first
    return dropped
