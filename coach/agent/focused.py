"""One more try when the model managed no answer in the whole conversation: a short request of
its own (no tools, no history) that hands the model only the athlete's message and what the
product read or drafted for it, and asks for a few sentences. Small models that echo notes or
write calls in a 2,000-token context often write a plain answer from a 300-token one. The reply
is judged as any other; junk again leaves the product's own honest fallback."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from string import Template

from coach import language
from coach.agent.fallback import drafted_digest, facts_digest
from coach.agent.textcalls import (
    copies_tool_notes,
    echoes_instructions,
    echoes_notes,
    not_an_answer,
    only_names,
    read_calls,
    without_thinking,
)
from coach.messages import Message, Role
from coach.scope import Scope

DRAFTS_TASK = ("Say what the coach drafted for them (the day, the sport, how long) and why it "
               "suits them.{fuel} The drafts are not on the calendar: each waits for the "
               "athlete to press Confirm on its card.")
FUEL_TASK = " Give the carbohydrate per hour set for a long session."
FACTS_TASK = "Give the figures that answer them and say in a sentence what they mean."
DRAFTED = "What the coach drafted (not on the calendar until the athlete confirms):"
READ = "What the coach read from the training log:"
MAX_DRAFT_LINES = 8
CARBS = "g carbohydrate per hour"   # in a draft's line when it has a target (fallback.py)


def focused_request(question: str, facts: Sequence[str], scope: Scope,
                    ask: str = "") -> list[Message]:
    """The system prompt and the athlete's message with the facts; [] when there are none.
    With `ask` (the product decided to ask back or decline, e.g. no race is known), that is
    the task, facts or not."""
    drafted = _drafted(scope)
    read = facts_digest(list(facts)) if facts else ""
    if not (drafted or read or ask):
        return []
    parts = [question.strip()]
    if drafted:
        parts += [DRAFTED, drafted]
    if read:
        parts += [READ, read]
    prompt = Template(resources.files("coach.prompts").joinpath("focused.md").read_text(
        encoding="utf-8")).safe_substitute(
        weekday=scope.today.strftime("%A"), today=scope.today.isoformat(),
        language=language.NAMES[language.guess(question)],
        task=_drafts_task(drafted) if drafted else ask or FACTS_TASK)
    return [Message(Role.SYSTEM, prompt), Message(Role.USER, "\n\n".join(parts))]


def usable(reply: str, prompt: str, notes: Sequence[str], names: Sequence[str],
           tools: Sequence[str]) -> str:
    """The reply as the athlete may read it, or "" when it is junk again (the short request's
    prompt or the turn's notes said back included)."""
    text = without_thinking(reply).strip()
    if not text or not_an_answer(text) or read_calls(text, tools).found or \
            echoes_instructions(text, prompt) or echoes_notes(text, [prompt, *notes]) or \
            only_names(text, names) or copies_tool_notes(text):
        return ""
    return text


def _drafts_task(drafted: str) -> str:
    """The task, asking for the fuelling only when a draft has a target (asked of every draft,
    the real 0.5B wrote that an hour's ride's carbohydrate 'is not specified')."""
    return DRAFTS_TASK.format(fuel=FUEL_TASK if CARBS in drafted else "")


def _drafted(scope: Scope) -> str:
    lines = drafted_digest(scope).splitlines()
    if len(lines) > MAX_DRAFT_LINES:
        lines = [*lines[:MAX_DRAFT_LINES], f"- and {len(lines) - MAX_DRAFT_LINES} more"]
    return "\n".join(lines)
