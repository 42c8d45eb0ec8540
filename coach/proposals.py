"""Proposal lifecycle and at-most-once publishing to the athlete's calendar."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime, timedelta

from coach import workouts
from coach.errors import CoachError, ProposalError
from coach.intervals import Athlete, CalendarSource, NewEvent, trim_name
from coach.store import Proposal, Store, now_iso

log = logging.getLogger(__name__)

# A claim older than this belongs to a publish that crashed; it may be taken over.
STALE_CLAIM = timedelta(minutes=2)


def thresholds_for(athlete: Athlete | None, sport: str) -> workouts.Thresholds:
    """The athlete's sport settings for a sport family (Ride, Run, Swim)."""
    if athlete is None:
        return workouts.Thresholds()
    for s in athlete.sportSettings:
        if any(workouts.sport_family(t) == sport for t in s.types):
            return workouts.Thresholds(
                ftp=s.ftp, lthr=s.lthr, max_hr=s.max_hr, threshold_pace=s.threshold_pace,
                power_zones=tuple(s.power_zones or ()), hr_zones=tuple(s.hr_zones or ()),
                pace_zones=tuple(s.pace_zones or ()))
    return workouts.Thresholds()


def create_proposal(store: Store, *, athlete_id: str, conversation_id: int | None, day: date,
                    sport: str, name: str, description: str,
                    check: workouts.WorkoutCheck) -> Proposal:
    """Store a validated workout as a pending proposal. Sends nothing."""
    return store.create_proposal(
        athlete_id=athlete_id, conversation_id=conversation_id,
        external_id=f"local-coach-{uuid.uuid4().hex}", day=day.isoformat(), sport=sport,
        name=trim_name(name),
        description=description.strip(), duration_s=check.duration_s, load=check.load)


def reject_proposal(store: Store, proposal_id: int) -> Proposal:
    if not store.transition(proposal_id, ["pending", "failed"], "rejected", "rejected by user"):
        proposal = _load(store, proposal_id)
        if proposal.status != "rejected":
            raise ProposalError(f"Proposal {proposal_id} is {proposal.status} and cannot be "
                                "rejected.")
    return _load(store, proposal_id)


def publish_proposal(store: Store, calendar: CalendarSource, proposal_id: int,
                     today: date) -> Proposal:
    """Confirm → publish exactly this proposal, at most once (see DESIGN.md, Publishing)."""
    proposal = _load(store, proposal_id)
    if proposal.status == "published":
        return proposal  # a second click, a reload or another tab: nothing more to do
    if proposal.status == "rejected":
        raise ProposalError(f"Proposal {proposal_id} was rejected; ask the coach for a new one.")
    if not _claim(store, proposal):
        return _load(store, proposal_id)  # another window is publishing it right now
    try:
        event_id = _publish_claimed(store, calendar, _load(store, proposal_id), today)
    except CoachError as e:
        _fail(store, proposal_id, str(e))
    except Exception as e:  # keep the proposal retryable whatever went wrong
        log.exception("publishing proposal %s failed", proposal_id)
        _fail(store, proposal_id, f"Publishing failed unexpectedly ({type(e).__name__}); "
                                  "press Retry.")
    else:
        log.info("proposal %s published as event %s", proposal_id, event_id)
    return _load(store, proposal_id)


def _claim(store: Store, proposal: Proposal) -> bool:
    allowed = ["pending", "failed"]
    if proposal.status == "publishing" and _stale(proposal.claimed_at):
        allowed.append("publishing")
    return store.transition(proposal.id, allowed, "publishing", "confirmed by user",
                            claim=uuid.uuid4().hex, claimed_at=now_iso(), error=None)


def _publish_claimed(store: Store, calendar: CalendarSource, proposal: Proposal,
                     today: date) -> int:
    day = date.fromisoformat(proposal.day)
    if day < today:
        raise ProposalError(f"This workout was for {proposal.day}, which has passed; ask the "
                            "coach for a new date.")
    # Re-validate what is stored now: the page shows exactly this text, nothing else is sent.
    check = workouts.check(proposal.description, proposal.sport,
                           thresholds_for(store.athlete(proposal.athlete_id), proposal.sport))
    if not check.ok:
        first = check.errors[0]
        raise ProposalError(f"The workout text is not valid (line {first.line}: "
                            f"{first.message}).")
    # Look before create: an earlier attempt may have reached Intervals.icu and lost its answer.
    existing = [e for e in calendar.events(day, day) if e.external_id == proposal.external_id]
    event = existing[0] if existing else calendar.create_event(NewEvent(
        start_date_local=f"{proposal.day}T00:00:00", type=proposal.sport, name=proposal.name,
        description=proposal.description, external_id=proposal.external_id))
    detail = f"adopted existing event {event.id}" if existing else f"created event {event.id}"
    with store.atomic():
        store.save_events(proposal.athlete_id, [event])
        store.transition(proposal.id, ["publishing"], "published", detail, event_id=event.id,
                         error=None, claim=None)
    return event.id


def _fail(store: Store, proposal_id: int, message: str) -> None:
    store.transition(proposal_id, ["publishing"], "failed", message, error=message, claim=None)


def _stale(claimed_at: str | None) -> bool:
    if not claimed_at:
        return True
    return datetime.now(UTC) - datetime.fromisoformat(claimed_at) > STALE_CLAIM


def _load(store: Store, proposal_id: int) -> Proposal:
    proposal = store.proposal(proposal_id)
    if proposal is None:
        raise ProposalError(f"There is no proposal {proposal_id}.")
    return proposal
