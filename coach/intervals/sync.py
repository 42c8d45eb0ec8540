"""Copy the athlete's Intervals.icu history into the store: full (resumable) or incremental.

Required steps: the athlete record, then activities and wellness. If one fails, the sync fails
with one sentence, and everything already read is kept (a full sync resumes where it stopped).
Optional steps: the calendar window, best efforts per sport and the coach's athlete list. One
that fails becomes a warning in the report and is retried at the next sync; the sync succeeds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from coach.errors import CoachError, IntervalsError
from coach.records import Athlete, CalendarSource, Skipped
from coach.store import Store, SyncState, now_iso

log = logging.getLogger(__name__)

WINDOW_DAYS = 365        # one request per year of activities / wellness keeps a 10-year sync small
REREAD_DAYS = 14         # activities get re-analysed and edited for a while after upload
PLAN_AHEAD_DAYS = 90     # how far ahead planned events are read
EMPTY_WINDOWS_TO_STOP = 2
MAX_YEARS = 20
CURVE_SPORTS = ("Ride", "Run", "Swim")
CALENDAR, ROSTER = "calendar", "roster"
# What each optional step is called in a warning, and its verb.
STEP_NAMES = {CALENDAR: "Your calendar (planned workouts and races) was",
              ROSTER: "The list of athletes you coach was",
              **{f"curves:{s}": f"Best efforts for {s} were" for s in CURVE_SPORTS}}


@dataclass(frozen=True)
class SyncProgress:
    """One step of a sync, for a progress bar."""

    done: int
    total: int
    message: str

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


@dataclass
class SyncReport:
    athlete_id: str
    full: bool
    activities_changed: int = 0
    wellness_changed: int = 0
    events_changed: int = 0
    removed: int = 0
    unavailable: int = 0
    windows: int = 0
    curves_read: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # optional steps, skipped records

    @property
    def changed(self) -> int:
        return self.activities_changed + self.wellness_changed + self.events_changed + self.removed

    def summary(self) -> str:
        kind = "Full sync" if self.full else "Sync"
        text = (f"{kind} done in {self.seconds:.1f} s: {self.activities_changed} activities, "
                f"{self.wellness_changed} wellness days and {self.events_changed} calendar "
                "events new or updated")
        if self.removed:
            text += f", {self.removed} removed"
        if self.unavailable:
            text += (f"; {self.unavailable} Strava-imported activities are not available "
                     "through the Intervals.icu API")
        return text + "."


Progress = Callable[[SyncProgress], None]


@dataclass
class _Sync:
    source: CalendarSource
    store: Store
    today: date
    notify: Progress
    report: SyncReport
    pending: dict[str, str]


def sync_history(source: CalendarSource, store: Store, today: date | Callable[[], date], *,
                 progress: Progress | None = None, full: bool = False,
                 on_athlete: Callable[[Athlete], None] | None = None) -> SyncReport:
    """Sync athlete, history and calendar; the first run (or full=True) reads all history.
    `on_athlete` is called as soon as the athlete is known, before any history is read.
    `today` may be a function, asked once the athlete is stored: on a first sync only the
    athlete record says which time zone "today" is in (past midnight in Madrid while the
    machine's clock is still on yesterday must not leave this morning's wellness unread)."""
    started = time.monotonic()
    notify = progress or (lambda p: None)
    notify(SyncProgress(0, 1, "Reading athlete settings…"))
    athlete = source.athlete()
    store.save_athlete(athlete)
    if on_athlete is not None:
        on_athlete(athlete)
    if callable(today):
        today = today()
    state = store.sync_state(athlete.id)
    run = _Sync(source, store, today, notify, SyncReport(athlete.id, full or not state.full_done),
                store.pending_steps(athlete.id))
    try:
        _history(run, resume_from=None if full else state.full_cursor,
                 since=state.last_sync_day)
    except CoachError as e:
        store.update_sync_state(athlete.id, last_error=str(e))
        raise
    first = not state.last_sync_at
    _optional(run, CALENDAR, lambda: _calendar(run, backfill=CALENDAR in run.pending))
    for sport in CURVE_SPORTS:
        step = f"curves:{sport}"
        if run.report.activities_changed or first or step in run.pending:
            _optional(run, step, partial(_curves, run, sport))
    if run.report.full or ROSTER in run.pending:
        _optional(run, ROSTER, lambda: _roster(run))
    _skipped(run)
    store.update_sync_state(athlete.id, last_sync_at=now_iso(), last_sync_day=today.isoformat(),
                            last_error=None)
    run.report.seconds = time.monotonic() - started
    notify(SyncProgress(1, 1, run.report.summary()))
    return run.report


def _history(run: _Sync, resume_from: str | None, since: str | None) -> None:
    if run.report.full:
        _full_history(run, resume_from)
    else:
        start = date.fromisoformat(since or run.today.isoformat())
        _window(run, start - timedelta(days=REREAD_DAYS), run.today)


def _full_history(run: _Sync, resume_from: str | None) -> None:
    """Walk back in yearly windows, newest first, until history runs out; resumable."""
    athlete_id, report = run.report.athlete_id, run.report
    newest = date.fromisoformat(resume_from) - timedelta(days=1) if resume_from else run.today
    empty_in_a_row, years = 0, (run.today - newest).days // WINDOW_DAYS
    while empty_in_a_row < EMPTY_WINDOWS_TO_STOP and years < MAX_YEARS:
        oldest = newest - timedelta(days=WINDOW_DAYS - 1)
        run.notify(SyncProgress(years, years + 2,
                                f"Reading {oldest:%b %Y} – {newest:%b %Y} "
                                f"({report.activities_changed} activities so far)…"))
        found = _window(run, oldest, newest)
        empty_in_a_row = 0 if found else empty_in_a_row + 1
        # The cursor makes an interrupted full sync continue where it stopped.
        run.store.update_sync_state(athlete_id, full_cursor=oldest.isoformat())
        newest, years = oldest - timedelta(days=1), years + 1
    run.store.update_sync_state(athlete_id, full_done=1, full_cursor=None)


def _window(run: _Sync, oldest: date, newest: date) -> int:
    """Sync activities and wellness for one window; returns how many records Intervals has."""
    store, report, athlete_id = run.store, run.report, run.report.athlete_id
    activities = run.source.activities(oldest, newest)
    report.activities_changed += store.save_activities(athlete_id, activities)
    # a record left out because it did not parse keeps the copy stored earlier
    unreadable = [s.id for s in _skipped(run) if s.id]
    report.removed += store.prune("activities", athlete_id, oldest, newest,
                                  [a.id for a in activities] + unreadable)
    report.unavailable += sum(1 for a in activities if a.unavailable)
    wellness = run.source.wellness(oldest, newest)  # what was read before a failure is kept
    report.wellness_changed += store.save_wellness(athlete_id, wellness)
    _skipped(run)
    report.windows += 1
    return len(activities) + len(wellness)


def _skipped(run: _Sync) -> list[Skipped]:
    """Records left out since last asked; each is a warning in the report."""
    skipped = run.source.take_skipped()
    run.report.warnings += [s.sentence for s in skipped]
    return skipped


def _optional(run: _Sync, step: str, action: Callable[[], None]) -> None:
    """Run an optional step: a failure of any kind is a warning and a retry next time."""
    athlete_id = run.report.athlete_id
    try:
        action()
    except Exception as e:  # one secondary feature must never cost the athlete the sync
        if not isinstance(e, CoachError):
            log.exception("sync step %s failed", step)
        reason = _reason(e)
        run.store.step_failed(athlete_id, step, reason)
        run.report.warnings.append(f"{STEP_NAMES[step]} not updated: {reason}; it will be read "
                                   "again at the next sync.")
        return
    if step in run.pending:
        run.store.step_done(athlete_id, step)


def _reason(error: Exception) -> str:
    if isinstance(error, IntervalsError | CoachError):
        return str(error).split("; ")[0].rstrip(".")  # "try again…" is said by the warning
    return f"an unexpected {type(error).__name__} ({str(error)[:120]})"


def _curves(run: _Sync, sport: str) -> None:
    """Best efforts change only with new activities, so they are read only then."""
    run.store.save_curves(run.report.athlete_id, sport, run.source.curves(sport))
    run.report.curves_read = True


def _calendar(run: _Sync, backfill: bool) -> None:
    """The calendar around today; a year back on a full sync or after a failed one."""
    full = run.report.full or backfill
    oldest = run.today - timedelta(days=WINDOW_DAYS if full else REREAD_DAYS * 2)
    newest = run.today + timedelta(days=PLAN_AHEAD_DAYS)
    events = run.source.events(oldest, newest)
    athlete_id = run.report.athlete_id
    run.report.events_changed += run.store.save_events(athlete_id, events)
    unreadable = [int(s.id) for s in _skipped(run) if s.id and s.id.isdigit()]
    run.report.removed += run.store.prune("events", athlete_id, oldest, newest,
                                          [e.id for e in events] + unreadable)


def _roster(run: _Sync) -> None:
    """The athletes this key can see (a coach's key sees several), for the switcher."""
    run.store.save_roster([(a.id, a.name) for a in run.source.athletes()])


@dataclass(frozen=True)
class SyncHealth:
    """What is missing after the last syncs (sentences) and the last error, if any."""

    missing: list[str]
    last_error: str | None

    @property
    def ok(self) -> bool:
        return not self.missing and self.last_error is None


def history_gap(state: SyncState) -> str:
    if state.full_cursor:
        since = date.fromisoformat(state.full_cursor)
        return (f"Your history is only partly loaded: activities and wellness before "
                f"{since.day} {since:%b %Y} are not here yet; they are read at the next sync.")
    return "Your history has not been loaded yet; it is read at the next sync."
