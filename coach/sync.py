"""Copy the athlete's Intervals.icu history into the store: full (resumable) or incremental."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from coach.errors import IntervalsError
from coach.records import CalendarSource
from coach.store import Store, now_iso

WINDOW_DAYS = 365        # one request per year of activities / wellness keeps a 10-year sync small
REREAD_DAYS = 14         # activities get re-analysed and edited for a while after upload
PLAN_AHEAD_DAYS = 90     # how far ahead planned events are read
EMPTY_WINDOWS_TO_STOP = 2
MAX_YEARS = 20
CURVE_SPORTS = ("Ride", "Run", "Swim")


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


def sync_history(source: CalendarSource, store: Store, today: date, *,
                 progress: Progress | None = None, full: bool = False) -> SyncReport:
    """Sync athlete, history and calendar; the first run (or full=True) reads all history."""
    started = time.monotonic()
    notify = progress or (lambda p: None)
    notify(SyncProgress(0, 1, "Reading athlete settings…"))
    athlete = source.athlete()
    store.save_athlete(athlete)
    state = store.sync_state(athlete.id)
    report = SyncReport(athlete.id, full=full or not state.full_done)
    try:
        if report.full:
            _full_history(source, store, athlete.id, today, report, notify,
                          resume_from=None if full else state.full_cursor)
        else:
            since = date.fromisoformat(state.last_sync_day or today.isoformat())
            _window(source, store, athlete.id, since - timedelta(days=REREAD_DAYS), today,
                    report)
        _calendar(source, store, athlete.id, today, report)
        if report.activities_changed or not state.last_sync_at:
            _curves(source, store, athlete.id, report)
    except IntervalsError as e:
        store.update_sync_state(athlete.id, last_error=str(e))
        raise
    store.update_sync_state(athlete.id, last_sync_at=now_iso(), last_sync_day=today.isoformat(),
                            last_error=None)
    report.seconds = time.monotonic() - started
    notify(SyncProgress(1, 1, report.summary()))
    return report


def _full_history(source: CalendarSource, store: Store, athlete_id: str, today: date,
                  report: SyncReport, notify: Progress, resume_from: str | None) -> None:
    """Walk back in yearly windows, newest first, until history runs out; resumable."""
    newest = date.fromisoformat(resume_from) - timedelta(days=1) if resume_from else today
    empty_in_a_row, years = 0, (today - newest).days // WINDOW_DAYS
    while empty_in_a_row < EMPTY_WINDOWS_TO_STOP and years < MAX_YEARS:
        oldest = newest - timedelta(days=WINDOW_DAYS - 1)
        notify(SyncProgress(years, years + 2,
                            f"Reading {oldest:%b %Y} – {newest:%b %Y} "
                            f"({report.activities_changed} activities so far)…"))
        found = _window(source, store, athlete_id, oldest, newest, report)
        empty_in_a_row = 0 if found else empty_in_a_row + 1
        # The cursor makes an interrupted full sync continue where it stopped.
        store.update_sync_state(athlete_id, full_cursor=oldest.isoformat())
        newest, years = oldest - timedelta(days=1), years + 1
    store.update_sync_state(athlete_id, full_done=1, full_cursor=None)


def _window(source: CalendarSource, store: Store, athlete_id: str, oldest: date, newest: date,
            report: SyncReport) -> int:
    """Sync activities and wellness for one window; returns how many records Intervals has."""
    activities = source.activities(oldest, newest)
    wellness = source.wellness(oldest, newest)
    report.windows += 1
    report.activities_changed += store.save_activities(athlete_id, activities)
    report.wellness_changed += store.save_wellness(athlete_id, wellness)
    report.removed += store.prune("activities", athlete_id, oldest, newest,
                                  [a.id for a in activities])
    report.unavailable += sum(1 for a in activities if a.unavailable)
    return len(activities) + len(wellness)


def _curves(source: CalendarSource, store: Store, athlete_id: str, report: SyncReport) -> None:
    """Best efforts change only with new activities, so they are read only then."""
    for sport in CURVE_SPORTS:
        store.save_curves(athlete_id, sport, source.curves(sport))
    report.curves_read = True


def _calendar(source: CalendarSource, store: Store, athlete_id: str, today: date,
              report: SyncReport) -> None:
    oldest = today - timedelta(days=WINDOW_DAYS if report.full else REREAD_DAYS * 2)
    newest = today + timedelta(days=PLAN_AHEAD_DAYS)
    events = source.events(oldest, newest)
    report.events_changed += store.save_events(athlete_id, events)
    report.removed += store.prune("events", athlete_id, oldest, newest, [e.id for e in events])
