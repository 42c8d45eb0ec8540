"""Grading one scenario run (pure: no I/O). From the agent's events, what the model sent back
before the agent judged it, the stored messages and the proposals: named scores 0..1 (None when
a score does not apply to the scenario) and raw figures."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from statistics import mean
from typing import Any

from coach.agent.loop import (
    INVALID_TEXT,
    AgentError,
    Cut,
    Revising,
    ToolFinished,
    TurnEvent,
    Usage,
)
from coach.agent.textcalls import (
    copies_tool_notes,
    echoes_instructions,
    echoes_notes,
    only_json,
    read_calls,
)
from coach.agent.tools import TOOLS
from coach.analysis import MAX_RAMP
from coach.eval.scenarios import Plan, Scenario, days_of
from coach.grounding import Grounding, check_answer
from coach.language import word_counts
from coach.messages import AnswerMeta, Message, Role

SCORES: dict[str, str] = {
    "tools": "the expected tool was called (any of those that fit), no tool when none is "
             "needed, and no forbidden one (an injected order, a proposal before asking)",
    "arguments": "share of tools whose first call in a turn had valid arguments",
    "workouts_first": "share of proposed workouts whose text was valid at the first try",
    "workouts_fixed": "share of proposed workouts valid after the fix loop (2 fixes allowed)",
    "grounding": "share of the answer's figures found in the data the turn saw, and on the "
                 "day it names (a ride's figures told of another day are not grounded)",
    "not_scheduled": "the answer never says a proposal is already scheduled (when one was made)",
    "limits": "share of the plan's limits met: how many proposals, each one within its own "
              "(day, rest days, sport, the workout changed and where it moves), total hours",
    "question": "asks the athlete back (a question, nothing proposed) when it must",
    "answer": "a real answer: not empty, not the fallback sentence, no error, no call syntax, "
              "not the question, the instructions or a proposal's tool result echoed, on the "
              "question's topic; for a data question, stating a figure found in the data",
    "mentions": "the answer says what it must (4 for 2+2, that the swims have no heart rate, "
                "the best 20 minutes' power)",
    "language": "the answer is in the athlete's language",
    "format": "share of the model's replies that were clean: no tool call written as text, "
              "no <think> in the content, not empty, not bare JSON, no echoed instructions, "
              "not an answer given before any of the tools it needed was called",
    "repeats": "share of tool calls that were not an identical repeat within the turn",
    "fits": "share of the final proposals that fit the athlete's week as the scenario asks "
            "(no clash with a planned workout, the check-in, a day off, the race week, the "
            "athlete's notes; one proposal per session); 0 when nothing was proposed",
    "season": "a season to the A race was made: its weeks to the race, phases in order (base, "
              "build, peak, taper), a taper before the race week, the CTL ramp kept every week",
    "fuel": "share of the long sessions proposed (over 90 minutes) that carry a carbohydrate "
            "target; 0 when none that long was proposed",
}
TASK = ("tools", "answer", "limits", "question", "mentions", "language", "fits", "season",
        "fuel")
RAW_CHARS = 4000  # of each raw reply kept in the report
PHASES = ("base", "build", "peak", "taper", "return")
LONG_S = 90 * 60
_INVALID = ("Error: invalid arguments", 'Error: tool "', "Error: arguments for")
_SCHEDULED = re.compile(
    r"\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|now\s+|already\s+)?(?:scheduled|added|put|booked|"
    r"placed)\b[^.!?\n]{0,50}\b(?:calendar|schedule)\b"
    r"|\b(?:is|are|has been|have been)\s+(?:now\s+|already\s+)?(?:scheduled|booked|on your "
    r"calendar|in your calendar|added to your calendar)\b"
    r"|\b(?:has|have|'ve)\s+(?:now\s+|already\s+)?confirmed\b", re.I)
_CONDITION = re.compile(r"\bnot\b|n't\b|\bnothing\b|\buntil\b|\bonce you\b|\bwhen you\b|"
                        r"\bafter you\b|\bif you\b|\bconfirm(?:s|ing)?\b", re.I)


@dataclass(frozen=True)
class RawReply:
    """What the model sent for one request, before the agent judged it."""

    content: str
    calls: int            # structured tool calls
    tools_offered: bool


@dataclass(frozen=True)
class Turn:
    events: tuple[TurnEvent, ...]
    replies: tuple[RawReply, ...]
    wall_s: float


@dataclass(frozen=True)
class Proposed:
    """A proposal as the grader needs it (from the store's Proposal)."""

    id: int
    kind: str
    day: str
    sport: str
    duration_s: int
    new_day: str | None = None
    status: str = "pending"
    findings: tuple[str, ...] = ()   # the week check's concerns, as the card shows them
    carbs_per_hour: int | None = None


@dataclass(frozen=True)
class SeasonMade:
    """A season the run made, as the grader needs it (from the store's plan record)."""

    race: str
    phases: tuple[str, ...]
    ramps: tuple[float, ...]


@dataclass(frozen=True)
class Run:
    scenario: Scenario
    today: date
    turns: tuple[Turn, ...]
    messages: tuple[Message, ...]
    proposals: tuple[Proposed, ...]
    instructions: tuple[str, ...] = ()   # the system prompts the model was sent
    seasons: tuple[SeasonMade, ...] = ()
    notes: tuple[str, ...] = ()          # the product's notes and hints within its turns


@dataclass(frozen=True)
class Graded:
    scenario: str
    scores: dict[str, float | None]
    figures: dict[str, Any]
    answer: str

    @property
    def total(self) -> float:
        return total_of(self.scores)


def total_of(scores: dict[str, float | None]) -> float:
    """Whether the job was done (the lowest TASK score that applies) times how cleanly (the
    mean of the others): a wrong tool or no answer is 0 however clean; invented figures, junk
    replies or repeated calls pull a right answer down."""
    task = [v for k, v in scores.items() if k in TASK and v is not None]
    manner = [v for k, v in scores.items() if k not in TASK and v is not None]
    return (min(task) if task else 1.0) * (mean(manner) if manner else 1.0)


def grade(run: Run) -> Graded:
    expect = run.scenario.expect
    last = _finished(run.turns[-1])
    answer, meta = final_answer(run.messages)
    answer = model_part(answer, meta)
    fallback = meta.fallback
    errors = [e.message for e in run.turns[-1].events if isinstance(e, AgentError)]
    made = [p for p in run.proposals if p.id in {e.proposal_id for e in last}]
    real = bool(answer.strip()) and not fallback
    misplaced = misplaced_figures(answer, _seen_last_turn(run.messages), run.today) \
        if real else []
    scores: dict[str, float | None] = {
        "tools": tools_score(run.scenario, [e.name for e in last]),
        "arguments": arguments_score(run.turns),
        **workouts_scores(run.turns),
        "grounding": grounding_ratio(meta, len(misplaced)) if real else None,
        "not_scheduled": None if not real or not made else
        0.0 if claims_scheduled(answer) else 1.0,
        "limits": limits_score(expect.plan, made, run.today) if expect.plan else None,
        "question": (1.0 if real and "?" in answer and not made else 0.0)
        if expect.question else None,
        "answer": 1.0 if real and not errors and clean_text(answer) and not echoes(
            answer, run.scenario.asks[-1], run.instructions, run.notes) and on_topic(
            answer, expect.about) and (not expect.figures or states_data(meta)) else 0.0,
        "mentions": (1.0 if any(m in answer.lower() for m in expect.mentions) else 0.0)
        if expect.mentions else None,
        "language": language_score(answer, expect.language) if real else None,
        "format": format_score(run.turns, expect.tools),
        "repeats": repeats_score(run.turns),
        "fits": fits_score(expect.fits, run.proposals) if expect.fits else None,
        "season": season_score(expect.season, run.seasons) if expect.season else None,
        "fuel": fuel_score(run.proposals) if expect.fuel else None,
    }
    figures = {**run_figures(run.turns, meta), "proposals": len(made), "errors": errors,
               "fallback": fallback, "focused": meta.focused, "figures_misplaced": misplaced,
               "added_by_product": meta.added is not None}
    return Graded(run.scenario.name, scores, figures, answer)


# --- the scores ------------------------------------------------------------------------------

def tools_score(scenario: Scenario, called: list[str]) -> float:
    expect = scenario.expect
    if expect.no_tool:
        return 0.0 if called else 1.0
    if set(called) & set(expect.forbidden):
        return 0.0
    return 1.0 if not expect.tools or set(called) & set(expect.tools) else 0.0


def invalid_arguments(e: ToolFinished) -> bool:
    """Rejected before running: unknown tool, not a JSON object, a wrong type or value."""
    return e.result.startswith(_INVALID) or e.result.startswith(f"Error: {e.name} failed: ")


def arguments_score(turns: tuple[Turn, ...]) -> float | None:
    """Of each tool's first call in each turn: the share with valid arguments."""
    firsts: list[bool] = []
    for turn in turns:
        seen: set[str] = set()
        for e in _finished(turn):
            if e.name not in seen:
                seen.add(e.name)
                firsts.append(not invalid_arguments(e))
    return sum(firsts) / len(firsts) if firsts else None


def workout_tries(turns: tuple[Turn, ...]) -> tuple[int, int, int]:
    """(valid at once, valid after fixes, never valid): tries at the same day and sport (or
    the same planned workout) in one turn are one workout."""
    first = fixed = failed = 0
    for turn in turns:
        tries: dict[str, list[bool]] = {}
        for e in _finished(turn):
            key = _workout_key(e)
            if key and (e.proposal_id is not None or INVALID_TEXT in e.result):
                tries.setdefault(key, []).append(e.proposal_id is not None)
        for results in tries.values():
            first += results[0]
            fixed += not results[0] and any(results)
            failed += not any(results)
    return first, fixed, failed


def _workout_key(e: ToolFinished) -> str:
    a = e.arguments
    if e.name == "propose_workout":
        return f"{a.get('date')}|{a.get('sport')}"
    if e.name == "propose_change" and a.get("action") == "replace":
        return f"event {a.get('event_id')}"
    return ""


def workouts_scores(turns: tuple[Turn, ...]) -> dict[str, float | None]:
    first, fixed, failed = workout_tries(turns)
    n = first + fixed + failed
    return {"workouts_first": first / n if n else None,
            "workouts_fixed": (first + fixed) / n if n else None}


def states_data(meta: AnswerMeta) -> bool:
    """The answer states at least one figure found in the data (a date alone is none): a
    data question answered without one was not answered from the data."""
    return _grounding(meta).states_data


def grounding_ratio(meta: AnswerMeta, misplaced: int = 0) -> float:
    """Share of the answer's figures found, and on their day (1 when it states none)."""
    grounding = _grounding(meta)
    n = len(grounding.figures)
    return max(0, n - len(grounding.missing) - misplaced) / n if n else 1.0


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|rsday|urday)?\b",
                      re.I)
_ISO = re.compile(r"\b\d{4}-\d\d-\d\d\b")
_ROW = re.compile(r"^(\d{4}-\d\d-\d\d) (Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")  # a dated row


def misplaced_figures(answer: str, seen: list[str], today: date) -> list[str]:
    """Figures told of one day that belong to another: in a sentence naming one day (a
    weekday or a date), a figure the rows of that day do not give but another day's do
    ("43.2 km, load 80" of Tuesday's ride, told of Thursday)."""
    rows = [line for text in seen for line in text.splitlines() if _ROW.match(line)]
    found: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", answer):
        days = _days_named(sentence)
        if len(days) != 1:
            continue
        day = next(iter(days))
        own = [r for r in rows if _row_day(r) & {day}]
        others = [r for r in rows if not _row_day(r) & {day}]
        if not own or not others:
            continue
        here = check_answer(sentence, own, today).figures
        there = {(f.start, f.end) for f in check_answer(sentence, others, today).figures
                 if f.found}
        found += [f.text for f in here if not f.found and f.kind != "date" and
                  (f.start, f.end) in there]
    return found


def _days_named(sentence: str) -> set[str]:
    return ({m.group(1).lower()[:3] for m in _WEEKDAY.finditer(sentence)} |
            set(_ISO.findall(sentence)))


def _row_day(row: str) -> set[str]:
    m = _ROW.match(row)
    return {m.group(1), m.group(2).lower()} if m else set()


def _seen_last_turn(messages: tuple[Message, ...]) -> list[str]:
    users = [i for i, m in enumerate(messages) if m.role == Role.USER]
    start = users[-1] if users else 0
    return [m.content for m in messages[start:] if m.role in (Role.USER, Role.TOOL)]


def echoes(answer: str, question: str, instructions: tuple[str, ...] = (),
           notes: tuple[str, ...] = ()) -> bool:
    """The athlete's question said back ("To cancel Saturday's ride, I'm travelling."), a
    phrase of six words or more of the system prompt, or an answer that is mostly the
    product's notes to the model said back (a note says what to ask or explain: an answer may
    share a phrase with it, not be it)."""
    said = _words(answer)
    asked = set(_words(question))
    if said and len(said) <= len(asked) + 4 and \
            sum(w in asked for w in said) >= ECHO_SHARE * len(said):
        return True
    shingles = {tuple(said[i:i + ECHO_WORDS]) for i in range(len(said) - ECHO_WORDS + 1)}
    return any(shingles & _shingles(text) for text in instructions) or \
        echoes_notes(answer, notes)


ECHO_SHARE = 0.75   # of the answer's words, found in the question: an echo
ECHO_WORDS = 6      # words in a row of the instructions: an echo


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _shingles(instructions: str) -> set[tuple[str, ...]]:
    """Six-word runs of the instructions' own words: the rules and the notes, not the athlete
    card (its figures may well be quoted)."""
    rules = [line for line in instructions.splitlines() if line.startswith("- ") or
             not re.search(r"\d", line)]
    words = _words("\n".join(rules))
    return {tuple(words[i:i + ECHO_WORDS]) for i in range(len(words) - ECHO_WORDS + 1)}


def on_topic(answer: str, about: str) -> bool:
    """The answer speaks of what was asked (any answer when the scenario says nothing)."""
    return not about or re.search(about, answer.lower()) is not None


def claims_scheduled(text: str) -> bool:
    """A sentence saying a workout is already on the calendar (not "nothing is scheduled until
    you confirm", not "confirm it to put it on your calendar")."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if _SCHEDULED.search(sentence) and not _CONDITION.search(sentence):
            return True
    return False


def limits_score(plan: Plan, made: list[Proposed], today: date) -> float:
    """Of the plan's limits, the share the last turn's proposals meet: how many, each proposal
    within all of its own limits (one item each), the total hours."""
    checks = [plan.count[0] <= len(made) <= plan.count[1]]
    checks += [_within(plan, p, today) for p in made]
    if plan.hours and made:
        hours = sum(p.duration_s for p in made) / 3600
        checks.append(plan.hours[0] <= hours <= plan.hours[1])
    return sum(checks) / len(checks)


OPEN = ("pending", "failed", "publishing", "published")


def fits_score(concerns: tuple[str, ...], proposals: tuple[Proposed, ...]) -> float:
    """Of the proposals still standing at the end (superseded and rejected ones left out), the
    share that carry none of `concerns`; "duplicate": two standing for one day and sport.
    Nothing proposed is 0: a scenario with this score asks for a proposal that fits."""
    standing = [p for p in proposals if p.status in OPEN]
    if not standing:
        return 0.0
    sessions = [(p.new_day or p.day, p.sport) for p in standing if p.kind == "workout"]
    fine = [p for p in standing if not set(p.findings) & set(concerns)
            and not ("duplicate" in concerns and p.kind == "workout"
                     and sessions.count((p.new_day or p.day, p.sport)) > 1)]
    return len(fine) / len(standing)


def season_score(weeks: int, seasons: tuple[SeasonMade, ...]) -> float:
    """The best season made: of its checks (as many weeks as asked, phases in order ending in
    the race week's taper, a taper week before it, every week's CTL ramp within the limit),
    the share it passes; 0 without one."""
    best = 0.0
    for s in seasons:
        order = [PHASES.index(p) for p in s.phases if p != "return"]
        checks = [len(s.phases) == weeks, order == sorted(order) and bool(s.phases)
                  and s.phases[-1] == "taper",
                  len(s.phases) >= 2 and s.phases[-2] == "taper",
                  all(r <= MAX_RAMP for r in s.ramps)]
        best = max(best, sum(checks) / len(checks))
    return best


def fuel_score(proposals: tuple[Proposed, ...]) -> float:
    """Of the standing endurance proposals over 90 minutes (new workouts, or planned ones
    replaced), the share with a carbohydrate target; 0 when none that long was proposed."""
    long = [p for p in proposals if p.status in OPEN and p.kind in ("workout", "replace")
            and p.duration_s > LONG_S and p.sport in ("Ride", "Run", "Swim")]
    return sum(bool(p.carbs_per_hour) for p in long) / len(long) if long else 0.0


def _within(plan: Plan, p: Proposed, today: date) -> bool:
    """Its day in the window and not a rest day, its sport, its kind; for a change, the
    workout changed and where it moves."""
    first, last = days_of(plan.window, today)
    day = date.fromisoformat(p.new_day or p.day)
    return (first <= day <= last and day >= today and day.weekday() not in plan.rest_days
            and (not plan.sports or p.sport in plan.sports)
            and p.kind in ((plan.change,) if plan.change else ("workout", "replace"))
            and (plan.target is None or
                 (date.fromisoformat(p.day).weekday(), p.sport) == plan.target)
            and (plan.move_to is None or (p.new_day is not None and
                                          day.weekday() == plan.move_to)))


def language_score(text: str, language: str) -> float:
    """1 unless the answer is mostly another script, or another language's common words
    outnumber those of the athlete's."""
    letters = [c for c in text if c.isalpha()]
    foreign = [c for c in letters if not c.isascii() and not "\u00c0" <= c <= "\u024f"]
    if letters and len(foreign) / len(letters) > 0.3:
        return 0.0
    counts = word_counts(text)
    best = max(counts.values())
    return 1.0 if best == 0 or counts.get(language, 0) == best else 0.0


def clean_reply(reply: RawReply) -> bool:
    """No tool call written as text, no thinking in the content, not empty, not bare JSON,
    not the prompt or the tool catalog echoed."""
    content = reply.content
    if not content.strip():
        return reply.calls > 0
    return "<think" not in content.lower() and clean_text(content)


def clean_text(text: str) -> bool:
    return not (read_calls(text, TOOLS).found or only_json(text) or echoes_instructions(text)
                or copies_tool_notes(text))


def format_score(turns: tuple[Turn, ...], needed: tuple[str, ...] = ()) -> float | None:
    """The share of clean replies; an answer given before any of the `needed` tools was
    called in its turn is not clean: the model did not try (a model that answers "Yes, I am
    ready for my race." without a tool must not score above one that tried)."""
    replies = [r for t in turns for r in t.replies]
    if not replies:
        return None
    untried = sum(_untried(t, needed) for t in turns)
    return (sum(map(clean_reply, replies)) - untried) / len(replies)


def _untried(turn: Turn, needed: tuple[str, ...]) -> bool:
    """The turn's last reply was a clean answer, and none of the needed tools ran in it."""
    if not needed or not turn.replies:
        return False
    last = turn.replies[-1]
    called = {e.name for e in _finished(turn)}
    return not last.calls and clean_reply(last) and not called & set(needed)


def repeated_calls(turns: tuple[Turn, ...]) -> int:
    repeats = 0
    for turn in turns:
        seen: set[str] = set()
        for e in _finished(turn):
            key = e.name + json.dumps(e.arguments, sort_keys=True, default=str)
            repeats += key in seen
            seen.add(key)
    return repeats


def repeats_score(turns: tuple[Turn, ...]) -> float | None:
    calls = sum(len(_finished(t)) for t in turns)
    return 1 - repeated_calls(turns) / calls if calls else None


# --- figures ---------------------------------------------------------------------------------

def run_figures(turns: tuple[Turn, ...], meta: AnswerMeta) -> dict[str, Any]:
    """Raw figures: rounds, calls, failures, tokens and times (per turn, per request)."""
    finished = [e for t in turns for e in _finished(t)]
    per_turn = [{**turn_usage(t), "replies": [r.content[:RAW_CHARS] for r in t.replies],
                 "calls": [{"name": e.name, "arguments": e.arguments, "ok": e.ok,
                            "by": "product" if e.product else "model"} for e in _finished(t)]}
                for t in turns]
    requests = [r for t in per_turn for r in t["requests"]]
    return {
        "turns": per_turn, "requests": len(requests), "tool_calls": len(finished),
        "tools_called": [e.name for e in finished],
        "invalid_arguments": sum(map(invalid_arguments, finished)),
        "invalid_workouts": sum(INVALID_TEXT in e.result for e in finished),
        "repeated_calls": repeated_calls(turns),
        "text_calls": sum(read_calls(r.content, TOOLS).found for t in turns for r in t.replies),
        "revised": sum(isinstance(e, Revising) for t in turns for e in t.events),
        "cut": [e.reason for t in turns for e in t.events if isinstance(e, Cut)],
        "figures_missing": [f.text for f in _grounding(meta).missing],
        "wall_s": round(sum(t.wall_s for t in turns), 3),
        **{k: _total(requests, k) for k in ("prompt_tokens", "output_tokens", "prompt_s",
                                            "output_s", "total_s")},
        "peak_context": max((r["context"] for r in requests), default=0.0),
    }


def turn_usage(turn: Turn) -> dict[str, Any]:
    """Ollama's prompt_eval_count, eval_count and durations for each request of a turn."""
    usages = [e for e in turn.events if isinstance(e, Usage)]
    return {"wall_s": round(turn.wall_s, 3), "requests": [
        {"prompt_tokens": u.prompt_tokens, "output_tokens": u.output_tokens,
         "prompt_s": u.prompt_s, "output_s": u.output_s, "total_s": u.total_s,
         "context": round(u.share, 3)} for u in usages]}


def final_answer(messages: tuple[Message, ...]) -> tuple[str, AnswerMeta]:
    """The answer of the last turn, with its meta; "" and an empty meta when it ended without
    one."""
    users = [i for i, m in enumerate(messages) if m.role == Role.USER]
    for m in reversed(messages[users[-1] + 1:] if users else messages):
        if m.role == Role.ASSISTANT and not m.tool_calls:
            return m.content, m.meta
    return "", AnswerMeta()


def model_part(answer: str, meta: AnswerMeta) -> str:
    """What the model wrote of an answer: what the product added after it (its question back,
    or the figures it read for an answer that stated none) is the product's, not the model's."""
    if meta.added and answer.endswith(meta.added):
        return answer[:-len(meta.added)].rstrip()
    return answer


def _grounding(meta: AnswerMeta) -> Grounding:
    try:
        return Grounding.from_json(meta.grounding or "")
    except ValueError:
        return Grounding(())


def _finished(turn: Turn) -> list[ToolFinished]:
    return [e for e in turn.events if isinstance(e, ToolFinished)]


def _total(requests: list[dict[str, Any]], key: str) -> float | int | None:
    values = [r[key] for r in requests if r[key] is not None]
    return round(sum(values), 3) if values else None
