"""What the product does before the model's first round, so a small model starts from the facts
and a drafted proposal instead of having to choose tools: the read calls that answer an everyday
question (`asks.recognize`), the planner's drafts for a plan ask (`asks.plan_ask`), the change
of the planned workout a change ask names (`asks.change_ask`). Each becomes a tool call run
through the same tools as the model's (so every proposal passes the same checks), and a note
says what was done or why nothing was drafted (a past day, no race, no goal: the model says so
or asks). Nothing recognised: no move, today's loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from coach import display, language, workout
from coach.agent import asks
from coach.agent.asks import Action, ChangeAsk, PlanAsk
from coach.analysis import Availability
from coach.messages import Message, Role
from coach.proposals import drafts, plans, seasons
from coach.records import ToolCall
from coach.scope import Scope

FACTS_NOTE = ("The coach read the data above for this question. Answer from it, briefly, with "
              "its figures; call another tool only if something the athlete asked is missing.")
DRAFTED_NOTE = ("The coach's planner drafted the proposals above from the athlete's words, "
                "their availability and recent training; each passed the checks and waits for "
                "the athlete's Confirm. Explain them briefly (day, sport, length, why); adjust "
                "one only if it misses what the athlete asked. Do not propose them again.")
CHANGED_NOTE = ("The coach drafted the change above as the athlete asked; it waits for their "
                "Confirm. Say what it changes in a sentence or two; do not propose it again.")
PAST_NOTE = ("{day} is in the past: workouts can only be proposed from today ({today}) on. "
             "Tell the athlete so, propose nothing, and offer to plan today or a later day.")
NO_RACE_NOTE = ("No race is on the athlete's calendar. Before planning, ask which race it is "
                "and its date; propose nothing yet.")
NO_GOAL_NOTE = ("The athlete asked for several weeks, but no race or goal is known. Before "
                "planning, ask what they are training for and how many hours a week they can "
                "train; propose nothing yet.")
# What the short request asks for when the model manages no answer to a note above
PAST_TASK = ("Tell them {day} has passed, so nothing can be planned for it, and offer to plan "
             "today or a later day.")
NO_RACE_TASK = "Ask them which race they mean and its date. Plan nothing yet."
NO_GOAL_TASK = ("Ask them what they are training for and how many hours a week they can train. "
                "Plan nothing yet.")
# …and what the athlete reads, in the product's words, when the model manages nothing at all
PAST_SAY = "{day} has passed, so nothing can be planned for it; ask for today or a later day."
NO_RACE_SAY = ("No race is on your Intervals.icu calendar: which race is it, and when? Add it "
               "there as an A or B race, or tell the coach its date.")
NO_GOAL_SAY = ("What are you training for, and how many hours a week can you train? With a "
               "race or a goal, the coach can plan several weeks.")
IN_LANGUAGE = " The athlete wrote in {language}: write the answer in {language}."
NO_WORKOUT_NOTE = ("The athlete named a planned workout on {day}; the calendar for that day is "
                   "above. If the workout they mean is not there, say so; if several could be "
                   "meant, ask which.")


@dataclass(frozen=True)
class FirstMoves:
    """The calls to run before the model's first round, the availability they run with (the
    ask's days off and longest session), and a note for the model."""

    calls: tuple[ToolCall, ...] = ()
    note: str = ""
    availability: Availability | None = None
    task: str = ""      # when the product asks back: what the short request asks the model
    say: str = ""       # …and what the athlete reads if the model manages nothing


def first_moves(history: Sequence[Message], scope: Scope, *, facts: bool = True,
                drafts_on: bool = True) -> FirstMoves:
    """The moves for the last athlete message of `history`; none when nothing is recognised."""
    users = [m.content for m in history if m.role == Role.USER]
    if not users:
        return FirstMoves()
    text, today = users[-1], scope.today
    reads = _reads(text, scope) if facts else []
    moves = FirstMoves(tuple(reads), FACTS_NOTE if reads else "")
    if drafts_on:
        if (change := asks.change_ask(text, today)) is not None:
            moves = _with_reads(reads, _change(change, scope))
        elif (plan := _plan_ask(users, today)) is not None:
            moves = _with_reads(reads, _plan(plan, scope))
    return _in_language(moves, text)


def _in_language(moves: FirstMoves, text: str) -> FirstMoves:
    """The note ends by naming the athlete's language when it is not English: small models
    answer in the language of the notes they read last."""
    lang = language.guess(text)
    if not moves.note or lang == "en":
        return moves
    return replace(moves, note=moves.note + IN_LANGUAGE.format(language=language.NAMES[lang]))


def _reads(text: str, scope: Scope) -> list[ToolCall]:
    race = plans.next_race(scope, scope.today, scope.today + timedelta(days=asks.RACE_DAYS))
    return [ToolCall(r.tool, dict(r.arguments)) for r in asks.recognize(text, scope.today, race)]


def _with_reads(reads: list[ToolCall], moves: FirstMoves) -> FirstMoves:
    return replace(moves, calls=(*reads, *moves.calls))


def _plan_ask(users: list[str], today: date) -> PlanAsk | None:
    """The last message's plan ask, a follow-up ("make it shorter") read against the one
    before it."""
    ask = None
    for text in users:
        ask = asks.plan_ask(text, today, ask)
    return ask


# --- plan asks --------------------------------------------------------------------------------

def _plan(ask: PlanAsk, scope: Scope) -> FirstMoves:
    availability = _availability(ask, scope)
    scoped = replace(scope, availability=availability)
    if (ask.weeks or 0) > 1 or ask.to_race:
        return _weeks(ask, scoped)
    named = ask.days or ((ask.start,) if ask.start is not None and ask.start == ask.end else ())
    if named and min(named) < scope.today:
        return FirstMoves(note=PAST_NOTE.format(day=min(named), today=scope.today),
                          task=PAST_TASK.format(day=min(named)),
                          say=PAST_SAY.format(day=display.day(min(named), scope.today)))
    sports = tuple(s.value for s in ask.sports)
    effort = ask.effort.value if ask.effort else None
    if named:
        fitted = [drafts.fit_draft(scoped, s, effort) for s in drafts.day_drafts(
            scoped, named, sports=sports, hours=ask.hours, effort=effort)]
    elif ask.start is not None and ask.end is not None:
        fitted = [drafts.Fitted(s) for s in drafts.week_drafts(
            scoped, ask.start, ask.end, sports=sports, hours=ask.hours)]
    else:
        return FirstMoves()  # a sport without a day: the model asks when
    calls = tuple(map(_proposal, fitted))
    return FirstMoves(calls, DRAFTED_NOTE if calls else "", availability)


def _proposal(fitted: drafts.Fitted) -> ToolCall:
    """A new workout, or the replacement of the planned one on its day."""
    s = fitted.session
    if fitted.replaces is not None:
        return ToolCall("propose_change", {"event_id": fitted.replaces.id, "action": "replace",
                                           "description": s.text})
    return ToolCall("propose_workout", {"date": s.day.isoformat(), "sport": s.sport,
                                        "name": s.name, "description": s.text})


def _weeks(ask: PlanAsk, scope: Scope) -> FirstMoves:
    """Several weeks: the planner's plan up to a race, or a question when there is none."""
    race = _race_of(ask, scope)
    if race is None:
        return FirstMoves(note=NO_RACE_NOTE, task=NO_RACE_TASK, say=NO_RACE_SAY) \
            if ask.to_race else FirstMoves(note=NO_GOAL_NOTE, task=NO_GOAL_TASK, say=NO_GOAL_SAY)
    arguments: dict[str, str | int] = {"race": race.isoformat()}
    if ask.weeks:
        arguments["weeks"] = min(ask.weeks, plans.MAX_WEEKS)
    return FirstMoves((ToolCall("plan_weeks", arguments),), DRAFTED_NOTE, scope.availability)


def _race_of(ask: PlanAsk, scope: Scope) -> date | None:
    """The race a plan builds to: the A race for a season, else the first A or B race, as far
    ahead as a season reaches ("to my race"), or within the weeks asked."""
    start = plans.plan_start(scope.today)
    if not ask.to_race:
        end = ask.end or start + timedelta(weeks=plans.MAX_WEEKS, days=-1)
        return plans.next_race(scope, start, end)
    end = scope.today + timedelta(weeks=seasons.MAX_WEEKS)
    a_race = plans.next_race(scope, start, end, ("RACE_A",)) if ask.season else None
    return a_race or plans.next_race(scope, start, end)


def _availability(ask: PlanAsk, scope: Scope) -> Availability:
    """The athlete's availability with the days their kept notes rule out and the ask's
    limits: its days off, its longest session, and for a multi-week plan its hours a week
    (each day's hours scaled to them)."""
    base = plans.with_notes(scope, scope.availability or Availability())
    off = tuple(sorted(set(base.days_off) | set(ask.days_off)))
    longest = ask.longest_min or base.max_session_min
    hours = base.hours
    if ask.hours and ((ask.weeks or 0) > 1 or ask.to_race):
        free = sum(h for i, h in enumerate(base.hours) if i not in off)
        hours = tuple(min(16.0, h * ask.hours / free) if free else h for h in base.hours)
    return replace(base, days_off=off, hours=hours,
                   max_session_min=max(30, min(600, longest)))


# --- change asks ------------------------------------------------------------------------------

def _change(ask: ChangeAsk, scope: Scope) -> FirstMoves:
    """The named workout changed; when no single planned workout matches, its day's calendar
    for the model to say so or ask which."""
    planned = [e for e in scope.store.events(scope.athlete_id, ask.day, ask.day)
               if e.category == "WORKOUT" and (
                   ask.sport is None or workout.sport_family(e.type or "") == ask.sport.value)]
    if len(planned) != 1:
        day = ask.day.isoformat()
        return FirstMoves((ToolCall("planned_workouts", {"start": day, "end": day}),),
                          NO_WORKOUT_NOTE.format(day=day))
    event = planned[0]
    arguments: dict[str, str | int] = {"event_id": event.id, "action": ask.action.value}
    if ask.action is Action.MOVE and ask.new_day is not None:
        arguments["new_date"] = ask.new_day.isoformat()
    if ask.action is Action.REPLACE:
        sport = workout.sport_family(event.type or "") or "Ride"
        arguments["description"] = drafts.replacement(
            scope, event, sport, hours=ask.hours,
            effort=ask.effort.value if ask.effort else None).text
    return FirstMoves((ToolCall("propose_change", arguments),), CHANGED_NOTE)
