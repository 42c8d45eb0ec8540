"""Proposals and their one state machine: every status change goes through `transition`, which
checks it against TRANSITIONS, takes the write lock first and writes the audit trail."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from coach.store.base import Database, now_iso


class ProposalStatus(StrEnum):
    """Where a proposal is on its way to the calendar (stored as its value)."""

    PENDING = "pending"          # waiting for the athlete's decision; nothing sent
    REJECTED = "rejected"        # the athlete said no; nothing was sent (or it was taken back)
    PUBLISHING = "publishing"    # claimed by one process that is writing it now
    PUBLISHED = "published"      # on the calendar
    FAILED = "failed"            # the write failed; retryable, maybe waiting for a connection
    UNDOING = "undoing"          # claimed by one process that is taking it back
    UNDONE = "undone"            # taken off the calendar again (or the change reverted)
    SUPERSEDED = "superseded"    # a newer proposal of the same session took its place; not sent


class ProposalKind(StrEnum):
    WORKOUT = "workout"   # a new workout
    MOVE = "move"         # changes to a planned workout that is already on the calendar
    REPLACE = "replace"
    DELETE = "delete"


S = ProposalStatus
# Every status change there is. Claiming (→ publishing / undoing) may take over a claim whose
# process died, hence publishing → publishing and undoing → undoing.
TRANSITIONS: dict[ProposalStatus, frozenset[ProposalStatus]] = {
    S.PENDING: frozenset({S.REJECTED, S.PUBLISHING, S.SUPERSEDED}),
    S.FAILED: frozenset({S.REJECTED, S.PUBLISHING}),
    S.PUBLISHING: frozenset({S.PUBLISHED, S.FAILED, S.REJECTED, S.PUBLISHING}),
    S.PUBLISHED: frozenset({S.UNDOING}),
    S.UNDOING: frozenset({S.UNDONE, S.PUBLISHED, S.UNDOING}),
    S.REJECTED: frozenset(),
    S.UNDONE: frozenset(),
    S.SUPERSEDED: frozenset(),
}
EDITABLE = (S.PENDING, S.FAILED)  # the athlete may still change the text
OPEN = (S.PENDING, S.FAILED, S.PUBLISHING, S.PUBLISHED)  # shown on the Plan page


class IllegalTransition(ValueError):
    """A status change that the state machine does not have (a programming error)."""


@dataclass(frozen=True)
class Proposal:
    id: int
    athlete_id: str
    conversation_id: int | None
    external_id: str
    day: str
    sport: str
    name: str
    description: str
    duration_s: int
    load: float | None
    status: ProposalStatus
    event_id: int | None
    error: str | None
    created_at: str
    updated_at: str
    claim: str | None = None
    claimed_at: str | None = None
    kind: ProposalKind = ProposalKind.WORKOUT
    target_event_id: int | None = None
    before: str | None = None
    new_day: str | None = None
    turn: str | None = None
    verify_note: str | None = None
    waiting: int = 0
    plan_id: int | None = None     # a multi-week plan's workout: its plan and week (Monday)
    plan_week: str | None = None
    superseded_by: int | None = None  # the proposal that took its place
    accepted: str | None = None       # what the athlete accepted on Confirm (the findings)
    edited: int = 0                   # the athlete changed its text or name on the card
    carbs_per_hour: int | None = None  # the fuelling target sent with the event (g/h)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Proposal:
        return cls(**{**row, "status": ProposalStatus(row["status"]),
                      "kind": ProposalKind(row.get("kind") or "workout")})

    @property
    def before_event(self) -> dict[str, Any] | None:
        return json.loads(self.before) if self.before else None

    @property
    def is_change(self) -> bool:
        return self.kind != ProposalKind.WORKOUT


class Proposals(Database):
    """Pending, published and undone proposals with their audit trail."""

    def create_proposal(self, **values: Any) -> Proposal:
        now = now_iso()
        row = {**values, "status": S.PENDING.value, "created_at": now, "updated_at": now}
        with self.db.atomic():
            pid = self._insert("proposals", row)
            self._audit(pid, None, S.PENDING, "proposed by the model")
        proposal = self.proposal(pid)
        assert proposal is not None
        return proposal

    def proposal(self, proposal_id: int) -> Proposal | None:
        row = self._one("SELECT * FROM proposals WHERE id = ?", [proposal_id])
        return Proposal.from_row(row) if row else None

    def proposals(self, *, conversation_id: int | None = None, athlete_id: str | None = None,
                  statuses: Iterable[ProposalStatus] = ()) -> list[Proposal]:
        sql, params = "SELECT * FROM proposals WHERE 1 = 1", list[Any]()
        if conversation_id is not None:
            sql, params = sql + " AND conversation_id = ?", [*params, conversation_id]
        if athlete_id is not None:
            sql, params = sql + " AND athlete_id = ?", [*params, athlete_id]
        wanted = [ProposalStatus(s).value for s in statuses]
        if wanted:
            sql += f" AND status IN ({','.join('?' * len(wanted))})"
            params.extend(wanted)
        return [Proposal.from_row(row) for row in self._all(sql + " ORDER BY id", params)]

    def transition(self, proposal_id: int, allowed_from: Iterable[ProposalStatus],
                   to: ProposalStatus, detail: str = "", *, holding: str | None = None,
                   **values: Any) -> bool:
        """Move a proposal to `to` only if it is in one of `allowed_from` (and, with `holding`,
        only if that claim is still ours); audited, atomic. A change the state machine does not
        have raises IllegalTransition."""
        allowed = [ProposalStatus(s) for s in allowed_from]
        to = ProposalStatus(to)
        for status in allowed:
            if to not in TRANSITIONS[status]:
                raise IllegalTransition(f"a proposal cannot go from {status} to {to}")
        with self._immediate():
            row = self._one("SELECT status, claim FROM proposals WHERE id = ?", [proposal_id])
            if row is None or row["status"] not in allowed:
                return False
            if holding is not None and row["claim"] != holding:
                return False
            changes = {**values, "status": to.value, "updated_at": now_iso()}
            self._set(proposal_id, changes)
            self._audit(proposal_id, row["status"], to, detail)
        return True

    def update_proposal(self, proposal_id: int, allowed: Iterable[ProposalStatus], detail: str,
                        **values: Any) -> bool:
        """Change a proposal's fields (not its status) if its status allows; audited."""
        if "status" in values:
            raise IllegalTransition("use transition() to change a proposal's status")
        wanted = [ProposalStatus(s) for s in allowed]
        with self._immediate():
            row = self._one("SELECT status FROM proposals WHERE id = ?", [proposal_id])
            if row is None or row["status"] not in wanted:
                return False
            self._set(proposal_id, {**values, "updated_at": now_iso()})
            self._audit(proposal_id, row["status"], row["status"], detail)
        return True

    def audit_trail(self, proposal_id: int) -> list[dict[str, Any]]:
        return self._all("SELECT * FROM audit WHERE proposal_id = ? ORDER BY id", [proposal_id])

    def _set(self, proposal_id: int, changes: dict[str, Any]) -> None:
        sets = ", ".join(f"[{k}] = ?" for k in changes)
        self.db.execute(f"UPDATE proposals SET {sets} WHERE id = ?",
                        [*changes.values(), proposal_id])

    def _audit(self, proposal_id: int, from_status: str | None, to: str, detail: str) -> None:
        self.db.table("audit").insert({"proposal_id": proposal_id, "at": now_iso(),
                                 "from_status": from_status, "to_status": str(to),
                                 "detail": detail})
