"""`coach`: the parser, starting the page, syncing from the terminal and checking the setup;
the other commands are in `coach.cli.commands`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from coach.app import Coach, Settings, setup
from coach.app.setup import STREAMLIT_FLAGS
from coach.cli.commands import (
    ProgressPrinter,
    cmd_chat,
    cmd_checkin,
    cmd_eval,
    cmd_forget,
    cmd_proposals,
    cmd_review,
    cmd_workout_check,
    sync_in_terminal,
)
from coach.cli.doctor import Check, fix_model, models_report, run_checks
from coach.cli.egress import log_connections
from coach.cli.notes import add_parser as add_notes_parser
from coach.cli.notes import cmd_notes
from coach.cli.ports import port_free, port_holder
from coach.cli.season import add_parser as add_season_parser
from coach.cli.season import cmd_season
from coach.errors import CoachError


def app_path() -> Path:
    """The guarded server (ui/server.py), never the bare pages: see ui/guard.py."""
    return Path(str(resources.files("coach.ui").joinpath("server.py")))


def streamlit_argv(port: int) -> list[str]:
    own = (f"http://127.0.0.1:{port}", f"http://localhost:{port}")
    options = {**STREAMLIT_FLAGS, "server.port": str(port), "client.allowedOrigins": own}
    flags = [f"--{key}={value}" for key, values in options.items()
             for value in ((values,) if isinstance(values, str) else values)]
    return ["streamlit", "run", str(app_path()), *flags]


def cmd_run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if not port_free(args.port):
        holder = port_holder(args.port)
        held = f": {holder} is listening on it" if holder else ""
        print(f"Port {args.port} on 127.0.0.1 is busy{held}. Is Local Coach already running? "
              f"Open http://127.0.0.1:{args.port} or start with `coach --port {args.port + 1}`.",
              file=out)
        return 1
    mode = "the demo athlete (no Intervals.icu key set)" if settings.demo else "your account"
    print(f"Local Coach is starting on {mode}.\nOpen http://127.0.0.1:{args.port} in your "
          f"browser. Data: {settings.data_dir}. Press Ctrl+C to stop.", file=out, flush=True)
    from streamlit.web import cli as stcli  # imported late: it is slow and only needed here

    sys.argv = streamlit_argv(args.port)
    return int(stcli.main() or 0)


def cmd_sync(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with Coach(settings) as coach:
        return sync_in_terminal(coach, args.full, out)


def cmd_doctor(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """One line per check; a fix for every problem; exit 1 if any. `--fix` offers to download
    a missing model, then checks again."""
    checks = run_checks(settings, args.port)
    problems = _print_checks(checks, out)
    print("\n".join(models_report(settings)), file=out)
    if args.fix and fix_model(settings, checks, out, ProgressPrinter(out), yes=args.yes):
        print("Checking again:", file=out)
        problems = _print_checks(run_checks(settings, args.port), out)
    print("All good." if not problems else f"{problems} problem(s) found.", file=out)
    return 1 if problems else 0


def _print_checks(checks: list[Check], out: TextIO) -> int:
    """One line per check, with its fix; how many problems there are."""
    problems = 0
    for check in checks:
        mark = "ok  " if check.ok else ("info" if check.info else "FAIL")
        print(f"[{mark}] {check.name}: {check.detail}", file=out)
        if not check.ok and check.fix:
            print(f"       fix: {check.fix}", file=out)
        problems += 0 if check.ok or check.info else 1
    return problems


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach", description="Local Coach: a private training coach for Intervals.icu "
        "athletes, with a model running in your own Ollama. With no command, starts the page "
        "on http://127.0.0.1:8501.")
    parser.add_argument("--port", type=int, default=8501, help="port for the page "
                        "(default 8501; always bound to 127.0.0.1)")
    sub = parser.add_subparsers(dest="command")
    _page_sync_doctor(sub)
    _workouts_and_proposals(sub)
    _talk_to_the_coach(sub)
    add_notes_parser(sub)
    add_season_parser(sub)
    _forget_and_eval(sub)
    return parser


def _page_sync_doctor(sub: Any) -> None:
    run = sub.add_parser("run", help="start the page (the default)")
    run.add_argument("--port", type=int, default=8501, dest="port")
    sync = sub.add_parser("sync", help="sync your Intervals.icu history into the local database")
    sync.add_argument("--full", action="store_true", help="re-read all history, not just "
                      "what is new")
    doctor = sub.add_parser("doctor", help="check Ollama, the model, the Intervals.icu key "
                            "and the data dir, with a fix for each problem")
    doctor.add_argument("--fix", action="store_true", help="offer to download the model when "
                        "Ollama runs without it, then check again")
    doctor.add_argument("--yes", action="store_true", help="with --fix: download without asking")
    doctor.add_argument("--port", type=int, default=8501, dest="port", help="the page's port, "
                        "to check who it lets in while it runs (default 8501)")


def _workouts_and_proposals(sub: Any) -> None:
    workout = sub.add_parser("workout", help="work with Intervals.icu workout text")
    workout_sub = workout.add_subparsers(dest="workout_command", required=True)
    check = workout_sub.add_parser("check", help="validate workout text and print its "
                                   "duration, distance, load and every error with its line")
    check.add_argument("file", nargs="?", default="-", help="file with the workout text, or - "
                       "for standard input (default)")
    check.add_argument("--sport", choices=["Ride", "Run", "Swim"], default="Ride")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    proposals = sub.add_parser("proposals", help="list the coach's proposals, or confirm or "
                               "reject them by id")
    proposals.add_argument("action", nargs="?", choices=["list", "confirm", "reject"],
                           default="list")
    proposals.add_argument("ids", nargs="*", type=int, help="proposal ids (confirm, reject)")
    proposals.add_argument("--all", action="store_true", help="list every proposal, not just "
                           "those waiting")


def _talk_to_the_coach(sub: Any) -> None:
    chat = sub.add_parser("chat", help="talk to the coach in the terminal (same database "
                          "as the page)")
    chat.add_argument("--conversation", type=int, help="continue this conversation id")
    review = sub.add_parser("review", help="review a week: planned vs done, hours, load, zones, "
                            "fitness and wellness, with the coach's commentary")
    review.add_argument("--week", metavar="YYYY-Www", help="the ISO week, e.g. 2026-W48 "
                        "(default: the last full week)")
    review.add_argument("--markdown", metavar="FILE", help="also write the review as Markdown")
    review.add_argument("--pdf", metavar="FILE", help="also write the review as a PDF with its "
                        "charts")
    checkin = sub.add_parser("checkin", help="morning check-in: how you feel, today against "
                             "your normal range, and the coach's advice on today's and "
                             "tomorrow's workouts")
    checkin.add_argument("--again", action="store_true", help="check in again without asking "
                         "when you already did today (the new one takes its place)")


def _forget_and_eval(sub: Any) -> None:
    forget = sub.add_parser("forget", help="delete the local database, saved settings and "
                            "stored key")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    evaluate = sub.add_parser("eval", help="score how well a model coaches: a suite of "
                              "scenarios on the demo athlete, printed as a table")
    evaluate.add_argument("--model", help="the Ollama model to score (default: the configured "
                          "one)")
    evaluate.add_argument("--runs", type=int, default=1, help="runs per scenario (default 1)")
    evaluate.add_argument("--scenario", nargs="+", metavar="NAME", help="only these "
                          "scenarios (see --list)")
    evaluate.add_argument("--without", default="", metavar="recheck,repeats", help="switch "
                          "these safeguards off, to measure what each brings")
    evaluate.add_argument("--json", metavar="FILE", help="write the report as JSON")
    evaluate.add_argument("--markdown", metavar="FILE", help="write the report as Markdown")
    evaluate.add_argument("--compare", nargs=2, metavar=("A", "B"), help="print two saved "
                          "JSON reports side by side (runs nothing)")
    evaluate.add_argument("--list", action="store_true", help="list the scenarios")


COMMANDS = {None: cmd_run, "run": cmd_run, "sync": cmd_sync, "doctor": cmd_doctor,
            "workout": cmd_workout_check, "proposals": cmd_proposals, "forget": cmd_forget,
            "chat": cmd_chat, "checkin": cmd_checkin, "eval": cmd_eval,
            "review": cmd_review, "notes": cmd_notes, "season": cmd_season}


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if os.environ.get("COACH_CONNECTION_LOG"):
        log_connections(Path(os.environ["COACH_CONNECTION_LOG"]))
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("COACH_LOG_LEVEL", "WARNING"),
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = setup.resolve_settings()
    except CoachError as e:
        print(f"Configuration problem: {e}", file=out)
        return 1
    try:
        return COMMANDS[args.command](args, settings, out)
    except CoachError as e:  # e.g. a database that cannot be opened: a sentence, no traceback
        print(str(e), file=out)
        return 1
    except KeyboardInterrupt:  # Ctrl+C wherever a command is: it stops, as the athlete asked
        print("\nStopped.", file=out)
        return 130

