"""Figures, their targets, the printed table, the growth lines and the JSON written to disk."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

NOT_MEASURED = "not measured"
LINEAR_SLACK = 1.2  # growth up to 1.2 × the growth of the history still counts as linear


class BenchmarkError(Exception):
    """A benchmark could not run as intended (a tool failed, the app did not start, …)."""


@dataclass
class Figure:
    """One measured figure: its value in each run, and the most it may be."""

    key: str
    label: str
    unit: str            # requests | s | ms | characters | MB
    target: float        # the figure passes when its median is at most this
    runs: list[float] = field(default_factory=list)
    note: str = ""       # why it was not measured, or what else was seen (e.g. 429 answers)
    error: str = ""      # the measurement broke (the app crashed, …): the figure fails

    @property
    def measured(self) -> float | None:
        return statistics.median(self.runs) if self.runs and not self.error else None

    @property
    def ok(self) -> bool | None:
        """True or False once measured or broken; None when it could not be measured here."""
        if self.error:
            return False
        return None if self.measured is None else self.measured <= self.target

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "unit": self.unit,
                "measured": self.measured, "target": self.target,
                "target_text": target_text(self), "ok": self.ok,
                "runs": self.runs, "note": self.note, "error": self.error}


def fmt(value: float | None, unit: str) -> str:
    """A value with its unit, rounded the way it is read."""
    if value is None:
        return NOT_MEASURED
    if unit in ("requests", "characters", "tokens"):
        return f"{value:,.0f} {unit}"
    digits = {"s": 2, "ms": 1, "MB": 1}.get(unit, 2)
    return f"{value:,.{digits}f} {unit}"


def target_text(figure: Figure) -> str:
    return f"≤ {figure.target:,g} {figure.unit}"


def verdict(figure: Figure) -> str:
    if figure.error:
        return "FAILED"
    return {True: "ok", False: "MISS", None: NOT_MEASURED}[figure.ok]


def table(figures: list[Figure]) -> str:
    """figure | measured | target | ok, in aligned columns."""
    rows = [("figure", "measured", "target", "ok")]
    rows += [(f.label, fmt(f.measured, f.unit), target_text(f), verdict(f))
             for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [" | ".join(cell.ljust(w) if i == 0 else cell.rjust(w) if i < 3 else cell
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def notes(figures: list[Figure]) -> list[str]:
    return [f"{f.label}: {text}" for f in figures for text in (f.note, f.error) if text]


# --- how it grows ---------------------------------------------------------------------------

@dataclass
class Growth:
    """One figure measured on histories of different lengths (years → median value)."""

    label: str
    unit: str
    by_years: dict[int, float]

    def ratios(self) -> dict[int, float]:
        """Each size's value against the smallest history's."""
        first = min(self.by_years)
        base = self.by_years[first]
        return {y: (v / base if base else float("inf") if v else 1.0)
                for y, v in sorted(self.by_years.items())}

    @property
    def linear(self) -> bool:
        """True when no size grew faster than its history did (with LINEAR_SLACK)."""
        first = min(self.by_years)
        return all(r <= (y / first) * LINEAR_SLACK for y, r in self.ratios().items())

    def line(self) -> str:
        first = min(self.by_years)
        parts = [f"{y} y {fmt(self.by_years[y], self.unit)}"
                 + ("" if y == first else f" (×{r:.1f} for ×{y / first:g} history)")
                 for y, r in self.ratios().items()]
        if len(self.by_years) < 2:
            return f"{self.label}: " + parts[0] + " — one size only"
        word = "linear or better" if self.linear else "WORSE THAN LINEAR"
        return f"{self.label}: " + ", ".join(parts) + f" — {word}"

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "unit": self.unit,
                "by_years": {str(y): v for y, v in sorted(self.by_years.items())},
                "ratio_vs_smallest": {str(y): r for y, r in self.ratios().items()},
                "linear_or_better": self.linear if len(self.by_years) > 1 else None}


def growth(per_size: dict[int, list[Figure]]) -> list[Growth]:
    """The figures measured at every size, keyed by figure, in the order first seen."""
    labels: dict[str, tuple[str, str]] = {}
    values: dict[str, dict[int, float]] = {}
    for years, figures in sorted(per_size.items()):
        for f in figures:
            if f.measured is None:
                continue
            labels.setdefault(f.key, (_sizeless(f.label, years), f.unit))
            values.setdefault(f.key, {})[years] = f.measured
    return [Growth(labels[k][0], labels[k][1], v) for k, v in values.items()]


def _sizeless(label: str, years: int) -> str:
    return label.replace(f"{years}-year ", "").replace(f"the {years}-year store", "the store")
