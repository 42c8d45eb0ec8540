"""SQLite, the source of truth (sqlite-utils ≥ 4; the only package that touches the database):
`schema` (numbered migrations), `history` (what sync writes), `conversations`, `proposals` (the
state machine with its audit trail) and `local` (the demo calendar, meta values)."""

from coach.store.base import now_iso
from coach.store.conversations import Conversations
from coach.store.history import History, SyncState
from coach.store.local import LocalCalendar
from coach.store.proposals import (
    EDITABLE,
    OPEN,
    TRANSITIONS,
    IllegalTransition,
    Proposal,
    ProposalKind,
    ProposalStatus,
)


class Store(History, Conversations, LocalCalendar):
    """The athlete's database: one connection; make a new Store per thread."""


__all__ = ["EDITABLE", "OPEN", "TRANSITIONS", "IllegalTransition", "Proposal", "ProposalKind",
           "ProposalStatus", "Store", "SyncState", "now_iso"]
