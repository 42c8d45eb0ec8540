"""Creating and editing proposals: a workout the model proposed, or a change to a planned one.
This sends nothing: the store records them as pending, and only `coach.publishing` writes."""

from __future__ import annotations

import json
import uuid
from datetime import date

from coach import workout
from coach.errors import ProposalError
from coach.records import Event, thresholds_for, trim_name
from coach.store import EDITABLE, Proposal, Store
from coach.store import ProposalKind as K
from coach.store import ProposalStatus as S

CHANGE_KINDS = (K.MOVE, K.REPLACE, K.DELETE)


def check_text(store: Store, athlete_id: str, sport: str, text: str) -> workout.WorkoutCheck:
    """Validate workout text against the athlete's own settings for that sport."""
    return workout.check(text, sport, thresholds_for(store.athlete(athlete_id), sport))


# --- creating and editing (sends nothing) ---------------------------------------------------

def create_proposal(store: Store, *, athlete_id: str, conversation_id: int | None, day: date,
                    sport: str, name: str, description: str, check: workout.WorkoutCheck,
                    turn: str | None = None) -> Proposal:
    """Store a validated workout as a pending proposal."""
    return store.create_proposal(**workout_row(
        athlete_id=athlete_id, conversation_id=conversation_id, turn=turn, day=day,
        sport=sport, name=name, description=description, duration_s=check.duration_s,
        load=check.load))


def workout_row(*, athlete_id: str, conversation_id: int | None, turn: str | None, day: date,
                sport: str, name: str, description: str, duration_s: int,
                load: float | None) -> dict[str, object]:
    """A new workout proposal's stored values: its own external_id, the name trimmed."""
    return {"athlete_id": athlete_id, "conversation_id": conversation_id, "turn": turn,
            "external_id": f"local-coach-{uuid.uuid4().hex}", "day": day.isoformat(),
            "sport": sport, "name": trim_name(name), "description": description.strip(),
            "duration_s": duration_s, "load": load}


def create_change(store: Store, *, athlete_id: str, conversation_id: int | None,
                  event: Event, kind: str, new_day: date | None = None,
                  description: str | None = None, check: workout.WorkoutCheck | None = None,
                  turn: str | None = None) -> Proposal:
    """Store a pending change to a planned workout, with the event as it is now (for undo)."""
    if kind not in CHANGE_KINDS:
        raise ProposalError(f"Unknown change {kind!r}: use move, replace or delete.")
    text = description.strip() if description else event.description or ""
    return store.create_proposal(
        athlete_id=athlete_id, conversation_id=conversation_id, turn=turn, kind=kind,
        external_id=f"local-coach-change-{uuid.uuid4().hex}", target_event_id=event.id,
        before=json.dumps(event.model_dump(mode="json", exclude_none=True)),
        day=event.day, new_day=new_day.isoformat() if new_day else None,
        sport=workout.sport_family(event.type or "") or "Ride", name=event.name or "Workout",
        description=text,
        duration_s=check.duration_s if check else int(event.moving_time or 0),
        load=check.load if check else event.icu_training_load)


def edit_proposal(store: Store, proposal_id: int, text: str) -> workout.WorkoutCheck:
    """The athlete edited the text on the card: keep it (even if invalid) and re-check it."""
    proposal = load(store, proposal_id)
    if proposal.kind not in (K.WORKOUT, K.REPLACE):
        raise ProposalError("Only a workout's text can be edited.")
    if len(text) > workout.MAX_TEXT_CHARS:  # kept only up to a size a workout can have
        raise ProposalError(workout.oversize(text) + "; the card keeps the text it had.")
    check = check_text(store, proposal.athlete_id, proposal.sport, text)
    # An edited text waits for a new Confirm: it is never resent on its own.
    values: dict[str, object] = {"description": text.strip(), "waiting": 0}
    if check.ok:
        values |= {"duration_s": check.duration_s, "load": check.load}
    if not store.update_proposal(proposal_id, EDITABLE, "text edited by user", **values):
        raise ProposalError(f"Proposal {proposal_id} is {proposal.status}; it can no longer "
                            "be edited.")
    return check


def reject_proposal(store: Store, proposal_id: int) -> Proposal:
    """Reject a proposal that never reached the calendar (pending, or failed before sending)."""
    proposal = load(store, proposal_id)
    if proposal.status == S.REJECTED:
        return proposal
    if not store.transition(proposal_id, EDITABLE, S.REJECTED, "rejected by user"):
        raise ProposalError(f"Proposal {proposal_id} is {proposal.status} and cannot be "
                            "rejected.")
    return load(store, proposal_id)


def load(store: Store, proposal_id: int) -> Proposal:
    proposal = store.proposal(proposal_id)
    if proposal is None:
        raise ProposalError(f"There is no proposal {proposal_id}.")
    return proposal
