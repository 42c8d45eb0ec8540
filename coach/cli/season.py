"""`coach season`: the season to the A race in the terminal, as text: each week's phase, target
and what was done, the forecast to race morning and race-day fuelling; re-targeted from what was
done each time it is shown. `--plan` makes one (to the next A or B race, or `--race`), `--pause`
pauses it for illness or injury with a return week from `--back`."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any, TextIO

from coach import display
from coach.app import Coach, Settings, season
from coach.cli.commands import on_synced_athlete


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("season", help="the season to your A race: phases, weekly targets "
                            "against what you did, the forecast to race day; --plan makes one, "
                            "--pause pauses it for illness or injury")
    parser.add_argument("--plan", action="store_true", help="plan a season to the next A or B "
                        "race on your calendar (its first 2 weeks proposed)")
    parser.add_argument("--race", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="with --plan: the race day, when it is not the next one")
    parser.add_argument("--pause", action="store_true", help="pause for illness or injury: an "
                        "easy return week, the rest re-phased to the race")
    parser.add_argument("--back", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="with --pause: the day training resumes (default tomorrow)")


def cmd_season(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    return on_synced_athlete(settings, out, lambda coach: _act(coach, args, out))


def _act(coach: Coach, args: argparse.Namespace, out: TextIO) -> int:
    today = coach.today()
    if args.plan:
        made = season.make(coach, args.race)
        print(f"Planned a season of {len(made.season.weeks)} weeks to "
              f"{display.day(made.season.race, today)}: {len(made.proposal_ids)} workouts "
              "proposed for its first 2 weeks (confirm them with `coach proposals confirm "
              "ID`).\n", file=out)
    if args.pause:
        back = args.back or today + timedelta(days=1)
        current = season.view(coach)
        reason = current.offer.reason if current and current.offer else \
            "Paused from the terminal."
        paused = season.pause(coach, back, reason)
        print(f"Paused: an easy return week from {display.day(back, today)}, then the weeks "
              f"left re-phased to the race; {paused.laid_out} workouts proposed.\n", file=out)
    shown = season.view(coach)
    if shown is None:
        race = season.next_race(coach)
        hint = f" Plan one to {race[1]} on {display.day(race[0], today)} with `coach season " \
               "--plan`." if race else " Add your A race in Intervals.icu, then `coach season " \
               "--plan`."
        print("No season yet." + hint, file=out)
        return 0
    print("\n".join(season.text(shown, today)), file=out)
    if shown.laid_out:
        print(f"\n{shown.laid_out} workouts laid out for the week ahead from what you did: "
              "`coach proposals` lists them.", file=out)
    if shown.offer and not args.pause:
        print(f"\n{shown.offer.reason} Pause the season with a return week: `coach season "
              f"--pause --back {shown.offer.back.isoformat()}`.", file=out)
    return 0
