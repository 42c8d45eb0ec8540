"""Figures 3 and 5: every tool's p95 latency on a synced store, and the catalog's size."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.athlete import ATHLETE_ID
from benchmarks.figures import BenchmarkError
from coach.agent.tools import TOOLS, call_tool, catalog
from coach.scope import Scope
from coach.store import ProposalStatus, Store

WORKOUT_TEXT = ("Warmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 8m 95-100%\n- 4m 55%\n\n"
                "Cooldown\n- 10m 50%")


def typical_calls(store: Store, today: date) -> dict[str, list[dict[str, Any]]]:
    """The arguments a coach model typically sends, per tool; every tool in TOOLS has some."""
    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    calls: dict[str, list[dict[str, Any]]] = {
        "athlete_profile": [{}],
        "training_summary": [{"weeks": 1}, {"weeks": 4}, {"weeks": 52}],
        "fitness_trend": [{"days": 42}, {"days": 90}],
        "list_activities": [{"start": day(-7), "end": day(0)},
                            {"start": day(-30), "end": day(0)}],
        "wellness_trend": [{"days": 14}],
        "planned_workouts": [{"start": day(0), "end": day(14)},
                             {"start": day(-28), "end": day(7)}],
        "best_efforts": [{"sport": "Ride"}, {"sport": "Run"}, {}],
        "propose_workout": [{"date": day(2), "sport": "Ride", "name": "Threshold 3x8",
                             "description": WORKOUT_TEXT}],
        "propose_change": [{"event_id": _future_workout(store, today), "action": "move",
                            "new_date": day(3)}],
        "plan_weeks": [{"weeks": 4}],
        "propose_note": [{"text": "Left knee sore since the marathon: no running for now"}],
    }
    missing = set(TOOLS) - set(calls)
    if missing:
        raise BenchmarkError(f"no typical arguments for tool(s) {', '.join(sorted(missing))}: "
                             "add them to benchmarks/tools_bench.py")
    return calls


def tool_latencies(db_path: Path, today: date, calls_per_tool: int) -> dict[str, list[float]]:
    """Seconds per call for each tool (its variants in turn), reads first, proposals last."""
    store = Store(db_path)
    try:
        ctx = Scope(store, ATHLETE_ID, today)
        timings: dict[str, list[float]] = {}
        for name, variants in typical_calls(store, today).items():
            for args in variants:  # untimed warm-up: the first query on a connection
                _call(ctx, name, args)
            timings[name] = []
            for i in range(calls_per_tool):
                timings[name].append(_timed(ctx, name, variants[i % len(variants)]))
                _say_no(store)  # untimed: an athlete answers a proposal before asking again
        return timings
    finally:
        store.close()


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def catalog_chars() -> int:
    """Characters of JSON in the tool list sent with every model request."""
    return len(json.dumps(catalog()))


def _timed(ctx: Scope, name: str, args: dict[str, Any]) -> float:
    started = time.perf_counter()
    _call(ctx, name, args)
    return time.perf_counter() - started


def _call(ctx: Scope, name: str, args: dict[str, Any]) -> None:
    result = call_tool(ctx, name, args)
    if not result.ok:
        raise BenchmarkError(f"{name}({json.dumps(args)}) failed: {result.text}")


def _say_no(store: Store) -> None:
    """Reject what is pending, as the athlete would, so each call meets one conversation's worth
    of proposals rather than the sixty stacked by the calls before it."""
    for proposal in store.proposals(athlete_id=ATHLETE_ID, statuses=[ProposalStatus.PENDING]):
        store.transition(proposal.id, [ProposalStatus.PENDING], ProposalStatus.REJECTED,
                         "benchmark: the athlete said no")


def _future_workout(store: Store, today: date) -> int:
    events = store.events(ATHLETE_ID, today + timedelta(days=1), today + timedelta(days=60))
    for event in events:
        if event.category == "WORKOUT":
            return event.id
    raise BenchmarkError("the synced calendar has no future workout to propose a change to")
