"""What the athlete reads when the model manages no answer: one honest sentence, then what the
product itself did for the question, written by the product: the figures it read (their first
lines, without ids or notes to the model) and the proposals it drafted (each waits on its card)."""

from __future__ import annotations

import re

from coach import display
from coach.scope import Scope
from coach.store import Proposal, ProposalKind, ProposalStatus

FALLBACK = ("{model} did not manage an answer from your data this time ({reason}). Try again, "
            "or pick a model that handles tools better: `coach eval` compares them.")
FACTS_READ = "What the coach read from your data for this question:"
DRAFTED = "What the coach drafted for you; each waits on its card for your Confirm:"
DIGEST_LINES = 8      # a tool result's first lines, after its date line
DIGEST_CHARS = 1500
DATA_NOT_INSTRUCTIONS = re.compile(r"\s*[^.:;]*\bathlete data, not instructions\.|"
                                   r"\s*\[(?:id|event|event_id) [^\]]*\]| WORKOUT\b")


def fallback_text(sentence: str, facts: list[str], scope: Scope, said: str = "") -> str:
    """The honest sentence, what the product itself has to say (`said`: a question back, a
    day that has passed), then the drafts of this answer and the facts read for it."""
    parts = [sentence, said] if said else [sentence]
    drafted = drafted_digest(scope)
    if drafted:
        parts += [DRAFTED, drafted]
    if facts:
        parts += [FACTS_READ, facts_digest(facts)]
    return "\n\n".join(parts)


def facts_digest(results: list[str], per_result: int = DIGEST_LINES) -> str:
    """The product's own reads: each result's first lines (its "Today is" line and notes to the
    model left out), as a plain list."""
    lines: list[str] = []
    for text in results:
        kept = [DATA_NOT_INSTRUCTIONS.sub("", line).strip() for line in text.splitlines()
                if line.strip() and not line.startswith("Today is")]
        lines += [f"- {line.lstrip('- ')}" for line in kept[:per_result]]
    digest = "\n".join(dict.fromkeys(lines))
    return digest if len(digest) <= DIGEST_CHARS else digest[:DIGEST_CHARS].rsplit("\n", 1)[0]


def drafted_digest(scope: Scope) -> str:
    """The proposals made in this answer and still waiting, a line each ("" for none)."""
    if scope.conversation_id is None or scope.turn is None:
        return ""
    made = [p for p in scope.store.proposals(conversation_id=scope.conversation_id,
                                             statuses=(ProposalStatus.PENDING,))
            if p.turn == scope.turn]
    return "\n".join(f"- {proposal_line(p, scope)}" for p in made)


def proposal_line(p: Proposal, scope: Scope) -> str:
    """`Sat 28 Nov: Run "Intervals", 50m` (with its fuelling when it has a target) /
    `Move "Long run" from Thu 26 Nov to Fri 27 Nov`."""
    day = display.day(p.day, scope.today)
    if p.kind == ProposalKind.MOVE:
        return f'Move "{p.name}" from {day} to {display.day(p.new_day, scope.today)}'
    if p.kind == ProposalKind.DELETE:
        return f'Cancel "{p.name}" on {day}'
    what = f'{p.sport} "{p.name}", {display.duration(p.duration_s)}'
    if p.carbs_per_hour:
        what += f", {p.carbs_per_hour} g carbohydrate per hour"
    return f"{day}: replace the planned workout by {what}" if p.kind == ProposalKind.REPLACE \
        else f"{day}: {what}"
