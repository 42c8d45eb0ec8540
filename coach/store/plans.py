"""Multi-week plans: the weekly targets as they were computed, and the plan's proposals."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from coach.store.base import Database, now_iso
from coach.store.proposals import TRANSITIONS, Proposal
from coach.store.proposals import ProposalStatus as S


@dataclass(frozen=True)
class PlanRecord:
    """A stored plan: its first Monday, the race it builds to, and one dict per week
    (monday, kind, hours, load, ramp, ctl, notes)."""

    id: int
    athlete_id: str
    conversation_id: int | None
    turn: str | None
    start: str
    race: str | None
    weeks: list[dict[str, Any]]
    created_at: str
    season: dict[str, Any] | None = None   # a season's inputs and state (None: a block plan)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PlanRecord:
        season = json.loads(row["season"]) if row.get("season") else None
        return cls(**{**row, "weeks": json.loads(row["weeks"]), "season": season})


class Plans(Database):
    """Plans and the proposals that belong to them (`plan_id`, `plan_week` on proposals)."""

    def create_plan(self, *, athlete_id: str, conversation_id: int | None, turn: str | None,
                    start: str, race: str | None, weeks: list[dict[str, Any]],
                    season: dict[str, Any] | None = None) -> int:
        return self._insert("plans", {"athlete_id": athlete_id, "conversation_id": conversation_id,
                                      "turn": turn, "start": start, "race": race,
                                      "weeks": json.dumps(weeks), "created_at": now_iso(),
                                      "season": json.dumps(season) if season else None})

    def update_season(self, plan_id: int, weeks: list[dict[str, Any]],
                      season: dict[str, Any]) -> None:
        """A season's weeks and state after re-targeting or a pause."""
        with self.db.atomic():
            self.db.execute("UPDATE plans SET weeks = ?, season = ? WHERE id = ?",
                            [json.dumps(weeks), json.dumps(season), plan_id])

    def seasons(self, athlete_id: str) -> list[PlanRecord]:
        """The athlete's seasons, newest first."""
        rows = self._all("SELECT * FROM plans WHERE athlete_id = ? AND season IS NOT NULL "
                         "ORDER BY id DESC", [athlete_id])
        return [PlanRecord.from_row(row) for row in rows]

    def add_plan_workouts(self, plan_id: int, rows: list[dict[str, Any]]) -> list[int]:
        """A plan's workouts as pending proposals, in one statement, each with its audit row
        (a plan holds a few dozen: one insert each would be the slowest part of planning)."""
        now = now_iso()
        with self.db.atomic():
            before = self.db.execute("SELECT coalesce(max(id), 0) FROM proposals").fetchone()[0]
            self.db.table("proposals").insert_all(
                [{**row, "plan_id": plan_id, "status": S.PENDING.value, "created_at": now,
                  "updated_at": now} for row in rows])
            ids = [r["id"] for r in self._all(  # a season adds weeks to its plan later
                "SELECT id FROM proposals WHERE plan_id = ? AND id > ? ORDER BY id",
                [plan_id, before])]
            self._audit_all(ids, None, S.PENDING, "proposed by the model", now)
        return ids

    def withdraw(self, proposal_ids: list[int], detail: str) -> int:
        """Reject these proposals if they are still pending (never sent); how many were."""
        assert S.REJECTED in TRANSITIONS[S.PENDING]
        marks = ",".join("?" * len(proposal_ids))
        now = now_iso()
        with self._immediate():
            pending = [r["id"] for r in self._all(
                f"SELECT id FROM proposals WHERE id IN ({marks}) AND status = ?",
                [*proposal_ids, S.PENDING.value])]
            self.db.execute(f"UPDATE proposals SET status = ?, updated_at = ? WHERE id IN "
                            f"({','.join('?' * len(pending))})",
                            [S.REJECTED.value, now, *pending])
            self._audit_all(pending, S.PENDING, S.REJECTED, detail, now)
        return len(pending)

    def _audit_all(self, ids: list[int], from_status: S | None, to: S, detail: str,
                   at: str) -> None:
        self.db.table("audit").insert_all([{"proposal_id": i, "at": at, "from_status": from_status,
                                      "to_status": to.value, "detail": detail} for i in ids])

    def plan(self, plan_id: int) -> PlanRecord | None:
        row = self._one("SELECT * FROM plans WHERE id = ?", [plan_id])
        return PlanRecord.from_row(row) if row else None

    def plan_setting_targets(self, athlete_id: str, monday: str,
                             turned_down: Iterable[S]) -> PlanRecord | None:
        """The newest of the athlete's plans with targets for the week of `monday` that still
        has a proposal not in `turned_down` (a plan the athlete said no to sets no target)."""
        gone = [S(s).value for s in turned_down]
        row = self._one(
            "SELECT * FROM plans WHERE athlete_id = ? AND weeks LIKE ? AND EXISTS ("
            " SELECT 1 FROM proposals WHERE plan_id = plans.id"
            f" AND status NOT IN ({','.join('?' * len(gone))})) ORDER BY id DESC LIMIT 1",
            [athlete_id, f'%"monday": "{monday}"%', *gone])
        return PlanRecord.from_row(row) if row else None

    def plan_proposals(self, plan_id: int) -> list[Proposal]:
        """The plan's proposals by day, whatever their status."""
        rows = self._all("SELECT * FROM proposals WHERE plan_id = ? ORDER BY day, id", [plan_id])
        return [Proposal.from_row(row) for row in rows]
