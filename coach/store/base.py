"""The connection every part of the store shares: one per Store, migrated on open."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from coach.errors import StoreError
from coach.store.schema import migrations

BUSY_TIMEOUT_S = 15.0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Database:
    """One connection per Store; make a new Store per thread (Streamlit reruns may switch)."""

    def __init__(self, path: Path | str, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = str(path)
        with store_errors(self.path):
            if self.path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=busy_timeout_s, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            if self.path != ":memory:":
                self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            migrations.apply(self.db)

    def errors(self) -> AbstractContextManager[None]:
        """Database failures inside the block become a StoreError whose message is a sentence
        (a locked or read-only database, a full disk), never a traceback."""
        return store_errors(self.path)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    @contextmanager
    def _immediate(self) -> Iterator[None]:
        """A transaction that takes the write lock before reading, so check-then-set is safe
        across processes (two tabs, two app instances)."""
        if self.db.conn.in_transaction:  # already inside a caller's transaction
            with self.db.atomic():
                yield
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.conn.execute("COMMIT")

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row; its new id."""
        inserted = self.db.table(table).insert(row)
        return int(inserted.last_pk or 0)

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _all(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _dump(model: Any) -> str:
    # pydantic's own serializer is ~5x faster than dumping a dict; its key order is stable.
    return str(model.model_dump_json(exclude_none=True))


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@contextmanager
def store_errors(path: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as e:
        raise StoreError(explain(e, path)) from e
    except OSError as e:  # the data folder itself cannot be created or written
        raise StoreError(f"Local Coach cannot use its data folder for {path} ({e.strerror}): "
                         "check that the folder exists and that you may write to it, or set "
                         "COACH_DATA_DIR to another folder.") from e


def explain(error: sqlite3.Error, path: str) -> str:
    """One sentence for a database failure, saying what to do."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return (f"The database {path} is being used by another program and stayed locked; "
                "close other Local Coach windows or commands and try again.")
    if "readonly" in text or "read-only" in text:
        return (f"The database {path} is read-only: check the permissions of the data folder, "
                "or set COACH_DATA_DIR to a folder you can write to.")
    if "disk is full" in text or "database or disk is full" in text:
        return (f"The disk holding {path} is full: free some space and try again; nothing "
                "that was already saved is lost.")
    if "unable to open" in text:
        return (f"Local Coach cannot open its database {path}: check that the data folder "
                "exists and is writable, or set COACH_DATA_DIR to another folder.")
    if "malformed" in text or "not a database" in text:
        return (f"The database {path} is damaged ({error}): move it aside and sync again to "
                "rebuild it from Intervals.icu.")
    return f"The database {path} failed ({error}); try again."
