"""Figures 1, 2 and 8: a full sync over real HTTP, an incremental sync, and the store's size."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks.athlete import CountingFake, fresh_copy, keep_out_of_gc
from coach.intervals.client import IntervalsClient
from coach.intervals.sync import sync_history
from coach.store import Store
from coach.testing.intervals_fake import API_KEY, FakeIntervals

RATE_LIMIT_PER_S = 10  # Intervals.icu's limit, enforced by the fake with 429 + Retry-After
RETRY_AFTER_S = 1.0    # what the fake's 429 asks the client to wait


@dataclass(frozen=True)
class SyncRun:
    """What one run of a sync measured."""

    requests: int
    seconds: float
    rate_limited: int       # requests answered 429 (each costs the Retry-After wait)
    server_seconds: float   # inside the fake server, its per-request latency included

    @property
    def client_seconds(self) -> float:
        """Our share: the wall time less the server's and the Retry-After waits (1 s each)."""
        return max(0.0, self.seconds - self.server_seconds - self.rate_limited * RETRY_AFTER_S)


@dataclass(frozen=True)
class SyncPair:
    full: SyncRun
    incremental: SyncRun
    store_mb: float


def sync_pair(template: FakeIntervals, db_path: Path, today: date, latency_s: float) -> SyncPair:
    """A full sync into a fresh store, its size, then an incremental sync with nothing new."""
    fake = fresh_copy(template)
    keep_out_of_gc()
    fake.latency_s, fake.rate_limit_per_s = latency_s, RATE_LIMIT_PER_S
    with fake.serve() as server:
        full = timed_sync(fake, server.url, db_path, today)
        size = store_mb(db_path)
        # A later sync, not one in the same second: let the rate-limit window empty first.
        time.sleep(1.0)
        incremental = timed_sync(fake, server.url, db_path, today)
    return SyncPair(full, incremental, size)


def timed_sync(fake: CountingFake, url: str, db_path: Path, today: date) -> SyncRun:
    """One sync through the real client (real sleeps on Retry-After) into the store."""
    store = Store(db_path)
    refused_before, server_before = fake.rate_limited, fake.server_seconds
    try:
        started = time.perf_counter()
        with IntervalsClient(url, API_KEY) as client:
            sync_history(client, store, today)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    return SyncRun(client.requests_sent, seconds, fake.rate_limited - refused_before,
                   fake.server_seconds - server_before)


def store_mb(db_path: Path) -> float:
    """The database with its write-ahead log, after a checkpoint, in MB (10^6 bytes)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6
