"""What `coach` prints reads like a terminal's text, never Markdown source or a raw value: the
review's figures and tables, the coach's answers and tool lines in chat and check-in, sync's
last line once, a check-in made earlier today kept unless the athlete says otherwise, and
Ctrl+C that stops a command without a traceback."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.cli import main as cli
from coach.cli.terminal import render, shorten
from coach.testing.coach_script import coach as coach_script
from coach.testing.intervals_fake import API_KEY
from coach.testing.ollama_server import FakeOllama, Reply
from coach.testing.raw_values import raw_values_on_page

MARKDOWN = [("bold", re.compile(r"\*\*\S|__\w")), ("a heading", re.compile(r"(?m)^#{1,6} ")),
            ("a table row", re.compile(r"(?m)^\s*\|.*\|\s*$")),
            ("a table rule", re.compile(r"\|\s*:?-{3,}")),
            ("a link", re.compile(r"\]\(")), ("a code fence", re.compile(r"```"))]
INTERNAL_IDS = re.compile(r"\[(?:id|event) [^\]]*\]|\(event \d+\)|\bi\d{6,}\b|event_id=")


def terminal_problems(text: str) -> list[str]:
    """Markdown source, raw values (None, nan, a long float, a traceback …) and Intervals.icu's
    ids in what a command printed."""
    found = [f"{name}: {m.group()!r}" for name, pattern in MARKDOWN
             for m in pattern.finditer(text)]
    found += [f"an internal id: {m.group()!r}" for m in INTERNAL_IDS.finditer(text)]
    return found + raw_values_on_page(text)


def run(*argv: str, stdin: str = "") -> tuple[int, str]:
    sys.stdin = io.StringIO(stdin)
    out = io.StringIO()
    try:
        code = cli.main(list(argv), out=out)
    finally:
        sys.stdin = sys.__stdin__
    return code, out.getvalue()


@pytest.fixture
def coach_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    with FakeOllama(script=coach_script) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        yield fake


# --- the raw-value check, one per command -----------------------------------------------------

def test_the_check_finds_markdown_raw_values_and_ids():
    assert terminal_problems("Hours 7h26m | Done: ride, load 80") == []
    shown = "\n".join(terminal_problems(
        "## Week\n**Hours:** 1\n| a | b |\n|---|---|\nload None [id i150099490] 0.123456"))
    for expected in ("bold", "a heading", "a table row", "a table rule", "internal id", "None",
                     "4+ decimals"):
        assert expected in shown, expected


def test_review_prints_terminal_text_with_aligned_columns(coach_model):
    code, out = run("review", "--week", "2026-W48")
    assert code == 0, out
    assert terminal_problems(out) == [], out
    header = next(line for line in out.splitlines() if line.startswith("Day "))
    assert header.split() == ["Day", "Planned", "Done"]
    rows = [line for line in out.splitlines()
            if re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d", line)]
    assert len(rows) == 7
    planned_at = header.index("Planned")
    assert all(row[planned_at - 2:planned_at] == "  " for row in rows)   # one column, aligned
    assert "Hours: " in out and "The coach's commentary:" in out


def tool_lines() -> list[str]:
    """Each tool result's line that `coach chat` shows (the second; line 0 is "Today is …"),
    whole, as stored."""
    from coach.app import Coach, setup
    from coach.messages import Role

    with Coach(setup.resolve_settings()) as coach:
        results = [m.content for c in coach.conversations() for m in coach.messages(c.id)
                   if m.role == Role.TOOL]
    return [" ".join((r.splitlines()[1] if "\n" in r else r).split()) for r in results]


def test_chat_prints_terminal_text_and_tool_lines_cut_at_a_word(coach_model):
    code, out = run("chat", stdin="How was my last week?\nPlease plan a workout\n\n")
    assert code == 0, out
    assert terminal_problems(out) == [], out
    assert "I proposed Threshold 3x8 for you." in out
    shown = [line.split("] ", 1)[1] for line in out.splitlines() if line.startswith("  [tool ")]
    whole = tool_lines()
    assert len(shown) >= 4 and len(shown) == len(whole)
    cut = 0
    for line, full in zip(shown, whole, strict=True):
        if line != full:                    # cut: before a space of the whole line, marked
            kept = line.removesuffix(" …")
            assert line.endswith(" …") and full.startswith(kept) and \
                full[len(kept)] == " ", (line, full)
            cut += 1
    assert cut >= 2   # the summary's and the proposal's lines are longer than 110


def test_checkin_prints_terminal_text(coach_model):
    code, out = run("checkin", stdin="\n" * 5 + "n\n")
    assert code == 0, out
    assert terminal_problems(out) == [], out
    assert "[tool propose_change(action='replace')]" in out


def test_sync_proposals_notes_season_and_doctor_print_terminal_text(coach_model):
    code, out = run("sync")
    assert code == 0 and terminal_problems(out) == [], out
    run("chat", stdin="Please plan a workout\n\n")
    for argv in (["proposals"], ["proposals", "confirm", "1"], ["proposals", "--all"],
                 ["notes", "add", "Left knee sore: no running"], ["notes"], ["season"],
                 ["doctor"]):
        code, out = run(*argv)
        assert code == 0 or argv == ["doctor"], (argv, out)
        assert terminal_problems(out) == [], (argv, out)


def test_a_confirmed_proposal_is_said_without_its_calendar_id(coach_model):
    run("chat", stdin="Please plan a workout\n\n")
    code, out = run("proposals", "confirm", "1")
    assert code == 0 and out.strip() == "Proposal 1: published", out


# --- each fix ---------------------------------------------------------------------------------

def test_markdown_becomes_terminal_text():
    shown = render("## Week 48\n\n- **Hours:** 7h26m, *easy*, see [the docs](https://x.org)\n\n"
                   "| Day | Done |\n|---|---|\n| Mon 23 Nov | rest |\n"
                   "| Tue 24 Nov | Ride **done** |")
    assert shown.splitlines() == [
        "Week 48", "=======", "", "- Hours: 7h26m, easy, see the docs (https://x.org)", "",
        "Day         Done", "----------  ---------", "Mon 23 Nov  rest", "Tue 24 Nov  Ride done"]


def test_a_long_text_is_cut_at_a_sentence_or_a_word_with_a_marker():
    result = ('Proposal 1 saved for 2026-12-07 (Mon): Ride "Threshold 3x8", 56m, estimated load '
              '55. It is NOT on the calendar until the athlete confirms it on its card.')
    assert shorten(result, 110) == ('Proposal 1 saved for 2026-12-07 (Mon): Ride "Threshold '
                                    '3x8", 56m, estimated load 55. …')
    assert shorten("Fitness (CTL, 42-day load average), fatigue and form, in Intervals.icu "
                   "load units", 60) == "Fitness (CTL, 42-day load average), fatigue and form, in …"
    assert shorten("short enough", 60) == "short enough"
    assert shorten("Long run [id i150099490] (event planned for Sunday) (event 91000063)", 80) \
        == "Long run (event planned for Sunday)"


def test_a_streamed_answer_keeps_bold_across_chunks(monkeypatch):
    from coach.cli.terminal import StreamedText

    out = io.StringIO()
    text = StreamedText(out)
    for chunk in ["I proposed **Thre", "shold 3x8** for ", "you.\n| a | b |\n|--", "-|---|\n",
                  "| 1 | 2 |\nDone"]:
        text.feed(chunk)
    assert text.finish()
    assert out.getvalue() == "I proposed Threshold 3x8 for you.\na  b\n-  -\n1  2\nDone\n"


def test_sync_prints_its_last_line_once():
    code, out = run("sync")
    assert code == 0 and out.count("Full sync done") == 1, out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_sync_on_a_terminal_prints_its_summary_whole_and_once():
    out = Terminal()
    assert cli.main(["sync"], out=out) == 0
    shown = out.getvalue().split("\r")[-1]
    assert shown.count("Full sync done") == 1 and "Strava-imported activities are not " \
        "available through the Intervals.icu API." in shown, shown
    assert out.getvalue().count("Full sync done") == 1


def test_checkin_shows_todays_check_in_and_keeps_it_unless_asked(coach_model, data_dir):
    code, first = run("checkin", stdin="3\n" + "\n" * 4 + "n\n")    # sleep quality 3 Avg
    assert code == 0 and "You already checked in" not in first
    code, out = run("checkin", stdin="\n")                            # Enter: keep it
    assert code == 0
    assert re.search(r"You already checked in today at \d\d:\d\d \(on the page or here\): "
                     r"sleep quality 3 Avg, soreness 1 Low", out), out
    assert "It was not sent" in out and "Kept today's check-in." in out
    assert "Morning check-in," not in out                            # nothing asked, nothing saved
    code, out = run("checkin", stdin="y\n" + "\n" * 5 + "n\n")        # yes: again
    assert "A new check-in takes its place as today's" in out and "Morning check-in," in out
    assert "Sleep quality (1 Excellent, 2 Good, 3 Avg, 4 Poor) [3]" in out   # its answers kept
    code, out = run("checkin", "--again", stdin="\n" * 5 + "n\n")
    assert "Check in again?" not in out and "Morning check-in," in out


# --- Ctrl+C -----------------------------------------------------------------------------------

def interrupted(argv: list[str], started: str, env: dict[str, str], stdin: int | None = None,
                ) -> tuple[int, str]:
    """`coach ARGV` in a real process, sent SIGINT once `started` shows on its stderr or stdout;
    its exit code and all it printed."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))}
    # A terminal delivers Ctrl+C; a test run started in the background may have SIGINT
    # ignored, and the child would inherit that: give it the default disposition.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen([sys.executable, "-m", "coach.cli", *argv],
                                   env={**clean, **env, "PYTHONUNBUFFERED": "1"},
                                   stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    finally:
        signal.signal(signal.SIGINT, inherited)
    seen: list[str] = []
    try:
        while not any(started in line for line in seen):
            line = process.stdout.readline() if process.stdout else ""
            assert line, "".join(seen)
            seen.append(line)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, "".join(seen) + rest


def test_ctrl_c_in_a_long_eval_stops_without_a_traceback(tmp_path: Path):
    slow = [Reply(content="Thinking about it…", delay_s=120)] * 4
    with FakeOllama(script=slow) as fake:
        code, out = interrupted(["eval", "--scenario", "last-week", "hrv"], "last-week",
                                {"OLLAMA_HOST": fake.url, "COACH_DATA_DIR": str(tmp_path)})
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
    assert "Stopped: 0 of 2 scenarios were done" in out and code == 130, out


def test_ctrl_c_at_the_chat_prompt_ends_the_chat_without_a_traceback(tmp_path: Path):
    read, write = os.pipe()   # the athlete has not typed anything yet
    try:
        with FakeOllama(script=coach_script) as fake:
            code, out = interrupted(["chat"], "Ask about your training",
                                    {"OLLAMA_HOST": fake.url,
                                     "COACH_DATA_DIR": str(tmp_path)}, stdin=read)
    finally:
        os.close(read)
        os.close(write)
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
    assert code == 130, out


def test_sync_of_an_account_keeps_raw_values_out(monkeypatch):
    from coach.testing.athletes import sparse_account

    with sparse_account().serve() as served:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        code, out = run("sync")
        assert code == 0 and terminal_problems(out) == [], out
        code, out = run("review")
        assert terminal_problems(out) == [], out
