"""SQLite, the source of truth (sqlite-utils ≥ 4; the only package that touches the database):
`schema` (numbered migrations), `history` (what sync writes), `conversations`, `proposals` (the
state machine with its audit trail), `local` (the demo calendar, meta values) and `checkins`
(morning check-ins and whether they were sent to Intervals.icu); `plans` keeps the weekly
targets of multi-week plans and seasons; `reviews` the weekly reviews; `notes` the athlete's
notes (never sent anywhere)."""

from coach.store.base import now_iso
from coach.store.checkins import Checkin, Checkins, CheckinStatus
from coach.store.conversations import Conversations
from coach.store.history import History, SyncState
from coach.store.local import LocalCalendar
from coach.store.notes import NoteRecord, Notes, NoteStatus
from coach.store.plans import PlanRecord, Plans
from coach.store.proposals import (
    EDITABLE,
    OPEN,
    TRANSITIONS,
    IllegalTransition,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from coach.store.reviews import Reviews


class Store(History, Conversations, LocalCalendar, Checkins, Reviews, Plans, Notes):
    """The athlete's database: one connection; make a new Store per thread."""


__all__ = ["EDITABLE", "OPEN", "TRANSITIONS", "Checkin", "CheckinStatus", "IllegalTransition",
           "NoteRecord", "NoteStatus", "PlanRecord", "Proposal", "ProposalKind", "ProposalStatus",
           "Store", "SyncState", "now_iso"]
