"""Rendering the conversation: messages, tool calls, and where cards and plans go."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from coach import agent as ev
from coach import planning, turns
from coach.grounding import Grounding, mark
from coach.session import Coach
from coach.tools import TOOLS
from ui.cards import plan_view, proposal_card
from ui.plan_card import weeks_card
from ui.text import MARK_END, MARK_START, marked, plain, safe_markdown


def render_conversation(coach: Coach, messages: list[dict[str, Any]]) -> None:
    """User bubbles, and one assistant bubble per answer with its tool calls and proposals."""
    group: list[dict[str, Any]] = []
    for message in [*messages, {"role": "user", "content": None}]:
        if message["role"] == "user":
            if group:
                with st.chat_message("assistant"):
                    render_answer(coach, group)
                group = []
            if message["content"] is not None:
                with st.chat_message("user"):
                    st.markdown(safe_markdown(message["content"]))
        else:
            group.append(message)


def render_answer(coach: Coach, group: list[dict[str, Any]]) -> None:
    """One answer: text and tool calls in order; one proposal inline, several as a plan."""
    proposals = [p for m in group if m.get("proposal_id")
                 if (p := coach.proposal(m["proposal_id"])) is not None]
    weeks = planning.plan_card(coach, proposals)  # a multi-week plan: one card, by week
    as_plan = len(proposals) > 1 or weeks is not None
    calls: list[dict[str, Any]] = []
    for message in group:
        if message["role"] == "assistant":
            calls = [c["function"] for c in message.get("tool_calls") or []]
            if (message.get("meta") or {}).get("fallback"):
                fallback(coach, message)
            elif message.get("content"):
                checked_answer(message)
        elif message["role"] == "tool":
            call = calls.pop(0) if calls else {"name": message["tool_name"], "arguments": {}}
            tool_status(call["name"], call.get("arguments") or {}, message["content"])
            if message.get("proposal_id") and not as_plan:
                _card(coach, message["proposal_id"])
    if weeks is not None:
        weeks_card(coach, weeks)
        for proposal in [p for p in proposals if p.plan_id is None]:
            proposal_card(coach, proposal)
    elif as_plan:
        plan_view(coach, proposals)
    sources(group)


def checked_answer(message: dict[str, Any]) -> None:
    """The answer, with the figures not found in the athlete's data marked, and one line
    under it saying how many were found. Nothing is hidden or rewritten."""
    text, stored = message["content"], (message.get("meta") or {}).get("grounding")
    grounding = Grounding.from_json(stored) if stored else None
    if grounding is None or grounding.ok:
        st.markdown(safe_markdown(text))
    else:
        st.markdown(marked(mark(text, grounding, MARK_START, MARK_END)))
    line = grounding.line() if grounding else ""
    if line:
        st.caption(("✓ " if grounding and grounding.ok else "⚠ ") + plain(line),
                   help="Each figure in the answer is looked for in what the coach read this "
                   "turn: tool results, your athlete card and your own words.")


def fallback(coach: Coach, message: dict[str, Any]) -> None:
    """The model managed no answer: one honest sentence, what it sent (collapsed), Retry."""
    st.warning(safe_markdown(message["content"]))
    sent = (message.get("meta") or {}).get("sent") or []
    if sent:
        with st.expander(f"What the model sent instead ({len(sent)} replies)"):
            for text in sent:
                st.code(text, language=None)
    last = coach.messages(message["conversation_id"])[-1]["id"] == message["id"]
    if last and st.button("Retry", key=f"retry-{message['id']}", type="primary"):
        if coach.retry(message["conversation_id"]):
            turns.start(coach.spawn, message["conversation_id"])
        st.rerun()


def sources(group: list[dict[str, Any]]) -> None:
    """The tool calls this answer used, and what they returned: the evidence behind numbers."""
    calls = [c["function"] for m in group if m["role"] == "assistant"
             for c in m.get("tool_calls") or []]
    results = [m for m in group if m["role"] == "tool"]
    if not results:
        return
    with st.expander(f"Sources ({len(results)} tool results)", expanded=False):
        for call, result in zip(calls, results, strict=False):
            st.markdown(f"**{tool_label(call['name'], call.get('arguments') or {})}**")
            st.text(result["content"][:4000])


def _card(coach: Coach, proposal_id: int) -> None:
    proposal = coach.proposal(proposal_id)
    if proposal:
        proposal_card(coach, proposal)


def tool_label(name: str, arguments: dict[str, Any]) -> str:
    """`Tool: name(args)`, with everything the model wrote escaped: the name too, since a
    model may call a "tool" whose name is Markdown."""
    args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items()
                     if k != "description")
    shown = name if name in TOOLS else plain(name[:60])  # our names are plain words
    return f"Tool: {shown}({plain(args[:120])})"


def tool_status(name: str, arguments: dict[str, Any], result: str) -> None:
    failed = result.startswith("Error:")
    with st.status(tool_label(name, arguments), state="error" if failed else "complete",
                   expanded=False):
        st.caption("Arguments")
        st.code(json.dumps(arguments, indent=1, ensure_ascii=False), language="json")
        st.caption("Result")
        st.text(result[:4000])


def render_events(reported: list[ev.Event]) -> None:
    """An answer in progress, drawn from the events reported so far."""
    text = ""
    started: ev.ToolStarted | None = None
    for event in reported:
        if isinstance(event, ev.TextDelta):
            text += event.text
            continue
        if isinstance(event, ev.Revising):  # the answer starts again, its figures checked
            text = ""
            st.caption("Checking the figures against your data…")
            continue
        if text:
            st.markdown(safe_markdown(text))
            text = ""
        if isinstance(event, ev.ToolStarted):
            started = event
        elif isinstance(event, ev.ToolFinished):
            started = None
            tool_status(event.name, event.arguments, event.result)
            if event.proposal_id is not None:
                st.caption(f"Proposal {event.proposal_id} is ready: its card appears when the "
                           "answer is complete.")
        elif isinstance(event, ev.AgentError):
            st.error(safe_markdown(event.message))
    if text:
        st.markdown(safe_markdown(text) + "▌")
    if started is not None:
        st.status(tool_label(started.name, started.arguments), state="running")
    elif not text:
        st.caption("Thinking…")
