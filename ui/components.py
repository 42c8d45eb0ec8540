"""Rendering the conversation: messages, tool calls, and where cards and plans go."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from coach import app as ev
from coach.app import TOOL_NAMES, Coach, answers, checkins, plan
from coach.grounding import Grounding, mark
from coach.messages import Message, Role
from coach.records import ToolCall

from .cards import plan_view, proposal_card
from .notes import note_card
from .plan_card import weeks_card
from .text import MARK_END, MARK_START, marked, plain, safe_markdown


def render_conversation(coach: Coach, messages: list[Message]) -> None:
    """User bubbles, and one assistant bubble per answer with its tool calls and proposals."""
    group: list[Message] = []
    for message in [*messages, None]:  # None: the end, where the last answer is drawn
        if message is None or message.role == Role.USER:
            if group:
                with st.chat_message("assistant"):
                    render_answer(coach, group)
                group = []
            if message is not None:
                with st.chat_message("user"):
                    st.markdown(safe_markdown(checkins.as_shown(message.content)))
        else:
            group.append(message)


def render_answer(coach: Coach, group: list[Message]) -> None:
    """One answer: text and tool calls in order; one proposal inline, several as a plan."""
    proposals = [p for m in group if m.proposal_id
                 if (p := coach.proposal(m.proposal_id)) is not None]
    weeks = plan.plan_card(coach, proposals)  # a multi-week plan: one card, by week
    as_plan = len(proposals) > 1 or weeks is not None
    calls: list[ToolCall] = []
    for message in group:
        if message.role == Role.ASSISTANT:
            calls = list(message.tool_calls)
            if message.meta.fallback:
                fallback(coach, message)
            elif message.content:
                checked_answer(message)
                if any(p.edited for p in proposals):
                    st.caption("You changed the card below after this answer: the name, "
                               "duration and load on the card are the ones that count.")
        elif message.role == Role.TOOL:
            call = calls.pop(0) if calls else ToolCall(message.tool_name or "", {})
            tool_status(call.name, call.arguments, message.content)
            if message.proposal_id and not as_plan:
                _card(coach, message.proposal_id)
            if message.note_id:
                note_card(coach, message.note_id)
    if weeks is not None:
        weeks_card(coach, weeks)
        for proposal in [p for p in proposals if p.plan_id is None]:
            proposal_card(coach, proposal)
    elif as_plan:
        plan_view(coach, proposals)
    sources(group)


def checked_answer(message: Message) -> None:
    """The answer, with the figures not found in the athlete's data marked, and one line
    under it saying how many were found. Nothing is hidden or rewritten."""
    text, stored = message.content, message.meta.grounding
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


def fallback(coach: Coach, message: Message) -> None:
    """The model managed no answer: one honest sentence, what it sent (collapsed), Retry."""
    st.warning(safe_markdown(message.content))
    sent = message.meta.sent
    if sent:
        with st.expander(f"What the model sent instead ({len(sent)} replies)"):
            for text in sent:
                st.code(text, language=None)
    conversation_id = message.conversation_id or 0
    last = coach.messages(conversation_id)[-1].id == message.id
    if last and st.button("Retry", key=f"retry-{message.id}", type="primary"):
        if coach.retry(conversation_id):
            answers.start(coach.spawn, conversation_id)
        st.rerun()


def sources(group: list[Message]) -> None:
    """The tool calls this answer used, and what they returned: the evidence behind numbers."""
    calls = [c for m in group if m.role == Role.ASSISTANT for c in m.tool_calls]
    results = [m for m in group if m.role == Role.TOOL]
    if not results:
        return
    with st.expander(f"Sources ({len(results)} tool results)", expanded=False):
        for call, result in zip(calls, results, strict=False):
            st.markdown(f"**{tool_label(call.name, call.arguments)}**")
            st.text(result.content[:4000])


def _card(coach: Coach, proposal_id: int) -> None:
    proposal = coach.proposal(proposal_id)
    if proposal:
        proposal_card(coach, proposal)


# Left out of a tool call's one-line label: the workout text (too long) and the calendar's
# internal ids (the athlete reads the workout by name; the arguments inside keep them).
UNLABELLED = frozenset({"description", "event_id"})


def tool_label(name: str, arguments: dict[str, Any]) -> str:
    """`Tool: name(args)`, with everything the model wrote escaped: the name too, since a
    model may call a "tool" whose name is Markdown."""
    args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items()
                     if k not in UNLABELLED)
    shown = name if name in TOOL_NAMES else plain(name[:60])  # our names are plain words
    return f"Tool: {shown}({plain(args[:120])})"


def tool_status(name: str, arguments: dict[str, Any], result: str) -> None:
    failed = result.startswith("Error:")
    with st.status(tool_label(name, arguments), state="error" if failed else "complete",
                   expanded=False):
        st.caption("Arguments")
        st.code(json.dumps(arguments, indent=1, ensure_ascii=False), language="json")
        st.caption("Result")
        st.text(result[:4000])


def render_events(reported: list[ev.TurnEvent]) -> None:
    """An answer in progress, drawn from the events reported so far."""
    text = ""
    started: ev.ToolStarted | None = None
    working: ev.Working | None = None
    for event in reported:
        working = event if isinstance(event, ev.Working) else None
        if isinstance(event, ev.TextDelta | ev.Working | ev.Cut):
            text += event.text if isinstance(event, ev.TextDelta) else ""
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
    elif working is not None:  # writing, but nothing that can be shown yet
        st.caption(f"The model is working… {working.tokens} tokens, {working.seconds:.0f} s")
    elif not text:
        st.caption("Thinking…")
