"""Creating and editing proposals: a workout the model proposed (with its carbohydrate target
when it is long or hard, `analysis.session_fuel`; a strength session as plain words), or a change
to a planned one. This sends nothing: the store records them as pending; only
`coach.proposals.publish` writes."""

from __future__ import annotations

import json
import uuid
from datetime import date

from coach import analysis, workout
from coach.errors import ProposalError
from coach.proposals.check import check_change, check_text, check_workout
from coach.proposals.fit import supersede_older
from coach.records import Event, trim_name
from coach.scope import Scope
from coach.store import EDITABLE, Proposal, ProposalKind, Store
from coach.store import ProposalKind as K
from coach.store import ProposalStatus as S

CHANGE_KINDS = (K.MOVE, K.REPLACE, K.DELETE)


# --- proposing: checked first (coach.proposals.check), then stored as pending ---------------

def propose_workout(scope: Scope, day: date, sport: str, name: str, text: str) -> Proposal:
    """A new workout on `day`; ProposalInvalid when it cannot be proposed."""
    check = check_workout(scope, day, sport, text, name)
    proposal = create_proposal(scope.store, athlete_id=scope.athlete_id,
                               conversation_id=scope.conversation_id, day=day, sport=sport,
                               name=name, description=text, check=check, turn=scope.turn)
    supersede_older(scope, proposal)
    return proposal


def propose_change(scope: Scope, event_id: int, kind: ProposalKind, new_day: date | None = None,
                   text: str = "") -> Proposal:
    """A move, replace or delete of a planned workout; ProposalInvalid when it cannot be."""
    change = check_change(scope, event_id, kind, new_day, text)
    proposal = create_change(scope.store, athlete_id=scope.athlete_id,
                             conversation_id=scope.conversation_id, event=change.event,
                             kind=change.kind, new_day=change.new_day, description=text or None,
                             check=change.check, turn=scope.turn)
    supersede_older(scope, proposal)
    return proposal


def replace_planned(scope: Scope, proposal_id: int, event_id: int) -> Proposal:
    """The athlete chose "replace it": a workout proposal becomes one change to the planned
    workout on its day (its name, sport and text), and the workout proposal gives way to it."""
    proposal = load(scope.store, proposal_id)
    if proposal.kind != K.WORKOUT or proposal.status != S.PENDING:
        raise ProposalError(f"Proposal {proposal_id} is {proposal.status}; only a pending "
                            "workout can replace a planned one.")
    change = check_change(scope, event_id, K.REPLACE, None, proposal.description)
    replace = create_change(scope.store, athlete_id=scope.athlete_id,
                            conversation_id=proposal.conversation_id, event=change.event,
                            kind=K.REPLACE, description=proposal.description,
                            check=change.check, turn=proposal.turn, name=proposal.name,
                            sport=proposal.sport)
    if replace.carbs_per_hour != proposal.carbs_per_hour:   # the target the card showed
        scope.store.update_proposal(replace.id, [S.PENDING], "fuelling kept from the workout",
                                    carbs_per_hour=proposal.carbs_per_hour)
        replace = load(scope.store, replace.id)
    scope.store.transition(proposal_id, [S.PENDING], S.SUPERSEDED,
                           f"replaces event {event_id} as proposal {replace.id}",
                           superseded_by=replace.id)
    return replace


def drop_for(scope: Scope, keep_id: int, drop_id: int) -> None:
    """The athlete chose this proposal over another pending one on the same day."""
    if not scope.store.transition(drop_id, [S.PENDING], S.SUPERSEDED,
                                  f"superseded by proposal {keep_id}", superseded_by=keep_id):
        raise ProposalError(f"Proposal {drop_id} is no longer waiting; nothing to drop.")


def propose_again(scope: Scope, proposal_id: int) -> Proposal:
    """A workout that was undone, rejected or replaced, proposed again as it was (its day, if
    that is still ahead)."""
    old = load(scope.store, proposal_id)
    if old.kind != K.WORKOUT or old.status not in (S.UNDONE, S.REJECTED, S.SUPERSEDED):
        raise ProposalError(f"Proposal {proposal_id} is {old.status}; it cannot be proposed "
                            "again.")
    again = Scope(scope.store, scope.athlete_id, scope.today, old.conversation_id, None,
                  scope.availability)
    new = propose_workout(again, date.fromisoformat(old.day), old.sport, old.name,
                          old.description)
    scope.store.update_proposal(proposal_id, [old.status], f"proposed again as {new.id}",
                                superseded_by=new.id)
    return new


# --- storing and editing (sends nothing) ------------------------------------------------------

def create_proposal(store: Store, *, athlete_id: str, conversation_id: int | None, day: date,
                    sport: str, name: str, description: str, check: workout.WorkoutCheck,
                    turn: str | None = None) -> Proposal:
    """Store a validated workout as a pending proposal, with its fuelling target if any."""
    return store.create_proposal(**workout_row(
        athlete_id=athlete_id, conversation_id=conversation_id, turn=turn, day=day,
        sport=sport, name=name, description=description, duration_s=check.duration_s,
        load=check.load, carbs_per_hour=fuel_of(sport, check)))


def workout_row(*, athlete_id: str, conversation_id: int | None, turn: str | None, day: date,
                sport: str, name: str, description: str, duration_s: int,
                load: float | None, carbs_per_hour: int | None = None) -> dict[str, object]:
    """A new workout proposal's stored values: its own external_id, the name trimmed."""
    return {"athlete_id": athlete_id, "conversation_id": conversation_id, "turn": turn,
            "external_id": f"local-coach-{uuid.uuid4().hex}", "day": day.isoformat(),
            "sport": sport, "name": trim_name(name), "description": description.strip(),
            "duration_s": duration_s, "load": load, "carbs_per_hour": carbs_per_hour}


def fuel_of(sport: str, check: workout.WorkoutCheck) -> int | None:
    """Carbohydrate g/h for an endurance session over 90 minutes, or an hour or more with 20
    minutes at or above threshold (`analysis.session_fuel`); None otherwise."""
    if sport not in workout.SPORTS or not check.ok:
        return None
    at_threshold = sum(secs for zone, secs in check.zone_times.items() if zone >= 4) / 60
    return analysis.session_fuel(check.duration_s / 60, at_threshold).carbs_per_hour


def fuelling(sport: str, check: workout.WorkoutCheck) -> analysis.Fuelling | None:
    """The rule's sentence for the card (None for strength or a text that cannot be timed)."""
    if sport not in workout.SPORTS or not check.ok:
        return None
    at_threshold = sum(secs for zone, secs in check.zone_times.items() if zone >= 4) / 60
    return analysis.session_fuel(check.duration_s / 60, at_threshold)


def create_change(store: Store, *, athlete_id: str, conversation_id: int | None,
                  event: Event, kind: str, new_day: date | None = None,
                  description: str | None = None, check: workout.WorkoutCheck | None = None,
                  turn: str | None = None, name: str | None = None,
                  sport: str | None = None) -> Proposal:
    """Store a pending change to a planned workout, with the event as it is now (for undo). A
    replace may also rename it and change its sport (`name`, `sport`); its new text gets the
    carbohydrate target a new workout of that text would."""
    if kind not in CHANGE_KINDS:
        raise ProposalError(f"Unknown change {kind!r}: use move, replace or delete.")
    text = description.strip() if description else event.description or ""
    sport = sport or workout.sport_family(event.type or "") or "Ride"
    fuel = fuel_of(sport, check) if kind == K.REPLACE and check is not None else None
    return store.create_proposal(
        athlete_id=athlete_id, conversation_id=conversation_id, turn=turn, kind=kind,
        external_id=f"local-coach-change-{uuid.uuid4().hex}", target_event_id=event.id,
        before=json.dumps(event.model_dump(mode="json", exclude_none=True)),
        day=event.day, new_day=new_day.isoformat() if new_day else None,
        sport=sport, name=trim_name(name) if name else event.name or "Workout",
        description=text,
        duration_s=check.duration_s if check else int(event.moving_time or 0),
        load=check.load if check else event.icu_training_load, carbs_per_hour=fuel)


def edit_proposal(store: Store, proposal_id: int, text: str) -> workout.WorkoutCheck:
    """The athlete edited the text on the card: keep it (even if invalid) and re-check it."""
    proposal = load(store, proposal_id)
    if proposal.kind not in (K.WORKOUT, K.REPLACE):
        raise ProposalError("Only a workout's text can be edited.")
    if len(text) > workout.MAX_TEXT_CHARS:  # kept only up to a size a workout can have
        raise ProposalError(workout.oversize(text) + "; the card keeps the text it had.")
    check = check_text(store, proposal.athlete_id, proposal.sport, text,
                       proposal.duration_s // 60)
    # An edited text waits for a new Confirm: it is never resent on its own.
    values: dict[str, object] = {"description": text.strip(), "waiting": 0, "edited": 1}
    if check.ok:
        values |= {"duration_s": check.duration_s, "load": check.load}
        if proposal.carbs_per_hour == _auto_fuel(store, proposal):
            values["carbs_per_hour"] = fuel_of(proposal.sport, check)  # not one the athlete set
    if not store.update_proposal(proposal_id, EDITABLE, "text edited by user", **values):
        raise ProposalError(f"Proposal {proposal_id} is {proposal.status}; it can no longer "
                            "be edited.")
    return check


def set_fuel(store: Store, proposal_id: int, grams: int | None) -> None:
    """The athlete set the card's carbohydrate target (0 or None: no target)."""
    if grams is not None and not 0 <= grams <= analysis.MOST_CARBS:
        raise ProposalError(f"A carbohydrate target is 0 to {analysis.MOST_CARBS} g per hour, not "
                            f"{grams}.")
    if not store.update_proposal(proposal_id, EDITABLE, f"fuelling set to {grams} g/h by user",
                                 carbs_per_hour=grams or None, edited=1):
        raise ProposalError(f"Proposal {proposal_id} can no longer be changed.")


def _auto_fuel(store: Store, proposal: Proposal) -> int | None:
    """The target the product gave the proposal's current text."""
    return fuel_of(proposal.sport, check_text(store, proposal.athlete_id, proposal.sport,
                                              proposal.description, proposal.duration_s // 60))


def rename_proposal(store: Store, proposal_id: int, name: str) -> None:
    """The athlete renamed the card: the name that goes to the calendar."""
    if not name.strip():
        raise ProposalError("A workout needs a name.")
    if not store.update_proposal(proposal_id, EDITABLE, "renamed by user", name=trim_name(name),
                                 edited=1):
        raise ProposalError(f"Proposal {proposal_id} can no longer be renamed.")


def accept(store: Store, proposal_id: int, accepted: str) -> None:
    """Record what the athlete accepts with Confirm (the findings on the card), before it is
    sent; audited."""
    store.update_proposal(proposal_id, EDITABLE, f"accepted: {accepted}", accepted=accepted)


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
