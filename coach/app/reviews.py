"""The weekly review for a Coach: made and stored with its conversation (whose request the
coach answers like any question), listed, reopened, its commentary read back; and what the
Weekly review page and `coach review` show of it (section, charts, Markdown, PDF)."""

from __future__ import annotations

from collections.abc import Callable

from coach.agent.loop import TurnEvent
from coach.app.session import Coach
from coach.messages import Message
from coach.review.export import NO_MODEL, charts, markdown, pdf
from coach.review.text import facts, section
from coach.review.week import (
    REQUEST,
    Commentary,
    ReviewError,
    awaits_commentary,
    commentary_in,
    make_review,
    week_choices,
)
from coach.store.reviews import StoredReview

__all__ = ["NO_MODEL", "REQUEST", "Commentary", "ReviewError", "StoredReview", "charts",
           "comment", "commentary", "markdown", "needs_commentary", "open_review", "pdf",
           "reviews", "start_review", "week_choices"]


def start_review(coach: Coach, week: str | None = None) -> StoredReview:
    """Compute and store the review of `week` (default: the last full week), with its
    conversation holding the section and the request for a commentary (not answered yet)."""
    week, review = make_review(coach.scope(), week)
    text = section(review)
    conversation_id = coach.new_conversation(f"Week {week} review")
    coach.add_user_message(conversation_id, f"{text}\n\n{REQUEST}")
    return coach.store.save_review(coach.athlete_id or "", week, text, facts(review),
                                   conversation_id)


def comment(coach: Coach, review: StoredReview, on_event: Callable[[TurnEvent], None]) -> None:
    """Let the coach answer the review's request now (the page runs this in a thread)."""
    if review.conversation_id is not None and coach.conversation(review.conversation_id):
        coach.answer(review.conversation_id, on_event)


def needs_commentary(coach: Coach, review: StoredReview) -> bool:
    """The request is still unanswered (no model then, or the answer was cut short)."""
    return awaits_commentary(_messages(coach, review))


def commentary(coach: Coach, review: StoredReview) -> Commentary | None:
    """The coach's answer to the review's request, if there is one yet."""
    return commentary_in(_messages(coach, review))


def reviews(coach: Coach) -> list[StoredReview]:
    """This athlete's past reviews, newest first."""
    return coach.store.reviews(coach.athlete_id) if coach.athlete_id else []


def open_review(coach: Coach, review_id: int) -> StoredReview | None:
    """A past review of the athlete shown (never another athlete's)."""
    review = coach.store.review(review_id)
    return review if review and review.athlete_id == coach.athlete_id else None


def _messages(coach: Coach, review: StoredReview) -> list[Message]:
    if review.conversation_id is None or not coach.conversation(review.conversation_id):
        return []
    return coach.messages(review.conversation_id)
