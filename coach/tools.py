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

from coach import reports, workout
from coach.errors import CoachError
from coach.proposals import create_change, create_proposal
from coach.records import Athlete, thresholds_for
from coach.store import Store

MAX_LIST_LINES = 40
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolContext:
    store: Store
    athlete_id: str
    today: date
    conversation_id: int | None = None
    turn: str | None = None  # proposals made in one answer form a plan


@dataclass(frozen=True)
class ToolResult:
    text: str
    ok: bool = True
    proposal_id: int | None = None


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[ToolContext, Any], ToolResult]


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
        return v  # resolved against ToolContext.today in _day()
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


def _family(value: Any) -> Any:
    """VirtualRide, TrailRun, OpenWaterSwim…: the sport family a tool expects."""
    return workout.sport_family(value) or value if isinstance(value, str) else value


class _Args(BaseModel):
    model_config = {"extra": "ignore"}


class NoArgs(_Args):
    pass


class DaysArgs(_Args):
    days: int = Field(42, ge=7, le=365, description="Days to look back, 7-365 (optional, "
                                                    "default 42)")


class WeeksArgs(_Args):
    weeks: int = Field(4, ge=1, le=52, description="Weeks to look back, 1-52 (optional, "
                                                   "default 4)")


class RangeArgs(_Args):
    start: str = Field(description="First date, YYYY-MM-DD")
    end: str = Field(description="Last date, YYYY-MM-DD (inclusive)")

    _check_days = field_validator("start", "end", mode="before")(_parse_day)


class ActivitiesArgs(RangeArgs):
    sport: str = Field("", description="Optional: Ride, Run or Swim")


class IntensityArgs(WeeksArgs):
    sport: str = Field("", description="Optional: Ride, Run or Swim")


class EffortsArgs(_Args):
    sport: Literal["Ride", "Run", "Swim"] = Field(description="Ride: power; Run, Swim: pace")
    period: Literal["6 weeks", "12 weeks", "1 year", "all time"] = Field(
        "12 weeks", description="Period (optional, default 12 weeks)")

    _check_sport = field_validator("sport", mode="before")(_family)


class ProposeArgs(_Args):
    date: str = Field(description="Day of the workout, YYYY-MM-DD, today or later")
    sport: Literal["Ride", "Run", "Swim"] = Field(description="Sport")
    name: str = Field(min_length=1, max_length=200, description="Short workout name")
    description: str = Field(min_length=1, description="Intervals.icu workout text (syntax "
                             "in the tool description)")

    _check_date = field_validator("date", mode="before")(_parse_day)

    _check_sport = field_validator("sport", mode="before")(_family)


class ChangeArgs(_Args):
    event_id: int = Field(description="Id of a planned workout, from planned_workouts")
    action: Literal["move", "replace", "delete"] = Field(description="What to change")
    new_date: str = Field("", description="For move: the new date, YYYY-MM-DD")
    description: str = Field("", description="For replace: the new workout text")


PROPOSE_HELP = """Propose one workout; it is not scheduled until the athlete confirms it.
Workout text: one step per line, e.g. `- 10m 60%` (m = minutes; also 30s, 1h30m).
Distances: `- 400mtr Z2 Pace` (mtr = metres; km, mi). Never write 400m for metres.
Repeats: a line `4x` (or `Main set 4x`), its steps below, a blank line before and after.
Power: 75% (of FTP), 88-92%, Z2, 220w. HR: 70% HR, 95% LTHR, Z2 HR.
Pace (runs, swims): 80% Pace, Z2 Pace, 5:00/km Pace. Ramps: `- 10m ramp 50-75%`.
Cadence after the target: `- 5m 90% 95rpm`. Headers like Warmup / Cooldown are plain lines."""


# --- the tools ------------------------------------------------------------------------------

def _range(ctx: ToolContext, args: RangeArgs) -> tuple[date, date]:
    start, end = _day(ctx, args.start), _day(ctx, args.end)
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


READS: dict[str, Callable[[ToolContext, Any], str]] = {
    "athlete_profile": lambda c, a: reports.athlete_profile(c),
    "training_summary": lambda c, a: reports.training_summary(c, a.weeks),
    "fitness_trend": lambda c, a: reports.fitness_trend(c, a.days),
    "list_activities": lambda c, a: reports.list_activities(c, *_range(c, a), _sport(a.sport)),
    "wellness_trend": lambda c, a: reports.wellness_trend(c, a.days),
    "planned_workouts": lambda c, a: reports.planned_workouts(c, *_range(c, a)),
    "intensity_distribution": lambda c, a: reports.intensity_distribution(c, a.weeks,
                                                                           _sport(a.sport)),
    "best_efforts": lambda c, a: reports.best_efforts(c, a.sport, a.period),
    "compliance": lambda c, a: reports.compliance(c, a.weeks),
}


def propose_workout(ctx: ToolContext, args: ProposeArgs) -> ToolResult:
    day = _day(ctx, args.date)
    if day < ctx.today:
        return _error(f"{day} is in the past; propose a date from {ctx.today} on.")
    athlete = _athlete(ctx)
    check = workout.check(args.description, args.sport, thresholds_for(athlete, args.sport))
    if not check.ok:
        problems = "\n".join(f"line {i.line}: {i.message}" for i in check.errors[:6])
        return _error(f"the workout text has problems, fix them and call propose_workout "
                      f"again:\n{problems}")
    proposal = create_proposal(ctx.store, athlete_id=ctx.athlete_id,
                               conversation_id=ctx.conversation_id, day=day, sport=args.sport,
                               name=args.name, description=args.description, check=check,
                               turn=ctx.turn)
    load = f", estimated load {check.load:.0f}" if check.load is not None else ""
    length = workout.format_duration(check.duration_s)
    return ToolResult(
        f"Proposal {proposal.id} saved for {day} ({reports.weekday(day)}): {args.sport} "
        f"{reports.quote(proposal.name)}, {length}{load}. It is NOT on the calendar: the "
        "athlete sees it with Confirm and Reject buttons.", proposal_id=proposal.id)


def propose_change(ctx: ToolContext, args: ChangeArgs) -> ToolResult:
    event = ctx.store.event(ctx.athlete_id, args.event_id)
    if event is None or event.category != "WORKOUT":
        return _error(f"no planned workout with id {args.event_id}; call planned_workouts to "
                      "see the ids.")
    if date.fromisoformat(event.day) < ctx.today:
        return _error(f"workout {event.id} was on {event.day}, in the past; only future "
                      "workouts can be changed.")
    new_day, check = None, None
    if args.action == "move":
        if not args.new_date:
            return _error("move needs new_date (YYYY-MM-DD).")
        new_day = _day(ctx, _parse_day(args.new_date))
        if new_day < ctx.today or new_day.isoformat() == event.day:
            return _error(f"new_date must be a different day from {ctx.today} on.")
    elif args.action == "replace":
        if not args.description.strip():
            return _error("replace needs description: the new workout text.")
        sport = workout.sport_family(event.type or "") or "Ride"
        check = workout.check(args.description, sport,
                               thresholds_for(_athlete(ctx), sport))
        if not check.ok:
            return _error("the workout text has problems, fix them and call propose_change "
                          "again:\n" + "\n".join(f"line {i.line}: {i.message}"
                                                  for i in check.errors[:6]))
    proposal = create_change(ctx.store, athlete_id=ctx.athlete_id,
                             conversation_id=ctx.conversation_id, event=event,
                             kind=args.action, new_day=new_day,
                             description=args.description or None, check=check, turn=ctx.turn)
    what = {"move": f"move to {new_day} ({reports.weekday(new_day)})" if new_day else "",
            "replace": "replace its workout text", "delete": "delete it"}[args.action]
    name = reports.quote(event.name or "")
    return ToolResult(f"Change proposal {proposal.id} saved for {name} on {event.day}: {what}. "
                      "Nothing is changed until the athlete confirms.", proposal_id=proposal.id)


def _read(name: str) -> Callable[[ToolContext, Any], ToolResult]:
    return lambda ctx, args: ToolResult(READS[name](ctx, args))


TOOLS: dict[str, Tool] = {t.name: t for t in [
    Tool("athlete_profile", "The athlete's FTP, LTHR, max HR, threshold paces, zones, weight "
         "and upcoming races with days to go.", NoArgs, _read("athlete_profile")),
    Tool("training_summary", "Hours, distance, load and sessions by sport: per week, or per "
         "month for more than 12 weeks.", WeeksArgs, _read("training_summary")),
    Tool("fitness_trend", "Fitness (CTL), fatigue (ATL), form, ramp rate, and a forecast if the "
         "planned workouts are done.", DaysArgs, _read("fitness_trend")),
    Tool("list_activities", "Completed activities between two dates, one line each.",
         ActivitiesArgs, _read("list_activities")),
    Tool("wellness_trend", "HRV, resting HR, sleep, weight and how the athlete feels, against "
         "their own baseline.", DaysArgs, _read("wellness_trend")),
    Tool("planned_workouts", "Workouts and races on the calendar between two dates, and "
         "pending proposals.", RangeArgs, _read("planned_workouts")),
    Tool("intensity_distribution", "Share of time below, around and above threshold, and "
         "time in each zone.", IntensityArgs, _read("intensity_distribution")),
    Tool("best_efforts", "Best power (rides) or pace (runs, swims) over standard durations "
         "and distances.", EffortsArgs, _read("best_efforts")),
    Tool("compliance", "Planned workouts done, missed and still to come.", WeeksArgs,
         _read("compliance")),
    Tool("propose_workout", PROPOSE_HELP, ProposeArgs, propose_workout),
    Tool("propose_change", "Propose moving, replacing or deleting a future planned workout; "
         "nothing changes until the athlete confirms.", ChangeArgs, propose_change),
]}


def catalog(tools: dict[str, Tool] = TOOLS) -> list[dict[str, Any]]:
    """The tool list in Ollama's format."""
    return [{"type": "function", "function": {"name": t.name, "description": t.description,
                                              "parameters": _schema(t.args)}}
            for t in tools.values()]


def call_tool(ctx: ToolContext, name: str, arguments: Any,
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
        return tool.run(ctx, args)
    except ValueError as e:
        return _error(f"{name} failed: {e}")
    except Exception as e:  # a broken tool must never end the answer: the model hears of it
        log.exception("tool %s failed", name)
        reason = str(e) if isinstance(e, CoachError) else f"{type(e).__name__}: {e}"
        return _error(f"{name} failed ({reason[:200]}). Answer with what the other tools "
                      "gave, or try another tool.")


# --- helpers --------------------------------------------------------------------------------

def _athlete(ctx: ToolContext) -> Athlete:
    athlete = ctx.store.athlete(ctx.athlete_id)
    if athlete is None:
        raise ValueError("no athlete data yet: the athlete must sync with Intervals.icu first")
    return athlete


def _day(ctx: ToolContext, value: str) -> date:
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if value in relative:
        return ctx.today + timedelta(days=relative[value])
    if value.startswith("weekday:"):  # the next such day, today included
        return ctx.today + timedelta(days=(int(value[8:]) - ctx.today.weekday()) % 7)
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
    return {"type": "object", "properties": properties, "required": required}


def _json_type(annotation: Any) -> str:
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    return "string"
