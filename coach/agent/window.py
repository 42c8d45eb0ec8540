"""What the model reads of a conversation: the history fitted to its context window (compacted
once when it fills, so every request starts like the one before), and the texts the figures of
an answer may come from."""

from __future__ import annotations

from dataclasses import replace

from coach.messages import Message, Role

COMPACT_AT = 0.75   # past this share of num_ctx, compact before the next request
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
