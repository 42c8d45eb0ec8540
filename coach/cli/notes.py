"""`coach notes`: the athlete's notes in the terminal. List them (and those waiting to be kept),
add one, delete one, pin it, or keep or dismiss one the coach proposed in `coach chat`. The
same notes as the Settings page; they never leave this machine."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any, TextIO

from coach import display
from coach.app import Coach, Settings, notes
from coach.app.notes import NoteKind, NoteRecord
from coach.cli.commands import on_synced_athlete


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("notes", help="the notes the coach keeps in mind: list, add, "
                            "delete, pin, or keep / dismiss one the coach proposed")
    parser.add_argument("action", nargs="?", default="list",
                        choices=["list", "add", "delete", "pin", "unpin", "keep", "dismiss"])
    parser.add_argument("words", nargs="*", help="add: the note's text; the others: its id")
    parser.add_argument("--kind", choices=[k.value for k in NoteKind], help="add: goal, race, "
                        "injury, preference or constraint (default: guessed from the words)")
    parser.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="add: since when it holds")
    parser.add_argument("--pin", action="store_true", help="add: pinned (always read first)")


def cmd_notes(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    return on_synced_athlete(settings, out, lambda coach: _act(coach, args, out),
                             " (notes belong to an athlete)")


def _act(coach: Coach, args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "list":
        return _list(coach, out)
    if args.action == "add":
        text = " ".join(args.words).strip()
        kind = NoteKind(args.kind) if args.kind else notes.guess_kind(text)
        made = notes.add(coach, kind, text, args.since, args.pin)
        print(f"Kept note {made.id}: {_line(made, coach.today())}", file=out)
        return 0
    ids = _ids(args.words)
    if not ids:
        print(f"Say which note: `coach notes {args.action} ID` (ids from `coach notes`).",
              file=out)
        return 1
    for note_id in ids:
        print(_one(coach, args.action, note_id), file=out)
    return 0


def _one(coach: Coach, action: str, note_id: int) -> str:
    if action == "delete":
        notes.delete(coach, note_id)
        return f"Deleted note {note_id} from this machine."
    if action in ("pin", "unpin"):
        note = notes.pin(coach, note_id, action == "pin")
        return f"{'Pinned' if note.pinned else 'Unpinned'} note {note_id}."
    if action == "keep":
        note = notes.keep(coach, note_id)
        return f"Kept note {note_id}: {_line(note, coach.today())}"
    notes.dismiss(coach, note_id)
    return f"Dismissed note {note_id}: nothing was kept."


def _list(coach: Coach, out: TextIO) -> int:
    today = coach.today()
    kept, waiting = notes.kept(coach), notes.waiting(coach)
    for note in kept:
        print(f"{note.id:>4}  {_line(note, today)}", file=out)
    if not kept:
        print("No notes yet. Add one: coach notes add \"Left knee sore: no running\" "
              "--kind injury", file=out)
    if waiting:
        print("\nProposed in a conversation, waiting for you (keep with `coach notes keep ID`, "
              "or `coach notes dismiss ID`):", file=out)
        for note in waiting:
            print(f"{note.id:>4}  {_line(note, today)}", file=out)
    return 0


def _line(note: NoteRecord, today: date) -> str:
    pin = "pinned " if note.pinned else ""
    since = f" since {display.day(note.since, today)}" if note.since else ""
    return f"{pin}{note.kind}{since}: {' '.join(note.text.split())}"


def _ids(words: list[str]) -> list[int]:
    return [int(w) for w in words if w.isdigit()]
