"""Rendering pieces for the page: messages, tool calls, proposal cards. No rules, no SQL."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from coach import agent as events
from coach.session import Coach
from coach.store import Proposal
from coach.workouts import format_duration

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def safe_markdown(text: str) -> str:
    """Model text as Markdown, minus images: an image would make the browser fetch a URL."""
    return _IMAGE.sub(lambda m: f"[image: {m.group(1)}]", text)


def plain(text: str) -> str:
    """Athlete or model text shown inside Markdown as literal characters."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_conversation(coach: Coach, messages: list[dict[str, Any]]) -> None:
    """User bubbles, and one assistant bubble per answer with its tool calls and proposals."""
    group: list[dict[str, Any]] = []
    for message in [*messages, {"role": "user", "content": None}]:
        if message["role"] == "user":
            if group:
                with st.chat_message("assistant"):
                    _render_answer(coach, group)
                group = []
            if message["content"] is not None:
                with st.chat_message("user"):
                    st.markdown(safe_markdown(message["content"]))
        else:
            group.append(message)


def _render_answer(coach: Coach, group: list[dict[str, Any]]) -> None:
    calls: list[dict[str, Any]] = []
    for message in group:
        if message["role"] == "assistant":
            calls = [c["function"] for c in message.get("tool_calls") or []]
            if message.get("content"):
                st.markdown(safe_markdown(message["content"]))
        elif message["role"] == "tool":
            call = calls.pop(0) if calls else {"name": message["tool_name"], "arguments": {}}
            tool_status(call["name"], call.get("arguments") or {}, message["content"])
            if message.get("proposal_id"):
                proposal = coach.proposal(message["proposal_id"])
                if proposal:
                    proposal_card(coach, proposal)


def tool_label(name: str, arguments: dict[str, Any]) -> str:
    args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items()
                     if k != "description")
    return f"Tool: {name}({args[:120]})"


def tool_status(name: str, arguments: dict[str, Any], result: str) -> None:
    failed = result.startswith("Error:")
    with st.status(tool_label(name, arguments), state="error" if failed else "complete",
                   expanded=False):
        st.caption("Arguments")
        st.code(json.dumps(arguments, indent=1, ensure_ascii=False), language="json")
        st.caption("Result")
        st.text(result[:4000])


_STATUS_TEXT = {
    "pending": "Waiting for your decision. Nothing is on your calendar yet.",
    "publishing": "Publishing to your calendar…",
    "rejected": "Rejected. Nothing was sent.",
}


def proposal_card(coach: Coach, proposal: Proposal) -> None:
    """Date, sport, name, the exact workout text, duration, and Confirm / Reject."""
    with st.container(border=True, key=f"proposal-{proposal.id}"):
        day = date.fromisoformat(proposal.day)
        st.markdown(f"**{plain(proposal.name)}** · {proposal.sport} · {day:%A %d %B %Y}")
        load = f" · estimated load {proposal.load:.0f}" if proposal.load is not None else ""
        st.caption(f"Proposal {proposal.id} · {format_duration(proposal.duration_s)}{load}")
        st.code(proposal.description, language=None)
        _proposal_state(coach, proposal)


def _proposal_state(coach: Coach, p: Proposal) -> None:
    where = "the demo calendar" if coach.demo else "your Intervals.icu calendar"
    if p.status == "published":
        st.success(f"Confirmed: on {where} (event {p.event_id}).")
        return
    if p.status in _STATUS_TEXT:
        st.caption(_STATUS_TEXT[p.status])
    if p.status == "failed":
        st.error(f"Not published: {p.error}")
    if p.status in ("pending", "failed"):
        left, right, _ = st.columns([1, 1, 4])
        label = "Retry" if p.status == "failed" else "Confirm"
        if left.button(label, key=f"confirm-{p.id}", type="primary"):
            _act(lambda: coach.confirm(p.id))
        if right.button("Reject", key=f"reject-{p.id}"):
            _act(lambda: coach.reject(p.id))


def _act(action: Callable[[], Proposal]) -> None:
    action()
    st.rerun()


class TurnView:
    """Streams one answer into the page as the agent reports events."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach
        self.text = ""
        self.placeholder = st.empty()
        self.status: Any = None

    def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.TextDelta):
            self.text += event.text
            self.placeholder.markdown(safe_markdown(self.text) + "▌")
        elif isinstance(event, events.ToolStarted):
            self._close_text()
            self.status = st.status(tool_label(event.name, event.arguments), expanded=False)
        elif isinstance(event, events.ToolFinished):
            self._finish_tool(event)
        elif isinstance(event, events.AgentError):
            self._close_text()
            st.error(event.message)
        elif isinstance(event, events.TurnDone):
            self._close_text()

    def _finish_tool(self, event: events.ToolFinished) -> None:
        if self.status is not None:
            with self.status:
                st.text(event.result[:4000])
            self.status.update(state="complete" if event.ok else "error")
        if event.proposal_id is not None:
            proposal = self.coach.proposal(event.proposal_id)
            if proposal:
                proposal_card(self.coach, proposal)
        self.placeholder = st.empty()

    def _close_text(self) -> None:
        if self.text:
            self.placeholder.markdown(safe_markdown(self.text))
        self.text = ""
