"""Running the scenarios: the demo athlete synced once into a temporary data folder, each run on
a copy of it through the same Coach as the page (real Ollama client, agent, tools, prompts),
with a progress bar on stderr; then the report as a table, JSON and Markdown, and two saved
reports side by side."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from statistics import mean
from typing import Any, TextIO

from coach.agent.loop import Safeguards, TurnEvent, Usage
from coach.app.session import Coach, Proposal
from coach.errors import CoachError
from coach.eval.graders import (
    SCORES,
    Graded,
    Proposed,
    RawReply,
    Run,
    SeasonMade,
    Turn,
    grade,
)
from coach.eval.scenarios import EVAL_TODAY, SCENARIOS, Scenario, Stage, pick
from coach.model.client import ChatChunk, ChatModel, ModelStatus, OllamaChat
from coach.settings import Settings, check_model_policy

FORMAT = "coach-eval/1"
SAFEGUARDS = {"recheck": "recheck_figures", "repeats": "answer_repeats",  # --without names
              "facts": "facts_first", "drafts": "drafts", "runaway": "cut_runaway",
              "fit": "fit_context", "focused": "focused_answer"}
COLUMNS = {"tools": "tools", "arguments": "args", "workouts_first": "wk1st",
           "workouts_fixed": "wkfix", "grounding": "ground", "not_scheduled": "unsch",
           "limits": "limits", "question": "ask", "answer": "answer", "mentions": "says",
           "language": "lang", "format": "format", "repeats": "norep", "fits": "fits",
           "season": "season", "fuel": "fuel"}
ModelFactory = Callable[[Settings], ChatModel]


@dataclass(frozen=True)
class Options:
    model: str | None = None
    runs: int = 1
    names: list[str] | None = None
    without: str = ""
    json_path: str | None = None
    markdown_path: str | None = None


class Recorded:
    """The model, keeping what it sent for each request before the agent judged it (a tool
    call written as text is run by the agent, but it still counts against the model)."""

    def __init__(self, model: ChatModel) -> None:
        self.model, self.name, self.num_ctx = model, model.name, model.num_ctx
        self.replies: list[RawReply] = []
        self.instructions: dict[str, None] = {}  # the system prompts sent, in order
        self.notes: dict[str, None] = {}  # the product's notes and hints within a turn

    def chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             stop: threading.Event | None = None,
             max_tokens: int | None = None) -> Iterator[ChatChunk]:
        content: list[str] = []
        calls = 0
        for i, message in enumerate(messages):
            if message["role"] == "system":  # the prompt; then the product's notes and hints
                (self.notes if i else self.instructions)[message["content"]] = None
        stream = self.model.chat(messages, tools, stop, max_tokens)
        try:
            for chunk in stream:
                content.append(chunk.content)
                calls += len(chunk.tool_calls)
                yield chunk
        finally:
            self.replies.append(RawReply("".join(content), calls, bool(tools)))
            close = getattr(stream, "close", None)
            if close:
                close()  # the agent closing us must close the request too

    def status(self) -> ModelStatus:
        return self.model.status()

    def describe_installed(self) -> dict[str, str]:
        return self.model.describe_installed()

    def close(self) -> None:
        self.model.close()


def ollama_model(settings: Settings) -> ChatModel:
    return OllamaChat(settings.ollama_host, settings.model, num_ctx=settings.num_ctx,
                      think=settings.think)


class Bench:
    """A temporary data folder with the demo athlete synced once; each run works on a copy of
    the synced database, so no run sees another's proposals or changes."""

    def __init__(self, settings: Settings, *, today: date = EVAL_TODAY,
                 safeguards: Safeguards | None = None,
                 model: ModelFactory = ollama_model) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="coach-eval-")
        self.root = Path(self._tmp.name)
        self.settings = settings.model_copy(update={
            "data_dir": self.root / "base", "api_key": None, "api_key_source": "none",
            "athlete_id": "0"})  # the demo athlete, never the athlete's own data
        self.today, self.safeguards, self._model = today, safeguards or Safeguards(), model
        self._runs = 0

    def __enter__(self) -> Bench:
        try:
            with Coach(self.settings, today=self.today) as coach:
                coach.sync()
        except BaseException:
            self._tmp.cleanup()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()

    def run(self, scenario: Scenario, on_event: Callable[[TurnEvent], None] | None = None) -> Run:
        self._runs += 1
        folder = self.root / f"run-{self._runs}"
        folder.mkdir()
        shutil.copyfile(self.settings.db_path, folder / "coach.db")
        settings = self.settings.model_copy(update={"data_dir": folder})
        if scenario.availability is not None:
            settings = settings.model_copy(update={"availability": scenario.availability})
        model = Recorded(self._model(settings))
        with Coach(settings, model=model, today=self.today) as coach:
            coach.safeguards = self.safeguards
            conversation = coach.new_conversation()
            stage = Stage(coach.store, coach.athlete_id or "", self.today, conversation,
                          model.num_ctx)
            if scenario.setup:
                scenario.setup(stage)
            turns = []
            for i, ask in enumerate(scenario.asks):
                if i and scenario.between:
                    scenario.between(stage)        # what the athlete does between turns
                turns.append(_turn(coach, model, conversation, ask, on_event))
            proposals = tuple(_proposed(coach, p) for p in coach.proposals())
            messages = tuple(coach.messages(conversation))
            seasons = tuple(SeasonMade(r.race or "", tuple(w["phase"] for w in r.weeks),
                                       tuple(w["ramp"] for w in r.weeks))
                            for r in coach.store.seasons(coach.athlete_id or ""))
        shutil.rmtree(folder, ignore_errors=True)
        return Run(scenario, self.today, tuple(turns), messages, proposals,
                   tuple(model.instructions), seasons, tuple(model.notes))


def _turn(coach: Coach, model: Recorded, conversation: int, ask: str,
          on_event: Callable[[TurnEvent], None] | None = None) -> Turn:
    events: list[TurnEvent] = []
    first, began = len(model.replies), time.perf_counter()

    def keep(event: TurnEvent) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    coach.ask(conversation, ask, keep)
    return Turn(tuple(events), tuple(model.replies[first:]), time.perf_counter() - began)


def _proposed(coach: Coach, p: Proposal) -> Proposed:
    """A proposal as the graders read it, with what the week check finds on its card now."""
    return Proposed(p.id, str(p.kind), p.day, p.sport, p.duration_s, p.new_day, str(p.status),
                    tuple(str(f.concern) for f in coach.findings(p)), p.carbs_per_hour)


class ProgressBar:
    """`[#####.....] 12/30 next-week, round 2 (812 tokens in, 12 s)` on one line of a
    terminal; elsewhere a line for each scenario and each model request (a real model can
    take minutes over one scenario: the log shows it is moving)."""

    def __init__(self, out: TextIO, total: int) -> None:
        self.out, self.total, self.done = out, total, 0
        self.tty = out.isatty()
        self.label, self.rounds, self.began = "", 0, time.perf_counter()

    def show(self, label: str) -> None:
        self.label, self.rounds, self.began = label, 0, time.perf_counter()
        self._write(label)

    def event(self, event: TurnEvent) -> None:
        """A model request ended: its round, tokens and the time so far in the scenario."""
        if not isinstance(event, Usage):
            return
        self.rounds += 1
        self._write(f"{self.label}, round {self.rounds} ({event.prompt_tokens or 0} tokens "
                    f"in, {event.output_tokens or 0} out, "
                    f"{time.perf_counter() - self.began:.0f} s)")

    def _write(self, label: str) -> None:
        filled = int(20 * self.done / self.total) if self.total else 20
        line = f"[{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total} {label}"
        if self.tty:
            self.out.write("\r" + line[:100].ljust(100))
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def finish(self) -> None:
        self.show("done")
        if self.tty:
            self.out.write("\n")


Results = list[tuple[Scenario, list[Graded]]]


def run_suite(bench: Bench, scenarios: list[Scenario], runs: int, progress: TextIO,
              results: Results | None = None,
              after: Callable[[Results], None] | None = None) -> Results:
    """Run and grade every scenario into `results` (kept as far as it got if interrupted),
    calling `after` when each scenario is done."""
    bar = ProgressBar(progress, len(scenarios) * runs)
    results = [] if results is None else results
    for scenario in scenarios:
        graded: list[Graded] = []
        for n in range(runs):
            bar.show(scenario.name + (f" (run {n + 1}/{runs})" if runs > 1 else ""))
            graded.append(grade(bench.run(scenario, bar.event)))
            bar.done += 1
        results.append((scenario, graded))
        if after is not None:
            after(results)
    bar.finish()
    return results


# --- the command -----------------------------------------------------------------------------

def safeguards_off(without: str) -> list[str]:
    """`recheck,repeats` → those names; ValueError for one that does not exist."""
    names = [n.strip() for n in without.split(",") if n.strip()]
    unknown = [n for n in names if n not in SAFEGUARDS]
    if unknown:
        raise ValueError(f"unknown safeguard {', '.join(unknown)}; use any of "
                         f"{', '.join(SAFEGUARDS)}, comma separated")
    return names


def evaluate(settings: Settings, options: Options, out: TextIO, progress: TextIO,
             model: ModelFactory = ollama_model) -> int:
    """Run the suite against the configured Ollama, print the table, write the reports."""
    try:
        scenarios, off = pick(options.names), safeguards_off(options.without)
    except ValueError as e:
        print(f"{str(e)[0].upper()}{str(e)[1:]}.", file=out)
        return 1
    if options.model:
        settings = settings.model_copy(update={"model": options.model})
    check_model_policy(settings)
    with OllamaChat(settings.ollama_host, settings.model, num_ctx=settings.num_ctx,
                    think=settings.think) as probe:
        status = probe.status()
        if not status.ok:
            print(status.problem, file=out)
            return 1
        about = describe(settings, probe, status, options, off)
    began = time.perf_counter()
    guards = Safeguards(**{SAFEGUARDS[n]: False for n in off})
    results: Results = []
    planned = len(scenarios) * max(1, options.runs)

    def report_now(done: Results, partial: bool) -> dict[str, Any]:
        report = build_report(done, {**about, "wall_s": round(time.perf_counter() - began, 1)})
        if partial:
            report["partial"] = f"{sum(len(g) for _, g in done)} of {planned} runs"
        return report

    def write(done: Results) -> None:  # after each scenario: a long run keeps what it has
        write_reports(report_now(done, len(done) < len(scenarios)), options)

    try:
        with Bench(settings, safeguards=guards, model=model) as bench:
            run_suite(bench, scenarios, max(1, options.runs), progress, results, write)
    except KeyboardInterrupt:
        print(f"\nStopped: {len(results)} of {len(scenarios)} scenarios were done; the report "
              "holds those.", file=out)
        return _finish(report_now(results, True), options, out, 130)
    except CoachError as e:
        print(f"The evaluation stopped: {e}", file=out)
        if results:
            _finish(report_now(results, True), options, out, 1)
        return 1
    return _finish(report_now(results, False), options, out, 0)


def _finish(report: dict[str, Any], options: Options, out: TextIO, code: int) -> int:
    if report["scenarios"]:
        print(render_table(report), file=out)
    for path in write_reports(report, options):
        print(f"Report written to {path}", file=out)
    return code


def write_reports(report: dict[str, Any], options: Options) -> list[str]:
    """The JSON and Markdown reports asked for, each replaced whole (never half written)."""
    written = []
    for path, text in ((options.json_path, json.dumps(report, indent=2, ensure_ascii=False)),
                       (options.markdown_path, to_markdown(report))):
        if path:
            tmp = Path(f"{path}.part")
            tmp.write_text(text + "\n", encoding="utf-8")
            tmp.replace(path)
            written.append(path)
    return written


def describe(settings: Settings, probe: OllamaChat, status: ModelStatus, options: Options,
             off: list[str]) -> dict[str, Any]:
    """The model, Ollama's version and the settings the scores were measured with."""
    return {
        "format": FORMAT, "model": settings.model,
        "model_details": probe.describe_installed().get(settings.model, ""),
        "ollama_version": probe.version(), "num_ctx": settings.num_ctx,
        "model_context_length": status.context_length,
        "settings": {"think": settings.think, "temperature": probe.temperature,
                     "runs": max(1, options.runs), "safeguards_off": off,
                     "today": EVAL_TODAY.isoformat(), "athlete": "demo"},
        "coach_version": _version(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds")}


def _version() -> str:
    try:
        return metadata.version("local-coach")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- the report ------------------------------------------------------------------------------

def _mean(values: list[Any]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 3) if present else None


def build_report(results: list[tuple[Scenario, list[Graded]]],
                 about: dict[str, Any]) -> dict[str, Any]:
    rows = [_scenario_row(s, graded) for s, graded in results]
    return {**about, "total": _mean([r["total"] for r in rows]),
            "scores": {k: _mean([r["scores"][k] for r in rows]) for k in SCORES},
            "scenarios": rows, "definitions": SCORES}


def _scenario_row(scenario: Scenario, graded: list[Graded]) -> dict[str, Any]:
    def figure(key: str) -> float | None:
        return _mean([g.figures[key] for g in graded])

    return {"name": scenario.name, "group": scenario.group, "asks": list(scenario.asks),
            "total": _mean([g.total for g in graded]),
            "scores": {k: _mean([g.scores[k] for g in graded]) for k in SCORES},
            "rounds": figure("requests"), "wall_s": figure("wall_s"),
            "prompt_tokens": figure("prompt_tokens"), "output_tokens": figure("output_tokens"),
            "runs": [{"total": round(g.total, 3), "scores": g.scores, "figures": g.figures,
                      "answer": g.answer} for g in graded]}


def _cell(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, int | float) else str(value)


def table_rows(report: dict[str, Any], tokens: bool = False) -> list[list[str]]:
    """The header, one row per scenario, and the row of means."""
    extra = ["tok in", "tok out"] if tokens else []
    rows = [["scenario", "total", *COLUMNS.values(), "rounds", "wall s", *extra]]
    for r in report["scenarios"]:
        counts = [_cell(r["prompt_tokens"], 0), _cell(r["output_tokens"], 0)] if tokens else []
        rows.append([r["name"], _cell(r["total"]), *(_cell(r["scores"][k]) for k in COLUMNS),
                     _cell(r["rounds"], 1), _cell(r["wall_s"], 1), *counts])
    means = [_mean([r[k] for r in report["scenarios"]]) for k in ("rounds", "wall_s",
                                                                  "prompt_tokens",
                                                                  "output_tokens")]
    rows.append(["all", _cell(report["total"]), *(_cell(report["scores"][k]) for k in COLUMNS),
                 _cell(means[0], 1), _cell(means[1], 1),
                 *([_cell(means[2], 0), _cell(means[3], 0)] if tokens else [])])
    return rows


def _heading(report: dict[str, Any]) -> str:
    s = report["settings"]
    off = ", ".join(s["safeguards_off"]) or "none"
    return (f"{report.get('model_details') or report['model']}, Ollama "
            f"{report.get('ollama_version') or 'unknown'}, num_ctx {report['num_ctx']}, "
            f"think {'on' if s['think'] else 'off'}, temperature {s['temperature']}, "
            f"{s['runs']} run(s) per scenario, safeguards off: {off}; demo athlete on "
            f"{s['today']}; {len(report['scenarios'])} scenarios in "
            f"{_cell(report.get('wall_s'), 0)} s. Total {_cell(report['total'])}.")


def render_table(report: dict[str, Any]) -> str:
    rows = table_rows(report)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    return "\n".join([_heading(report), "", *lines])


def to_markdown(report: dict[str, Any]) -> str:
    rows = table_rows(report, tokens=True)
    table = [f"| {' | '.join(rows[0])} |", "|" + "---|" * len(rows[0]),
             *(f"| {' | '.join(row)} |" for row in rows[1:])]
    legend = [f"- **{COLUMNS[k]}** ({k}): {text}" for k, text in report["definitions"].items()
              if k in COLUMNS]
    return "\n".join([f"# coach eval: {report['model']}", "", _heading(report), "", *table, "",
                      "Scores are 0 to 1, `-` where a score does not apply. A scenario's "
                      "total is the lowest of what it asks for (tools, answer, limits, ask, "
                      "says, lang) times the mean of how cleanly the model got there (the "
                      "other scores). Rounds are model requests; the last row holds the means.",
                      "",
                      *legend])


# --- comparing two reports -------------------------------------------------------------------

def compare_reports(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Two saved reports side by side: a warning when they cover different scenarios, the
    settings, the score means, then each scenario's total, rounds, tokens and seconds."""
    names = [s["name"] for s in a["scenarios"]]
    names += [s["name"] for s in b["scenarios"] if s["name"] not in names]
    by_name = [{s["name"]: s for s in r["scenarios"]} for r in (a, b)]
    rows = [["", "A", "B"], ["model", a["model"], b["model"]],
            ["ollama", str(a.get("ollama_version")), str(b.get("ollama_version"))],
            ["num_ctx", str(a["num_ctx"]), str(b["num_ctx"])],
            ["safeguards off", *(", ".join(r["settings"]["safeguards_off"]) or "none"
                                 for r in (a, b))],
            ["total", _cell(a["total"]), _cell(b["total"])]]
    rows += [[k, _cell(a["scores"].get(k)), _cell(b["scores"].get(k))] for k in SCORES]
    rows += [[label, *(_cell(_mean([s.get(key) for s in r["scenarios"]]), digits)
                       for r in (a, b))] for label, key, digits in _EFFORT]
    rows.append(["scenarios: total, rounds, tokens in/out, s", "", ""])
    rows += [[f"  {n}", *(_effort(m[n]) if n in m else "-" for m in by_name)] for n in names]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    table = [f"{row[0].ljust(widths[0])}  {row[1].rjust(widths[1])}  {row[2].rjust(widths[2])}"
             for row in rows]
    return "\n".join([*_different_sets(by_name), *table])


_EFFORT = (("rounds (mean)", "rounds", 1), ("tokens in (mean)", "prompt_tokens", 0),
           ("tokens out (mean)", "output_tokens", 0), ("seconds (mean)", "wall_s", 1))


def _effort(s: dict[str, Any]) -> str:
    return (f"{_cell(s['total'])} · {_cell(s.get('rounds'), 1)} r · "
            f"{_cell(s.get('prompt_tokens'), 0)}/{_cell(s.get('output_tokens'), 0)} · "
            f"{_cell(s.get('wall_s'), 0)} s")


def _different_sets(by_name: list[dict[str, Any]]) -> list[str]:
    only = [sorted(set(x) - set(y)) for x, y in (by_name, by_name[::-1])]
    if not any(only):
        return []
    parts = [f"only in {side}: {', '.join(names)}" for side, names in zip("AB", only,
                                                                           strict=True)
             if names]
    return [f"Warning: the reports cover different scenarios ({'; '.join(parts)}); their "
            "totals and means are not comparable.", ""]


def read_report(path: str) -> dict[str, Any]:
    """A report `coach eval --json` wrote; ValueError with a sentence otherwise."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ValueError(f"Cannot read {path}: {e.strerror}.") from None
    except json.JSONDecodeError:
        raise ValueError(f"{path} is not JSON: write it with `coach eval --json`.") from None
    if not isinstance(report, dict) or report.get("format") != FORMAT:
        raise ValueError(f"{path} is not a report of `coach eval --json`.")
    return report


def print_comparison(path_a: str, path_b: str, out: TextIO) -> int:
    try:
        a, b = read_report(path_a), read_report(path_b)
    except ValueError as e:
        print(e, file=out)
        return 1
    print(compare_reports(a, b), file=out)
    return 0


def print_scenarios(out: TextIO) -> int:
    for s in SCENARIOS:
        print(f"{s.name:<18} {s.group:<12} {' / '.join(s.asks)}", file=out)
    return 0
