"""Coach: the chat (with example questions to start one), the morning check-in, and the list
of past conversations (new, resume, rename, delete, search)."""

from __future__ import annotations

__package__ = "coach.ui.views"  # Streamlit runs this file by path: its relative imports need it

import zlib

import streamlit as st

from coach.app import AgentError, Coach, answers, warmup
from coach.messages import Role

from .. import browser_session
from ..cards import flash
from ..checkin import checkin_of, checkin_panel
from ..components import render_conversation, render_events
from ..shared import model_banners, welcome
from ..text import distinct_labels, plain

# The eval's standard questions: each one the product knows how to start answering.
EXAMPLES = ("How was my last week?", "Am I ready for my race?", "Plan tomorrow's ride")
ASK = "Ask your coach about your training…"


def conversations_panel(coach: Coach) -> int | None:
    """In the sidebar: new, search, pick, rename, delete. Returns the open conversation."""
    with st.sidebar:
        st.subheader("Conversations")
        if st.button("New conversation", key="new-conversation"):
            st.session_state.conversation_id = coach.new_conversation()
        query = st.text_input("Search conversations", key="conversation-search",
                              placeholder="a word from any message")
        found = coach.find_conversations(query) if query.strip() else coach.conversations()
        if not found:
            st.caption("No conversation matches." if query.strip() else "No conversations "
                       "yet: ask something below.")
            return _current_if_exists(coach)
        ids = [c.id for c in found]
        current = st.session_state.get("conversation_id") or _from_address()
        if current not in ids:
            current = ids[0]
        titles = {c.id: c.title for c in found}
        labels = distinct_labels([(i, titles[i]) for i in sorted(titles)])  # oldest: plain
        # The titles are in the key: the browser keeps a picker's old labels while its key
        # stays, so a renamed conversation would show its old title until a reload.
        shown = zlib.crc32("\n".join(labels[i] for i in ids).encode())
        chosen = int(st.selectbox("Conversation", ids, index=ids.index(current),
                                  format_func=labels.__getitem__,
                                  key=f"picker-{current}-{shown}"))
        st.session_state.conversation_id = chosen
        st.query_params["c"] = str(chosen)
        _rename_and_delete(coach, chosen, titles[chosen])
        return chosen


def _current_if_exists(coach: Coach) -> int | None:
    current = st.session_state.get("conversation_id")
    return current if current and coach.conversation(current) else None


def _rename_and_delete(coach: Coach, conversation_id: int, title: str) -> None:
    with st.expander("Rename or delete"):
        new_title = st.text_input("Title", title, key=f"title-{conversation_id}")
        if st.button("Rename", key=f"rename-{conversation_id}") and new_title.strip():
            coach.rename_conversation(conversation_id, new_title)
            st.rerun()
        if st.session_state.get("deleting") == conversation_id:
            _confirm_delete(coach, conversation_id, title)
            return
        answering = answers.running(conversation_id) is not None
        if st.button("Delete conversation", key=f"delete-{conversation_id}",
                     disabled=answering, help="Wait for the answer to finish" if answering
                     else "Asks first: a deleted conversation cannot be brought back"):
            st.session_state.deleting = conversation_id
            st.rerun()


def _confirm_delete(coach: Coach, conversation_id: int, title: str) -> None:
    st.warning(f"Delete “{plain(title)}”? Its messages are deleted and the proposals in it still "
               "waiting for your decision are rejected; workouts already on your calendar stay. "
               "This cannot be undone.")
    yes, no = st.columns(2)
    if yes.button("Yes, delete it", key=f"delete-yes-{conversation_id}", type="primary"):
        coach.delete_conversation(conversation_id)
        st.session_state.conversation_id = st.session_state.deleting = None
        st.query_params.pop("c", None)
        st.rerun()
    if no.button("Cancel", key=f"delete-cancel-{conversation_id}"):
        st.session_state.deleting = None
        st.rerun()


def _from_address() -> int | None:
    value = st.query_params.get("c")
    return int(value) if value and value.isdigit() else None


def chat(coach: Coach, conversation_id: int | None, blocked: str | None) -> None:
    turn = answers.running(conversation_id) if conversation_id is not None else None
    messages = coach.messages(conversation_id) if conversation_id is not None else []
    if conversation_id is not None:
        checkin_of(coach, conversation_id)
    if turn is not None:  # the answer in progress is drawn live, not from the database
        last_user = max((i for i, m in enumerate(messages) if m.role == Role.USER),
                        default=len(messages) - 1)
        messages = messages[:last_user + 1]
    render_conversation(coach, messages)
    if turn is not None:
        live_answer(turn)
    elif not messages:
        examples(coach, conversation_id, blocked)
    used = coach.context_use(conversation_id) if conversation_id is not None else None
    if used is not None:
        st.caption(f"Model context: {used:.0%} of {coach.settings.num_ctx:,} tokens used"
                   + (" — older tool results are being left out to make room"
                      if used > 0.75 else ""))
    busy = "Wait for the answer to finish, or press Stop answer" if turn is not None else None
    why = blocked or busy
    prompt = st.chat_input(why or ASK, disabled=why is not None)
    if prompt:
        ask(coach, conversation_id, prompt)


def examples(coach: Coach, conversation_id: int | None, blocked: str | None) -> None:
    """A new conversation: three questions to start from, each asked with one click."""
    st.caption("Once the coach has a model (see the message at the top), ask anything about your "
               "training, or start with one of these:" if blocked else
               "Ask anything about your training, or start with one of these:")
    for column, question in zip(st.columns(len(EXAMPLES)), EXAMPLES, strict=True):
        if column.button(question, key=f"example-{question}", disabled=blocked is not None,
                         help=blocked, width="stretch"):
            ask(coach, conversation_id, question)


def ask(coach: Coach, conversation_id: int | None, text: str) -> None:
    """Put the athlete's message to the coach (in a new conversation when none is open)."""
    if conversation_id is None:
        conversation_id = coach.new_conversation()
        st.session_state.conversation_id = conversation_id
    if coach.add_user_message(conversation_id, text):
        answers.start(coach.spawn, conversation_id)
    st.rerun()


@st.fragment(run_every=0.4)
def live_answer(turn: answers.RunningTurn) -> None:
    """Redraw the answer in progress a few times a second; when it is done, redraw the page
    from the database (with the cards and their buttons)."""
    if turn.done.is_set():
        ended = turn.snapshot()[-1] if turn.events else None
        if isinstance(ended, AgentError) and not ended.message.startswith("You stopped"):
            flash(ended.message)
        st.rerun()
    with st.chat_message("assistant"):
        render_events(turn.snapshot())
        if st.button("Stop answer", key="stop-answer"):
            turn.stop.set()


def page() -> None:
    coach = browser_session.coach()
    st.header("Coach")
    welcome(coach)
    blocked = model_banners(coach)
    model_ok = blocked is None
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to start." if
                coach.sync_health().last_error is None else "Local Coach could not read your "
                "athlete record from Intervals.icu yet: see above, fix it and press Retry sync.")
        return
    if model_ok and warmup.needed(coach):  # the page opened, or a sync changed the card
        warmup.start(coach.spawn)
    conversation_id = conversations_panel(coach)
    checkin_panel(coach, blocked)
    chat(coach, conversation_id, blocked)


page()
