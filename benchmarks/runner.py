"""Run every figure: sync and tools at each history length, the rest on the longest one."""

from __future__ import annotations

import gc
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchmarks import (
    app_bench,
    prompt_bench,
    realmodel_bench,
    sync_bench,
    tools_bench,
    turn_bench,
)
from benchmarks.athlete import account, athlete_today, keep_out_of_gc
from benchmarks.figures import BenchmarkError, Figure, Growth, growth
from coach.testing.intervals_fake import FakeIntervals

DEFAULT_OUTPUT = Path(__file__).with_name("results.json")
Say = Callable[[str], None]


@dataclass(frozen=True)
class Config:
    runs: int = 5
    years: tuple[int, ...] = (1, 3, 10)
    latency_ms: float = 50.0
    quick: bool = False    # fewer repetitions inside a run, one browser run
    strict: bool = False   # a figure that could not be measured fails the command
    real_model: bool = True  # measure the real small model when it is installed
    output: Path = DEFAULT_OUTPUT

    @property
    def calls_per_tool(self) -> int:
        return 12 if self.quick else 60

    @property
    def turns_per_run(self) -> int:
        return 3 if self.quick else 10

    @property
    def browser_runs(self) -> int:
        return 1 if self.quick else self.runs


@dataclass
class Report:
    config: Config
    figures: list[Figure]
    growth: list[Growth]
    seconds: float = 0.0
    machine: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Every figure within its target (and, with strict, measured)."""
        return all(f.ok or (f.ok is None and not self.config.strict) for f in self.figures)

    def to_json(self) -> dict[str, Any]:
        config = {**asdict(self.config), "output": str(self.config.output),
                  "calls_per_tool": self.config.calls_per_tool,
                  "turns_per_run": self.config.turns_per_run,
                  "browser_runs": self.config.browser_runs}
        return {"ok": self.ok, "seconds": round(self.seconds, 1), "config": config,
                "machine": self.machine, "figures": [f.to_json() for f in self.figures],
                "growth": [g.to_json() for g in self.growth]}


@dataclass
class SizeResult:
    figures: list[Figure]
    template_db: Path
    account: FakeIntervals
    store_mb: Figure


def run(config: Config, say: Say = print) -> Report:
    """Measure everything in a temporary folder; nothing of the user's is read or written."""
    started = time.perf_counter()
    today = athlete_today()
    with tempfile.TemporaryDirectory(prefix="coach-benchmarks-") as tmp, _frozen_gc():
        work = Path(tmp)
        sizes = {y: measure_size(y, config, today, work / f"{y}y", say)
                 for y in sorted(config.years)}
        longest = sizes[max(sizes)]
        figures = [*longest.figures,
                   turn_figure(longest.template_db, config, today, work / "turns", say),
                   Figure("catalog_chars", "tool catalog sent to the model", "characters",
                          3000, [float(tools_bench.catalog_chars())]),
                   *prompt_figures(today, say),
                   *real_model_figures(today, config, say),
                   *app_figures(longest, config, work / "app", say),
                   longest.store_mb]
    per_size = {y: [*s.figures, s.store_mb] for y, s in sizes.items()}
    return Report(config, figures, growth(per_size), time.perf_counter() - started, machine())


def prompt_figures(today: date, say: Say) -> list[Figure]:
    """What a small model reads: the first turn, and the prefix each request shares."""
    say("prompts: a 20-turn conversation through the fake Ollama…")
    found = prompt_bench.conversation(20, today)
    first = Figure("first_turn_chars", "first turn: system prompt, catalog, first tool result",
                   "characters", 6000, [float(found.first_turn_chars)])
    unshared = Figure("prefix_unshared_pct", "request not repeating the previous one as a "
                      "prefix (worst, 20 turns)", "%", 5, [found.worst_unshared_pct])
    turns = " and ".join(str(n + 1) for n in found.compactions) or "none"
    unshared.note = (f"{found.requests} requests; the context was compacted at turn {turns}, "
                     "whose first request is not counted")
    return [first, unshared]


def real_model_figures(today: date, config: Config, say: Say) -> list[Figure]:
    """From the real small model, when installed: what a first turn costs it."""
    tokens = Figure("real_first_turn_tokens", "real 0.5B model: prompt tokens of a first turn "
                    "(the week's facts in it)", "tokens", 3000)
    first = Figure("real_first_token_s", "real 0.5B model: time to first token, first turn",
                   "s", 30)
    why = realmodel_bench.unavailable() if config.real_model else "left out (--no-real-model)"
    if why:
        tokens.note = first.note = f"not measured: {why}"
        return [tokens, first]
    say("real model: a first question, cold…")
    try:
        found = realmodel_bench.first_turn(today)
    except Exception as e:  # the model server failed: the figures fail, with the reason
        tokens.error = first.error = f"{type(e).__name__}: {e}"
        return [tokens, first]
    tokens.runs, first.runs = [float(found.prompt_tokens)], [found.first_token_s]
    return [tokens, first, *warm_figures(today, say)]


def warm_figures(today: date, say: Say) -> list[Figure]:
    """The page opened (the model warmed with the prompt and tools), then three questions."""
    first = Figure("real_warm_first_token_s", "real 0.5B model: time to first token of the "
                   "first question after the page opens (warmed)", "s", 15)
    read = Figure("real_evaluated_per_answer", "real 0.5B model: prompt tokens read anew "
                  "(not from the cache) per answered question", "tokens", 1500)
    say("real model: the page opens (warm-up), then three questions…")
    try:
        found = realmodel_bench.warm_turns(today)
    except Exception as e:
        first.error = read.error = f"{type(e).__name__}: {e}"
        return [first, read]
    first.runs, read.runs = [found.first_token_s], [found.evaluated_per_answer]
    first.note = f"the warm-up itself took {found.warm_s:.1f} s, while the page was read"
    read.note = f"mean of {found.answers} answers, facts and every round included"
    return [first, read]


@contextmanager
def _frozen_gc() -> Iterator[None]:
    try:
        yield
    finally:
        gc.unfreeze()


def measure_size(years: int, config: Config, today: date, folder: Path, say: Say) -> SizeResult:
    """Figures 1, 2, 3 and 8 for a `years`-long history."""
    folder.mkdir(parents=True)
    say(f"{years}-year athlete: generating history…")
    fake = account(years, today)
    keep_out_of_gc()
    pairs = []
    for n in range(config.runs):
        say(f"{years}-year athlete: full and incremental sync, run {n + 1}/{config.runs}…")
        pairs.append(sync_bench.sync_pair(fake, folder / f"sync-{n}.db", today,
                                          config.latency_ms / 1000))
    full_req, full_s, inc_req, inc_s, size = (_figure(years, k) for k in _SYNC_FIGURES)
    for figure, runs in ((full_req, [p.full for p in pairs]),
                         (inc_req, [p.incremental for p in pairs])):
        figure.runs = [float(r.requests) for r in runs]
        figure.note = _rate_note(runs)
    for figure, runs in ((full_s, [p.full for p in pairs]),
                         (inc_s, [p.incremental for p in pairs])):
        figure.runs = [r.seconds for r in runs]
        figure.note = _split_note(runs)
    size.runs = [p.store_mb for p in pairs]
    template = folder / f"sync-{config.runs - 1}.db"
    tools = tool_figures(years, template, config, today, folder, say)
    return SizeResult([full_req, full_s, inc_req, inc_s, *tools], template, fake, size)


def _rate_note(runs: list[sync_bench.SyncRun]) -> str:
    refused = sum(r.rate_limited for r in runs)
    if not refused:
        return ""
    return (f"{refused} request(s) answered 429 in {len(runs)} run(s), counted in requests "
            f"sent; each waited Retry-After {sync_bench.RETRY_AFTER_S:g} s")


def _split_note(runs: list[sync_bench.SyncRun]) -> str:
    """Where the median run's time went: the fake server (with its latency), the Retry-After
    waits, and ours (client, parsing, SQLite)."""
    run = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
    return (f"median run: {run.server_seconds:.2f} s in the fake server (latency included), "
            f"{run.rate_limited * sync_bench.RETRY_AFTER_S:.2f} s waiting after 429, "
            f"{run.client_seconds:.2f} s ours (client, parsing, SQLite)")


_SYNC_FIGURES = ("full_sync_requests", "full_sync_seconds", "incremental_sync_requests",
                 "incremental_sync_seconds", "store_mb")


def _figure(years: int, key: str) -> Figure:
    label, unit, target = {
        "full_sync_requests": (f"full {years}-year sync: requests sent", "requests", 40),
        "full_sync_seconds": (f"full {years}-year sync: wall time", "s", 10),
        "incremental_sync_requests": ("incremental sync, nothing new: requests", "requests", 4),
        "incremental_sync_seconds": ("incremental sync, nothing new: wall time", "s", 1),
        "store_mb": (f"store size for the {years}-year athlete", "MB", 60),
    }[key]
    return Figure(key, label, unit, target)


def tool_figures(years: int, template: Path, config: Config, today: date, folder: Path,
                 say: Say) -> list[Figure]:
    """Each tool's p95 per run, each run on its own copy of the synced store."""
    figures: dict[str, Figure] = {}
    for n in range(config.runs):
        say(f"{years}-year athlete: tools, run {n + 1}/{config.runs}…")
        copy = folder / f"tools-{n}.db"
        shutil.copyfile(template, copy)
        for name, samples in tools_bench.tool_latencies(copy, today,
                                                        config.calls_per_tool).items():
            figures.setdefault(name, Figure(
                f"tool_p95_ms:{name}", f"tool {name} on the {years}-year store: p95 latency",
                "ms", 20)).runs.append(tools_bench.p95(samples) * 1000)
    return list(figures.values())


def turn_figure(template: Path, config: Config, today: date, folder: Path,
                say: Say) -> Figure:
    figure = Figure("turn_overhead_ms", "agent overhead per turn, scripted model, 3 tool calls",
                    "ms", 30)
    for n in range(config.runs):
        say(f"agent turns, run {n + 1}/{config.runs}…")
        data_dir = app_bench.prepare_data_dir(template, folder / f"run-{n}")
        per_turn = turn_bench.turn_overheads(data_dir, today, config.turns_per_run)
        figure.runs.append(sorted(per_turn)[len(per_turn) // 2] * 1000)
    return figure


def app_figures(size: SizeResult, config: Config, folder: Path, say: Say) -> list[Figure]:
    """Start-up to health (figure 6), to a usable page, and memory after a chat turn (figure 7)."""
    from coach.testing.coach_script import coach
    from coach.testing.ollama_server import FakeOllama

    start = Figure("start_seconds", "`coach` start to /_stcore/health ok", "s", 6)
    usable = Figure("usable_page_seconds", "`coach` start to a usable Coach page in Chromium "
                    "(athlete shown, chat box on screen)", "s", 8)
    rss = Figure("app_rss_mb", "app memory (RSS) after loading the athlete and one chat turn",
                 "MB", 350)
    folder.mkdir(parents=True)
    name = size.account.athlete["name"]
    with size.account.serve() as intervals, FakeOllama(script=coach) as ollama:
        def started(run_name: str) -> AbstractContextManager[app_bench.RunningApp]:
            data_dir = app_bench.prepare_data_dir(size.template_db, folder / run_name)
            env = app_bench.app_env(data_dir, intervals.url, ollama.url)
            return app_bench.running_app(env, folder)

        def start_seconds(n: int) -> float:
            with started(f"start-{n}") as app:
                return app.start_seconds

        def usable_page_seconds(n: int) -> float:
            with started(f"page-{n}") as app:
                return app_bench.usable_seconds(app, name)

        def rss_mb(n: int) -> float:
            with started(f"memory-{n}") as app:
                return app_bench.rss_after_turn(app, name)

        _repeat(start, config.runs, start_seconds, "app start-up", say)
        missing = app_bench.browser_missing()
        if missing:
            rss.note = usable.note = f"not measured: {missing}"
        else:
            _repeat(usable, config.browser_runs, usable_page_seconds, "usable page", say)
            _repeat(rss, config.browser_runs, rss_mb, "app memory after a chat turn", say)
    return [start, usable, rss]


def _repeat(figure: Figure, runs: int, measure: Callable[[int], float], what: str,
            say: Say) -> None:
    """Measure `runs` times; a broken measurement fails the figure with its reason."""
    for n in range(runs):
        say(f"{what}, run {n + 1}/{runs}…")
        try:
            figure.runs.append(measure(n))
        except BenchmarkError as e:
            figure.error = str(e)
            return


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0],
            "platform": platform.platform(), "sqlite": sqlite3.sqlite_version,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
