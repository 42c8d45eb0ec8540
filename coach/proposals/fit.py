"""Every proposal measured against the athlete's week before the athlete sees it: the store read
into the pure check's facts (`coach.analysis.fit`) and the athlete's kept notes
(`coach.analysis.notes`), the findings for a stored proposal, and the older proposals a new one
takes the place of. Reads the store; only `supersede_older` writes,
and only a status (nothing is sent anywhere)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cached_property, lru_cache

from coach import analysis, workout
from coach.analysis import Finding, Race, Readiness, Session, Week
from coach.proposals.check import athlete_thresholds
from coach.records import Event
from coach.scope import Scope, athlete_notes, fitness_series
from coach.store import Checkin, Proposal, ProposalKind, ProposalStatus

OPEN_PROPOSALS = (ProposalStatus.PENDING, ProposalStatus.FAILED)
GONE = (ProposalStatus.REJECTED, ProposalStatus.SUPERSEDED, ProposalStatus.UNDONE)
RACES = {"RACE_A": "A", "RACE_B": "B", "RACE_C": "C"}
AROUND = 8  # days before and after the proposed day that the check reads


class Reads:
    """What the week check reads of the store apart from the calendar around its day, each
    read once: for one check, or for the checks of one answer's proposals (a 4-week plan's
    findings read it all again for each of its workouts)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._thresholds: dict[str, workout.Thresholds] = {}
        self._targets: dict[date, tuple[float, float] | None] = {}

    def thresholds(self, sport: str) -> workout.Thresholds:
        if sport not in self._thresholds:
            self._thresholds[sport] = athlete_thresholds(self.scope.store,
                                                         self.scope.athlete_id, sport)
        return self._thresholds[sport]

    def open_proposals(self, first: date, last: date) -> list[Proposal]:
        return _on_days(self._open, first, last)

    def week_target(self, day: date) -> tuple[float, float] | None:
        monday = day - timedelta(days=day.weekday())
        if monday not in self._targets:
            self._targets[monday] = _week_target(self.scope, monday)
        return self._targets[monday]

    @cached_property
    def _open(self) -> list[Proposal]:
        return self.scope.store.proposals(athlete_id=self.scope.athlete_id,
                                          statuses=OPEN_PROPOSALS)

    @cached_property
    def fitness(self) -> analysis.DayFitness | None:
        series = fitness_series(self.scope, 14)
        return series[-1] if series else None

    @cached_property
    def checkins(self) -> list[Checkin]:
        return self.scope.store.checkins(self.scope.athlete_id)


def findings(scope: Scope, proposal: Proposal, reads: Reads | None = None) -> list[Finding]:
    """What the athlete should know about this proposal now (the calendar may have changed
    since it was made). A delete has none: taking a session out is always allowed. `reads`
    may be shared by the checks of one answer's proposals."""
    reads = reads or Reads(scope)
    session = proposed_session(scope, proposal, reads)
    if session is None:
        return []
    replaces = proposal.target_event_id if proposal.is_change else None
    week = week_around(scope, session.day, proposal.id, replaces, reads)
    return [*analysis.assess(session, week, replaces),
            *analysis.check_notes(session, athlete_notes(scope), week.sessions)]


def draft_findings(scope: Scope, day: date, sport: str, name: str, text: str,
                   minutes: float, load: float | None) -> list[Finding]:
    """What the check would find about a workout not proposed yet (the planner's draft)."""
    reads = Reads(scope)
    session = Session(day, sport, name, minutes, load, _zone_minutes(scope, sport, text, reads))
    return analysis.assess(session, week_around(scope, day, reads=reads))


def proposed_session(scope: Scope, p: Proposal, reads: Reads | None = None) -> Session | None:
    """The session a proposal would put on the calendar (a move: the workout on its new day)."""
    if p.kind == ProposalKind.DELETE:
        return None
    day = date.fromisoformat(p.new_day or p.day)
    zones = _zone_minutes(scope, p.sport, p.description, reads)
    return Session(day, p.sport, p.name, p.duration_s / 60, p.load, zones, proposal_id=p.id,
                   turn=p.turn)


def week_around(scope: Scope, day: date, without: int | None = None,
                replaces: int | None = None, reads: Reads | None = None) -> Week:
    """The facts the check reads around `day`: the calendar and the open proposals counted
    once (leaving out the proposal being checked, `without`, and the planned workout it
    changes, `replaces`), the check-ins, availability, the week's target, fitness and races."""
    first, last = day - timedelta(days=AROUND), day + timedelta(days=AROUND)
    reads = reads or Reads(scope)
    events = scope.store.events(scope.athlete_id, first, last)
    sessions = [s for e in events if e.id != replaces and (s := _event_session(scope, e, reads))]
    sessions += [s for p in reads.open_proposals(first, last)
                 if p.id != without and (s := proposed_session(scope, p, reads))]
    availability = scope.availability or analysis.Availability()
    counted = analysis.counted(sessions, availability.two_a_day)
    return Week(scope.today, sessions, _readiness(reads.checkins, day), availability,
                reads.week_target(day), reads.fitness, _loads(counted), _races(events))


def supersede_older(scope: Scope, new: Proposal) -> list[int]:
    """Older open proposals of the same session give way to `new` (one pending proposal per
    day and sport, and a session the model proposes again in the same answer); their ids."""
    if new.is_change:
        return _supersede(scope, new, [p.id for p in _open_proposals(scope, date.min, date.max)
                                       if p.id != new.id and p.status == ProposalStatus.PENDING
                                       and p.target_event_id == new.target_event_id])
    session = proposed_session(scope, new)
    if session is None:
        return []
    pending = [p for p in _open_proposals(scope, session.day, session.day)
               if p.id != new.id and p.status == ProposalStatus.PENDING
               and p.kind == ProposalKind.WORKOUT]
    same_day = analysis.superseded(session, [s for p in pending if (s := proposed_session(scope, p))
                                             and not (p.plan_id and p.plan_id == new.plan_id)])
    renamed = [p.id for p in _same_answer(scope, new) if p.name.lower() == new.name.lower()
               and (p.day == new.day or _flagged_on_its_day(scope, p))]
    return _supersede(scope, new, sorted(set(same_day) | set(renamed)))


DAY_CONCERNS = {analysis.Concern.SAME_DAY, analysis.Concern.READINESS, analysis.Concern.DAY_OFF,
                analysis.Concern.DAY_HOURS, analysis.Concern.RACE_WEEK}


def _flagged_on_its_day(scope: Scope, p: Proposal) -> bool:
    """The check flagged something about `p`'s day (a clash, an ease-off, a day off): the same
    session proposed again elsewhere in the answer is the model's fix. Without a flag, two of
    the same name are a plan that repeats a session (easy runs on Monday and Wednesday)."""
    return any(f.concern in DAY_CONCERNS for f in findings(scope, p))


def _supersede(scope: Scope, new: Proposal, ids: list[int]) -> list[int]:
    for pid in ids:
        scope.store.transition(pid, [ProposalStatus.PENDING], ProposalStatus.SUPERSEDED,
                               f"superseded by proposal {new.id}", superseded_by=new.id)
    return ids


def _same_answer(scope: Scope, new: Proposal) -> list[Proposal]:
    """Pending workouts proposed earlier in the same answer (a fix the model made)."""
    if new.turn is None or new.conversation_id is None:
        return []
    return [p for p in scope.store.proposals(conversation_id=new.conversation_id,
                                             statuses=[ProposalStatus.PENDING])
            if p.turn == new.turn and p.id < new.id and p.kind == ProposalKind.WORKOUT
            and p.plan_id is None]


def _open_proposals(scope: Scope, first: date, last: date) -> list[Proposal]:
    return Reads(scope).open_proposals(first, last)


def _on_days(proposals: list[Proposal], first: date, last: date) -> list[Proposal]:
    """The proposals whose session falls between `first` and `last` (a move: its new day)."""
    return [p for p in proposals if first <= date.fromisoformat(p.new_day or p.day) <= last]


def _event_session(scope: Scope, e: Event, reads: Reads) -> Session | None:
    if e.category != "WORKOUT":
        return None
    sport = workout.sport_family(e.type or "") or e.type or "Other"
    zones = _zone_minutes(scope, sport, e.description or "", reads)
    minutes = (e.moving_time or 0) / 60 or sum(zones.values())
    return Session(date.fromisoformat(e.day), sport, e.name or "Workout", minutes,
                   e.icu_training_load, zones, event_id=e.id)


def _zone_minutes(scope: Scope, sport: str, text: str,
                  reads: Reads | None = None) -> dict[int, float]:
    if not text.strip() or sport not in workout.SPORTS:  # strength: no endurance intensity
        return {}
    return dict(_timed_zones(text, sport, (reads or Reads(scope)).thresholds(sport)))


@lru_cache(maxsize=512)
def _timed_zones(text: str, sport: str,
                 limits: workout.Thresholds) -> tuple[tuple[int, float], ...]:
    """Minutes per zone of a workout text (pure, so kept: a 4-week plan's check times the same
    planned workouts around each of its days, some 2,000 parses)."""
    check = workout.check(text, sport, limits)
    return tuple((zone, secs / 60) for zone, secs in check.zone_times.items()) if check.ok else ()


def _readiness(checkins: list[Checkin], day: date) -> list[Readiness]:
    days = {day.isoformat(), (day - timedelta(days=1)).isoformat()}
    return [Readiness(date.fromisoformat(c.day), c.verdict, c.reasons)
            for c in checkins if c.day in days]


def _week_target(scope: Scope, day: date) -> tuple[float, float] | None:
    """The week's hours and load from the newest plan that set targets for it."""
    monday = (day - timedelta(days=day.weekday())).isoformat()
    plan = scope.store.plan_setting_targets(scope.athlete_id, monday, GONE)
    for week in plan.weeks if plan else []:
        if week.get("monday") == monday:
            return float(week["hours"]), float(week["load"])
    return None


def _loads(sessions: list[Session]) -> dict[date, float]:
    loads: dict[date, float] = {}
    for s in sessions:
        loads[s.day] = loads.get(s.day, 0.0) + (s.load or 0.0)
    return loads


def _races(events: list[Event]) -> list[Race]:
    return [Race(date.fromisoformat(e.day), e.name or "your race", RACES[e.category])
            for e in events if e.category in RACES]
