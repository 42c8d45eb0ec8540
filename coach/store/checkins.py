"""Morning check-ins, kept on this machine; sent to Intervals.icu wellness only after their own
Confirm, and then at most once (a claim taken under the write lock, like a proposal's)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from coach.store.base import Database, now_iso


class CheckinStatus(StrEnum):
    """Where a check-in is on its (optional) way to Intervals.icu wellness."""

    LOCAL = "local"        # saved here only; nothing sent
    SENDING = "sending"    # claimed by one process that is writing it now
    SENT = "sent"          # written to that day's Intervals.icu wellness
    FAILED = "failed"      # the write failed; Retry sends it again


@dataclass(frozen=True)
class Checkin:
    id: int
    athlete_id: str
    day: str
    feelings: dict[str, int]             # Intervals.icu wellness field -> value in its scale
    measured: dict[str, dict[str, Any]]  # hrv / restingHR / sleep: value, normal band, day
    verdict: str
    reasons: tuple[str, ...]
    conversation_id: int | None
    status: CheckinStatus
    created_at: str
    claim: str | None = None
    claimed_at: str | None = None
    sent_at: str | None = None
    error: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Checkin:
        values = {k: v for k, v in row.items() if k != "updated_at"}
        return cls(**{**values, "feelings": json.loads(row["feelings"]),
                      "measured": json.loads(row["measured"] or "{}"),
                      "reasons": tuple(json.loads(row["reasons"] or "[]")),
                      "status": CheckinStatus(row["status"])})


class Checkins(Database):
    """The athlete's check-ins, newest last; each one's send state."""

    def save_checkin(self, *, athlete_id: str, day: str, feelings: dict[str, int],
                     measured: dict[str, Any], verdict: str, reasons: Iterable[str],
                     conversation_id: int | None = None) -> Checkin:
        now = now_iso()
        with self.db.atomic():
            checkin_id = self._insert("checkins", {
                "athlete_id": athlete_id, "day": day, "feelings": json.dumps(feelings),
                "measured": json.dumps(measured), "verdict": verdict,
                "reasons": json.dumps(list(reasons)), "conversation_id": conversation_id,
                "status": CheckinStatus.LOCAL.value, "created_at": now, "updated_at": now})
        found = self.checkin(checkin_id)
        assert found is not None
        return found

    def checkin(self, checkin_id: int) -> Checkin | None:
        row = self._one("SELECT * FROM checkins WHERE id = ?", [checkin_id])
        return Checkin.from_row(row) if row else None

    def checkins(self, athlete_id: str, day: str | None = None) -> list[Checkin]:
        """The athlete's check-ins (of one day, if given), oldest first."""
        sql, params = "SELECT * FROM checkins WHERE athlete_id = ?", [athlete_id]
        if day is not None:
            sql, params = sql + " AND day = ?", [*params, day]
        return [Checkin.from_row(r) for r in self._all(sql + " ORDER BY id", params)]

    def claim_checkin(self, checkin_id: int, token: str, take_over: bool = False) -> bool:
        """Take the check-in for sending: only from local or failed (or from a dead process's
        sending claim, with `take_over`); False when another window holds it or it was sent."""
        allowed = [CheckinStatus.LOCAL, CheckinStatus.FAILED]
        allowed += [CheckinStatus.SENDING] if take_over else []
        with self._immediate():
            row = self._one("SELECT status FROM checkins WHERE id = ?", [checkin_id])
            if row is None or row["status"] not in allowed:
                return False
            self._set_checkin(checkin_id, status=CheckinStatus.SENDING.value, claim=token,
                              claimed_at=now_iso(), error=None)
        return True

    def release_checkin(self, checkin_id: int, token: str, to: CheckinStatus,
                        error: str | None = None) -> bool:
        """End a send we hold the claim of: sent (with the time) or failed (with why)."""
        with self._immediate():
            row = self._one("SELECT claim FROM checkins WHERE id = ?", [checkin_id])
            if row is None or row["claim"] != token:
                return False
            sent_at = now_iso() if to == CheckinStatus.SENT else None
            self._set_checkin(checkin_id, status=CheckinStatus(to).value, claim=None,
                              error=error, **({"sent_at": sent_at} if sent_at else {}))
        return True

    def _set_checkin(self, checkin_id: int, **changes: Any) -> None:
        changes["updated_at"] = now_iso()
        sets = ", ".join(f"[{k}] = ?" for k in changes)
        self.db.execute(f"UPDATE checkins SET {sets} WHERE id = ?",
                        [*changes.values(), checkin_id])
