"""What `coach` does in the terminal besides starting the page: sync with a progress bar,
check workout text, list and act on proposals, chat, check in, review a week, evaluate a model,
forget. Each command takes the parsed arguments, the settings and where to print."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from coach import display, workout
from coach.app import (
    AgentError,
    Coach,
    Proposal,
    ProposalStatus,
    Revising,
    Settings,
    SyncProgress,
    TextDelta,
    ToolFinished,
    TurnDone,
    TurnEvent,
    Working,
    reviews,
    setup,
)
from coach.app.reviews import Commentary, StoredReview
from coach.cli.checkin import run_checkin
from coach.cli.terminal import StreamedText, render, shorten, width_of
from coach.errors import CoachError
from coach.eval import runner
from coach.workout import WorkoutCheck


def on_synced_athlete(settings: Settings, out: TextIO, act: Callable[[Coach], int],
                      why: str = "") -> int:
    """`act` on the synced athlete; before any sync, or when it fails, one sentence and 1."""
    with Coach(settings) as coach:
        if coach.athlete_id is None:
            print(f"Nothing synced yet: run `coach sync` first{why}.", file=out)
            return 1
        try:
            return act(coach)
        except CoachError as e:
            print(str(e), file=out)
            return 1


def sync_in_terminal(coach: Coach, full: bool, out: TextIO) -> int:
    """Sync with a progress bar; 0 when the required parts worked, each optional part that
    did not is one warning line."""
    printer = ProgressPrinter(out)
    if coach.demo:
        print("No Intervals.icu key set: syncing the demo athlete.", file=out)
    try:
        report = coach.sync(progress=printer, full=full)
    except CoachError as e:
        printer.finish()
        print(f"Sync failed: {e}", file=out)
        return 1
    printer.finish()
    if printer.last != report.summary():  # the bar's last line is the summary, most often
        print(report.summary(), file=out)
    for warning in report.warnings:
        print(f"Warning: {warning}", file=out)
    return 0


def cmd_workout_check(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Validate workout text with the athlete's own sport settings; exit 0 when it is ok."""
    try:
        text = _read_at_most(args.file, workout.MAX_TEXT_CHARS + 1)
    except OSError as e:
        print(f"Cannot read {args.file}: {e.strerror}.", file=out)
        return 1
    if workout.oversize(text):  # refused at once, before anything is parsed or opened
        print(f"Error: {workout.oversize(text)}.", file=out)
        return 1
    with Coach(settings) as coach:
        athlete = coach.athlete()
        # Without synced sport settings, skip the checks that need them rather than fail them.
        thresholds = coach.thresholds(args.sport) if athlete else None
    result = workout.check(text, args.sport, thresholds)
    if args.json:
        print(json.dumps(_check_json(result)), file=out)
    else:
        _print_check(result, args.sport, athlete is not None, out)
    return 0 if result.ok else 1


def _read_at_most(name: str | None, chars: int) -> str:
    """The workout text from a file or standard input, never more than `chars` of it."""
    if name in (None, "-"):
        return sys.stdin.read(chars)
    with open(name, encoding="utf-8", errors="replace") as source:
        return source.read(chars)


def _check_json(result: WorkoutCheck) -> dict[str, Any]:
    return {"ok": result.ok, "duration_s": result.duration_s, "distance_m": result.distance_m,
            "load": None if result.load is None else round(result.load, 1),
            "errors": [{"line": i.line, "message": i.message} for i in result.errors],
            "warnings": [{"line": i.line, "message": i.message} for i in result.warnings]}


def _print_check(result: WorkoutCheck, sport: str, have_settings: bool, out: TextIO) -> None:
    parts = [f"{sport}, {display.duration(result.duration_s)}"]
    if result.distance_m:
        parts.append(display.km(result.distance_m))
    parts.append(f"estimated load {display.load(result.load)}" if result.load is not None
                 else "load unknown" + ("" if have_settings else " (sync to use your "
                                                                  "sport settings)"))
    print(("OK: " if result.ok else "NOT OK: ") + ", ".join(parts), file=out)
    for issue in result.errors:
        print(f"error   line {issue.line}: {issue.message}", file=out)
    for issue in result.warnings:
        print(f"warning line {issue.line}: {issue.message}", file=out)


def cmd_proposals(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """List proposals, or confirm / reject them, from the terminal (same database)."""
    with Coach(settings) as coach:
        if args.action in ("confirm", "reject"):
            return _act_on(coach, args.action, args.ids, out)
        wanted = () if args.all else (ProposalStatus.PENDING, ProposalStatus.FAILED,
                                      ProposalStatus.PUBLISHING)
        shown = coach.proposals(wanted)
        for p in shown:
            error = f"  ({p.error})" if p.error and p.status == ProposalStatus.FAILED else ""
            print(f"{p.id:>5}  {p.status:<10} {display.day(p.day, coach.today()):<11} "
                  f"{p.kind:<8} {p.sport:<5} {display.duration(p.duration_s):>6}  "
                  f"{p.name}{error}", file=out)
            for finding in coach.findings(p):
                print(f"       ! {finding.message}", file=out)
        if not shown:
            print("No proposals waiting for you." if not args.all else "No proposals yet.",
                  file=out)
    return 0


def _confirm(coach: Coach, pid: int, out: TextIO) -> Proposal:
    """Confirm from the terminal: the week check's findings are said first and recorded as
    accepted, as Confirm anyway on the card does."""
    proposal = coach.proposal(pid)
    found = coach.findings(proposal) if proposal else []
    for finding in found:
        print(f"Proposal {pid}: {finding.message}", file=out)
    accepted = "; ".join(dict.fromkeys(f.accept for f in found if f.accept))
    return coach.confirm(pid, accepted)


def _act_on(coach: Coach, action: str, ids: list[int], out: TextIO) -> int:
    failed = 0
    for pid in ids:
        try:
            p = _confirm(coach, pid, out) if action == "confirm" else coach.reject(pid)
        except CoachError as e:
            print(f"Proposal {pid}: {e}", file=out)
            failed += 1
            continue
        detail = f": {p.error}" if p.status == ProposalStatus.FAILED else ""
        print(f"Proposal {pid}: {p.status}{detail}", file=out)
        failed += p.status == ProposalStatus.FAILED
    return 1 if failed else 0


def cmd_forget(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Delete the local database, saved settings and the stored key, after a confirmation."""
    if not args.yes:
        print(f"This deletes your synced history, conversations, proposals, notes, saved "
              f"settings and stored API key from {settings.data_dir}.\nType forget to go on: ",
              end="", file=out, flush=True)
        if sys.stdin.readline().strip().lower() != "forget":
            print("Nothing was deleted.", file=out)
            return 1
    forgotten = setup.forget_everything(settings)
    deleted = forgotten.deleted
    print("Deleted: " + ", ".join(deleted) + "." if deleted else "There was nothing to delete.",
          file=out)
    for problem in forgotten.problems:
        print(f"Not deleted: {problem}", file=out)
    if settings.api_key_source == "env":
        print("The key in COACH_INTERVALS_API_KEY is not stored by Local Coach; unset it "
              "yourself.", file=out)
    return 1 if forgotten.problems else 0


def cmd_chat(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The same coach in the terminal: streamed answers, tool calls shown, proposals listed."""
    with Coach(settings) as coach:
        if coach.needs_first_sync():
            sync_in_terminal(coach, False, out)
        if coach.athlete_id is None:
            print("Nothing synced yet: fix the sync above, then try again.", file=out)
            return 1
        status = coach.model_status()
        if not status.ok:
            print(status.problem, file=out)
            return 1
        conversation = args.conversation or coach.new_conversation()
        print(f"Local Coach ({coach.settings.model}), conversation {conversation}. Ask about "
              "your training; an empty line or Ctrl+D ends. Proposals are confirmed with "
              "`coach proposals confirm ID`.", file=out, flush=True)
        while True:
            print("\n> ", end="", file=out, flush=True)
            question = sys.stdin.readline()
            if not question.strip():
                return 0
            answer_in_terminal(coach, conversation, question, out)


def answer_in_terminal(coach: Coach, conversation: int, question: str, out: TextIO) -> None:
    """The coach's answer as terminal text as it streams, each tool call on its own line."""
    working, text = WorkingLine(out), StreamedText(out)

    def show(event: TurnEvent) -> None:
        if isinstance(event, Working):
            working.show(event)
            return
        working.clear()
        if isinstance(event, TextDelta):
            text.feed(event.text)
            return
        if not isinstance(event, (ToolFinished, AgentError, Revising, TurnDone)):
            return
        ended = text.finish()
        lead = "" if ended else "\n"
        if isinstance(event, ToolFinished):
            _print_tool(coach, event, lead, out)
        elif isinstance(event, AgentError):
            print(f"{lead}{event.message}", file=out)
        elif isinstance(event, Revising):
            print(f"{lead}  [checking figures not found in your data: {event.figures}]",
                  file=out)
        elif isinstance(event, TurnDone):
            # an honest sentence in place of an answer was not streamed: say it now
            if event.fallback:
                print(f"{lead}{render(event.text, text.width)}", file=out)
            elif not ended:
                print(file=out)
            if event.grounding:
                print(f"  [{event.grounding}]", file=out)

    stop = threading.Event()
    try:
        coach.ask(conversation, question, show, stop=stop)
    except KeyboardInterrupt:  # Ctrl+C ends this answer, not the chat
        stop.set()
        print("\n(stopped)", file=out)


def _print_tool(coach: Coach, event: ToolFinished, lead: str, out: TextIO) -> None:
    """`[tool name(arguments)] its first line`, each cut at a word with "…"; the proposal or
    note it made, with the command that keeps it."""
    lines = event.result.splitlines()
    first = lines[1] if len(lines) > 1 else event.result  # line 0 is "Today is …"
    shown = ", ".join(f"{k}={v!r}" for k, v in event.arguments.items()
                      if k != "description" and not k.endswith("_id"))
    print(f"{lead}  [tool {event.name}({shorten(shown, 100)})] {shorten(first, 110)}",
          file=out)
    if event.proposal_id is not None and (p := coach.proposal(event.proposal_id)):
        print(f"  Proposal {p.id}: {p.sport} {p.name!r} on {p.day} — confirm with "
              f"`coach proposals confirm {p.id}`", file=out)
    if event.note_id is not None:
        print(f"  Note {event.note_id} waits for you: keep it with `coach notes keep "
              f"{event.note_id}` (or dismiss it)", file=out)


def cmd_checkin(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The morning check-in in the terminal; the coach answers as in `coach chat`."""
    with Coach(settings) as coach:
        if coach.needs_first_sync():
            sync_in_terminal(coach, False, out)
        return run_checkin(coach, out, answer_in_terminal, args.again)


def cmd_eval(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Score how well a model coaches (scenarios on the demo athlete), or compare two reports."""
    if args.compare:
        return runner.print_comparison(args.compare[0], args.compare[1], out)
    if args.list:
        return runner.print_scenarios(out)
    options = runner.Options(model=args.model, runs=args.runs, names=args.scenario,
                             without=args.without, json_path=args.json,
                             markdown_path=args.markdown)
    return runner.evaluate(settings, options, out, progress=sys.stderr)


def cmd_review(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Review a week: its figures, then the coach's commentary with its grounding line; the
    figures do not depend on the model, so without one the review is still made (exit 0)."""
    with Coach(settings) as coach:
        if coach.needs_first_sync():
            sync_in_terminal(coach, False, out)
        made = reviews.start_review(coach, args.week)
        print(render(made.section, width_of(out)), file=out)
        # a week before the synced history: the section says so, there is nothing to comment on
        comment = None if made.facts.get("no_data") else _review_commentary(coach, made, out)
    return _export_review(made, comment, args, out)


def _review_commentary(coach: Coach, made: StoredReview, out: TextIO) -> Commentary | None:
    print("\nThe coach's commentary:", file=out)
    status = coach.model_status()
    if not status.ok:
        print(f"The commentary needs the model. {status.problem} The figures above do not "
              "depend on it.", file=out)
        return None
    errors: list[str] = []
    reviews.comment(coach, made, lambda e: errors.append(e.message)
                    if isinstance(e, AgentError) else None)
    comment = reviews.commentary(coach, made)
    if comment is None:
        print(errors[-1] if errors else "The coach gave no commentary.", file=out)
        return None
    print(render(comment.text, width_of(out)), file=out)
    if comment.grounding:
        print(f"  [{comment.grounding}]", file=out)
    return comment


def _export_review(made: StoredReview, comment: Commentary | None, args: argparse.Namespace,
                   out: TextIO) -> int:

    files = ((args.markdown, lambda: reviews.markdown(made, comment).encode()),
             (args.pdf, lambda: reviews.pdf(made, comment)))
    for path, make in files:
        if not path:
            continue
        try:
            Path(path).write_bytes(make())
        except OSError as e:
            print(f"Cannot write {path}: {e.strerror}.", file=out)
            return 1
        print(f"Wrote {path}", file=out)
    return 0


class WorkingLine:
    """While the model writes what cannot be shown yet: "[working: 48 tokens, 6 s]", redrawn
    in place on a terminal and cleared when text comes; elsewhere a line every 64 tokens."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.tty, self.drawn = out, out.isatty(), 0

    def show(self, event: Working) -> None:
        line = f"  [working: {event.tokens} tokens, {event.seconds:.0f} s]"
        if self.tty:
            self.out.write("\r" + line.ljust(self.drawn))
            self.drawn = len(line)
        elif event.tokens % 64 == 0:
            print(line, file=self.out)
        self.out.flush()

    def clear(self) -> None:
        if self.drawn:
            self.out.write("\r" + " " * self.drawn + "\r")
            self.drawn = 0


class ProgressPrinter:
    def __init__(self, out: TextIO) -> None:
        self.out, self.tty, self.last = out, out.isatty(), ""

    def __call__(self, progress: SyncProgress) -> None:
        filled = int(progress.fraction * 20)
        line = f"[{'#' * filled}{'.' * (20 - filled)}] {progress.fraction:4.0%} {progress.message}"
        if self.tty:
            # the last line is written whole: nothing draws over it, so it may wrap
            shown = line if progress.fraction >= 1 else line[:110]
            self.out.write("\r" + shown.ljust(110))
            self.out.flush()
        elif progress.message != self.last:
            print(line, file=self.out, flush=True)
        self.last = progress.message

    def finish(self) -> None:
        if self.tty and self.last:
            self.out.write("\n")
