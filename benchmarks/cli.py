"""`python -m benchmarks [--runs N] [--years 1,3,10] [--latency-ms 50] [--quick] [--strict]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from benchmarks.figures import BenchmarkError, notes, table
from benchmarks.runner import DEFAULT_OUTPUT, Config, Report, run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Measure Local Coach against its performance "
        "targets on a synthetic athlete served by the fake Intervals.icu over real HTTP. "
        "Exits 1 if a figure misses its target.")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is "
                        "reported (default 5)")
    parser.add_argument("--years", type=_years, default=(1, 3, 10), help="history lengths for "
                        "the sync and tool figures, comma-separated; the table shows the "
                        "longest (default 1,3,10)")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="latency the fake "
                        "Intervals.icu adds to every request (default 50)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions inside each "
                        "run (12 calls per tool, 3 turns) and one browser run")
    parser.add_argument("--strict", action="store_true", help="a figure that cannot be "
                        "measured here (no Chromium) fails the command too")
    parser.add_argument("--no-real-model", dest="real_model", action="store_false",
                        help="leave out the real small model's figures even when it is "
                        "installed")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the JSON results (default {DEFAULT_OUTPUT})")
    return parser


def _years(text: str) -> tuple[int, ...]:
    try:
        years = sorted({int(y) for y in text.split(",") if y.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole years, e.g. 1,3,10") from None
    if not years or years[0] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give at least one year, each 1 or more")
    return tuple(years)


def render(report: Report) -> str:
    """The table, its notes, how it grows, the verdict and the run time."""
    lines = [table(report.figures), ""]
    lines += [f"note: {n}" for n in notes(report.figures)]
    if report.growth:
        lines += ["", "How it grows (median at each history length; ratio against the "
                  "shortest):"]
        lines += [f"  {g.line()}" for g in report.growth]
    missed = [f.label for f in report.figures if f.ok is False]
    unmeasured = [f.label for f in report.figures if f.ok is None]
    lines += ["", f"{len(report.figures) - len(missed) - len(unmeasured)} of "
              f"{len(report.figures)} figures within target"
              + (f"; missed or failed: {', '.join(missed)}" if missed else "")
              + (f"; not measured: {', '.join(unmeasured)}" if unmeasured else "") + ".",
              f"Ran in {report.seconds:.0f} s; results in {report.config.output}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    if args.runs < 1:
        print("--runs must be 1 or more.", file=out)
        return 2
    config = Config(runs=args.runs, years=args.years, latency_ms=args.latency_ms,
                    quick=args.quick, strict=args.strict, output=args.output,
                    real_model=args.real_model)
    try:
        report = run(config, say=lambda text: print(text, file=sys.stderr, flush=True))
    except BenchmarkError as e:
        print(f"The benchmarks could not run: {e}", file=out)
        return 2
    config.output.parent.mkdir(parents=True, exist_ok=True)
    config.output.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
    print(render(report), file=out)
    return 0 if report.ok else 1
