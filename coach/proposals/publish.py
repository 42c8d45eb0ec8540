"""The only code that writes to a calendar: publish a confirmed proposal at most once, undo it,
or take back a failed one (see DESIGN.md, Publishing). Nothing the model can reach imports it.

Publishing and undoing are claimed in SQLite first, so two windows or a retry never act twice.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from coach import workout
from coach.analysis import WEIGHT_TRAINING
from coach.errors import CoachError, IntervalsNotFound, IntervalsUnavailable, ProposalError
from coach.proposals.check import check_text
from coach.proposals.create import load
from coach.records import CalendarSource, Event, NewEvent
from coach.store import EDITABLE, Checkin, Proposal, Store, now_iso
from coach.store import CheckinStatus as C
from coach.store import ProposalKind as K
from coach.store import ProposalStatus as S

log = logging.getLogger(__name__)

# A claim this old belongs to a process that died: longer than the slowest possible publish
# (a few requests, each with retries and Retry-After waits).
STALE_CLAIM = timedelta(minutes=15)
WAITING = ("It will be sent when Intervals.icu is reachable again (at the next sync), or press "
           "Retry.")
DURATION_TOLERANCE = 0.05           # how far Intervals.icu's duration may differ from ours


def reject_proposal(store: Store, proposal_id: int,
                    calendar: CalendarSource | None = None) -> Proposal:
    """Reject; after a failed publish, first make sure nothing reached the calendar."""
    proposal = load(store, proposal_id)
    if proposal.status == S.REJECTED:
        return proposal
    if proposal.status == S.FAILED and calendar is not None:
        return _with_claim(store, proposal, [S.FAILED], S.PUBLISHING, "checking before reject",
                           S.FAILED, lambda p, token: _reject_failed(store, calendar, p, token))
    allowed = [S.PENDING] if calendar else list(EDITABLE)
    if not store.transition(proposal_id, allowed, S.REJECTED, "rejected by user"):
        raise ProposalError(f"Proposal {proposal_id} is {proposal.status} and cannot be "
                            "rejected.")
    return load(store, proposal_id)


def _reject_failed(store: Store, calendar: CalendarSource, proposal: Proposal,
                   token: str) -> str:
    # The failed attempt may have reached Intervals.icu after all (a timeout after the create).
    if proposal.kind == K.WORKOUT:
        day = date.fromisoformat(proposal.day)
        for event in calendar.events(day, day):
            if event.external_id == proposal.external_id:
                _delete(calendar, event.id)
                store.forget_event(proposal.athlete_id, event.id)
    else:
        _revert_change_if_applied(store, calendar, proposal)
    store.transition(proposal.id, [S.PUBLISHING], S.REJECTED, "rejected by user after a "
                     "failed publish", holding=token, claim=None, error=None, waiting=0)
    return S.REJECTED


def _revert_change_if_applied(store: Store, calendar: CalendarSource,
                              proposal: Proposal) -> None:
    before = proposal.before_event or {}
    current = _current_event(calendar, proposal.target_event_id or 0, K.DELETE)
    if current is None and proposal.kind == K.DELETE:
        restored = _restore_deleted(calendar, proposal, before)
        store.save_events(proposal.athlete_id, [restored])
    elif current is not None and proposal.kind == K.MOVE and current.day == proposal.new_day:
        store.save_events(proposal.athlete_id, [calendar.update_event(
            current.id, {"start_date_local": before["start_date_local"]})])
    elif current is not None and proposal.kind == K.REPLACE and \
            current.description == proposal.description:
        store.save_events(proposal.athlete_id, [calendar.update_event(
            current.id, _as_before(proposal, before))])


# --- publishing -----------------------------------------------------------------------------

def publish_proposal(store: Store, calendar: CalendarSource, proposal_id: int,
                     today: date) -> Proposal:
    """Confirm → publish exactly this proposal, at most once (see DESIGN.md, Publishing)."""
    proposal = load(store, proposal_id)
    if proposal.status in (S.PUBLISHED, S.UNDOING, S.UNDONE):
        return proposal  # a second click, a reload or another tab: nothing more to do
    if proposal.status == S.REJECTED:
        raise ProposalError(f"Proposal {proposal_id} was rejected; ask the coach for a new one.")
    action = _publish_workout if proposal.kind == K.WORKOUT else _publish_change
    return _with_claim(store, proposal, [S.PENDING, S.FAILED], S.PUBLISHING, "confirmed by user",
                       S.FAILED, lambda p, token: action(store, calendar, p, today, token),
                       resend=True)


def publish_all(store: Store, calendar: CalendarSource, proposal_ids: list[int],
                today: date) -> list[Proposal]:
    """Confirm all of a plan: each one at most once; one failure leaves the others intact."""
    results = []
    for pid in proposal_ids:
        try:
            results.append(publish_proposal(store, calendar, pid, today))
        except ProposalError:
            results.append(load(store, pid))  # rejected ones are simply skipped
    return results


def resume_waiting(store: Store, calendar: CalendarSource, athlete_id: str,
                   today: date) -> list[Proposal]:
    """Send confirmations that waited for Intervals.icu, and finish crashed publishes."""
    due = store.proposals(athlete_id=athlete_id, statuses=[S.FAILED, S.PUBLISHING, S.UNDOING])
    done = [publish_proposal(store, calendar, p.id, today) for p in due
            if (p.status == S.FAILED and p.waiting) or
            (p.status == S.PUBLISHING and claim_is_stale(p))]
    return done + [undo_proposal(store, calendar, p.id, today) for p in due
                   if p.status == S.UNDOING and claim_is_stale(p)]


def _publish_workout(store: Store, calendar: CalendarSource, proposal: Proposal,
                     today: date, token: str) -> str:
    _require_future(proposal.day, today, "This workout was")
    _require_valid(store, proposal)
    day = date.fromisoformat(proposal.day)
    # Look before create: an earlier attempt may have reached Intervals.icu and lost its answer.
    existing = [e for e in calendar.events(day, day) if e.external_id == proposal.external_id]
    strength = proposal.sport == WEIGHT_TRAINING
    event = existing[0] if existing else calendar.create_event(NewEvent(
        start_date_local=f"{proposal.day}T00:00:00", type=proposal.sport, name=proposal.name,
        description=proposal.description, external_id=proposal.external_id,
        moving_time=proposal.duration_s if strength else None,
        carbs_per_hour=proposal.carbs_per_hour))
    if existing and (event.description or "").strip() != proposal.description:
        # an earlier attempt landed with the text as it was then; the card shows this one
        event = calendar.update_event(event.id, {"description": proposal.description})
    # A strength session has no steps for Intervals.icu to read: only its words and length.
    note = None if strength else _verify(calendar, event.id, proposal.duration_s)
    with store.atomic():
        store.save_events(proposal.athlete_id, [event])
        recorded = store.transition(
            proposal.id, [S.PUBLISHING], S.PUBLISHED,
            f"{'adopted existing' if existing else 'created'} event {event.id}", holding=token,
            event_id=event.id, error=None, claim=None, verify_note=note, waiting=0)
    if not recorded and not existing:
        _lost_claim(store, calendar, proposal.id, event.id)
    return f"event {event.id}"


def _lost_claim(store: Store, calendar: CalendarSource, proposal_id: int, event_id: int) -> None:
    """We were so slow that another window took over; keep one event, never two."""
    winner = load(store, proposal_id)
    if winner.status == S.PUBLISHED and winner.event_id != event_id:
        log.warning("proposal %s: removing duplicate event %s", proposal_id, event_id)
        _delete(calendar, event_id)
        store.forget_event(winner.athlete_id, event_id)


def _publish_change(store: Store, calendar: CalendarSource, proposal: Proposal,
                    today: date, token: str) -> str:
    event_id = proposal.target_event_id
    assert event_id is not None
    current = _current_event(calendar, event_id, proposal.kind)
    if current is None:  # delete: already gone, e.g. by an earlier attempt that lost its answer
        _finish_change(store, proposal, token, None, "event was already deleted")
        return "already deleted"
    _require_future(current.day, today, "This planned workout is")
    if proposal.kind == K.DELETE:
        _delete(calendar, event_id)
        _finish_change(store, proposal, token, None, f"deleted event {event_id}")
        return "deleted"
    if proposal.kind == K.MOVE:
        assert proposal.new_day is not None
        _require_future(proposal.new_day, today, "The new date is")
        changes = {"start_date_local": f"{proposal.new_day}T00:00:00"}
    else:
        _require_valid(store, proposal)
        changes = _replaced(proposal, current)
    updated = calendar.update_event(event_id, changes)
    note = _verify(calendar, event_id, proposal.duration_s) if proposal.kind == K.REPLACE \
        else None
    _finish_change(store, proposal, token, updated, f"{proposal.kind} event {event_id}", note)
    return proposal.kind


def _replaced(proposal: Proposal, current: Event) -> dict[str, Any]:
    """A replace's changes: the text, and the name and sport when they change too (the
    athlete chose a proposed workout to take a planned one's place)."""
    changes: dict[str, Any] = {"description": proposal.description}
    if proposal.name != (current.name or "Workout"):
        changes["name"] = proposal.name
    if workout.sport_family(current.type or "") != proposal.sport:
        changes["type"] = proposal.sport
    if proposal.carbs_per_hour and proposal.carbs_per_hour != _carbs(current.model_dump()):
        changes["carbs_per_hour"] = proposal.carbs_per_hour
    return changes


def _carbs(event: dict[str, Any]) -> int | None:
    """The event's carbohydrate target (g/h), if it has one."""
    value = event.get("carbs_per_hour")
    return value if isinstance(value, int) and value > 0 else None


def _as_before(proposal: Proposal, before: dict[str, Any]) -> dict[str, Any]:
    """What undoing a replace writes back: the text, and the name and sport if it changed
    them."""
    back: dict[str, Any] = {"description": before.get("description")}
    if "name" in before and proposal.name != before["name"]:
        back["name"] = before["name"]
    if "type" in before and workout.sport_family(before["type"] or "") != proposal.sport:
        back["type"] = before["type"]
    if proposal.carbs_per_hour and proposal.carbs_per_hour != _carbs(before):
        # none before: 0 g/h (the API takes no null here; the reference's -1 is for activities)
        back["carbs_per_hour"] = _carbs(before) or 0
    return back


def _finish_change(store: Store, proposal: Proposal, token: str, updated: Event | None,
                   detail: str, note: str | None = None) -> None:
    with store.atomic():
        if updated is None:
            store.forget_event(proposal.athlete_id, proposal.target_event_id or 0)
        else:
            store.save_events(proposal.athlete_id, [updated])
        store.transition(proposal.id, [S.PUBLISHING], S.PUBLISHED, detail, holding=token,
                         event_id=proposal.target_event_id, error=None, claim=None,
                         verify_note=note, waiting=0)


# --- undo -----------------------------------------------------------------------------------

def undo_proposal(store: Store, calendar: CalendarSource, proposal_id: int,
                  today: date) -> Proposal:
    """Take a published workout off the calendar, or put a changed one back as it was."""
    proposal = load(store, proposal_id)
    if proposal.status == S.UNDONE or (proposal.status == S.UNDOING and
                                       not claim_is_stale(proposal)):
        return proposal
    if proposal.status not in (S.PUBLISHED, S.UNDOING):
        raise ProposalError(f"Proposal {proposal_id} is {proposal.status}; only a published "
                            "proposal can be undone.")
    return _with_claim(store, proposal, [S.PUBLISHED], S.UNDOING, "undo requested by user",
                       S.PUBLISHED, lambda p, token: _undo(store, calendar, p, token))


def _undo(store: Store, calendar: CalendarSource, proposal: Proposal, token: str) -> str:
    before = proposal.before_event or {}
    event_id = proposal.event_id or 0
    restored: Event | None = None
    if proposal.kind == K.WORKOUT:
        _delete(calendar, event_id)
    elif proposal.kind == K.MOVE:
        restored = calendar.update_event(event_id, {
            "start_date_local": before["start_date_local"]})
    elif proposal.kind == K.REPLACE:
        restored = calendar.update_event(event_id, _as_before(proposal, before))
    else:
        restored = _restore_deleted(calendar, proposal, before)
    with store.atomic():
        if restored is None:
            store.forget_event(proposal.athlete_id, event_id)
        else:
            store.save_events(proposal.athlete_id, [restored])
        store.transition(proposal.id, [S.UNDOING], S.UNDONE, S.UNDONE, holding=token,
                         claim=None, error=None,
                         event_id=restored.id if restored else proposal.event_id)
    return S.UNDONE


def _restore_deleted(calendar: CalendarSource, proposal: Proposal, before: dict) -> Event:
    """Re-create a deleted workout, adopting one an earlier undo already re-created."""
    day = date.fromisoformat(before["start_date_local"][:10])
    for event in calendar.events(day, day):
        if (event.name, event.description) == (before.get("name"), before.get("description")):
            return event
    return calendar.create_event(NewEvent(
        category=before.get("category", "WORKOUT"), start_date_local=before["start_date_local"],
        type=before.get("type") or proposal.sport, name=before.get("name") or proposal.name,
        description=before.get("description") or "",
        external_id=before.get("external_id") or f"local-coach-restore-{proposal.id}"))


# --- a check-in, to Intervals.icu wellness (after its own Confirm) ---------------------------

def publish_checkin(store: Store, calendar: CalendarSource, checkin_id: int) -> Checkin:
    """Write a check-in's answers to that day's wellness, at most once: only the window holding
    the claim sends, a sent check-in is never sent again, and a failure keeps it retryable."""
    checkin = store.checkin(checkin_id)
    if checkin is None:
        raise ProposalError(f"There is no check-in {checkin_id}.")
    token = f"{os.getpid()}:{uuid.uuid4().hex}"
    take_over = checkin.status == C.SENDING and claim_is_stale(checkin)
    if checkin.status == C.SENT or not store.claim_checkin(checkin_id, token, take_over):
        return store.checkin(checkin_id) or checkin
    try:
        record = calendar.update_wellness(date.fromisoformat(checkin.day), checkin.feelings)
    except CoachError as e:
        store.release_checkin(checkin_id, token, C.FAILED, str(e))
    except Exception as e:  # keep the check-in retryable whatever went wrong
        log.exception("check-in %s failed", checkin_id)
        store.release_checkin(checkin_id, token, C.FAILED,
                              f"Something went wrong ({type(e).__name__}); press Retry.")
    else:
        with store.atomic():
            store.save_wellness(checkin.athlete_id, [record])
            store.release_checkin(checkin_id, token, C.SENT)
        log.info("check-in %s: sent to wellness %s", checkin_id, checkin.day)
    return store.checkin(checkin_id) or checkin


# --- shared steps ---------------------------------------------------------------------------

def _with_claim(store: Store, proposal: Proposal, allowed: list[S], to: S, detail: str,
                on_error: S, action: Callable[[Proposal, str], str],
                resend: bool = False) -> Proposal:
    """Claim the proposal, run the action with the claim token, and return the new state; if
    another window holds the claim, do nothing (it is acting right now). Only a publish that
    failed for want of a connection is `resend` (sent again at the next sync)."""
    token = _claim(store, proposal, allowed, to, detail)
    if token is not None:
        _run_claimed(store, proposal.id, token, on_error,
                     lambda: action(load(store, proposal.id), token), resend)
    return load(store, proposal.id)


def _claim(store: Store, proposal: Proposal, allowed: list[S], to: S,
           detail: str) -> str | None:
    """Take the proposal for this process; returns the claim token, or None if another has it."""
    if proposal.status == to and claim_is_stale(proposal):
        allowed = [*allowed, to]  # the process that claimed it died; take it over
    token = f"{os.getpid()}:{uuid.uuid4().hex}"  # the pid tells a crashed claimant apart
    if store.transition(proposal.id, allowed, to, detail, claim=token, claimed_at=now_iso(),
                        error=None):
        return token
    return None


def _run_claimed(store: Store, proposal_id: int, token: str, on_error: S,
                 action: Callable[[], str], resend: bool = False) -> None:
    """Run a claimed action; any failure releases the claim with a message the card shows."""
    try:
        log.info("proposal %s: %s", proposal_id, action())
    except IntervalsUnavailable as e:
        if not resend:
            _release(store, proposal_id, token, on_error, str(e))
            return
        reason = str(e).split(";")[0].rstrip(".")  # drop "try again…": it will be resent
        _release(store, proposal_id, token, on_error, f"{reason}. {WAITING}", waiting=1)
    except CoachError as e:
        _release(store, proposal_id, token, on_error, str(e))
    except Exception as e:  # keep the proposal retryable whatever went wrong
        log.exception("proposal %s failed", proposal_id)
        _release(store, proposal_id, token, on_error,
                 f"Something went wrong ({type(e).__name__}); press the button again.")


def _release(store: Store, proposal_id: int, token: str, to: S, message: str,
             waiting: int = 0) -> None:
    if to == S.PUBLISHED:
        message, waiting = f"Undo failed: {message}", 0
    claimed = load(store, proposal_id).status
    if claimed not in (S.PUBLISHING, S.UNDOING):
        return  # another process took the claim over and finished: nothing is ours to release
    store.transition(proposal_id, [claimed], to, message, holding=token, error=message,
                     claim=None, waiting=waiting)


def _verify(calendar: CalendarSource, event_id: int, duration_s: int) -> str | None:
    """Read the event back: did Intervals.icu make steps of it, with about our duration?"""
    try:
        event = calendar.event(event_id)
    except CoachError as e:
        return f"Could not read the workout back from the calendar to check it ({e})"
    steps = (event.workout_doc or {}).get("steps")
    if not steps:
        return ("Intervals.icu did not turn this text into steps: it will show as a note, "
                "not as a structured workout on your devices.")
    if event.moving_time and duration_s and \
            abs(event.moving_time - duration_s) > DURATION_TOLERANCE * duration_s:
        return (f"Intervals.icu makes this {workout.format_duration(int(event.moving_time))} "
                f"long; Local Coach computed {workout.format_duration(duration_s)}.")
    return None


def _current_event(calendar: CalendarSource, event_id: int, kind: str) -> Event | None:
    try:
        return calendar.event(event_id)
    except IntervalsNotFound:
        if kind == K.DELETE:
            return None
        raise ProposalError("That planned workout is no longer on your calendar.") from None


def _delete(calendar: CalendarSource, event_id: int) -> None:
    try:
        calendar.delete_event(event_id)
    except IntervalsNotFound:
        pass  # already gone: deleting is done


def _require_future(day: str, today: date, what: str) -> None:
    if date.fromisoformat(day[:10]) < today:
        raise ProposalError(f"{what} on {day[:10]}, which has passed; only future workouts can "
                            "be planned or changed.")


def _require_valid(store: Store, proposal: Proposal) -> None:
    # Re-validate what is stored now: the card shows exactly this text, nothing else is sent.
    check = check_text(store, proposal.athlete_id, proposal.sport, proposal.description,
                       proposal.duration_s // 60)
    if not check.ok:
        first = check.errors[0]
        raise ProposalError(f"The workout text is not valid (line {first.line}: "
                            f"{first.message}).")


def claim_is_stale(proposal: Proposal | Checkin) -> bool:
    """True when the process that claimed the proposal is gone (it crashed or was killed), or
    the claim is older than any live publish could be."""
    if not proposal.claimed_at:
        return True
    if datetime.now(UTC) - datetime.fromisoformat(proposal.claimed_at) > STALE_CLAIM:
        return True
    pid = (proposal.claim or "").partition(":")[0]
    return pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":
        return True  # (on Windows os.kill(pid, 0) would end the process: rely on the clock)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is not ours to signal
    return True
