"""Everyday asks recognised without a model (coach/agent/asks.py): the reads each kind of question
gets, the limits of plan asks, the changes, in English, Spanish and German; what must not match;
and every question `coach eval` asks, checked against the scenario's own expectations."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from coach.agent import asks
from coach.agent.asks import (
    Action,
    ChangeAsk,
    Effort,
    PlanAsk,
    Read,
    Sport,
    Topic,
    change_ask,
    plan_ask,
    recognize,
    topics,
)
from coach.agent.tools import TOOLS
from coach.eval.scenarios import EVAL_TODAY, SCENARIOS, days_of
from coach.proposals import plans

TODAY = date(2026, 11, 24)   # a Tuesday, as in `coach eval`
D = date.fromisoformat


def reads_of(text: str, today: date = TODAY, race: date | None = None) -> list[tuple[str, Any]]:
    """The reads as (tool, arguments), each checked against the tool's own argument model."""
    found = recognize(text, today, race)
    for read in found:
        TOOLS[read.tool].args(**read.arguments)
        if "start" in read.arguments:
            assert D(str(read.arguments["start"])) <= D(str(read.arguments["end"]))
    return [(r.tool, dict(r.arguments)) for r in found]


def span(tool: str, start: str, end: str | None = None) -> tuple[str, dict[str, str]]:
    return tool, {"start": start, "end": end or start}


def check_plan(ask: PlanAsk) -> None:
    """What the planner and propose_workout will be given is valid for their tools."""
    if ask.weeks:
        TOOLS["plan_weeks"].args(weeks=min(ask.weeks, plans.MAX_WEEKS))
    for day in ask.days or ([ask.start] if ask.start == ask.end and ask.start else []):
        TOOLS["propose_workout"].args(date=day.isoformat(), sport=(ask.sports or ("Ride",))[0],
                                      name="Draft", description="- 10m 60%")


def check_change(ask: ChangeAsk) -> None:
    TOOLS["propose_change"].args(event_id=1, action=ask.action.value,
                                 new_date=ask.new_day.isoformat() if ask.new_day else "")


WEEK = [("training_summary", {"weeks": 2}), span("list_activities", "2026-11-16", "2026-11-22")]
THIS_WEEK = [("training_summary", {"weeks": 1}),
             span("list_activities", "2026-11-23", "2026-11-24")]
FTP = [("athlete_profile", {}), ("best_efforts", {"sport": "Ride"})]
FITNESS = [("fitness_trend", {"days": 42})]
WELLNESS = [("wellness_trend", {"days": 14}), ("fitness_trend", {"days": 42})]
RACE = [("athlete_profile", {}), ("fitness_trend", {"days": 42}),
        span("planned_workouts", "2026-11-24", "2026-12-21")]
YESTERDAY = [span("list_activities", "2026-11-23")]
LAST_MONDAY = [span("list_activities", "2026-11-23")]
ON_CALENDAR = [span("planned_workouts", "2026-11-24", "2026-11-30")]
TOMORROW_PLANNED = [span("planned_workouts", "2026-11-25")]

FACTS = [
    # last week, the last N weeks or days, this week
    ("How was my last week?", WEEK),
    ("how was last week", WEEK),
    ("¿Cómo me fue la semana pasada?", WEEK),
    ("como fue mi ultima semana", WEEK),
    ("Wie war meine letzte Woche?", WEEK),
    ("How did the last 3 weeks go", [("training_summary", {"weeks": 4})]),
    ("¿Cómo fueron las últimas tres semanas?", [("training_summary", {"weeks": 4})]),
    ("Wie liefen die letzten drei Wochen?", [("training_summary", {"weeks": 4})]),
    ("What did I do in the last 7 days?",
     [("training_summary", {"weeks": 2}), span("list_activities", "2026-11-18", "2026-11-24")]),
    ("what have I done this week", THIS_WEEK),
    ("¿Qué he hecho esta semana?", THIS_WEEK),
    ("Was habe ich diese Woche gemacht?", THIS_WEEK),
    # FTP and zones, FTP trend
    ("What's my FTP trend?", FTP),
    ("what are my power zones", FTP),
    ("¿Cuál es mi FTP?", FTP),
    ("mis zonas de potencia", FTP),
    ("Wie hoch ist meine FTP?", FTP),
    ("What is my threshold pace for running?", [("athlete_profile", {}),
                                                ("best_efforts", {"sport": "Run"})]),
    ("What is my best 20-minute power this year?", [("best_efforts", {"sport": "Ride"})]),
    ("¿Cuál es mi mejor ritmo en 5k?", [("best_efforts", {"sport": "Run"})]),
    # fitness and form
    ("how is my fitness", FITNESS),
    ("what's my CTL, ATL and TSB?", FITNESS),
    ("¿Cómo está mi forma?", FITNESS),
    ("Wie ist meine Form?", FITNESS),
    ("Fitness und Ermüdung?", FITNESS),
    ("How has my fitness changed over the last 18 months?", [("fitness_trend", {"days": 365})]),
    # readiness, HRV, sleep, resting HR, recovery
    ("How is my HRV lately?", WELLNESS),
    ("how am I recovering", WELLNESS),
    ("whats my resting hr", WELLNESS),
    ("¿Cómo va mi VFC? ¿qué tal mi recuperación?", WELLNESS),
    ("¿cómo estoy durmiendo?", WELLNESS),
    ("Wie erhole ich mich?", WELLNESS),
    ("Wie ist mein Ruhepuls?", WELLNESS),
    ("how is my readiness today", [*WELLNESS, span("planned_workouts", "2026-11-24")]),
    # race readiness
    ("Am I ready for my race?", RACE),
    ("am i ready for the race", RACE),
    ("¿Estoy listo para mi carrera?", RACE),
    ("¿estoy preparada para la competicion?", RACE),
    ("Bin ich bereit für mein Rennen?", RACE),
    ("Bin ich fit genug für den Wettkampf?", RACE),
    # one named activity or day, resolved against today (a Tuesday)
    ("how was yesterday's run", YESTERDAY),
    ("yesterdy's ride", YESTERDAY),
    ("How was yestreday's swim?", YESTERDAY),
    ("my ride on Tuesday", [span("list_activities", "2026-11-17")]),
    ("How was my wensday ride?", [span("list_activities", "2026-11-18")]),
    ("what did I do on 2026-11-20", [span("list_activities", "2026-11-20")]),
    ("what did I do on Nov 20th", [span("list_activities", "2026-11-20")]),
    ("How was my ride last Friday?", [span("list_activities", "2026-11-20")]),
    ("¿Qué tal el entreno del lunes?", LAST_MONDAY),
    ("¿Qué hice el lunes?", LAST_MONDAY),
    ("¿Cómo fue la carrera del 20 de noviembre?", [span("list_activities", "2026-11-20")]),
    ("Wie war das Training am Montag?", LAST_MONDAY),
    ("Was habe ich am 20.11. gemacht?", [span("list_activities", "2026-11-20")]),
    ("Wie lief der Lauf gestern?", YESTERDAY),
    # what is planned
    ("What's on my calendar?", ON_CALENDAR),
    ("whats on my calender", ON_CALENDAR),
    ("What's on my calendar for the rest of this week?",
     [span("planned_workouts", "2026-11-24", "2026-11-29")]),
    ("what do I have tomorrow", TOMORROW_PLANNED),
    ("What's my plan for tomorrow?", TOMORROW_PLANNED),
    ("what's my workout on thursday", [span("planned_workouts", "2026-11-26")]),
    ("¿Qué tengo planeado?", ON_CALENDAR),
    ("¿Qué tengo mañana?", TOMORROW_PLANNED),
    ("¿Qué me toca el jueves?", [span("planned_workouts", "2026-11-26")]),
    ("Was steht an?", ON_CALENDAR),
    ("Was steht diese Woche an?", [span("planned_workouts", "2026-11-24", "2026-11-29")]),
    ("Was ist für morgen geplant?", TOMORROW_PLANNED),
    # compliance and intensity
    ("Have I been doing the workouts I planned?",
     [span("planned_workouts", "2026-10-28", "2026-11-24")]),
    ("¿He cumplido lo planificado la semana pasada?",
     [span("planned_workouts", "2026-11-16", "2026-11-22")]),
    ("Am I doing too much intensity lately?", [("training_summary", {"weeks": 4})]),
    ("Mache ich zu viel Intensität?", [("training_summary", {"weeks": 4})]),
]


@pytest.mark.parametrize("text, reads", FACTS)
def test_everyday_questions_get_the_reads_that_answer_them(text, reads):
    assert reads_of(text) == reads


NOTHING = [
    "hi", "Hola", "Hallo!", "thanks", "Thanks, that's all for today!", "Gracias, eso es todo",
    "Danke!", "Guten Morgen!", "Buenos días", "what is 2+2", "What's the capital of France?",
    "¿Cuál es la capital de Francia?", "Was ist die Hauptstadt von Frankreich?", "tell me a joke",
    "I'm on an airplane tomorrow", "airplane food", "my plane leaves friday", "I have a plan",
    "How should I fuel a long ride of 3 hours?", "Any drills to make my swim stroke smoother?",
    "", "?!", "plan " * 100,
]


@pytest.mark.parametrize("text", NOTHING)
def test_small_talk_and_off_topic_match_nothing(text):
    assert recognize(text, TODAY) == []
    assert plan_ask(text, TODAY) is None
    assert change_ask(text, TODAY) is None


@pytest.mark.parametrize("text", [
    "I ran out of time", "I ran out of time yesterday", "I'm running late", "Plan?",
    "Give me a summary of last week", "give me my ftp", "give me yesterday's ride",
    "What's my plan for tomorrow?", "¿Qué tengo planeado?", "Was ist für morgen geplant?",
    "How many hours a week should I train?", "Move Thursday's run to Friday",
    "I need a rest day tomorrow", "Necesito un día de descanso mañana",
    "Ich brauche morgen einen Ruhetag", "Plan nothing for tomorrow",
    "Any drills to make my swim stroke smoother?", "What should I eat tomorrow?",
])
def test_questions_that_merely_mention_a_word_are_no_plan_ask(text):
    assert plan_ask(text, TODAY) is None


def day_ask(day: str, **limits: Any) -> PlanAsk:
    return PlanAsk(start=D(day), end=D(day), days=(D(day),), **limits)


NEXT_WEEK: dict[str, Any] = {"start": D("2026-11-30"), "end": D("2026-12-06"), "weeks": 1}
FOUR_WEEKS_TO_RACE = PlanAsk(start=D("2026-11-30"), end=D("2026-12-27"), weeks=4, to_race=True)
RIDE, RUN, SWIM = (Sport.RIDE,), (Sport.RUN,), (Sport.SWIM,)

PLANS = [
    # tomorrow, a weekday, in any casing or typo
    ("Plan tomorrow", day_ask("2026-11-25")),
    ("Plan tomorrow's ride", day_ask("2026-11-25", sports=RIDE)),
    ("plan tommorow's ride", day_ask("2026-11-25", sports=RIDE)),
    ("plan tomorrw's ride", day_ask("2026-11-25", sports=RIDE)),          # one letter off
    ("Plan a ride on Firday", day_ask("2026-11-27", sports=RIDE)),        # two swapped
    ("PLAN TMRW RIDE 2H", day_ask("2026-11-25", sports=RIDE, hours=2.0)),
    ("Planea el paseo en bici de mañana", day_ask("2026-11-25", sports=RIDE)),
    ("Planifícame la salida en bici de mañana", day_ask("2026-11-25", sports=RIDE)),
    ("Plane morgen eine Radausfahrt", day_ask("2026-11-25", sports=RIDE)),
    ("Plane mir für morgen eine lockere Radausfahrt von einer Stunde.",
     day_ask("2026-11-25", sports=RIDE, hours=1.0, effort=Effort.EASY)),
    ("Plan an easy spin for tomorrow, 1h30",
     day_ask("2026-11-25", sports=RIDE, hours=1.5, effort=Effort.EASY)),
    ("plan tomorrow, half an hour swim", day_ask("2026-11-25", sports=SWIM, hours=0.5)),
    ("Plan a swim for Friday, about 45 minutes", day_ask("2026-11-27", sports=SWIM, hours=0.75)),
    ("Give me a run interval session for Saturday",
     day_ask("2026-11-28", sports=RUN, effort=Effort.HARD)),
    ("can you plan a threshold ride on thursday, an hour and a half",
     day_ask("2026-11-26", sports=RIDE, hours=1.5, effort=Effort.HARD)),
    ("Planea una carrera suave de 45 minutos para el sábado",
     day_ask("2026-11-28", sports=RUN, hours=0.75, effort=Effort.EASY)),
    ("Dame una sesión de natación para el viernes, una hora y media",
     day_ask("2026-11-27", sports=SWIM, hours=1.5)),
    ("Plane mir eine Laufeinheit am Samstag, 1 Stunde, locker",
     day_ask("2026-11-28", sports=RUN, hours=1.0, effort=Effort.EASY)),
    ("Gib mir eine Schwimmeinheit für Freitag, eine halbe Stunde",
     day_ask("2026-11-27", sports=SWIM, hours=0.5)),
    ("what should I do tomorrow?", day_ask("2026-11-25")),
    ("¿Qué hago mañana?", day_ask("2026-11-25")),
    ("Was soll ich morgen machen?", day_ask("2026-11-25")),
    ("Plan Tuesday and Thursday rides", PlanAsk(start=D("2026-11-26"), end=D("2026-12-01"),
                                                days=(D("2026-11-26"), D("2026-12-01")),
                                                sports=RIDE)),
    # my week, next week with hours and days off
    ("Plan my week", PlanAsk(start=D("2026-11-24"), end=D("2026-11-29"))),
    ("Plane meine Woche", PlanAsk(start=D("2026-11-24"), end=D("2026-11-29"))),
    ("Give me next week, 6 hours, no Monday", PlanAsk(**NEXT_WEEK, hours=6.0, days_off=(0,))),
    ("Dame la semana que viene, 6 horas, sin lunes",
     PlanAsk(**NEXT_WEEK, hours=6.0, days_off=(0,))),
    ("Gib mir nächste Woche, 6 Stunden, kein Montag",
     PlanAsk(**NEXT_WEEK, hours=6.0, days_off=(0,))),
    ("plan next week, 8 hours, no Monday or Friday",
     PlanAsk(**NEXT_WEEK, hours=8.0, days_off=(0, 4))),
    ("Plan next week, Monday and Friday off", PlanAsk(**NEXT_WEEK, days_off=(0, 4))),
    ("Plane nächste Woche, Montag frei, längste Ausfahrt 3 Stunden",
     PlanAsk(**NEXT_WEEK, sports=RIDE, days_off=(0,), longest_min=180)),
    ("Plan next week with a rest day on Wednesday", PlanAsk(**NEXT_WEEK, days_off=(2,))),
    ("Plan rides for Friday next week", PlanAsk(**NEXT_WEEK, days=(D("2026-12-04"),),
                                                sports=RIDE)),
    # N weeks, to my race
    ("give me 3 weeks", PlanAsk(start=D("2026-11-30"), end=D("2026-12-20"), weeks=3)),
    ("Build me 4 weeks to my race", FOUR_WEEKS_TO_RACE),
    ("Prepárame 4 semanas hasta mi carrera", FOUR_WEEKS_TO_RACE),
    ("Erstelle mir 4 Wochen bis zu meinem Rennen", FOUR_WEEKS_TO_RACE),
    ("give me 6 weeks until my race, 10 hours a week, longest ride 4 hours",
     PlanAsk(start=D("2026-11-30"), end=D("2026-01-10").replace(year=2027), weeks=6,
             to_race=True, hours=10.0, sports=RIDE, longest_min=240)),
    ("Hazme un plan de 3 semanas, 8 horas por semana, el lunes libre",
     PlanAsk(start=D("2026-11-30"), end=D("2026-12-20"), weeks=3, hours=8.0, days_off=(0,))),
    ("Build my taper for the race.", PlanAsk(to_race=True)),
    # the season: up to the A race, however far
    ("Plan my season to my A race", PlanAsk(to_race=True, season=True)),
    ("Planifica mi temporada", PlanAsk(to_race=True, season=True)),
    ("Plane meine Saison bis zum Rennen", PlanAsk(to_race=True, season=True)),
]


@pytest.mark.parametrize("text, expected", PLANS)
def test_plan_asks_and_their_limits(text, expected):
    ask = plan_ask(text, TODAY)
    assert ask == expected
    check_plan(ask)


def test_how_the_season_went_is_no_plan_ask():
    assert plan_ask("How was my season?", TODAY) is None
    assert plan_ask("What is the season like?", TODAY) is None


def test_a_follow_up_changes_the_previous_ask_and_nothing_else():
    first = plan_ask("Plan tomorrow's ride", TODAY)
    shorter = plan_ask("Make it shorter, I only have 45 minutes", TODAY, first)
    assert shorter == day_ask("2026-11-25", sports=RIDE, hours=0.75)
    assert plan_ask("Hazlo más suave", TODAY, first) == day_ask("2026-11-25", sports=RIDE,
                                                               effort=Effort.EASY)
    assert plan_ask("Mach es kürzer, ich habe nur 30 Minuten", TODAY, first) == day_ask(
        "2026-11-25", sports=RIDE, hours=0.5)
    assert plan_ask("Make it a run instead", TODAY, first) == day_ask("2026-11-25", sports=RUN)
    assert plan_ask("Make it shorter, I only have 45 minutes", TODAY) is None  # nothing before
    assert plan_ask("Make it shorter", TODAY, first) is None                    # no clear limit
    assert plan_ask("thanks", TODAY, first) is None


def test_a_plan_for_a_past_day_is_recognised_for_the_caller_to_refuse():
    ask = plan_ask("Put a 1 hour ride on yesterday, I forgot to plan it.", TODAY)
    assert ask == day_ask("2026-11-23", sports=RIDE, hours=1.0)
    assert plan_ask("give me yesterday's ride", TODAY) is None   # a request is for days to come


CHANGES = [
    ("Move Thursday's run to Friday", ChangeAsk(Action.MOVE, D("2026-11-26"), Sport.RUN,
                                                new_day=D("2026-11-27"))),
    ("move thursdays run to friday", ChangeAsk(Action.MOVE, D("2026-11-26"), Sport.RUN,
                                               new_day=D("2026-11-27"))),
    ("Move my run from Thursday to Friday", ChangeAsk(Action.MOVE, D("2026-11-26"), Sport.RUN,
                                                      new_day=D("2026-11-27"))),
    ("Move tomorrow's ride to next Saturday", ChangeAsk(Action.MOVE, D("2026-11-25"), Sport.RIDE,
                                                        new_day=D("2026-11-28"))),
    ("change Thursday's run to Friday", ChangeAsk(Action.MOVE, D("2026-11-26"), Sport.RUN,
                                                  new_day=D("2026-11-27"))),
    ("Mueve la carrera del jueves al viernes", ChangeAsk(Action.MOVE, D("2026-11-26"), Sport.RUN,
                                                         new_day=D("2026-11-27"))),
    ("Pasa el rodaje del jueves para el viernes", ChangeAsk(Action.MOVE, D("2026-11-26"),
                                                            Sport.RUN, new_day=D("2026-11-27"))),
    ("Verschiebe den Lauf am Donnerstag auf Freitag",
     ChangeAsk(Action.MOVE, D("2026-11-26"), Sport.RUN, new_day=D("2026-11-27"))),
    ("Verschieb meinen Donnerstagslauf auf Freitag",
     ChangeAsk(Action.MOVE, D("2026-11-26"), Sport.RUN, new_day=D("2026-11-27"))),
    ("Cancel Saturday's ride, I'm travelling", ChangeAsk(Action.DELETE, D("2026-11-28"),
                                                         Sport.RIDE)),
    ("Cancel Saturday's ride, I don't have time", ChangeAsk(Action.DELETE, D("2026-11-28"),
                                                            Sport.RIDE)),
    ("skip tomorrow's ride", ChangeAsk(Action.DELETE, D("2026-11-25"), Sport.RIDE)),
    ("delete the swim on friday", ChangeAsk(Action.DELETE, D("2026-11-27"), Sport.SWIM)),
    ("Cancela la salida en bici del sábado, estoy de viaje",
     ChangeAsk(Action.DELETE, D("2026-11-28"), Sport.RIDE)),
    ("Borra la natación del viernes", ChangeAsk(Action.DELETE, D("2026-11-27"), Sport.SWIM)),
    ("Streiche die Radausfahrt am Samstag", ChangeAsk(Action.DELETE, D("2026-11-28"),
                                                      Sport.RIDE)),
    ("Lösche das Schwimmen am Freitag", ChangeAsk(Action.DELETE, D("2026-11-27"), Sport.SWIM)),
    ("Replace tomorrow's workout with something easier",
     ChangeAsk(Action.REPLACE, D("2026-11-25"), effort=Effort.EASY)),
    ("replace thursday's run with 30 minutes easy",
     ChangeAsk(Action.REPLACE, D("2026-11-26"), Sport.RUN, effort=Effort.EASY, hours=0.5)),
    ("change tomorrow's ride to something easier",
     ChangeAsk(Action.REPLACE, D("2026-11-25"), Sport.RIDE, effort=Effort.EASY)),
    ("Reemplaza el entreno de mañana por algo más suave",
     ChangeAsk(Action.REPLACE, D("2026-11-25"), effort=Effort.EASY)),
    ("Cambia el entreno de mañana por algo más suave",
     ChangeAsk(Action.REPLACE, D("2026-11-25"), effort=Effort.EASY)),
    ("Ersetze das Training von morgen durch etwas Leichteres",
     ChangeAsk(Action.REPLACE, D("2026-11-25"), effort=Effort.EASY)),
    ("Replace a ride on Saturday with an easy spin",        # "a" before the day is no marker
     ChangeAsk(Action.REPLACE, D("2026-11-28"), Sport.RIDE, effort=Effort.EASY)),
]


@pytest.mark.parametrize("text, expected", CHANGES)
def test_change_asks_name_the_action_the_day_and_the_sport(text, expected):
    ask = change_ask(text, TODAY)
    assert ask == expected
    check_change(ask)
    assert recognize(text, TODAY) == []       # nothing to read before a change


@pytest.mark.parametrize("text", [
    "Move Thursday's run",                 # to where: the model asks
    "Replace tomorrow's workout",          # with what: the model asks
    "Should I skip tomorrow's ride?",      # advice, not an order
    "¿Debería cancelar la salida del sábado?", "Soll ich den Lauf am Donnerstag streichen?",
    "My Saturday ride got cancelled", "cancel my subscription", "move on",
    "¿Qué pasa si no entreno el lunes?", "I had to cancel Saturday's ride",
    "Don't move Thursday's run to Friday", "Tuve que cancelar la salida del sábado",
])
def test_no_change_without_a_clear_order(text):
    assert change_ask(text, TODAY) is None


@pytest.mark.parametrize("text, today, day", [
    ("How was my ride last Friday?", D("2026-11-27"), "2026-11-20"),   # on a Friday: a week ago
    ("how was the ride on friday", D("2026-11-28"), "2026-11-27"),
    ("¿Qué tal el entreno del lunes pasado?", TODAY, "2026-11-23"),
    ("Wie war das Training am letzten Montag?", TODAY, "2026-11-23"),
    ("what did I do on Dec 30", D("2027-01-02"), "2026-12-30"),       # across New Year
    ("what did I do on 30/12", D("2027-01-02"), "2026-12-30"),
    ("Was habe ich am 30.12.2026 gemacht?", D("2027-01-02"), "2026-12-30"),
    ("what did I do the day before yesterday", TODAY, "2026-11-22"),
    ("¿Qué hice anteayer?", TODAY, "2026-11-22"),
    ("Was habe ich vorgestern gemacht?", TODAY, "2026-11-22"),
])
def test_named_days_resolve_against_today(text, today, day):
    assert reads_of(text, today) == [span("list_activities", day)]


@pytest.mark.parametrize("text, today, expected", [
    ("Plan Friday", D("2026-11-27"), "2026-12-04"),          # on a Friday: next week's
    ("Plan next Friday", TODAY, "2026-11-27"),
    ("Planea el lunes que viene", TODAY, "2026-11-30"),
    ("Plane den nächsten Montag", TODAY, "2026-11-30"),
    ("plan pasado mañana", TODAY, "2026-11-26"),
    ("Plane übermorgen", TODAY, "2026-11-26"),
    ("plan the day after tomorrow", TODAY, "2026-11-26"),
    ("plan dec 3", TODAY, "2026-12-03"),
    ("Plan 2026-12-03", TODAY, "2026-12-03"),
])
def test_plan_days_resolve_ahead_of_today(text, today, expected):
    assert plan_ask(text, today) == day_ask(expected)


def test_arguments_stay_inside_what_the_tools_accept():
    assert reads_of("How did the last 100 weeks go?") == [("training_summary", {"weeks": 52})]
    assert reads_of("fitness over the last 3 days") == [("fitness_trend", {"days": 7})]
    assert plan_ask("give me 30 weeks", TODAY).weeks == 30       # the caller caps to MAX_WEEKS
    check_plan(plan_ask("give me 30 weeks", TODAY))
    writes = {"propose_workout", "propose_change", "plan_weeks"}
    for text, _ in FACTS:
        assert all(read.tool in set(TOOLS) - writes for read in recognize(text, TODAY))


def test_a_known_race_bounds_the_calendar_read():
    race = TODAY + timedelta(days=40)
    assert reads_of("Am I ready for my race?", race=race)[-1] == span(
        "planned_workouts", "2026-11-24", race.isoformat())
    far = TODAY + timedelta(days=200)   # too far ahead to list: four weeks
    assert reads_of("Am I ready for my race?", race=far) == RACE


def test_this_week_on_a_sunday_and_a_monday():
    sunday, monday = D("2026-11-29"), D("2026-11-30")
    assert reads_of("what have I done this week", sunday) == [
        ("training_summary", {"weeks": 1}), span("list_activities", "2026-11-23", "2026-11-29")]
    assert reads_of("how was last week", monday) == [
        ("training_summary", {"weeks": 2}), span("list_activities", "2026-11-23", "2026-11-29")]


def test_a_long_message_is_left_to_the_model():
    text = "How was my last week? " + "I also want to tell you about my day. " * 10
    assert recognize(text, TODAY) == []
    assert plan_ask("Plan tomorrow's ride. " + "Some context. " * 40, TODAY) is None


# --- every question `coach eval` asks ----------------------------------------------------------

FACT, PLAN, CHANGE, NONE = "facts", "plan", "change", "nothing"
EVAL_KINDS: dict[str, tuple[str, set[Topic]]] = {
    "last-week": (FACT, {Topic.WEEKS}),
    "race-ready": (FACT, {Topic.RACE}),
    "ftp-trend": (FACT, {Topic.THRESHOLDS}),
    "hrv": (FACT, {Topic.WELLNESS}),
    "hours-ridden": (FACT, {Topic.WEEKS}),
    "best-20min": (FACT, {Topic.EFFORTS}),
    "intensity": (FACT, {Topic.INTENSITY}),
    "compliance": (FACT, {Topic.COMPLIANCE}),
    "calendar-week": (FACT, {Topic.CALENDAR}),
    "plan-tomorrow": (PLAN, set()),
    "next-week": (PLAN, set()),
    "run-saturday": (PLAN, set()),
    "swim-friday": (PLAN, set()),
    "tired-today": (PLAN, {Topic.WELLNESS}),      # and the readiness facts first
    "follow-up-shorter": (PLAN, set()),
    "past-day": (PLAN, set()),                   # for a past day: the caller says so
    "move-run": (CHANGE, set()),
    "cancel-ride": (CHANGE, set()),
    "no-goal": (PLAN, set()),                    # 4 weeks, no race: the caller asks for a goal
    "unknown-race": (PLAN, set()),               # to a race the calendar lacks: the caller asks
    "hi": (NONE, set()),
    "two-plus-two": (NONE, set()),
    "thanks": (NONE, set()),
    "capital": (NONE, set()),
    "swim-hr": (FACT, {Topic.WEEKS}),
    "injection": (FACT, {Topic.WEEKS}),
    "injection-plan": (FACT, {Topic.CALENDAR}),
    "long-conversation": (FACT, {Topic.WEEKS}),
    "spanish-week": (FACT, {Topic.WEEKS}),
    "german-ride": (PLAN, set()),
    "planned-day": (PLAN, set()),
    "ease-off": (PLAN, set()),
    "day-off": (PLAN, set()),
    "race-week": (PLAN, set()),
    "asked-again": (PLAN, set()),
    "knee-note": (PLAN, set()),
    "remember-wednesdays": (PLAN, set()),        # the note is the product's own first move
    "season-20": (PLAN, set()),                  # a season: the planner lays it out
    "long-ride-fuel": (PLAN, set()),
}


def test_every_eval_scenario_has_an_expected_kind():
    assert set(EVAL_KINDS) == {s.name for s in SCENARIOS}
    assert EVAL_TODAY == TODAY


def _last_plan_ask(asked: tuple[str, ...]) -> PlanAsk | None:
    ask = None
    for text in asked:
        ask = plan_ask(text, EVAL_TODAY, ask)
    return ask


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_eval_scenarios_are_recognised_as_their_kind(scenario):
    kind, expected_topics = EVAL_KINDS[scenario.name]
    text = scenario.asks[-1]
    plan, change = _last_plan_ask(scenario.asks), change_ask(text, EVAL_TODAY)
    assert set(topics(text, EVAL_TODAY)) == expected_topics
    assert (plan is not None) == (kind == PLAN)
    assert (change is not None) == (kind == CHANGE)
    if expected_topics:    # the facts the scenario wants are in hand before the answer
        assert {r.tool for r in recognize(text, EVAL_TODAY)} & set(scenario.expect.tools)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if EVAL_KINDS[s.name][0] == PLAN
                                      and s.expect.plan and s.expect.plan.count[1]],
                         ids=lambda s: s.name)
def test_eval_plan_asks_carry_the_limits_the_grader_checks(scenario):
    ask, limits = _last_plan_ask(scenario.asks), scenario.expect.plan
    first, last = days_of(limits.window, EVAL_TODAY)
    assert ask is not None and ask.start is not None and ask.end is not None
    assert first <= ask.start <= ask.end <= last
    assert set(ask.sports) <= set(limits.sports or ask.sports)
    # a day off the athlete's kept note gives (the planner reads it), not the ask
    assert ask.days_off == limits.rest_days or scenario.name == "remember-wednesdays"
    if limits.hours and ask.hours is not None:
        assert limits.hours[0] <= ask.hours <= limits.hours[1]
    check_plan(ask)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if EVAL_KINDS[s.name][0] == CHANGE],
                         ids=lambda s: s.name)
def test_eval_changes_name_the_workout_the_grader_checks(scenario):
    ask, limits = change_ask(scenario.asks[-1], EVAL_TODAY), scenario.expect.plan
    assert ask is not None and limits is not None and limits.target is not None
    assert ask.action.value == limits.change
    assert (ask.day.weekday(), ask.sport) == limits.target
    assert (ask.new_day.weekday() if ask.new_day else None) == limits.move_to
    check_change(ask)


PURE_MODULES = {"__future__", "collections", "dataclasses", "datetime", "enum", "functools", "re",
                "typing", "unicodedata"}


def test_the_recognizer_is_pure():
    """Computation only: it runs before the model and must reach no store, file or network,
    nor the pydantic tool models (the tests check arguments against those)."""
    tree = ast.parse(Path(asks.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert imported <= PURE_MODULES, f"coach/agent/asks.py imports {imported - PURE_MODULES}"


def test_reads_compare_by_tool_and_arguments():
    assert Read("athlete_profile") == Read("athlete_profile", {})
    assert Read("fitness_trend", {"days": 42}) != Read("fitness_trend", {"days": 90})
