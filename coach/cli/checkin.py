"""`coach checkin`: the morning check-in in the terminal. The scales are asked one by one (Enter
keeps the value shown), the measures are compared with the athlete's own normal range, the coach
answers as in `coach chat`, and the check-in is sent to Intervals.icu only if the athlete says
yes (the default is no)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from coach import display
from coach.app import Coach, checkins
from coach.app.checkins import Checkin, CheckinStatus, Scale
from coach.errors import CoachError

Answer = Callable[[Coach, int, str, TextIO], None]  # commands.answer_in_terminal


def run_checkin(coach: Coach, out: TextIO, answer: Answer, again: bool = False) -> int:
    """Ask, compare, let the coach answer, then offer to send the check-in (default no). A
    check-in already made today (on the page or here) is shown first and kept unless the
    athlete says to check in again (or passes --again)."""
    if coach.athlete_id is None:
        print("Nothing synced yet: fix the sync above, then try again.", file=out)
        return 1
    earlier = checkins.latest(coach)
    if earlier is not None and not check_in_again(coach, earlier, again, out):
        return 0
    form = checkins.prefill(coach)
    print(f"Morning check-in, {display.day(form.day)}. This morning against your own normal "
          "range (your last 60 days):", file=out)
    for field, m in form.measures.items():
        where = f": {m.position}" if m.position in ("below", "above") else ""
        print(f"  {checkins.measure_text(field, m)}{where}", file=out)
    print("How do you feel? Intervals.icu's wellness scales, lower is better; Enter keeps the "
          "value in [brackets].", file=out)
    defaults = {**form.defaults, **(earlier.feelings if earlier else {})}
    answers = {s.field: ask_scale(s, defaults[s.field], out) for s in checkins.SCALES}
    submitted = checkins.submit(coach, answers)
    reasons = f" ({', '.join(submitted.verdict.reasons)})" if submitted.verdict.reasons else ""
    print(f"Check-in saved on this machine. It says: {submitted.verdict.level}{reasons}.",
          file=out)
    conversation_id = submitted.checkin.conversation_id
    assert conversation_id is not None
    status = coach.model_status()
    if status.ok:
        print(f"Asking the coach (conversation {conversation_id}):", file=out, flush=True)
        answer(coach, conversation_id, submitted.question, out)
    else:
        print(f"The coach cannot answer now: {status.problem}", file=out)
    return offer_to_send(coach, submitted.checkin, out, earlier)


def check_in_again(coach: Coach, earlier: Checkin, again: bool, out: TextIO) -> bool:
    """Say what today's check-in already holds; a new one only if the athlete says so."""
    print(f"You already checked in today at {_time(earlier.created_at)} (on the page or "
          f"here): {checkins.feelings_text(earlier.feelings)}. It said: {earlier.verdict}. "
          f"{_fate(coach, earlier)}", file=out)
    print("A new check-in takes its place as today's; the earlier one and its conversation "
          "are kept.", file=out)
    if again:
        return True
    print("Check in again? [y/N]: ", end="", file=out, flush=True)
    if sys.stdin.readline().strip().lower() in ("y", "yes"):
        return True
    conversation = earlier.conversation_id
    reread = f" The coach's answer to it: `coach chat --conversation {conversation}`." \
        if conversation is not None else ""
    print(f"Kept today's check-in.{reread}", file=out)
    return False


def _fate(coach: Coach, c: Checkin) -> str:
    """Where the check-in went: sent (when), not sent, or failed to send (why)."""
    if c.status == CheckinStatus.SENT:
        return f"It was sent to {_where(coach)} at {_time(c.sent_at)}."
    if c.status == CheckinStatus.FAILED:
        return f"Sending it failed ({c.error}); it stays on this machine."
    return "It was not sent: it stays on this machine."


def _time(stamp: str | None) -> str:
    """A stored UTC timestamp as the local time of day: `07:12`."""
    if not stamp:
        return "an unknown time"
    return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")


def _where(coach: Coach) -> str:
    return "the demo athlete's wellness (kept on this machine)" if coach.demo else \
        "Intervals.icu wellness"


def ask_scale(scale: Scale, default: int, out: TextIO) -> int:
    """One scale: its values in Intervals.icu's words; Enter (or the end of input) keeps the
    default; anything else is asked again."""
    choices = ", ".join(f"{v} {w}" for v, w in scale.options)
    while True:
        print(f"{scale.label} ({choices}) [{default}]: ", end="", file=out, flush=True)
        line = sys.stdin.readline()
        text = line.strip()
        if not text:
            return default
        if text.isdigit() and int(text) in scale.values:
            return int(text)
        print(f"Type one of {', '.join(str(v) for v in scale.values)}.", file=out)


def offer_to_send(coach: Coach, c: Checkin, out: TextIO, earlier: Checkin | None = None) -> int:
    """Sending is its own confirmation, never automatic: only an explicit yes sends. Answers
    sent earlier today are named first: sending writes over them."""
    where = _where(coach)
    if earlier is not None and earlier.status == CheckinStatus.SENT:
        print(f"\nSending writes over the answers sent at {_time(earlier.sent_at)} "
              f"({checkins.feelings_text(earlier.feelings)}).", end="", file=out)
    print(f"\nSend this check-in to {where} for {display.day(c.day)} "
          f"({checkins.feelings_text(c.feelings)})? [y/N]: ", end="", file=out, flush=True)
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        print("Not sent: the check-in stays on this machine.", file=out)
        return 0
    try:
        sent = checkins.send(coach, c.id)
    except CoachError as e:
        print(f"Not sent: {e}", file=out)
        return 1
    if sent.status != CheckinStatus.SENT:
        print(f"Not sent: {sent.error or sent.status}", file=out)
        return 1
    print(f"Sent to {where}.", file=out)
    return 0
