"""The tools the model may call: read the synced history, and propose (never write)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, Field, ValidationError, field_validator

from coach import workout
from coach.agent import tool_texts as reports
from coach.agent.tool_texts.checks import findings_text
from coach.agent.tool_texts.plan import plan_text, season_text
from coach.analysis import WEIGHT_TRAINING, Availability
from coach.errors import CoachError
from coach.proposals import fit, plans, seasons
from coach.proposals.check import ProposalInvalid
from coach.proposals.create import propose_change as propose_new_change
from coach.proposals.create import propose_workout as propose_new_workout
from coach.proposals.notes import NoteInvalid
from coach.proposals.notes import propose_note as propose_new_note
from coach.scope import Scope
from coach.store import Proposal, ProposalKind, ProposalStatus

MAX_LIST_LINES = 40
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolResult:
    text: str
    ok: bool = True
    proposal_id: int | None = None
    note_id: int | None = None       # a proposed athlete note, waiting on its card


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[Scope, Any], ToolResult]


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%b %d %Y",
                 "%B %d %Y", "%d %b %Y", "%d %B %Y", "%a %Y-%m-%d", "%A %Y-%m-%d")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _parse_day(value: Any) -> Any:
    """Accept the date forms small models write: ISO, with a time, 27/11/2026, 27.11.2026,
    Nov 27 2026, a weekday ("next friday") or today / tomorrow / yesterday."""
    if not isinstance(value, str):
        raise ValueError("expected a date as YYYY-MM-DD")
    v = " ".join(value.strip().lower().replace(",", " ").split())
    if v in {"today", "tomorrow", "yesterday"}:
        return v  # resolved against Scope.today in _day()
    weekday = v.removeprefix("next ").removeprefix("this ")
    if weekday in _WEEKDAYS or weekday[:3] in {w[:3] for w in _WEEKDAYS} and len(weekday) == 3:
        return f"weekday:{[w[:3] for w in _WEEKDAYS].index(weekday[:3])}"
    candidate = v[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}[t ].*", v) else v
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date; use YYYY-MM-DD")


STRENGTH_WORDS = {"strength", "gym", "weights", "weighttraining", "mobility", "core"}


def _family(value: Any) -> Any:
    """VirtualRide, TrailRun, OpenWaterSwim…: the sport family a tool expects; strength, gym or
    mobility: WeightTraining."""
    if isinstance(value, str) and value.strip().lower().replace(" ", "") in STRENGTH_WORDS:
        return WEIGHT_TRAINING
    return workout.sport_family(value) or value if isinstance(value, str) else value


class _Args(BaseModel):
    model_config = {"extra": "ignore"}


class NoArgs(_Args):
    pass


class DaysArgs(_Args):
    days: int = Field(42, ge=7, le=365)


class WeeksArgs(_Args):
    weeks: int = Field(4, ge=1, le=52)


class RangeArgs(_Args):
    # Dates need no hint in the catalog: the parser takes the forms small models write.
    start: str = Field()
    end: str = Field()

    _check_days = field_validator("start", "end", mode="before")(_parse_day)


class EffortsArgs(_Args):
    sport: str = Field("")  # empty: every sport


class ProposeArgs(_Args):
    date: str = Field(description="YYYY-MM-DD")
    sport: Literal["Ride", "Run", "Swim", "WeightTraining"] = Field()
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)

    _check_date = field_validator("date", mode="before")(_parse_day)

    _check_sport = field_validator("sport", mode="before")(_family)


def _maybe_day(value: Any) -> Any:
    return "" if value in ("", None) else _parse_day(value)


class PlanArgs(_Args):
    weeks: int = Field(4, ge=1, le=seasons.MAX_WEEKS)   # over 8: a season to the race
    race: str = Field("")  # YYYY-MM-DD; empty: an A or B race in those weeks, if any

    _check_race = field_validator("race", mode="before")(_maybe_day)


class NoteArgs(_Args):
    text: str = Field(min_length=3, max_length=1000)


class ChangeArgs(_Args):
    event_id: int = Field()
    action: Literal["move", "replace", "delete"] = Field()
    new_date: str = Field("")
    description: str = Field("")


PROPOSE_HELP = """Propose a workout (athlete confirms).
A step per line: `- 10m 60%` (m = minutes), `- 400mtr Z2 Pace` (mtr = metres).
Repeats: a line `4x`, steps below, blank lines around.
Targets: 88-92%, Z2, 220w, 70% HR, Z2 Pace, 5:00/km Pace, ramp 50-75%, 90rpm."""


# --- the tools ------------------------------------------------------------------------------

def _range(scope: Scope, args: RangeArgs) -> tuple[date, date]:
    start, end = _day(scope, args.start), _day(scope, args.end)
    if end < start:
        raise ValueError("end is before start; give start <= end.")
    return start, end


def _sport(value: str) -> str | None:
    if not value:
        return None
    sport = workout.sport_family(value)
    if sport is None:
        raise ValueError(f"unknown sport {value!r}; use Ride, Run or Swim, or leave it empty.")
    return sport


READS: dict[str, Callable[[Scope, Any], str]] = {
    "athlete_profile": lambda c, a: reports.athlete_profile(c),
    "training_summary": lambda c, a: "\n".join([reports.training_summary(c, a.weeks),
                                                *reports.intensity_lines(c, a.weeks, None)]),
    "fitness_trend": lambda c, a: reports.fitness_trend(c, a.days),
    "list_activities": lambda c, a: reports.list_activities(c, *_range(c, a), None),
    "wellness_trend": lambda c, a: reports.wellness_trend(c, a.days),
    "planned_workouts": lambda c, a: reports.planned_workouts(c, *_range(c, a)),
    "best_efforts": lambda c, a: _best_efforts(c, _sport(a.sport)),
}


def _best_efforts(scope: Scope, sport: str | None) -> str:
    """Each sport (or the one asked for) over 12 weeks and a year, in one result."""
    return "\n\n".join(reports.best_efforts(scope, s, period)
                        for s in ([sport] if sport else workout.SPORTS)
                        for period in ("12 weeks", "1 year"))


def propose_workout(scope: Scope, args: ProposeArgs) -> ToolResult:
    day = _day(scope, args.date)
    try:
        proposal = propose_new_workout(scope, day, args.sport, args.name, args.description)
    except ProposalInvalid as e:
        return _error(e.for_model("propose_workout"))
    load = f", estimated load {proposal.load:.0f}" if proposal.load is not None else ""
    length = workout.format_duration(proposal.duration_s)
    fuel = _fuel_line(proposal)
    strength = " Strength: no power, pace or heart-rate targets." \
        if args.sport == WEIGHT_TRAINING else ""
    return ToolResult(
        f"Proposal {proposal.id} saved for {day} ({reports.weekday(day)}): {args.sport} "
        f"{reports.quote(proposal.name)}, {length}{load}. It is NOT on the calendar: the "
        f"athlete sees it with Confirm and Reject buttons.{fuel}{strength}"
        + _checked(scope, proposal), proposal_id=proposal.id)


def _fuel_line(proposal: Proposal) -> str:
    """The carbohydrate target the workout is sent with, for the model to tell the athlete."""
    if not proposal.carbs_per_hour:
        return ""
    return (f" Fuelling: {proposal.carbs_per_hour} g carbohydrate per hour, sent with the "
            "workout; tell the athlete.")


def _checked(scope: Scope, proposal: Proposal) -> str:
    """What the week check found, and which older proposals this one took the place of."""
    replaced = [p.id for p in scope.store.proposals(athlete_id=scope.athlete_id,
                                                    statuses=[ProposalStatus.SUPERSEDED])
                if p.superseded_by == proposal.id]
    text = findings_text(fit.findings(scope, proposal), replaced)
    return "\n" + text if text else ""


def propose_change(scope: Scope, args: ChangeArgs) -> ToolResult:
    new_day = _day(scope, _parse_day(args.new_date)) if args.new_date else None
    try:
        proposal = propose_new_change(scope, args.event_id, ProposalKind(args.action), new_day,
                                      args.description)
    except ProposalInvalid as e:
        return _error(e.for_model("propose_change"))
    moved = date.fromisoformat(proposal.new_day) if proposal.new_day else None
    what = {ProposalKind.MOVE: f"move to {moved} ({reports.weekday(moved)})" if moved else "",
            ProposalKind.REPLACE: "replace its workout text",
            ProposalKind.DELETE: "delete it"}[proposal.kind]
    name = reports.quote((proposal.before_event or {}).get("name") or "")
    return ToolResult(f"Change proposal {proposal.id} saved for {name} on {proposal.day}: "
                      f"{what}. Nothing is changed until the athlete confirms."
                      + _fuel_line(proposal) + _checked(scope, proposal),
                      proposal_id=proposal.id)


def plan_weeks(scope: Scope, args: PlanArgs) -> ToolResult:
    """Up to 8 weeks: a block of targets and workouts. More: a season to the race (the first
    2 weeks laid out as workouts, the later ones targets laid out when they come)."""
    race = _day(scope, args.race) if args.race else None
    weeks = args.weeks
    if race is not None and "weeks" not in args.model_fields_set:  # "to my race": up to it
        weeks = min(seasons.MAX_WEEKS, max(1, seasons.weeks_to(race, scope.today)))
    availability = scope.availability or Availability()
    if weeks > plans.MAX_WEEKS:
        start = plans.plan_start(scope.today)
        race = race or plans.next_race(scope, start, start + timedelta(weeks=weeks, days=-1))
        if race is None:
            raise ValueError(f"a plan of more than {plans.MAX_WEEKS} weeks builds to a race, and "
                             f"no A or B race is on the calendar in the next {weeks} weeks. "
                             "Ask the athlete for the race and its date (race=YYYY-MM-DD), "
                             f"or plan up to {plans.MAX_WEEKS} weeks.")
        weeks = min(weeks, seasons.weeks_to(race, scope.today))
    if weeks > plans.MAX_WEEKS and race is not None:
        season = seasons.make_season(scope, race=race, availability=availability,
                                     conversation_id=scope.conversation_id, turn=scope.turn)
        first = season.proposal_ids[0] if season.proposal_ids else None
        return ToolResult(season_text(scope, season), proposal_id=first)
    new = plans.make_plan(scope, weeks=weeks, race=race, availability=availability,
                          conversation_id=scope.conversation_id, turn=scope.turn)
    first = new.proposal_ids[0] if new.proposal_ids else None
    return ToolResult(plan_text(scope, new), proposal_id=first)


def propose_note(scope: Scope, args: NoteArgs) -> ToolResult:
    try:
        note = propose_new_note(scope, args.text)
    except NoteInvalid as e:
        return _error(str(e))
    return ToolResult(f"Note proposal {note.id} ({note.kind}): {reports.quote(note.text)}. It "
                      "is NOT kept until the athlete confirms it on its card.", note_id=note.id)


def _read(name: str) -> Callable[[Scope, Any], ToolResult]:
    return lambda scope, args: ToolResult(READS[name](scope, args))


TOOLS: dict[str, Tool] = {t.name: t for t in [
    Tool("athlete_profile", "FTP, LTHR, paces, zones, weight, races.", NoArgs,
         _read("athlete_profile")),
    Tool("training_summary", "Hours, km, load by sport per week; time near threshold.",
         WeeksArgs, _read("training_summary")),
    Tool("fitness_trend", "CTL, ATL, form, ramp, forecast.", DaysArgs,
         _read("fitness_trend")),
    Tool("list_activities", "Completed activities.", RangeArgs,
         _read("list_activities")),
    Tool("wellness_trend", "HRV, resting HR, sleep, feelings vs baseline.",
         DaysArgs, _read("wellness_trend")),
    Tool("planned_workouts", "Calendar and proposals (ids); past days: done or missed.",
         RangeArgs, _read("planned_workouts")),
    Tool("best_efforts", "Best power and pace: 12 weeks and 1 year.",
         EffortsArgs,
         _read("best_efforts")),
    Tool("propose_workout", PROPOSE_HELP, ProposeArgs, propose_workout),
    Tool("propose_change", "Move (new_date), replace (description) or delete planned workout "
         "event_id.", ChangeArgs,
         propose_change),
    Tool("plan_weeks", "Weekly targets, then workouts, for N weeks (to a race).",
         PlanArgs, plan_weeks),
    Tool("propose_note", "Keep a note (athlete confirms).", NoteArgs,
         propose_note),
]}


def catalog(tools: dict[str, Tool] = TOOLS) -> list[dict[str, Any]]:
    """The tool list in Ollama's format."""
    return [{"type": "function", "function": {"name": t.name, "description": t.description,
                                              "parameters": _schema(t.args)}}
            for t in tools.values()]


def call_tool(scope: Scope, name: str, arguments: Any,
              tools: dict[str, Tool] = TOOLS) -> ToolResult:
    """Run a tool; every failure comes back as an `Error: …` result the model can act on."""
    tool = tools.get(name)
    if tool is None:
        return _error(f'tool "{name}" does not exist. Available tools: {", ".join(tools)}.')
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except ValueError:
            return _error(f"arguments for {name} must be a JSON object.")
    try:
        args = tool.args.model_validate(arguments or {})
    except ValidationError as e:
        return _error(f"invalid arguments for {name}: {_explain(e)}")
    try:
        return tool.run(scope, args)
    except ValueError as e:
        return _error(f"{name} failed: {e}")
    except Exception as e:  # a broken tool must never end the answer: the model hears of it
        log.exception("tool %s failed", name)
        reason = str(e) if isinstance(e, CoachError) else f"{type(e).__name__}: {e}"
        return _error(f"{name} failed ({reason[:200]}). Answer with what the other tools "
                      "gave, or try another tool.")


# --- helpers --------------------------------------------------------------------------------

def _day(scope: Scope, value: str) -> date:
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if value in relative:
        return scope.today + timedelta(days=relative[value])
    if value.startswith("weekday:"):  # the next such day, today included
        return scope.today + timedelta(days=(int(value[8:]) - scope.today.weekday()) % 7)
    return date.fromisoformat(value)


def _error(message: str) -> ToolResult:
    return ToolResult(f"Error: {message}", ok=False)


def _explain(error: ValidationError) -> str:
    parts = []
    for e in error.errors()[:4]:
        where = ".".join(str(p) for p in e["loc"]) or "arguments"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    """A flat JSON schema: the ollama client drops anyOf/default/format, so keep plain types."""
    properties: dict[str, Any] = {}
    required = []
    for name, field in model.model_fields.items():
        prop: dict[str, Any] = {"type": _json_type(field.annotation)}
        if get_origin(field.annotation) is Literal:
            prop["enum"] = list(get_args(field.annotation))
        if field.description:
            prop["description"] = field.description
        properties[name] = prop
        if field.is_required():
            required.append(name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _json_type(annotation: Any) -> str:
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    return "string"
