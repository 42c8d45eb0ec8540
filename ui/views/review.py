"""Weekly review: pick a week and review it (its figures, charts and the coach's commentary),
download it as Markdown or PDF, and reopen past reviews."""

from __future__ import annotations

__package__ = "coach.ui.views"  # Streamlit runs this file by path: its relative imports need it

from datetime import date, timedelta
from typing import Any

import streamlit as st

from coach import analysis, display
from coach.app import AgentError, Coach, answers, reviews
from coach.app.reviews import Commentary, StoredReview

from .. import browser_session
from ..cards import flash
from ..components import render_answer, render_events
from ..shared import current_model_status
from ..text import distinct_labels, plain, safe_markdown

OPEN = "review_id"  # the review shown, by id (the review itself is in the database)


def page() -> None:
    coach = browser_session.coach()
    st.header("Weekly review")
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to review a week.")
        return
    left, right = st.columns(2, gap="large")
    with right:
        past_reviews(coach)
    with left:
        pick_week(coach)
    shown = reviews.open_review(coach, st.session_state[OPEN]) \
        if st.session_state.get(OPEN) else None
    if shown is None:
        st.info("Pick a week and press **Review my week**, or open a past reviews.")
        return
    show(coach, shown)


def pick_week(coach: Coach) -> None:
    today = coach.today()
    weeks = reviews.week_choices(today)
    last_full = analysis.last_full_week(today)
    picked = st.selectbox("Week", weeks, index=weeks.index(last_full), key="review-week",
                          format_func=lambda w: week_label(w, today))
    if st.button("Review my week", type="primary", key="review-start"):
        made = reviews.start_review(coach, picked)
        st.session_state[OPEN] = made.id
        if not made.facts.get("no_data"):  # a week before the history: nothing to comment on
            start_commentary(coach, made)
        st.rerun()


def start_commentary(coach: Coach, made: StoredReview) -> None:
    status = current_model_status(coach)
    if status.ok and made.conversation_id is not None:
        answers.start(coach.spawn, made.conversation_id)
    else:
        flash(f"Your review is made; the coach's commentary needs the model. "
              f"{status.problem or ''}", "info")


def week_label(week: str, today: date) -> str:
    monday = analysis.week_monday(week)
    sunday = monday + timedelta(days=6)
    label = f"{week}: {display.day(monday, today)} to {display.day(sunday, today)}"
    return label + (" (this week so far)" if monday <= today <= sunday else "")


def past_reviews(coach: Coach) -> None:
    """Every review made, newest first; picking one opens it."""
    today = coach.today()
    found = reviews.reviews(coach)
    labels = distinct_labels([(r.id, f"Week {r.week}, reviewed "
                                      f"{display.day(r.created_at, today)}")
                              for r in reversed(found)])
    labels = {r.id: labels[r.id] for r in found}  # newest first
    ids, current = list(labels), st.session_state.get(OPEN)
    chosen = st.selectbox("Past reviews", ids, index=ids.index(current) if current in ids
                          else None, format_func=labels.__getitem__, disabled=not ids,
                          placeholder="Open a past review" if ids else "No reviews yet",
                          key=f"past-reviews-{current}")
    if chosen is not None and chosen != current:
        st.session_state[OPEN] = chosen
        st.rerun()


def show(coach: Coach, r: StoredReview) -> None:
    """The review: key figures, charts, the section, the commentary, the downloads."""
    heading, _, body = r.section.partition("\n")
    st.subheader(heading.lstrip("# "))
    metrics = list((r.facts.get("headline") or {}).items())
    for start in range(0, len(metrics), 3):  # three a row: "12h45m" fits, never "12h…"
        for column, (label, value) in zip(st.columns(3), metrics[start:start + 3],
                                          strict=False):
            column.metric(label, value)
    charts(r)
    st.markdown(safe_markdown(body.strip()))
    if r.facts.get("no_data"):  # a week before the synced history: no commentary, no file
        return
    comment = commentary(coach, r)
    if r.conversation_id is None or answers.running(r.conversation_id) is None:
        downloads(r, comment)


def charts(r: StoredReview) -> None:
    drawn = reviews.charts(r.facts)
    if not drawn:
        if not r.facts.get("no_data"):  # the section says why there is nothing
            st.caption(nothing_to_draw(r.facts))
        return
    for column, (title, spec) in zip(st.columns(len(drawn)), drawn, strict=False):
        with column:
            st.markdown(f"**{title}**")
            st.vega_lite_chart(spec, width="stretch", key=f"review-{r.id}-{title}")


def nothing_to_draw(facts: dict[str, Any]) -> str:
    hidden = facts.get("hidden_sessions") or 0
    if hidden:
        return (f"Nothing to draw: Intervals.icu does not share the details of this week's "
                f"Strava activit{'ies' if hidden != 1 else 'y'}.")
    return "No training this week: nothing to draw."


def commentary(coach: Coach, r: StoredReview) -> Commentary | None:
    st.subheader("The coach's commentary")
    turn = answers.running(r.conversation_id) if r.conversation_id is not None else None
    if turn is not None:
        live(turn)
        return None
    comment = reviews.commentary(coach, r)
    if comment is not None:
        with st.chat_message("assistant"):
            render_answer(coach, comment.messages)
        st.caption("The whole conversation is on the Coach page: "
                   f"{plain(f'Week {r.week} review')}; ask follow-up questions there.")
        return comment
    st.info(reviews.NO_MODEL)
    if reviews.needs_commentary(coach, r) and st.button("Ask the coach to comment",
                                                       key=f"comment-{r.id}"):
        answers.start(coach.spawn, r.conversation_id)  # type: ignore[arg-type]
        st.rerun()
    return None


@st.fragment(run_every=0.4)
def live(turn: answers.RunningTurn) -> None:
    """The commentary as it is written; the page is drawn again from the database when done."""
    if turn.done.is_set():
        ended = turn.snapshot()[-1] if turn.events else None
        if isinstance(ended, AgentError):
            flash(ended.message)
        st.rerun()
    with st.chat_message("assistant"):
        render_events(turn.snapshot())


def downloads(r: StoredReview, comment: Commentary | None) -> None:
    """Made on this machine; the PDF only when its button is pressed (charts take a moment)."""
    left, right, _ = st.columns([1, 1, 2])
    left.download_button("Download Markdown", reviews.markdown(r, comment),
                         file_name=f"weekly-review-{r.week}.md", mime="text/markdown",
                         key=f"review-md-{r.id}", on_click="ignore")
    right.download_button("Download PDF", lambda: reviews.pdf(r, comment),
                          file_name=f"weekly-review-{r.week}.pdf", mime="application/pdf",
                          key=f"review-pdf-{r.id}", on_click="ignore")


page()
