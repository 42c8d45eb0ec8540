"""Everyday asks recognised without a model, in English, Spanish and German: the read-tool
calls that answer a question (`recognize`), a request for new workouts (`plan_ask`) and a change
to one planned workout (`change_ask`). Pure (standard library only) and deterministic: word
tables below, matched on lower-case text without accents, so "Mañana", "manana" and "MAÑANA"
read alike; a few common typos are listed or matched one letter off (words marked `~`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

MAX_WORDS = 60       # a longer message is not an everyday ask: the model reads it
LIST_DAYS = 14       # activities are listed one by one for up to two weeks
WELLNESS_DAYS = 14
FITNESS_DAYS = 42
AHEAD_DAYS = 6       # "what's planned": today and the six days after
BACK_DAYS = 27       # "did I do what I planned": four weeks, today included
RACE_DAYS = 84       # planned workouts up to a race, at most twelve weeks ahead


class Topic(StrEnum):
    """What an everyday question is about."""

    RACE = "race"                # am I ready for my race
    THRESHOLDS = "thresholds"    # FTP, zones, FTP trend
    EFFORTS = "efforts"          # best power or pace
    FITNESS = "fitness"          # CTL, ATL, form
    WELLNESS = "wellness"        # readiness, HRV, sleep, resting HR, recovery
    INTENSITY = "intensity"      # too much intensity, time near threshold
    COMPLIANCE = "compliance"    # did I do the workouts I planned
    CALENDAR = "calendar"        # what is planned
    DAY = "day"                  # one named day or activity
    WEEKS = "weeks"              # last week, the last N weeks or days, this week


class Sport(StrEnum):
    """The sport families the tools accept."""

    RIDE = "Ride"
    RUN = "Run"
    SWIM = "Swim"


class Effort(StrEnum):
    """How hard the athlete asked for it to be."""

    EASY = "easy"
    HARD = "hard"


class Action(StrEnum):
    """What a change does to a planned workout (propose_change's action)."""

    MOVE = "move"
    REPLACE = "replace"
    DELETE = "delete"


class _Sense(StrEnum):
    """Which way in time a phrase looks."""

    PAST = "past"
    NOW = "now"
    FUTURE = "future"


@dataclass(frozen=True)
class Read:
    """One read-tool call: the tool's name and its arguments."""

    tool: str
    arguments: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanAsk:
    """A request for new workouts: when, and the limits the words made clear (None: not said)."""

    start: date | None = None        # the first day to plan; None: not said
    end: date | None = None          # the last day; None with to_race: the race decides
    days: tuple[date, ...] = ()      # the days named ("Tuesday and Thursday"); empty: any
    weeks: int | None = None         # a multi-week plan from the Monday after today
    to_race: bool = False            # up to the next race
    hours: float | None = None       # total of the days asked; per week in a multi-week plan
    sports: tuple[Sport, ...] = ()
    days_off: tuple[int, ...] = ()   # weekdays, 0 = Monday
    longest_min: int | None = None   # the longest session
    effort: Effort | None = None
    season: bool = False             # the season: up to the A race, however far


@dataclass(frozen=True)
class ChangeAsk:
    """A change to one planned workout, named by day and sport (the caller finds its id)."""

    action: Action
    day: date
    sport: Sport | None = None       # None: whatever workout is planned that day
    new_day: date | None = None      # move only
    effort: Effort | None = None     # replace: "with something easier"
    hours: float | None = None       # replace: "with 45 minutes"


# --- the words ---------------------------------------------------------------------------------
# A phrase is words separated by spaces; each slot lists alternatives with "|": `#` is a number
# ("4", "four", "cuatro", "vier"), `x*` a word starting with x, `x~` x or one letter off.

Phrases = tuple[str, ...]

NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "few": 3, "couple": 2,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12,
    "ein": 1, "eine": 1, "einer": 1, "einen": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4,
    "funf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "zwolf": 12,
    "zwoelf": 12, "anderthalb": 1.5, "eineinhalb": 1.5,
}
WEEKDAY_NAMES = (  # Monday first
    "monday~|mon|lunes|montag*",
    "tuesday~|tue|tues|martes|dienstag*",
    "wednesday~|wed|wensday|wendsday|wednsday|miercoles|mittwoch*",
    "thursday~|thu|thur|thurs|thrusday|jueves|donnerstag*",
    "friday~|fri|viernes|freitag*",
    "saturday~|sabado*|samstag*|sonnabend",
    "sunday~|domingo*|sonntag*",
)
GERMAN_WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
MONTH_NAMES = (
    "january|jan|enero|januar|janner", "february|feb|febrero|februar",
    "march|mar|marzo|marz|maerz", "april|apr|abril", "may|mayo|mai", "june|jun|junio|juni",
    "july|jul|julio|juli", "august|aug|agosto", "september|sep|sept|septiembre|setiembre",
    "october|oct|octubre|oktober|okt", "november|nov|noviembre",
    "december|dec|diciembre|dezember|dez",
)
RELATIVE_DAYS: tuple[tuple[str, int | None], ...] = (  # longest first; None: not a day
    ("day after tomorrow", 2), ("pasado manana", 2), ("ubermorgen|uebermorgen", 2),
    ("day before yesterday", -2), ("antes de ayer", -2), ("anteayer|antier|vorgestern", -2),
    ("por la manana", None), ("am morgen", None), ("guten morgen", None),
    ("this morning|afternoon|evening", 0), ("esta manana|tarde|noche", 0),
    ("heute morgen|fruh|abend|nachmittag", 0), ("today|tonight|hoy|heute", 0),
    ("tomorrow~|tomorow|tommorow|tommorrow|tmrw|tmr|manana|morgen", 1),
    ("yesterday~|yday|ayer|gestern", -1),
)
LEAN_PAST_BEFORE = "last|past|previous|letzten|letzter|letztem|vergangenen|vorigen"
LEAN_FUTURE_BEFORE = "next|coming|proximo|proxima|nachsten|naechsten|kommenden"
LEAN_PAST_AFTER: Phrases = ("pasado",)
LEAN_FUTURE_AFTER: Phrases = ("proximo", "que viene")
SPORT_WORDS: dict[Sport, Phrases] = {
    Sport.RIDE: ("ride|rides|riding|bike*|biking|cycl*|spin|zwift|bici*|ciclismo|rodillo|"
                 "rad*|fahrrad*|ausfahrt*|radl",),
    Sport.RUN: ("run|runs|running|jog*|correr|carrera|rodaje|trote|lauf*|jogg*",),
    Sport.SWIM: ("swim*|pool|nadar|nado|natacion|piscina|schwimm*",),
}
SESSION_WORDS: Phrases = ("workout*|session*|training*|activit*|entreno*|entrenamiento*|sesion*|"
                          "salida*|actividad*|einheit*|aktivitat*|aktivitaet*",)
ACTIVITY_WORDS: Phrases = SESSION_WORDS + tuple(p for ps in SPORT_WORDS.values() for p in ps)
EFFORT_WORDS: dict[Effort, Phrases] = {
    Effort.EASY: ("easy|easier|light|lighter|gentle|relaxed|recovery|chill|tired|suave|facil|"
                  "tranquil*|ligero|ligera|regenerativ*|cansad*|locker*|leicht*|ruhig*|"
                  "gemutlich*|mude|muede",),
    Effort.HARD: ("hard|harder|interval*|threshold|tempo|vo2*|intense|sprints|fartlek|series|"
                  "duro|dura|fuerte|umbral|intens*|hart|harte*|harter|schwelle*",
                  "sweet spot"),
}
HOUR_UNITS = "h|hr|hrs|hour|hours|hora|horas|hs|std|stunde|stunden"
MINUTE_UNITS = "min|mins|minute|minutes|minuto|minutos|minuten"
HALF_HOURS: Phrases = ("half an|a hour", "half hour", "media hora", "halbe stunde")
AND_A_HALF: Phrases = ("and a half", "y media", "und eine halbe", "einhalb")
RATES: Phrases = ("a|per|each|every|the week", "a la semana", "por|cada semana", "semanales",
                  "pro|je|die woche", "in der woche", "wochentlich|woechentlich")
LONGEST_BEFORE: Phrases = (  # said just before the longest session's length
    "longest|langste|laengste|langsten|laengsten", "long ride|run|swim|session|one",
    "mas larga|largo", "tirada|salida|sesion larga", "lange|langer|langen ausfahrt|einheit|lauf",
    "sessions|sesiones|einheiten up|de|bis",
)
LONGEST_AFTER: Phrases = ("per|each|a|por|pro|je session|sesion|einheit|ride|run|salida",)

# Questions: a topic is asked when every group of one of its cues is said.
RACE_WORDS: Phrases = ("race|races|racing|event|marathon|triathlon|ironman|granfondo|sportive|"
                       "competition|carrera|competicion|prueba|maraton|triatlon|rennen|"
                       "wettkampf*", "gran fondo")
READY_WORDS: Phrases = ("ready|prepared|peak*|listo|lista|listos|preparado|preparada|bereit|"
                        "vorbereitet|fit", "on track", "a punto", "in form")
RACE_PREP: Phrases = ("race readiness|prep|preparation", "preparacion para la carrera")
THRESHOLD_WORDS: Phrases = ("ftp|eftp|ftps|lthr|threshold*|zones|zonas|zonen|umbral|umbrales|"
                            "schwelle*|css", "critical power", "potencia critica")
BEST_WORDS: Phrases = ("best|fastest|top|pb|pr|pbs|prs|record*|mejor|mejores|beste*|rekord*",)
EFFORT_MEASURES: Phrases = ("power|watts|watt|pace|time|times|effort*|minute|min|sprint|5k|10k|"
                            "km|mile|potencia|vatios|ritmo|tiempo|marca|leistung|tempo|zeit",)
EFFORT_NAMES: Phrases = ("power curve|profile", "personal best|record", "best efforts",
                         "marca personal", "mejor marca", "bestzeit*|bestleistung*|leistungskurve",
                         "curva de potencia")
FITNESS_WORDS: Phrases = ("fitness~|fitnes|ctl|atl|tsb|form|fatigue|fatiga|freshness|ermudung|"
                          "ermuedung|formkurve|frische", "ramp rate", "how fit", "mi forma",
                          "en forma", "estado de forma", "forma fisica", "training load",
                          "carga cronica")
WELLNESS_WORDS: Phrases = ("hrv|readiness|recover*|recuper*|erhol*|sleep*|slept|sueno|dormi*|"
                           "durmiendo|duermo|schlaf*|geschlafen|rhr|ruhepuls|tired|cansad*|mude|muede|fatigued|"
                           "variabilidad|wellness|bienestar", "resting hr|heart|pulse",
                           "pulso|fc|frecuencia en reposo", "cardiaca en reposo",
                           "ready to train", "listo para entrenar",
                           "bereit zu|zum|fur trainieren|training")
INTENSITY_WORDS: Phrases = ("intensity|intensidad|intensitat|intensitaet|polariz*|polaris*|z2",
                            "zone 2|two", "zona 2", "time in zone*", "too much hard",
                            "demasiado duro|fuerte|intenso", "zu hart|intensiv", "hard sessions")
PLANNED_WORDS: Phrases = ("planned|plan|scheduled|planead*|planificad*|programad*|geplant*|"
                          "plan*",)
DONE_WORDS: Phrases = ("doing|done|did|missed|miss|skipped|completed|complete|follow*|stuck|stick|"
                       "hecho|hice|cumpl*|segui*|saltad*|perdi|gemacht|absolviert|eingehalten|"
                       "verpasst|ausgelassen|geschafft|durchgezogen", "compliance|cumplimiento")
TOPIC_CUES: dict[Topic, tuple[tuple[Phrases, ...], ...]] = {
    Topic.RACE: ((RACE_WORDS, READY_WORDS), (RACE_PREP,)),
    Topic.THRESHOLDS: ((THRESHOLD_WORDS,),),
    Topic.EFFORTS: ((BEST_WORDS, EFFORT_MEASURES), (EFFORT_NAMES,)),
    Topic.FITNESS: ((FITNESS_WORDS,),),
    Topic.WELLNESS: ((WELLNESS_WORDS,),),
    Topic.INTENSITY: ((INTENSITY_WORDS,),),
    Topic.COMPLIANCE: ((PLANNED_WORDS, DONE_WORDS),),
}
CALENDAR_WORDS: Phrases = (
    "calendar~|calender|calandar|schedule|scheduled|upcoming|planned|calendario|planead*|"
    "planificad*|programad*|kalender|geplant*|ansteht|anstehen*",
    "coming up", "on tap", "lined up", "what s next|on", "whats next|on", "my|the plan",
    "next workout|session|ride|run|swim", "do i have", "have i got", "que tengo", "me toca",
    "que toca", "mi|el plan", "lo proximo", "was steht|stehen|kommt|habe|hab", "mein|der plan",
    "nachste|nachstes|naechste|naechstes einheit|training",
)
PAST_CUES: Phrases = (
    "did|were|went|rode|ran|swam|fue|fueron|hice|hizo|estuvo|salio|tuve|corri|nade|war|waren|"
    "hatte|gemacht|gefahren|gelaufen|geschwommen|lief|ging|ago",
    "how|what|it|that|i|there was", "was it|my|the|i|that|there", "que tal", "wie war",
)
FUTURE_CUES: Phrases = (
    "will|going|gonna|planned|scheduled|upcoming|coming|next|tengo|toca|voy|vamos|tendre|"
    "planead*|planificad*|programad*|geplant*|steht|stehen|ansteht|kommt|werde|wird",
    "do i have", "have i got", "what s|is", "whats", "cual es", "was ist",
)

# Plan asks: a verb that makes, or a request that needs a day, a period or a session to be one.
PLAN_VERBS: Phrases = (  # "plan a swim" is an ask with only a sport named
    "plan|plane|planen|planea|planear|planeame|planifica|planificar|planificame|programa|"
    "programame|programar|ponme",
    "schedule|put|add me|a|an|my|some|in|on", "pon|anade|agrega un|una|me|mi|el|la",
    "trag|trage|setz|setze mir|ein|eine|einen",
)
MAKE_VERBS: Phrases = (  # "make my swim stroke smoother" is not: these need a day or a session
    "preparame|hazme|creame|disename|armame|organizame|erstelle|erstell|erstellen",
    "build|make|create|design|write|prepare|set me|a|an|my|some|up",
    "prepara|haz|crea|disena|arma|organiza un|una|me|mi|el|la",
    "mach|mache|bau|baue|schreib|schreibe|leg|lege mir|ein|eine|einen", "come up with",
)
PLAN_REQUESTS: Phrases = (
    "give me", "i need|want a|an|some", "i want to ride|run|swim|train", "suggest|recommend",
    "what should|shall|do i do|ride|run|swim|train", "what do you suggest|recommend",
    "dame", "quiero|necesito un|una", "que hago|hare", "que deberia|debo hacer|entrenar",
    "que me recomiendas|sugieres", "gib|gibt mir", "ich brauche|will|mochte ein|eine|einen",
    "was soll|sollte ich", "was empfiehlst du", "schlag mir",
)
PLAN_NOUNS: Phrases = ("plan|plans|programa|trainingsplan|taper", "training block",
                       "plan de entrenamiento")
NOT_A_VERB_AFTER = ("my|the|a|an|your|our|this|that|training|race|mi|el|un|una|tu|su|este|ese|"
                    "mein|meinen|meinem|meiner|dein|deinen|der|den|dem|das|ein|einen|einem|"
                    "trainings|s")
REST_ASKS: Phrases = ("rest day|days", "day off", "descanso", "dia libre", "ruhetag|pause",
                      "nothing|nada|nichts")  # rest, unless it names the weekdays off
DATA_NOUNS: Phrases = ("summary|overview|stats|statistics|analysis|report|resumen|estadisticas|"
                       "analisis|informe|zusammenfassung|uberblick|ueberblick|statistik|"
                       "auswertung|analyse",)
TO_RACE: Phrases = (
    "to|until|till|before|for my|the race|event|marathon|triathlon|ironman|competition",
    "up to my|the race", "taper|tapering|afinamiento|tapern",
    "hasta|para mi|la carrera|competicion|prueba|maraton|triatlon",
    "bis zum rennen|wettkampf", "bis zu meinem|dem rennen|wettkampf",
    "fur|fuer|vor mein|meinen|meinem|das|den|dem rennen|wettkampf", "puesta a punto",
    "to|until|till|before|for my|the a|b race|event",   # "to my A race"
)
# a season is planned up to the A race: "plan my season", "mi temporada", "meine Saison"
SEASON_WORDS: Phrases = ("season|seasons|temporada|saison",)
DAYS_OFF_BEFORE = ("no|not|except|without|nothing|sin|excepto|menos|salvo|ni|nada|kein|keine|"
                   "keinen|keinem|nicht|ohne|ausser|nichts|rest|descanso|ruhetag")
DAYS_OFF_AFTER = "off|free|rest|libre|libres|descanso|frei|ruhetag|ruhe"
DAYS_OFF_FILLER = ("on|the|a|el|los|la|de|am|an|den|der|training|entreno|day|days|dia|tag|s|"
                   "and|or|nor|y|o|und|oder|is|es|ist|are|son|sind")
FOLLOW_UP: Phrases = (
    "make|change it|that", "shorter|longer|easier|harder|instead", "only have|got",
    "i have only", "hazlo|hacelo|cambialo|mejor", "mas corto|largo|suave|facil|duro",
    "en su lugar", "solo tengo", "mach es|das", "machs", "kurzer|kuerzer|langer|laenger|"
    "leichter|harter|haerter|lockerer|stattdessen", "nur noch", "habe|hab nur",
)

# Change asks: the verb says the action; "change" moves to a day or replaces with a workout.
CHANGE_VERBS: dict[Action | None, Phrases] = {  # asking forms, not "got cancelled"
    Action.MOVE: ("move|shift|push|reschedule|postpone|mueve|muevelo|mover|pasa|pasalo|pasar|"
                  "aplaza|aplazalo|aplazar|retrasa|retrasalo|adelanta|adelantalo|verschieb|"
                  "verschiebe|verschieben|verleg|verlege|verlegen|schieb|schiebe",),
    Action.DELETE: ("cancel|delete|remove|drop|skip|scrap|scratch|cancela|cancelalo|cancelar|"
                    "borra|borralo|borrar|elimina|eliminalo|eliminar|quita|quitalo|quitar|anula|"
                    "anulalo|anular|streich|streiche|streichen|losch|losche|loschen|loesch|"
                    "loesche|loeschen|entfern|entferne|entfernen|absagen",),
    Action.REPLACE: ("replace|substitute|reemplaza|reemplazalo|reemplazar|sustituye|sustituir|"
                     "ersetz|ersetze|ersetzen",),
    None: ("change|swap|switch|cambia|cambialo|cambiar|ander|andere|andern|aendere|aendern|"
           "tausch|tausche|tauschen",),
}
DESTINATION = "to|until|till|onto|al|para|hasta|auf|zu|zum"
ARTICLES = "the|el|la|los|den|dem|der|next|this|proximo|nachsten|naechsten|diesen"
REPLACEMENT = "with|for|by|to|into|por|con|a|en|durch|gegen|mit|auf|zu|in"  # then: what
NOT_AN_ORDER: Phrases = ("dont|never|didnt|not|musste|musstest", "don|didn t", "do not", "had to",
                        "tuve que")  # just before the verb
DOUBT: Phrases = ("should|shall i", "would it", "is it ok|okay|better", "deberia|debo",
                  "sollte|soll ich", "was meinst du")


# --- matching ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?|\d+h\d\d|"
                    r"\d+(?:[.,]\d+)?|[a-z]+")
_COMPOUND = re.compile(rf"\b({'|'.join(GERMAN_WEEKDAYS)})s?(?=[a-z]{{3}})")  # Samstagsausfahrt


def _words_of(text: str) -> tuple[str, ...]:
    """Lower-case words without accents; German weekday compounds split ("samstag ausfahrt")."""
    plain = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return tuple(_TOKEN.findall(_COMPOUND.sub(r"\1 ", plain)))


@cache
def _slots(phrase: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(slot.split("|")) for slot in phrase.split())


def _fits(word: str, alternative: str) -> bool:
    if alternative == "#":
        return _number(word) is not None
    if alternative.endswith("*"):
        return word.startswith(alternative[:-1])
    if alternative.endswith("~"):
        return _near(word, alternative[:-1])
    return word == alternative


def _near(word: str, target: str) -> bool:
    """Equal, or one letter added, dropped or changed, or two swapped (a typo)."""
    if word == target or len(word) < 4 or abs(len(word) - len(target)) > 1:
        return word == target
    i = next((k for k, (a, b) in enumerate(zip(word, target, strict=False)) if a != b),
             min(len(word), len(target)))
    swapped = word[i:i + 2] == target[i:i + 2][::-1] and word[i + 2:] == target[i + 2:]
    return (word[i + 1:] == target[i + 1:] or word[i + 1:] == target[i:]
            or word[i:] == target[i + 1:] or swapped)


def _length_at(words: tuple[str, ...], i: int, phrase: str) -> int:
    slots = _slots(phrase)
    fits = i + len(slots) <= len(words) and all(
        any(_fits(words[i + k], alternative) for alternative in slot)
        for k, slot in enumerate(slots))
    return len(slots) if fits else 0


def _spans(words: tuple[str, ...], phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where the phrases occur, as (first word, one past the last), in the order of the words."""
    return [(i, i + n) for i in range(len(words)) for p in phrases
            if (n := _length_at(words, i, p))]


def _has(words: tuple[str, ...], phrases: Iterable[str]) -> bool:
    return bool(_spans(words, phrases))


def _longest_at(words: tuple[str, ...], i: int, phrases: Iterable[str]) -> int:
    """How many words the longest of the phrases starting at word i takes (0: none)."""
    return max((_length_at(words, i, p) for p in phrases), default=0)


def _is(word: str, slot: str) -> bool:
    return any(_fits(word, alternative) for alternative in slot.split("|"))


def _blank(words: tuple[str, ...], spans: Iterable[tuple[int, int]]) -> tuple[str, ...]:
    """The words with those spans emptied, so later matches skip them; positions stay."""
    gone = {i for start, end in spans for i in range(start, end)}
    return tuple("" if i in gone else w for i, w in enumerate(words))


def _number(word: str) -> float | None:
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if not word[:1].isdigit():
        return None
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


# --- days and periods --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Span:
    """A stretch of days a phrase names, and which way in time it looks."""

    start: date
    end: date
    sense: _Sense
    weeks: int | None = None    # a plan's whole weeks, from the Monday after today


@dataclass(frozen=True)
class _Day:
    """A day the words name, read looking back and looking ahead (equal unless a weekday)."""

    at: int
    end: int
    past: date
    future: date
    weekday: int | None = None

    def on(self, sense: _Sense | None) -> date:
        return self.past if sense is _Sense.PAST else self.future


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks_ahead(today: date, n: int) -> _Span:
    start = _monday(today) + timedelta(days=7)  # plans.plan_start: the Monday after today
    n = max(1, min(n, 52))
    return _Span(start, start + timedelta(days=7 * n - 1), _Sense.FUTURE, n)


def _days_back(today: date, n: int) -> _Span:
    return _Span(today - timedelta(days=max(1, min(n, 365)) - 1), today, _Sense.PAST)


def _last_week(today: date, n: int) -> _Span:
    monday = _monday(today) - timedelta(days=7)
    return _Span(monday, monday + timedelta(days=6), _Sense.PAST)


PERIODS: tuple[tuple[Phrases, Callable[[date, int], _Span], int], ...] = (  # first found wins
    (("rest of the|this week", "remainder of the week", "resto de la|esta semana",
      "lo que queda de semana", "rest der|dieser woche", "restliche|restlichen woche"),
     lambda t, n: _Span(t, _monday(t) + timedelta(days=6), _Sense.FUTURE), 1),
    (("next|coming|following # weeks|wks", "proximas|siguientes # semanas",
      "# proximas|siguientes semanas", "nachsten|naechsten|kommenden # wochen"),
     _weeks_ahead, 1),
    (("next|coming # days", "proximos|siguientes # dias", "proximos|siguientes dias",
      "nachsten|naechsten|kommenden # tage|tagen", "nachsten|naechsten|kommenden tage|tagen"),
     lambda t, n: _Span(t, t + timedelta(days=max(1, min(n, 28))), _Sense.FUTURE), 3),
    (("next|coming|following week", "proxima|siguiente semana", "semana que viene",
      "semana proxima|siguiente", "nachste|nachsten|naechste|naechsten|kommende|kommenden woche"),
     _weeks_ahead, 1),
    (("next|coming month", "proximo|siguiente mes", "mes que viene",
      "nachsten|naechsten|kommenden monat", "next # months", "proximos # meses",
      "nachsten|naechsten # monate|monaten"), lambda t, n: _weeks_ahead(t, 4 * n), 1),
    (("last|past|previous # weeks|wks", "ultimas|pasadas # semanas", "# ultimas semanas",
      "letzten|vergangenen # wochen", "last|past fortnight"),
     lambda t, n: _days_back(t, 7 * n), 2),
    (("last|past # days", "ultimos|pasados # dias", "# ultimos dias",
      "letzten|vergangenen # tage|tagen", "ultimos dias", "letzten tage|tagen"), _days_back, 7),
    (("last|past|previous week", "ultima semana", "semana pasada|anterior",
      "letzte|letzten|vergangene|vergangenen|vorige|vorigen woche"), _last_week, 1),
    (("last|past # months", "ultimos # meses", "letzten # monate|monaten", "last|past month",
      "ultimo mes", "mes pasado", "letzten|vergangenen monat", "letzter monat",
      "last|past year", "ultimo ano", "letzten jahr"),
     lambda t, n: _days_back(t, 30 * n), 1),
    (("this|my week", "esta semana", "mi semana", "diese|dieser|meine woche"),
     lambda t, n: _Span(_monday(t), _monday(t) + timedelta(days=6), _Sense.NOW), 1),
    (("this month", "este mes", "diesen|diesem monat"),
     lambda t, n: _Span(t.replace(day=1), t, _Sense.PAST), 1),
    (("this year", "este ano", "dieses|diesem jahr"),
     lambda t, n: _Span(t.replace(month=1, day=1), t, _Sense.PAST), 1),
    (("# weeks|week|wk|wks", "# semanas|semana", "# wochen|woche"), _weeks_ahead, 1),
    (("# months|month", "# meses|mes", "# monate|monat|monaten"),
     lambda t, n: _weeks_ahead(t, 4 * n), 1),
)


def _period_of(words: tuple[str, ...], today: date) -> _Span | None:
    """The stretch of days the words name ("last 4 weeks", "next week"), or None."""
    for phrases, span_of, default in PERIODS:
        found = _spans(words, phrases)
        if found:
            start, end = found[0]
            numbers = [n for w in words[start:end] if (n := _number(w)) is not None]
            return span_of(today, round(numbers[0]) if numbers else default)
    return None


def _weekday_of(word: str) -> int | None:
    return next((i for i, names in enumerate(WEEKDAY_NAMES) if _is(word, names)), None)


def _relative(words: tuple[str, ...], i: int, today: date) -> tuple[int, _Day | None] | None:
    """(words used, the day) of yesterday, mañana, übermorgen…; no day for a phrase that only
    looks like one ("por la mañana", "guten Morgen")."""
    for phrase, offset in RELATIVE_DAYS:
        if n := _length_at(words, i, phrase):
            day = today + timedelta(days=offset) if offset is not None else None
            return n, _Day(i, i + n, day, day) if day else None
    return None


def _weekday(words: tuple[str, ...], i: int, today: date) -> _Day | None:
    weekday = _weekday_of(words[i])
    if weekday is None:
        return None
    back = (today.weekday() - weekday - 1) % 7 + 1     # the last such day before today
    ahead = (weekday - today.weekday() - 1) % 7 + 1    # the next one after today
    past, future = today - timedelta(days=back), today + timedelta(days=ahead)
    before = words[i - 1] if i else ""
    if _is(before, LEAN_PAST_BEFORE) or any(_length_at(words, i + 1, p) for p in LEAN_PAST_AFTER):
        future = past
    elif _is(before, LEAN_FUTURE_BEFORE) or any(_length_at(words, i + 1, p)
                                                for p in LEAN_FUTURE_AFTER):
        past = future
    return _Day(i, i + 1, past, future, weekday)


def _year_less(month: int, day: int, today: date) -> tuple[date, date] | None:
    """The date looking back and looking ahead when no year is written."""
    found = [on[0] for year in (today.year - 1, today.year, today.year + 1)
             if (on := _on(year, month, day))]
    back = [d for d in found if d <= today]
    ahead = [d for d in found if d >= today]
    return (max(back), min(ahead)) if back and ahead else None


def _numeric_date(word: str, today: date) -> tuple[date, date] | None:
    """2026-11-20, 20.11.2026, 20/11, 20.11 (day first; month first when that is the only
    reading)."""
    parts = [int(p) for p in re.split(r"[-./]", word)]
    if len(parts) == 3 and parts[0] > 31:
        parts = [parts[2], parts[1], parts[0]]
    for d, m in ((parts[0], parts[1]), (parts[1], parts[0])):
        found = _on(parts[2], m, d) if len(parts) == 3 else _year_less(m, d, today)
        if found:
            return found
    return None


def _on(year: int, month: int, day: int) -> tuple[date, date] | None:
    try:
        found = date(year + (2000 if year < 100 else 0), month, day)
    except ValueError:
        return None
    return found, found


def _month_of(word: str) -> int | None:
    return next((i + 1 for i, names in enumerate(MONTH_NAMES) if _is(word, names)), None)


def _named_date(words: tuple[str, ...], i: int, today: date) -> _Day | None:
    """20 November, 20th of November, 20 de noviembre, 20. November, Nov 20 (2026)."""
    rest = [(k, w) for k, w in enumerate(words[i:i + 5], i)
            if w not in ("st", "nd", "rd", "th", "of", "de", "")]
    if len(rest) < 2 or rest[0][0] != i:
        return None
    (_, a), (k, b) = rest[0], rest[1]
    if a.isdigit() and _month_of(b):
        day, month = int(a), _month_of(b)
    elif _month_of(a) and b.isdigit() and k == i + 1:
        day, month = int(b), _month_of(a)
    else:
        return None
    year = words[k + 1] if k + 1 < len(words) and re.fullmatch(r"\d{4}", words[k + 1]) else ""
    found = _on(int(year), month or 0, day) if year else _year_less(month or 0, day, today)
    return _Day(i, k + 1 + bool(year), *found) if found else None


def _date(words: tuple[str, ...], i: int, today: date) -> _Day | None:
    word, after = words[i], words[i + 1] if i + 1 < len(words) else ""
    if re.fullmatch(r"\d{4}-\d.*|\d{1,2}[./]\d.*", word) and not _is(after, HOUR_UNITS):
        found = _numeric_date(word, today)
        return _Day(i, i + 1, *found) if found else None
    return _named_date(words, i, today)


def _days_of(words: tuple[str, ...], today: date) -> list[_Day]:
    """Every day the words name, in order."""
    found: list[_Day] = []
    i = 0
    while i < len(words):
        relative = _relative(words, i, today)
        day = relative[1] if relative else _weekday(words, i, today) or _date(words, i, today)
        found += [day] if day else []
        i = day.end if day else i + (relative[0] if relative else 1)
    return found


def _sense(words: tuple[str, ...]) -> _Sense | None:
    if _has(words, PAST_CUES):
        return _Sense.PAST
    return _Sense.FUTURE if _has(words, FUTURE_CUES) else None


# --- questions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Question:
    words: tuple[str, ...]
    today: date
    period: _Span | None
    days: tuple[_Day, ...]
    sense: _Sense | None

    def named(self, sense: _Sense | None) -> list[date]:
        return [d.on(sense) for d in self.days]


def _question(text: str, today: date) -> _Question | None:
    words = _words_of(text)
    if not words or len(words) > MAX_WORDS:
        return None
    return _Question(words, today, _period_of(words, today), tuple(_days_of(words, today)),
                     _sense(words))


def _cued(topic: Topic, words: tuple[str, ...]) -> bool:
    return any(all(_has(words, group) for group in alternative)
               for alternative in TOPIC_CUES[topic])


def _when_topic(q: _Question) -> Topic | None:
    """What is planned, one past day, or a past period (asked when no other topic matched)."""
    if _plan_of(q.words, q.today) or _change_verbs(q.words):
        return None
    named = q.named(q.sense or _Sense.PAST)  # "my ride on Tuesday": the Tuesday just gone
    if q.sense is not _Sense.PAST and _asks_ahead(q, named):
        return Topic.CALENDAR
    if named and max(named) <= q.today and (q.sense is _Sense.PAST
                                            or _has(q.words, ACTIVITY_WORDS)):
        return Topic.DAY
    looking_back = q.period is not None and (q.period.sense is _Sense.PAST or q.period.sense is
                                             _Sense.NOW and q.sense is not _Sense.FUTURE)
    return Topic.WEEKS if looking_back else None


def _asks_ahead(q: _Question, named: list[date]) -> bool:
    """The calendar's words, or a session on a day or in a period to come."""
    coming = (q.period is not None and q.period.sense is _Sense.FUTURE
              or any(d > q.today for d in named)
              or q.sense is _Sense.FUTURE and q.today in named)
    return _has(q.words, CALENDAR_WORDS) or coming and _has(q.words, ACTIVITY_WORDS)


def _topics(q: _Question) -> list[Topic]:
    found = [t for t in TOPIC_CUES if _cued(t, q.words)]
    when = None if found else _when_topic(q)
    return found + [when] if when else found


def topics(text: str, today: date) -> list[Topic]:
    """What an everyday question is about; [] when it is none of them."""
    q = _question(text, today)
    return _topics(q) if q else []


def recognize(text: str, today: date, race: date | None = None) -> list[Read]:
    """The read-tool calls that answer an everyday question; [] when it is none of them.
    `race` (the next race's day, if the caller knows it) bounds the calendar read."""
    q = _question(text, today)
    if q is None:
        return []
    reads = [read for topic in _topics(q) for read in READS[topic](q, race)]
    return list({(r.tool, tuple(sorted(r.arguments.items()))): r for r in reads}.values())


# --- the reads of each topic -------------------------------------------------------------------

def _range(tool: str, start: date, end: date) -> Read:
    return Read(tool, {"start": start.isoformat(), "end": end.isoformat()})


def _summary_weeks(start: date, today: date) -> int:
    """Monday-to-Sunday weeks from the one holding `start` to this one (partial)."""
    return max(1, min(52, (_monday(today) - _monday(start)).days // 7 + 1))


def _past(q: _Question) -> _Span | None:
    """The period the question looks back on, ending today at the latest."""
    if q.period is None or q.period.sense is _Sense.FUTURE:
        return None
    return _Span(q.period.start, min(q.period.end, q.today), _Sense.PAST)


def _trend_days(q: _Question, default: int) -> int:
    span = _past(q)
    return max(7, min(365, (q.today - span.start).days + 1)) if span else default


def _weeks_reads(q: _Question, race: date | None) -> list[Read]:
    span = _past(q)
    if span is None:
        return []
    reads = [Read("training_summary", {"weeks": _summary_weeks(span.start, q.today)})]
    if (span.end - span.start).days < LIST_DAYS:
        reads.append(_range("list_activities", span.start, span.end))
    return reads


def _sport_hint(words: tuple[str, ...], default: str) -> str:
    """The sport named, else the one power or pace points to, else `default`."""
    named = _sports_of(words)
    if named:
        return named[0].value
    if _has(words, ("power|watts|watt|ftp|potencia|vatios|leistung",)):
        return Sport.RIDE.value
    return Sport.RUN.value if _has(words, ("pace|ritmo|5k|10k|km|mile",)) else default


def _intensity_weeks(q: _Question) -> int:
    span = _past(q)
    return _summary_weeks(span.start, q.today) if span else 4


def _wellness_reads(q: _Question, race: date | None) -> list[Read]:
    ahead = [d for d in q.named(_Sense.FUTURE) if d >= q.today]
    reads = [Read("wellness_trend", {"days": _trend_days(q, WELLNESS_DAYS)}),
             Read("fitness_trend", {"days": FITNESS_DAYS})]
    return reads + ([_range("planned_workouts", min(ahead), max(ahead))] if ahead else [])


def _race_reads(q: _Question, race: date | None) -> list[Read]:
    until = race if race and q.today <= race <= q.today + timedelta(days=RACE_DAYS) else None
    return [Read("athlete_profile"), Read("fitness_trend", {"days": FITNESS_DAYS}),
            _range("planned_workouts", q.today, until or q.today + timedelta(days=BACK_DAYS))]


def _calendar_reads(q: _Question, race: date | None) -> list[Read]:
    if q.period and q.period.end >= q.today:
        return [_range("planned_workouts", max(q.period.start, q.today), q.period.end)]
    ahead = [d for d in q.named(_Sense.FUTURE) if d >= q.today]
    if ahead:
        return [_range("planned_workouts", min(ahead), max(ahead))]
    return [_range("planned_workouts", q.today, q.today + timedelta(days=AHEAD_DAYS))]


def _compliance_reads(q: _Question, race: date | None) -> list[Read]:
    span = _past(q) or _Span(q.today - timedelta(days=BACK_DAYS), q.today, _Sense.PAST)
    return [_range("planned_workouts", span.start, span.end)]


def _day_reads(q: _Question, race: date | None) -> list[Read]:
    back = q.named(q.sense or _Sense.PAST)
    return [_range("list_activities", min(back), max(back))]


READS: dict[Topic, Callable[[_Question, date | None], list[Read]]] = {
    Topic.RACE: _race_reads,
    Topic.THRESHOLDS: lambda q, r: [Read("athlete_profile"),
                                    Read("best_efforts", {"sport": _sport_hint(q.words, "Ride")})],
    Topic.EFFORTS: lambda q, r: [Read("best_efforts", {"sport": _sport_hint(q.words, "")})],
    Topic.FITNESS: lambda q, r: [Read("fitness_trend", {"days": _trend_days(q, FITNESS_DAYS)})],
    Topic.WELLNESS: _wellness_reads,
    Topic.INTENSITY: lambda q, r: [Read("training_summary", {"weeks": _intensity_weeks(q)})],
    Topic.COMPLIANCE: _compliance_reads,
    Topic.CALENDAR: _calendar_reads,
    Topic.DAY: _day_reads,
    Topic.WEEKS: _weeks_reads,
}


# --- limits: sports, effort, durations, days off -----------------------------------------------

def _sports_of(words: tuple[str, ...]) -> tuple[Sport, ...]:
    """The sports named, in the order they first appear."""
    first = {sport: spans[0][0] for sport, phrases in SPORT_WORDS.items()
             if (spans := _spans(words, phrases))}
    return tuple(sorted(first, key=first.__getitem__))


def _effort_of(words: tuple[str, ...]) -> Effort | None:
    """Easy or hard, whichever is said first."""
    first = {effort: spans[0][0] for effort, phrases in EFFORT_WORDS.items()
             if (spans := _spans(words, phrases))}
    return min(first, key=first.__getitem__) if first else None


def _minutes_at(words: tuple[str, ...], i: int) -> tuple[int, float] | None:
    """(words used, minutes) of a duration starting at word i: 6 h, 45 min, 1h30, an hour and
    a half, una hora y media, eine halbe Stunde."""
    if half := _longest_at(words, i, HALF_HOURS):
        return half, 30.0
    if m := re.fullmatch(r"(\d+)h(\d\d)", words[i]):
        return 1, int(m[1]) * 60 + int(m[2])
    n, unit = _number(words[i]), words[i + 1] if i + 1 < len(words) else ""
    if n is None or not unit:
        return None
    if _is(unit, MINUTE_UNITS):
        return 2, n
    if not _is(unit, HOUR_UNITS):
        return None
    if half := _longest_at(words, i + 2, AND_A_HALF):
        return 2 + half, n * 60 + 30
    more = _number(words[i + 2]) if i + 3 < len(words) else None
    if more is not None and _is(words[i + 3], MINUTE_UNITS):
        return 4, n * 60 + more
    return 2, n * 60


def _durations_of(words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Every duration said, as (word index, minutes), in order."""
    found, i = [], 0
    while i < len(words):
        got = _minutes_at(words, i) if words[i] else None
        if got and 0 < got[1] <= 100 * 60:
            found.append((i, round(got[1])))
        i += got[0] if got else 1
    return found


def _is_longest(words: tuple[str, ...], i: int) -> bool:
    """A duration said of the longest session ("longest ride 3 h", "3 h per session")."""
    return (_has(words[max(0, i - 4):i], LONGEST_BEFORE)
            or _has(words[i + 2:i + 4], LONGEST_AFTER))


def _days_off_of(words: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The weekdays said to be off ("no Monday", "sin lunes", "Montag frei") and the words with
    those weekdays emptied."""
    off = [i for i, w in enumerate(words) if _weekday_of(w) is not None and _off_at(words, i)]
    days = sorted({_weekday_of(words[i]) or 0 for i in off})
    return tuple(days), _blank(words, ((i, i + 1) for i in off))


def _off_at(words: tuple[str, ...], i: int) -> bool:
    return (_reaches(words, reversed(range(max(0, i - 6), i)), DAYS_OFF_BEFORE)
            or _reaches(words, range(i + 1, min(len(words), i + 7)), DAYS_OFF_AFTER))


def _reaches(words: tuple[str, ...], steps: Iterable[int], marker: str) -> bool:
    """Walking from a weekday over fillers and other weekdays, is `marker` the next word?"""
    for k in steps:
        if _is(words[k], marker):
            return True
        if not (_is(words[k], DAYS_OFF_FILLER) or _weekday_of(words[k]) is not None):
            return False
    return False


def _hours(minutes: float | None) -> float | None:
    return round(minutes / 60, 2) if minutes else None


# --- plan asks ---------------------------------------------------------------------------------

def _verb_spans(words: tuple[str, ...], phrases: Phrases) -> list[tuple[int, int]]:
    """Where a plan verb is said as a verb ("plan tomorrow", not "my plan", "a plane")."""
    return [(i, j) for i, j in _spans(words, phrases)
            if i == 0 or not _is(words[i - 1], NOT_A_VERB_AFTER)]


def plan_ask(text: str, today: date, previous: PlanAsk | None = None) -> PlanAsk | None:
    """A request for new workouts and its limits; None when the text asks for none.
    With `previous` (the conversation's last plan ask), a follow-up such as "make it shorter,
    I only have 45 minutes" returns that ask with the new limits."""
    words = _words_of(text)
    if not words or len(words) > MAX_WORDS:
        return None
    return _plan_of(words, today) or _follow_up(words, today, previous)


def _plan_of(words: tuple[str, ...], today: date) -> PlanAsk | None:
    """A verb that makes ("plan", "build me") asks for any day; a request ("give me", "what
    should I do") only for a day to come, and not for the calendar."""
    plans, makes = _verb_spans(words, PLAN_VERBS), _verb_spans(words, MAKE_VERBS)
    weak = bool(_spans(words, PLAN_REQUESTS)) and not _has(words, CALENDAR_WORDS)
    strong = bool(plans or makes)
    if not (strong or weak) or _has(words, DATA_NOUNS):
        return None
    if not strong and _looks_back(words, today):  # "give me last week's numbers"
        return None
    ask = _plan(words, today)
    if _has(words, REST_ASKS) and not ask.days_off:  # "I need a rest day tomorrow"
        return None
    named = ask.days or ((ask.start,) if ask.start else ())
    if not (named or ask.weeks or ask.to_race or ask.sports and plans
            or _has(_blank(words, plans + makes), SESSION_WORDS + PLAN_NOUNS)):
        return None
    return None if named and max(named) < today and not strong else ask


def _looks_back(words: tuple[str, ...], today: date) -> bool:
    span = _period_of(words, today)
    return span is not None and span.sense is _Sense.PAST


def _plan(words: tuple[str, ...], today: date) -> PlanAsk:
    off, words = _days_off_of(words)
    season = _spans(words, SEASON_WORDS)
    race = _spans(words, TO_RACE) + season
    words = _blank(words, race + [(i, j) for i, j in _spans(words, RATES)
                                  if i and _is(words[i - 1], HOUR_UNITS + "|" + MINUTE_UNITS)])
    start, end, days, weeks = _window(words, today)
    hours, longest = _limits(words, one_day=start is not None and start == end)
    return PlanAsk(start=start, end=end, days=days, weeks=weeks, to_race=bool(race),
                   hours=hours, sports=_sports_of(words), days_off=off, longest_min=longest,
                   effort=_effort_of(words), season=bool(season))


def _window(words: tuple[str, ...], today: date
            ) -> tuple[date | None, date | None, tuple[date, ...], int | None]:
    """(first day, last day, the days named, whole weeks) of a plan ask."""
    span = _period_of(words, today)
    if span is not None and span.sense is _Sense.PAST:
        span = None
    if span is not None and span.sense is _Sense.NOW:
        span = _Span(today, span.end, _Sense.FUTURE)
    named = _days_of(words, today)
    if span is not None:
        days = tuple(sorted({_into(d, span) for d in named}))
        return span.start, span.end, days, span.weeks
    days = tuple(sorted({d.future for d in named}))
    return (min(days), max(days), days, None) if days else (None, None, (), None)


def _into(day: _Day, span: _Span) -> date:
    """A weekday named inside a period ("Friday next week"): that weekday in the period."""
    if day.weekday is None:
        return day.future
    return span.start + timedelta(days=(day.weekday - span.start.weekday()) % 7)


def _limits(words: tuple[str, ...], one_day: bool) -> tuple[float | None, int | None]:
    """(total hours, longest session in minutes); on one day, the session is the total."""
    said = _durations_of(words)
    longest = [m for i, m in said if not one_day and _is_longest(words, i)]
    total = [m for i, m in said if one_day or not _is_longest(words, i)]
    return _hours(total[0] if total else None), longest[0] if longest else None


def _follow_up(words: tuple[str, ...], today: date, previous: PlanAsk | None) -> PlanAsk | None:
    """The previous ask with the limits a follow-up changes; None if it changes none."""
    if previous is None or not _has(words, FOLLOW_UP):
        return None
    off, words = _days_off_of(words)
    said = _durations_of(words)
    named = tuple(sorted({d.future for d in _days_of(words, today)}))
    changed = replace(previous, hours=_hours(said[0][1]) if said else previous.hours,
                      sports=_sports_of(words) or previous.sports,
                      effort=_effort_of(words) or previous.effort,
                      days_off=off or previous.days_off, days=named or previous.days,
                      start=min(named) if named else previous.start,
                      end=max(named) if named else previous.end)
    return changed if changed != previous else None


# --- change asks -------------------------------------------------------------------------------

def _change_verbs(words: tuple[str, ...]) -> list[tuple[int, Action | None]]:
    """The change verbs said, as (where, action) in order; None for "change" or "swap", whose
    action the rest decides (a day to move to, or something to replace with)."""
    found = sorted((spans[0][0], i) for i, phrases in enumerate(CHANGE_VERBS.values())
                   if (spans := _spans(words, phrases)))
    return [(at, list(CHANGE_VERBS)[i]) for at, i in found]


def _destination(words: tuple[str, ...], day: _Day) -> bool:
    """Is the day where something moves to ("to Friday", "al viernes", "auf Freitag")?"""
    k = day.at - 1
    while k >= 0 and _is(words[k], ARTICLES):
        k -= 1
    return k >= 0 and _is(words[k], DESTINATION)


def change_ask(text: str, today: date) -> ChangeAsk | None:
    """A move, cancellation or replacement of one planned workout; None when not one. A move
    without the day it goes to, or a replacement without what replaces it, is None: the model
    asks."""
    words = _words_of(text)
    verbs = _change_verbs(words) if len(words) <= MAX_WORDS else []
    if not verbs or _has(words, DOUBT) or _has(words[max(0, verbs[0][0] - 3):verbs[0][0]],
                                               NOT_AN_ORDER):
        return None
    days = _days_of(words, today)
    moves_to = [d for d in days if _destination(words, d)]
    targets = [d for d in days if d not in moves_to]
    action = verbs[0][1] or (Action.MOVE if moves_to else Action.REPLACE)
    if action is Action.REPLACE:
        return _replacement(words, targets[0]) if targets else None
    if not targets or action is Action.MOVE and not moves_to:
        return None
    sports = _sports_of(words)
    return ChangeAsk(action=action, day=targets[0].future, sport=sports[0] if sports else None,
                     new_day=moves_to[0].future if action is Action.MOVE else None)


def _replacement(words: tuple[str, ...], target: _Day) -> ChangeAsk | None:
    """The workout named replaced by what is said after "with" ("with something easier")."""
    swap = next((i for i in range(target.end, len(words)) if _is(words[i], REPLACEMENT)), None)
    if swap is None:
        return None
    sports, said = _sports_of(words[:swap]), _durations_of(words[swap:])
    return ChangeAsk(action=Action.REPLACE, day=target.future,
                     sport=sports[0] if sports else None, effort=_effort_of(words[swap:]),
                     hours=_hours(said[0][1]) if said else None)
