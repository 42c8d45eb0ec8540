"""The one door the pages (`ui/`) and the commands (`coach/cli/`) use. Through it they reach the
engine; besides it they import only pure code (`coach.display`, `coach.workout`, …), and
`tests/test_architecture.py` follows their imports to check it.

- `session`: the `Coach` (settings resolved once, the store, the calendars, the model, the
  conversations, the proposals' confirm, reject, undo and edit)
- `answers`: answers running in the background, polled by the page
- `rows`: what the Fitness and History pages draw; `plan`: the Plan page's calendar and cards
- `reviews` and `checkins`: the weekly review and the morning check-in for a Coach
- `notes`: the athlete's notes (kept, waiting on a card, added and edited by hand)
- `season`: the season to the A race (made, re-targeted when opened, paused), for the Plan
  page and `coach season`
- `setup`: settings, the model server and its models, downloads, the Intervals.icu key
- `warmup`: the model reads the system prompt and tools before the first question
"""

from coach.agent.loop import (
    AgentError,
    Compacted,
    Cut,
    Revising,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnDone,
    TurnEvent,
    Usage,
    Working,
)
from coach.agent.tools import TOOLS
from coach.app import answers, checkins, notes, plan, reviews, rows, season, setup, warmup
from coach.app.session import Coach
from coach.app.setup import ModelStatus, Settings
from coach.intervals.sync import SyncHealth, SyncProgress, SyncReport
from coach.scope import Scope
from coach.store import (
    OPEN,
    Checkin,
    CheckinStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
    SyncState,
)

TOOL_NAMES = frozenset(TOOLS)  # the model's tools, by name (a page shows ours as plain words)

__all__ = ["OPEN", "TOOL_NAMES", "AgentError", "Checkin", "CheckinStatus", "Coach", "Compacted",
           "Cut", "ModelStatus", "Proposal", "ProposalKind", "ProposalStatus", "Revising", "Scope",
           "Settings", "SyncHealth", "SyncProgress", "SyncReport", "SyncState", "TextDelta",
           "ToolFinished", "ToolStarted", "TurnDone", "TurnEvent", "Usage", "Working", "answers",
           "checkins", "notes", "plan", "reviews", "rows", "season", "setup", "warmup"]
