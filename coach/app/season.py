"""The season to the A race for a Coach: making one (the Plan page's button and `coach season
--plan`, as the model's plan_weeks does past 8 weeks), the season as it stands (re-targeted from
what was done each time it is opened), its rows for the Plan page's charts and table and its
lines for the terminal, and pausing it for illness or injury with a return week. Nothing here
writes to a calendar: the workouts it lays out are proposals the athlete confirms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach import analysis, display
from coach.analysis import Availability, DayFitness
from coach.app.rows import race_rows
from coach.app.session import Coach
from coach.errors import CoachError
from coach.proposals import plans, seasons
from coach.proposals.seasons import NewSeason, PauseOffer, SeasonNow
from coach.scope import Scope, totals

__all__ = ["NewSeason", "PauseOffer", "SeasonView", "make", "next_race", "pause", "text",
           "view"]
RACES = ("RACE_A", "RACE_B")


@dataclass(frozen=True)
class SeasonView:
    """What the Plan page and `coach season` show of the season."""

    plan_id: int
    race: date
    race_name: str
    start: date
    weeks: list[dict[str, Any]]          # one row a week: phase, targets, done, CTL
    fitness: list[dict[str, Any]]        # fitness_rows' shape: history, then the forecast
    races: list[dict[str, Any]]          # races inside the season
    race_morning: DayFitness
    race_form: str
    fuel: str | None                     # the race-day fuelling line
    paused: dict[str, str] | None        # the last pause: back, reason
    offer: PauseOffer | None             # a check-in or note that calls for a pause
    laid_out: int                        # workouts laid out now, as proposals

    @property
    def current(self) -> dict[str, Any] | None:
        return next((w for w in self.weeks if w["when"] == "this week"), None)


def _availability(coach: Coach) -> Availability:
    return coach.settings.availability or Availability()


def next_race(coach: Coach) -> tuple[date, str] | None:
    """The first A or B race a season can build to (within 30 weeks of the next Monday)."""
    scope = coach.scope()
    start = plans.plan_start(scope.today)
    last = start + timedelta(weeks=seasons.MAX_WEEKS, days=-1)
    for e in scope.store.events(scope.athlete_id, start, last):
        if e.category in RACES:
            return date.fromisoformat(e.day), e.name or "your race"
    return None


def make(coach: Coach, race: date | None = None) -> NewSeason:
    """A season to `race` (default: the next A or B race), its first 2 weeks as proposals."""
    if coach.athlete_id is None:
        raise CoachError("Sync with Intervals.icu first: a season is made from your history.")
    found = race or (next_race(coach) or (None, ""))[0]
    if found is None:
        raise CoachError("No A or B race within 30 weeks on your calendar: add your race in "
                         "Intervals.icu (or give its date), then plan the season.")
    try:
        return seasons.make_season(coach.scope(), race=found, availability=_availability(coach),
                                   conversation_id=None, turn=None)
    except ValueError as e:
        raise CoachError(f"No season planned: {e}") from None


def view(coach: Coach) -> SeasonView | None:
    """The current season, re-targeted from what was done (and its next weeks laid out)."""
    if coach.athlete_id is None:
        return None
    scope = coach.scope()
    now = seasons.refresh(scope, _availability(coach))
    return _view(scope, now) if now is not None else None


def pause(coach: Coach, back: date, reason: str) -> SeasonView:
    """Pause the season: a return week from `back`, the rest re-phased to the same race."""
    scope = coach.scope()
    try:
        now = seasons.pause(scope, _availability(coach), back, reason)
    except ValueError as e:
        raise CoachError(f"Not paused: {e}") from None
    return _view(scope, now)


def _view(scope: Scope, now: SeasonNow) -> SeasonView:
    record, season = now.record, now.season
    state = record.season or {}
    start = date.fromisoformat(record.start)
    return SeasonView(
        record.id, season.race, state.get("race_name") or "your race", start,
        _week_rows(scope, season), _fitness_rows(scope, season, start),
        [r for r in race_rows(scope, (season.race - scope.today).days)
         if r["day"] <= season.race.isoformat()],
        season.race_morning, season.race_form, seasons.race_day_fuel(scope, season.race),
        state.get("paused"), now.offer, len(now.laid_out))


def _week_rows(scope: Scope, season: analysis.Season) -> list[dict[str, Any]]:
    this_monday = analysis.monday(scope.today)
    so_far = totals(scope, this_monday, scope.today)
    rows = []
    for i, w in enumerate(season.weeks, 1):
        when = "done" if w.monday < this_monday else \
            "this week" if w.monday == this_monday else "ahead"
        done = w.done
        if when == "this week":
            done = analysis.WeekLoad(w.monday, sum(f.moving_time_s or 0 for f in so_far) / 3600,
                                     sum((f.load or 0) for f in so_far))
        rows.append({"n": i, "week": w.monday.isoformat(), "phase": w.phase.value,
                     "lighter": w.recovery, "when": when, "target hours": round(w.hours, 2),
                     "target load": round(w.load), "done hours": round(done.hours, 2)
                     if done else None, "done load": round(done.load) if done else None,
                     "ctl": round(w.end.ctl, 1), "ramp": round(w.ramp, 1),
                     "notes": list(w.notes)})
    return rows


def _fitness_rows(scope: Scope, season: analysis.Season, start: date) -> list[dict[str, Any]]:
    """CTL, ATL and form: the weeks before the season and since, then the forecast to race
    morning if the targets are met (`kind = forecast`)."""
    first = min(start, scope.today) - timedelta(weeks=6)
    history = [analysis.DayFitness(date.fromisoformat(w.id), w.ctl, w.atl)
               for w in scope.store.wellness(scope.athlete_id, first, scope.today)
               if w.ctl is not None and w.atl is not None]
    ahead = [f for f in season.daily if not history or f.day > history[-1].day]
    rows = [_row(f, "history") for f in history]
    if history and ahead:
        rows.append(_row(history[-1], "forecast"))   # the forecast joins the history's line
    morning = season.race_morning                     # drawn on race day, where it is marked
    race_day = [_row(DayFitness(season.race, morning.ctl, morning.atl), "forecast")] \
        if morning.day < season.race and season.race > scope.today else []
    return rows + [_row(f, "forecast") for f in ahead] + race_day


def _row(f: DayFitness, kind: str) -> dict[str, Any]:
    return {"day": f.day.isoformat(), "fitness (CTL)": round(f.ctl, 1),
            "fatigue (ATL)": round(f.atl, 1), "form": round(f.form, 1), "kind": kind,
            "band": analysis.form_band(f.form, f.ctl).split(":")[0]}


# --- the terminal ------------------------------------------------------------------------------

def text(view: SeasonView, today: date) -> list[str]:
    """The season as lines of text: where it stands, each week, the forecast, fuelling."""
    current = view.current
    where = f"week {current['n']} of {len(view.weeks)}, {current['phase']}" if current else \
        f"starts {display.day(view.start, today)}"
    lines = [f"Season to {view.race_name} on {display.day(view.race, today)} "
             f"({len(view.weeks)} weeks from {display.day(view.start, today)}; {where}).",
             "", f"{'wk':>3}  {'week of':<11} {'phase':<15} {'target':>7} {'load':>5}  "
             f"{'done':>7} {'load':>5}  {'CTL':>4}"]
    for w in view.weeks:
        phase = w["phase"] + (" (lighter)" if w["lighter"] else "")
        done = (f"{display.hours(w['done hours']):>7} {w['done load']:>5}"
                if w["done hours"] is not None else f"{'':>7} {'':>5}")
        mark = "<" if w["when"] == "this week" else " "
        lines.append(f"{w['n']:>3}{mark} {display.day_month(w['week'], today):<11} {phase:<15} "
                     f"{display.hours(w['target hours']):>7} {w['target load']:>5}  {done}  "
                     f"{w['ctl']:>4.0f}")
    lines += ["", f"Race morning, if the targets are met: fitness (CTL) "
                  f"{view.race_morning.ctl:.0f}, form {view.race_morning.form:+.0f} "
                  f"({view.race_form})."]
    for race in view.races:
        lines.append(f"Race: {race['race']} ({race['category'].replace('RACE_', '')}) on "
                     f"{display.day(race['day'], today)}.")
    if view.fuel:
        lines.append(view.fuel)
    if view.paused:
        lines.append(f"Paused: {view.paused['reason']} Back to training on "
                     f"{display.day(view.paused['back'], today)}, with a return week.")
    return lines
