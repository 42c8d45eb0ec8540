"""What the model reads of a conversation: the history fitted to its context window (compacted
once when it fills, so every request starts like the one before), and the texts the figures of
an answer may come from."""

from __future__ import annotations

from typing import Any

COMPACT_AT = 0.75   # past this share of num_ctx, compact before the next request
COMPACT_KEEP = 20   # when compacting: older words and answers kept, newest first
DROPPED = "[this earlier tool result was dropped to save context; call the tool again if needed]"


def fit_history(messages: list[dict[str, Any]], cut: int = 0,
                keep_older: int = COMPACT_KEEP) -> list[dict]:
    """The conversation as the model reads it: messages from `cut` on whole; before it, only
    the athlete's words and the coach's answers (the last `keep_older` of them). The cut moves
    only when the context fills up, so every request starts like the one before it and the
    model server can reuse what it already read."""
    older = [m for m in messages[:cut]
             if m["role"] == "user" or (m["role"] == "assistant" and not m.get("tool_calls")
                                        and m.get("content"))]
    older = older[-keep_older:] if keep_older else []
    return [_clean(m) for m in older + messages[cut:]]


def compact_turn(messages: list[dict[str, Any]]) -> None:
    """Drop the results of this turn's earlier tool rounds; the latest round stays whole."""
    last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
    rounds = [i for i, m in enumerate(messages) if i > last_user and m.get("tool_calls")]
    if len(rounds) < 2:
        return
    for message in messages[last_user:rounds[-1]]:
        if message["role"] == "tool":
            message["content"] = DROPPED


def _clean(m: dict[str, Any]) -> dict[str, Any]:
    out = {"role": m["role"], "content": m.get("content") or ""}
    if m.get("tool_calls"):
        out["tool_calls"] = m["tool_calls"]
    if m.get("tool_name"):
        out["tool_name"] = m["tool_name"]
    return out


def seen_texts(messages: list[dict[str, Any]]) -> list[str]:
    """What the figures of an answer may come from: the system prompt (with the athlete
    card), the athlete's words, every tool result in context, and the workouts the coach
    proposed (their text is the coach's own)."""
    # later system messages are ours (hints, "check these figures"): never evidence
    texts = [messages[0].get("content") or ""] if messages[0]["role"] == "system" else []
    texts += [m.get("content") or "" for m in messages if m["role"] in ("user", "tool")]
    for m in messages:
        for call in m.get("tool_calls") or []:
            arguments = call.get("function", {}).get("arguments") or {}
            texts.append(" ".join(str(v) for v in arguments.values()))
    return texts
