"""How a proposed session fits the athlete's week: the check every proposal passes through,
whoever made it (the model, the planner, the check-in, the Plan page, an edited card).

Pure: the caller gathers what is around the day (planned workouts, other pending proposals,
check-ins, availability, the week's target, fitness, races) into plain values; this returns
typed findings, each with a severity and a sentence the athlete can act on. A finding that
asks the athlete to decide never blocks Confirm; the card says what Confirm accepts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from coach.analysis.blocks import MAX_RAMP
from coach.analysis.fitness import DayFitness, forecast
from coach.analysis.layout import Availability
from coach.analysis.readiness import EASE_OFF, REST

# The easy ceiling after an "ease off" check-in: a few minutes above endurance (strides,
# openers) and nothing at threshold, and no more load than the session it takes the place of.
EASY_MINUTES_ABOVE_ENDURANCE = 5.0     # Z3 and up
EASY_MINUTES_AT_THRESHOLD = 0.0        # Z4 and up
EASY_LONGEST = 75.0                    # minutes, when nothing was planned that day
# Race week (an A or B race): what a taper allows.
TAPER_LONGEST = 90.0                   # minutes
TAPER_MINUTES_AT_THRESHOLD = 10.0      # openers, not a workout
TAPER_MINUTES_ABOVE_ENDURANCE = 20.0
DAY_BEFORE_RACE = 45.0                 # minutes
TOLERANCE = 0.10                       # over a target or an availability by more than this
DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


class Severity(StrEnum):
    BLOCKS = "blocks"      # Confirm stays off until it is fixed
    DECIDE = "decide"      # the athlete decides; Confirm says what it accepts


class Concern(StrEnum):
    SAME_DAY = "same day"
    READINESS = "readiness"
    DAY_OFF = "day off"
    DAY_HOURS = "day hours"
    LONGEST = "longest session"
    WEEK_LOAD = "week load"
    RAMP = "ramp"
    RACE_WEEK = "race week"
    NOTE = "athlete note"


@dataclass(frozen=True)
class Session:
    """A session as the check sees it: the proposal, a planned workout or another proposal."""

    day: date
    sport: str
    name: str
    minutes: float
    load: float | None = None
    zone_minutes: Mapping[int, float] = field(default_factory=dict)  # 0: unknown intensity
    event_id: int | None = None       # a planned workout on the calendar
    proposal_id: int | None = None    # a pending proposal
    turn: str | None = None           # proposals made in one answer

    @property
    def above_endurance(self) -> float:
        """Minutes in Z3 and up (tempo and harder, in the athlete's own zones)."""
        return sum(m for z, m in self.zone_minutes.items() if z >= 3)

    @property
    def at_threshold(self) -> float:
        """Minutes in Z4 and up."""
        return sum(m for z, m in self.zone_minutes.items() if z >= 4)

    def label(self) -> str:
        return f"{self.name} ({_length(self.minutes)})"


@dataclass(frozen=True)
class Readiness:
    """A morning check-in's verdict and why."""

    day: date
    verdict: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Race:
    day: date
    name: str
    priority: str  # "A", "B" or "C"


@dataclass(frozen=True)
class Week:
    """What is around the proposed day. `sessions` holds planned workouts and pending proposals
    (never rejected or superseded ones) from the Monday before the day to the Sunday after;
    `fitness` is known on or before today; `loads` are planned and proposed loads by day."""

    today: date
    sessions: Sequence[Session] = ()
    checkins: Sequence[Readiness] = ()
    availability: Availability = Availability()
    target: tuple[float, float] | None = None    # the week's hours and load, from a plan
    fitness: DayFitness | None = None
    loads: Mapping[date, float] = field(default_factory=dict)
    races: Sequence[Race] = ()


@dataclass(frozen=True)
class Finding:
    concern: Concern
    severity: Severity
    message: str                     # a sentence the athlete can act on
    accept: str = ""                 # what Confirm accepts, for the button and the model
    other: Session | None = None     # the session it clashes with (same day)

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCKS


def assess(new: Session, week: Week, replaces: int | None = None) -> list[Finding]:
    """Everything about `new` the athlete should know before Confirm. `replaces`: the planned
    workout (event id) this proposal changes, which then does not count as booked."""
    around = [s for s in week.sessions if not _same(s, new) and
              (replaces is None or s.event_id != replaces)]
    return [f for check in (_same_day, _readiness, _availability, _week_load, _ramp,
                            _race_week)
            for f in check(new, week, around)]


def superseded(new: Session, pending: Sequence[Session]) -> list[int]:
    """The pending proposals `new` takes the place of: the same sport on the same day, proposed
    in an earlier answer (one answer may lay out two sessions a day on purpose)."""
    return [s.proposal_id for s in pending
            if s.proposal_id is not None and s.proposal_id != new.proposal_id
            and s.day == new.day and s.sport == new.sport
            and (s.turn is None or s.turn != new.turn)]


def counted(sessions: Sequence[Session], two_a_day: bool) -> list[Session]:
    """What a day's totals count: every planned workout, and a pending proposal only where it
    would not clash (a day with nothing planned, or two a day allowed), one per sport a day."""
    kept: list[Session] = [s for s in sessions if s.proposal_id is None]
    for s in sorted((s for s in sessions if s.proposal_id is not None),
                    key=lambda s: -(s.proposal_id or 0)):            # the newest wins
        that_day = [k for k in kept if k.day == s.day]
        if any(k.sport == s.sport and k.proposal_id is not None for k in that_day):
            continue
        if that_day and not two_a_day:
            continue
        kept.append(s)
    return kept


# --- the checks -------------------------------------------------------------------------

def _same_day(new: Session, week: Week, around: list[Session]) -> list[Finding]:
    findings = []
    for other in (s for s in around if s.day == new.day):
        what = "planned" if other.event_id is not None else "already proposed"
        day = _sentence_start(_day(new.day, week.today))
        if week.availability.two_a_day:
            message = (f"{day} already has {other.label()}, {what}. Replace it with this, or "
                       "add this as a second session that day.")
            accept = "add as a second session"
        else:
            message = (f"{day} already has {other.label()}, {what}, and your availability "
                       "allows one session a day. Replace it with this, or pick another day.")
            accept = "two sessions that day"
        findings.append(Finding(Concern.SAME_DAY, Severity.DECIDE, message, accept, other))
    return findings


def _readiness(new: Session, week: Week, around: list[Session]) -> list[Finding]:
    said = [c for c in week.checkins if c.day in (new.day, new.day - timedelta(days=1))
            and c.verdict in (EASE_OFF, REST)]
    if not said:
        return []
    latest = max(said, key=lambda c: c.day)
    why = f" ({', '.join(latest.reasons)})" if latest.reasons else ""
    when = _day(latest.day, week.today)
    heard = f"Your check-in {when} said {latest.verdict}{why}"  # quoted, as it was written
    if latest.verdict == REST:
        return [Finding(Concern.READINESS, Severity.DECIDE,
                        f"{heard}: this is a {_length(new.minutes)} session. Rest, or keep it to "
                        "an easy spin or walk.", f"training despite the check-in ({REST})")]
    planned = [s for s in week.sessions if s.day == new.day and s.event_id is not None]
    over = _over_easy(new, planned)
    if not over:
        return []
    return [Finding(Concern.READINESS, Severity.DECIDE,
                    f"{heard}: {over}. Keep it in Z1-Z2, or move it.",
                    f"a harder session than the check-in advised ({EASE_OFF})")]


def _over_easy(new: Session, planned: list[Session]) -> str:
    """How `new` is above the easy ceiling, or ""."""
    if new.at_threshold > EASY_MINUTES_AT_THRESHOLD:
        return f"this has {_length(new.at_threshold)} at threshold or above (Z4+)"
    if new.above_endurance > EASY_MINUTES_ABOVE_ENDURANCE:
        return f"this has {_length(new.above_endurance)} in Z3 or above"
    before = max((s.load or 0.0 for s in planned), default=None)
    if before is not None and new.load is not None and new.load > before:
        return f"its load ({new.load:.0f}) is above the planned session's ({before:.0f})"
    if before is None and new.minutes > EASY_LONGEST:
        return f"it lasts {_length(new.minutes)}"
    return ""


def _availability(new: Session, week: Week, around: list[Session]) -> list[Finding]:
    a, weekday, found = week.availability, new.day.weekday(), []
    name = _sentence_start(_day(new.day, week.today))
    # Without two a day, another session that day is the same-day finding's choice (replace
    # it, or pick another day), so the day's hours are this session's alone.
    others = [s for s in around if s.day == new.day] if a.two_a_day else []
    total = sum(s.minutes for s in others) + new.minutes
    if weekday in a.days_off or not a.hours[weekday]:
        found.append(Finding(Concern.DAY_OFF, Severity.DECIDE,
                             f"{name} is one of your days off (Settings & privacy). Pick "
                             "another day, or train anyway.", "training on a day off"))
    elif _over(total, a.hours[weekday] * 60):
        found.append(Finding(Concern.DAY_HOURS, Severity.DECIDE,
                             f"{name} would take {_length(total)}; you have "
                             f"{_length(a.hours[weekday] * 60)} on {DAY_NAMES[weekday]}. "
                             "Shorten it, or pick another day.", "a longer day"))
    if _over(new.minutes, a.max_session_min):
        found.append(Finding(Concern.LONGEST, Severity.DECIDE,
                             f"It lasts {_length(new.minutes)}, longer than your longest "
                             f"session ({_length(a.max_session_min)}). Shorten it.",
                             "a session longer than your longest"))
    return found


def _week_load(new: Session, week: Week, around: list[Session]) -> list[Finding]:
    if week.target is None or new.load is None:
        return []
    monday = new.day - timedelta(days=new.day.weekday())
    days = {monday + timedelta(days=i) for i in range(7)}
    inside = counted([s for s in around if s.day in days], week.availability.two_a_day)
    total = sum(s.load or 0.0 for s in inside) + new.load
    target = week.target[1]
    if not _over(total, target):
        return []
    return [Finding(Concern.WEEK_LOAD, Severity.DECIDE,
                    f"The week of {_day(monday, week.today)} would reach load {total:.0f} "
                    f"against its target of {target:.0f}. Make it shorter or easier, or "
                    "drop another session that week.", "a week over its target")]


def _ramp(new: Session, week: Week, around: list[Session]) -> list[Finding]:
    if week.fitness is None or new.load is None or new.day < week.fitness.day:
        return []
    loads = dict(week.loads)
    loads[new.day] = loads.get(new.day, 0.0) + new.load
    days = (new.day - week.fitness.day).days + 7
    series = forecast(week.fitness, loads, days)
    by_day = {f.day: f for f in [week.fitness, *series]}
    for offset in range(7):  # each 7-day window that holds the new session
        end = new.day + timedelta(days=offset)
        start = by_day.get(end - timedelta(days=7))
        if start is None or end not in by_day:
            continue
        rise = by_day[end].ctl - start.ctl
        if rise > MAX_RAMP:
            return [Finding(Concern.RAMP, Severity.DECIDE,
                            f"Your fitness (CTL) would rise by {rise:.1f} in the 7 days to "
                            f"{_day(end, week.today)}, above the safe {MAX_RAMP:g} a week. "
                            "Make it easier or move it.", "a ramp above the safe limit")]
    return []


def _race_week(new: Session, week: Week, around: list[Session]) -> list[Finding]:
    for race in week.races:
        if race.priority not in ("A", "B") or not 0 <= (race.day - new.day).days <= 6:
            continue
        days_to_go = (race.day - new.day).days
        longest = DAY_BEFORE_RACE if days_to_go <= 1 else TAPER_LONGEST
        too_much = (days_to_go == 0 or new.minutes > longest
                    or new.at_threshold > TAPER_MINUTES_AT_THRESHOLD
                    or new.above_endurance > TAPER_MINUTES_ABOVE_ENDURANCE)
        if too_much:
            when = "race day" if days_to_go == 0 else \
                "the day before" if days_to_go == 1 else f"{days_to_go} days before"
            allows = "the race only" if days_to_go == 0 else (
                f"up to {_length(longest)}, at most {TAPER_MINUTES_ABOVE_ENDURANCE:g} min in "
                f"Z3 or above and {TAPER_MINUTES_AT_THRESHOLD:g} min of openers at threshold")
            return [Finding(Concern.RACE_WEEK, Severity.DECIDE,
                            f"Your {race.priority} race {race.name} is on "
                            f"{_day(race.day, week.today)}: {when}, a taper allows {allows}. "
                            "Make it shorter and easier.",
                            "a harder session than the taper allows")]
    return []


# --- small words ------------------------------------------------------------------------

def _same(a: Session, b: Session) -> bool:
    return a.proposal_id is not None and a.proposal_id == b.proposal_id


def _over(value: float, limit: float) -> bool:
    return value > limit * (1 + TOLERANCE)


def _length(minutes: float) -> str:
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    return f"{hours}h{rest:02d}m" if hours else f"{rest} min"


def _sentence_start(text: str) -> str:
    """The first letter capitalised, the rest as written (str.capitalize lowers "Dec")."""
    return text[:1].upper() + text[1:]


def _day(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    name = f"{day:%A} {day.day} {day:%b}"
    return name
