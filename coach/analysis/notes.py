"""Athlete notes, pure: the typed note, the card the model reads (pinned and newest first within
a character budget), and the rule that turns notes into constraints for the proposal check.

The rule reads English, Spanish and German words, clause by clause: an injury note that names
a sport with a "no" ("no running", "sin correr", "kein Laufen"), or a part of the body that takes
the impact ("knee", "rodilla", "Knie"), rules that sport out; "can't train on Wednesdays" makes
a day off; "long ride on Saturday" is a preference; "no running two days in a row" keeps runs
apart. Goals and races rule nothing out. Every finding asks the athlete to decide; none blocks.

"Remember that …" (and its Spanish and German forms) is recognised here too (`remembered`), and
a note's kind guessed from its words (`guess_kind`), so a note the athlete dictates or the model
proposes lands on a card as the right kind, for the athlete to change before keeping it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from coach.analysis.fit import Concern, Finding, Session, Severity
from coach.workout import sport_family

_T = TypeVar("_T")

CARD_BUDGET = 600            # characters of the athlete card the notes may take
LINE_MOST = 200              # one note's line on the card, so one note cannot take them all
QUOTE_MOST = 80              # a note quoted in a finding
NOTE_MOST = 1000             # characters a note may hold
LONG = {"Ride": 150, "Run": 90, "Swim": 60}   # minutes: a long session, as the planner names it
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NoteKind(StrEnum):
    GOAL = "goal"
    RACE = "race"
    INJURY = "injury"
    PREFERENCE = "preference"
    CONSTRAINT = "constraint"


class NoteRule(StrEnum):
    AVOID = "avoid"                    # a sport (on a weekday, if one is named)
    DAY_OFF = "day off"
    LONG_ON = "long on"                # the long session of a sport on a weekday
    APART = "not two days in a row"    # a sport


# Until fit.py has a concern for notes, each rule's findings use the nearest existing one.
CONCERNS = {NoteRule.AVOID: Concern.NOTE, NoteRule.APART: Concern.NOTE,
            NoteRule.DAY_OFF: Concern.NOTE, NoteRule.LONG_ON: Concern.NOTE}


@dataclass(frozen=True)
class Note:
    """A note the athlete keeps: what kind, the text, since when, pinned, and when written."""

    kind: NoteKind
    text: str
    created: datetime
    updated: datetime | None = None
    since: date | None = None
    pinned: bool = False
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a note needs some text")
        if len(self.text) > NOTE_MOST:
            raise ValueError(f"a note holds at most {NOTE_MOST} characters, not {len(self.text)}")

    @property
    def changed(self) -> datetime:
        """When it was last written."""
        return self.updated or self.created


@dataclass(frozen=True)
class NoteConstraint:
    """What a note rules for the proposal check."""

    rule: NoteRule
    note: Note
    sport: str | None = None           # Ride, Run or Swim; None: any
    weekday: int | None = None         # 0 = Monday; None: any day


def notes_card(notes: Iterable[Note], budget: int = CARD_BUDGET) -> str:
    """The notes for the athlete card: pinned first, then newest, as many as fit `budget`."""
    lines = [_line(n) for n in sorted(notes, key=lambda n: (not n.pinned,
                                                            -n.changed.timestamp()))]
    card = _fit(lines, budget)
    if len(card) == len(lines):
        return "\n".join(card)
    card = _fit(lines, budget - len(_more(len(lines))) - 1)
    return "\n".join([*card, _more(len(lines) - len(card))]) if card else ""


def note_constraints(notes: Iterable[Note]) -> list[NoteConstraint]:
    """What the injury, preference and constraint notes rule, clause by clause."""
    found: list[NoteConstraint] = []
    for note in notes:
        if note.kind in (NoteKind.GOAL, NoteKind.RACE):
            continue
        for clause in _clauses(note.text):
            found += _rules(note, clause)
    return list(dict.fromkeys(found))


def note_days_off(notes: Iterable[Note]) -> tuple[int, ...]:
    """The weekdays the notes rule out, for the planner's availability."""
    return tuple(sorted({c.weekday for c in note_constraints(notes)
                         if c.rule == NoteRule.DAY_OFF and c.weekday is not None}))


def avoided_sports(notes: Iterable[Note], day: date | None = None) -> frozenset[str]:
    """The sports the notes rule out every day (from `day`, if the note has a since date)."""
    return frozenset(c.sport for c in note_constraints(notes) if c.rule == NoteRule.AVOID
                     and c.sport and c.weekday is None and _applies(c.note, day))


def check_notes(new: Session, notes: Iterable[Note],
                around: Sequence[Session] = ()) -> list[Finding]:
    """Findings for `new` from the athlete's notes; `around` are the sessions near its day."""
    found = []
    for c in note_constraints(notes):
        said = _breaks(c, new, sport_family(new.sport), around) if _applies(c.note, new.day) \
            else None
        if said is not None:
            message, accept = said
            found.append(Finding(CONCERNS[c.rule], Severity.DECIDE,
                                 f"{message} Your note: “{_quote(c.note.text)}”.", accept))
    return found


# --- reading a note -----------------------------------------------------------------------

SPORT_WORDS = {
    "Run": {"run", "runs", "running", "jog", "jogs", "jogging", "correr", "corro", "corriendo",
            "trotar", "footing", "laufen", "lauf", "laufe", "lauft", "joggen", "tirada"},
    "Ride": {"ride", "rides", "riding", "bike", "bikes", "biking", "cycle", "cycling", "bici",
             "bicicleta", "ciclismo", "rodar", "pedalear", "salida", "rad", "radfahren",
             "fahrrad", "radeln", "ausfahrt"},
    "Swim": {"swim", "swims", "swimming", "nadar", "natacion", "nado", "schwimmen"},
}
# Parts of the body that take a sport's impact or load: an injury note naming one rules it out.
BODY_WORDS = {
    "Run": {"knee", "knees", "shin", "shins", "achilles", "ankle", "ankles", "foot", "feet",
            "heel", "plantar", "impact", "rodilla", "rodillas", "espinilla", "tibia", "aquiles",
            "tobillo", "tobillos", "pie", "pies", "talon", "impacto", "knie", "schienbein",
            "achillessehne", "knochel", "sprunggelenk", "fuss", "ferse", "aufprall"},
    "Swim": {"shoulder", "shoulders", "hombro", "hombros", "schulter", "schultern"},
}
NEGATIONS = {"no", "not", "don't", "dont", "can't", "cant", "cannot", "avoid", "without",
             "never", "stop", "sin", "evitar", "nunca", "nada", "ni", "nicht", "kein", "keine",
             "keinen", "ohne", "nie", "vermeiden"}
OFF_WORDS = {"off", "rest", "libre", "descanso", "frei", "ruhetag"}
LONG_WORDS = {"long", "longer", "larga", "largo", "lange", "langer", "langen", "lang"}
APART_PHRASES = ("in a row", "back to back", "back-to-back", "consecutive", "seguidos",
                 "seguidas", "consecutivos", "hintereinander", "in folge", "aufeinanderfolgend")
DAY_WORDS = (
    {"monday", "mondays", "lunes", "montag", "montags"},
    {"tuesday", "tuesdays", "martes", "dienstag", "dienstags"},
    {"wednesday", "wednesdays", "miercoles", "mittwoch", "mittwochs"},
    {"thursday", "thursdays", "jueves", "donnerstag", "donnerstags"},
    {"friday", "fridays", "viernes", "freitag", "freitags"},
    {"saturday", "saturdays", "sabado", "sabados", "samstag", "samstags", "sonnabend"},
    {"sunday", "sundays", "domingo", "domingos", "sonntag", "sonntags"},
)
NEAR = 3                     # a "no" counts for a sport word at most 3 words away


def _clauses(text: str) -> list[str]:
    """Lower case without accents (ß as ss), cut at punctuation and at and/but, y/pero, und/aber."""
    plain = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("’", "'")
    return [c.strip() for c in re.split(r"[.;,:!?\n()]|\b(?:and|but|y|pero|und|aber)\b", plain)
            if c and c.strip()]


def _rules(note: Note, clause: str) -> list[NoteConstraint]:
    """What one clause rules: keeping a sport apart, a long-session day, a day off, a sport out."""
    words = re.findall(r"[\w']+", clause)
    sports = [s for s, names in SPORT_WORDS.items() if names.intersection(words)]
    days = [i for i, names in enumerate(DAY_WORDS) if names.intersection(words)]
    said_no = bool(NEGATIONS.intersection(words))
    if any(p in clause for p in APART_PHRASES):
        return [NoteConstraint(NoteRule.APART, note, s) for s in _or_any(sports)]
    if days and LONG_WORDS.intersection(words) and not said_no:
        return [NoteConstraint(NoteRule.LONG_ON, note, s, d)
                for s in _or_any(sports) for d in days]
    if days and not sports and (said_no or OFF_WORDS.intersection(words)):
        return [NoteConstraint(NoteRule.DAY_OFF, note, None, d) for d in days]
    out = [NoteConstraint(NoteRule.AVOID, note, s, d)
           for s in _negated(words) for d in _or_any(days)]
    if note.kind == NoteKind.INJURY:
        out += [NoteConstraint(NoteRule.AVOID, note, s) for s, names in BODY_WORDS.items()
                if names.intersection(words)]
    return out


def _or_any(values: Sequence[_T]) -> list[_T | None]:
    """The values, or [None] (any sport, any day) when there are none."""
    return [*values] if values else [None]


def _negated(words: list[str]) -> list[str]:
    """The sports named within a few words of a "no"."""
    nos = [i for i, w in enumerate(words) if w in NEGATIONS]
    return [s for s, names in SPORT_WORDS.items()
            if any(w in names and any(abs(i - j) <= NEAR for j in nos)
                   for i, w in enumerate(words))]


# --- checking a session -------------------------------------------------------------------

def _breaks(c: NoteConstraint, new: Session, sport: str | None,
            around: Sequence[Session]) -> tuple[str, str] | None:
    """How `new` goes against the constraint and what Confirm then accepts; None if it does not."""
    weekday, day = new.day.weekday(), DAY_NAMES[new.day.weekday()]
    if c.rule == NoteRule.DAY_OFF:
        return (f"Your notes keep {day}s free of training. Pick another day, or train anyway.",
                "training on a day your notes keep free") if weekday == c.weekday else None
    if sport is None or c.sport not in (None, sport):
        return None
    what = sport.lower()
    if c.rule == NoteRule.AVOID and c.weekday in (None, weekday):
        return (f"Your {c.note.kind} note rules out {what}s. Choose another sport, or keep it "
                "if the note no longer holds.", f"a {what} your notes rule out")
    if c.rule == NoteRule.LONG_ON and c.weekday is not None and c.weekday != weekday \
            and new.minutes >= LONG[sport]:
        return (f"This long {what} is on a {day}; your notes put it on {DAY_NAMES[c.weekday]}s. "
                "Move it, or keep it here.", "a long session on another day")
    if c.rule == NoteRule.APART and _next_to(new, sport, around):
        return (f"There is another {what} the day before or after; your notes say not two days "
                "in a row. Move one of them.", f"{what}s on two days in a row")
    return None


def _next_to(new: Session, sport: str, around: Sequence[Session]) -> bool:
    return any(sport_family(s.sport) == sport and abs((s.day - new.day).days) == 1
               and (s.proposal_id is None or s.proposal_id != new.proposal_id) for s in around)


def _applies(note: Note, day: date | None) -> bool:
    return note.since is None or day is None or day >= note.since


def _fit(lines: list[str], budget: int) -> list[str]:
    """The lines, in order, that fit `budget` characters joined by newlines."""
    kept: list[str] = []
    for line in lines:
        if sum(len(k) + 1 for k in kept) + len(line) <= budget:
            kept.append(line)
    return kept


def _more(count: int) -> str:
    return f"(+{count} more notes not shown)"


def _line(note: Note) -> str:
    since = f" since {note.since.isoformat()}" if note.since else ""
    pin = "pinned " if note.pinned else ""
    line = f"- {pin}{note.kind}{since}: {' '.join(note.text.split())}"
    return line if len(line) <= LINE_MOST else line[:LINE_MOST - 1] + "…"


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_MOST else flat[:QUOTE_MOST - 1] + "…"



# --- "remember that …" --------------------------------------------------------------------

# What an athlete says to have something kept, at the start of the message (accents removed).
REMEMBER = re.compile(
    r"^\s*(?:(?:please|hey|ok|coach|por favor|bitte)[\s,!:]+)*"
    r"(?:remember(?: that|:)?|please remember(?: that)?|note that|make a note(?: that)?"
    r"|keep in mind(?: that)?|don'?t forget(?: that)?"
    r"|recuerda(?: que)?|acuerdate(?: de)?(?: que)?|ten en cuenta(?: que)?|apunta(?: que)?"
    r"|merk(?:e)? dir(?:,)?(?: dass)?|denk(?:e)? daran(?:,)?(?: dass)?|notier(?:e)?(?:,)?"
    r"(?: dass)?)[\s,:]+(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)

INJURY_WORDS = {"injury", "injured", "hurt", "hurts", "pain", "painful", "sore", "niggle",
                "strain", "strained", "sprain", "sprained", "tendon", "tendinitis", "fracture",
                "lesion", "lesionado", "lesionada", "dolor", "duele", "molestia", "verletzung",
                "verletzt", "schmerz", "schmerzen", "schmerzt", "zerrung"}
RACE_WORDS = {"race", "racing", "marathon", "triathlon", "ironman", "gran fondo", "granfondo",
              "carrera", "maraton", "triatlon", "rennen", "wettkampf"}
GOAL_WORDS = {"goal", "aim", "target", "want", "objetivo", "meta", "quiero", "ziel", "will",
              "mochte"}
PREFER_WORDS = {"prefer", "like", "love", "rather", "prefiero", "gusta", "lieber", "bevorzuge",
                "mag", "indoor", "indoors", "outdoor", "outdoors"}


def remembered(text: str) -> str | None:
    """The note in a message that asks to remember something ("remember that I can't train on
    Wednesdays" → "I can't train on Wednesdays"); None for any other message."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.replace("’", "'"))
                    if not unicodedata.combining(c))
    found = REMEMBER.match(plain)
    if found is None:
        return None
    rest = text[len(text) - len(found.group("rest")):].strip() if len(plain) == len(text) \
        else found.group("rest").strip()
    rest = rest.rstrip(" .!")
    return rest[:1].upper() + rest[1:] if rest else None


def guess_kind(text: str) -> NoteKind:
    """The kind a note most likely is, from its words: an injury, a race, a goal, a preference,
    else a constraint (the athlete changes it on the card if this guessed wrong)."""
    words = {w for clause in _clauses(text) for w in re.findall(r"[\w']+", clause)}
    joined = " ".join(_clauses(text))
    if words & INJURY_WORDS or (words & set().union(*BODY_WORDS.values())
                                and not words & RACE_WORDS):
        return NoteKind.INJURY
    if words & RACE_WORDS or any(w in joined for w in RACE_WORDS if " " in w):
        return NoteKind.RACE
    if words & GOAL_WORDS:
        return NoteKind.GOAL
    days = any(names & words for names in DAY_WORDS)
    if words & PREFER_WORDS or (days and words & LONG_WORDS):
        return NoteKind.PREFERENCE
    return NoteKind.CONSTRAINT
