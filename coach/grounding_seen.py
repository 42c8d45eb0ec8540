"""The figures a turn could see, and what two or more of them give: the pool `coach.grounding`
checks an answer against.

Pure (standard library only, no I/O). The rules are written out in `coach.grounding`; this module
reads the seen texts once (tool results stay in context over turns), keeps each figure with its
line, label and sport, and derives sums, differences, row totals and means, shares, and percents
of thresholds from them.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate, combinations, pairwise

from coach import grounding_figures as gf
from coach.grounding_figures import RAW, Reading

_SPORT = re.compile(r"ride|run|swim")
_SIDE_BY_SIDE = re.compile(r"\bvs\b|\bversus\b| / |\bthan\b")
_THRESHOLDS = {"ftp": "power", "lthr": "hr", "maxhr": "hr", "pace": "pace"}
_ADDITIVE = ("duration", "distance", "load", "energy", "kj")  # totals and means of rows
_DATED = re.compile(r"\s*(?:\d{4}-\d\d-\d\d|[A-Z][a-z]{2} \d{4})\b")
MAX_NEAR = 40  # figures of one line, or near an answer's figure, that are combined in pairs

# A figure seen or derived: its value in base units, half its last digit (derived: that of its
# coarsest operand; inf: any rounding goes) and its family (CTL, ATL, form, ramp, load or "").
Value = tuple[float, float, str]
Values = dict[str, list[Value]]  # per dim, sorted


@dataclass(frozen=True)
class Item:
    """One reading of a seen figure, with where it stands and what its line says of it."""

    reading: Reading
    line: int
    label: str  # the word before it ("load", "ride"), "" for none
    key: str  # the label and its place among figures of its kind on the line: "load#2"
    sport: str  # ride, run or swim as its line says, else ""
    dated: bool  # its line starts with a date: a weekly, monthly or daily row
    family: str
    mention: int
    span: tuple[int, int]


@dataclass(frozen=True)
class Pool:
    """Everything an answer's figure may be found in."""

    values: Values
    derived: Values
    thresholds: list[tuple[str, Item]]  # ("ftp", the FTP figure)
    dates: set[date]


def build_pool(texts: list[str], today: date) -> Pool:
    """Everything the seen texts give: each text read once (cached), then thresholds across
    texts ("95% of FTP" from a power in one tool result and the FTP in the athlete card)."""
    parts = [_read_text(text, today) for text in texts]
    values: Values = defaultdict(list)
    derived: Values = defaultdict(list)
    for part in parts:
        for mine, theirs in ((values, part.values), (derived, part.derived)):
            for dim, found in theirs.items():
                mine[dim] += found
    items = [it for part in parts for it in part.items]
    thresholds = [t for part in parts for t in part.thresholds]
    for dim, found in _of_thresholds(items, thresholds).items():
        derived[dim] += found
    dates = around(today).union(*(part.dates for part in parts))
    values, derived = ({k: sorted(v) for k, v in d.items()} for d in (values, derived))
    return Pool(values, derived, thresholds, dates)


@dataclass(frozen=True)
class _TextPool:
    """What one seen text gives on its own (read-only: it is cached)."""

    values: Values
    derived: Values
    items: tuple[Item, ...]
    thresholds: tuple[tuple[str, Item], ...]
    dates: frozenset[date]


@lru_cache(maxsize=256)
def _read_text(text: str, today: date) -> _TextPool:
    """A seen text's figures and what they give: tool results stay in context over turns, so
    each is read once."""
    values: Values = defaultdict(list)
    thresholds: list[tuple[str, Item]] = []
    items: list[Item] = []
    dates: set[date] = set()
    lines, column = text.split("\n"), Counter[tuple[int, str]]()
    for j, m in enumerate(gf.extract(text, today)):
        if m.day:
            dates |= week_ends(m.day)
            values["count"] += [(d, 0.5, "") for d in days_to(m.day, today)]
        sport = next(iter(_SPORT.findall(lines[m.line].lower())), "")
        dated = bool(_DATED.match(lines[m.line]))
        for r, label in gf.operands(m, text):
            column[(m.line, r.dim)] += 1  # "load" is the 1st, 2nd... load on its line
            items.append(Item(r, m.line, label, f"{label}#{column[(m.line, r.dim)]}",
                              sport, dated, m.family, j, (m.start, m.end)))
            values[r.dim].append((r.value, r.half, m.family))
            if _THRESHOLDS.get(m.threshold) == r.dim:
                thresholds.append((m.threshold, items[-1]))
        for r in gf.hints(m, text, lines[m.line]):
            values[r.dim].append((r.value, r.half, ""))
    return _TextPool(dict(values), _seen_derived(items, text), tuple(items), tuple(thresholds),
                     frozenset(dates))


def _seen_derived(items: list[Item], text: str) -> Values:
    """What two or more figures of one seen text give: see the rules in coach.grounding."""
    by_line: dict[int, list[Item]] = defaultdict(list)
    by_key: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for it in items:
        if it.reading.dim != RAW:
            by_line[it.line].append(it)
        if it.reading.dim not in (RAW, "count"):
            by_key[(it.key, it.reading.dim)].append(it)
    out: Values = defaultdict(list)
    for group in by_line.values():
        _line(out, group, text)
    for group in by_key.values():  # in line order, one item of a key per line
        for a, b in pairwise(group):
            if b.line == a.line + 1:
                add_derived(out, combine(a.reading, b.reading, "diff"), family(a.family, b.family))
        for run in _runs(group) if group[0].reading.dim in _ADDITIVE else ():
            if run[0].dated:
                add_derived(out, _windows([it.reading for it in run]), run[0].family)
    return dict(out)


def _line(out: Values, group: list[Item], text: str) -> None:
    """Sums (and a session's pace) of labelled figures on one line ("Ride 3.2 h; Run 4.1 h", not
    a week's total and a part) and their total ("Z1 2.8 h, Z2 11.8 h, ..."); everything for two
    figures set side by side ("61.3 ms vs 66.0 ms")."""
    for a, b in combinations(group[:MAX_NEAR], 2):
        how = "vs" if _SIDE_BY_SIDE.search(text[a.span[1]:b.span[0]]) else "sum"
        labelled = a.label and b.label or a.reading.dim != b.reading.dim
        if a.mention != b.mention and (how == "vs" or labelled):
            add_derived(out, combine(a.reading, b.reading, how), family(a.family, b.family))
    for dim in {it.reading.dim for it in group}:
        parts = [it.reading for it in group if it.reading.dim == dim and it.label]
        if len(parts) >= 3:
            out[dim].append((sum(r.value for r in parts), max(r.half for r in parts), ""))


def _runs(group: list[Item]) -> list[list[Item]]:
    """The runs of one label on consecutive lines: weekly rows, daily rows."""
    runs: list[list[Item]] = []
    for it in group:
        if runs and it.line == runs[-1][-1].line + 1:
            runs[-1].append(it)
        else:
            runs.append([it])
    return [run for run in runs if len(run) >= 2]


def _windows(run: list[Reading]) -> list[tuple[str, float, float]]:
    """Totals of the first and of the last rows ("in the last 3 weeks"), and the mean of all rows
    and of all but the last, which may be a partial week ("you averaged 8.5 h")."""
    n, dim, half = len(run), run[0].dim, max(r.half for r in run)
    total = [0.0, *accumulate(r.value for r in run)]
    spans = {(0, e) for e in range(2, n + 1)} | {(s, n) for s in range(n - 1)}
    out = [(dim, total[e] - total[s], half) for s, e in spans]
    return out + [(dim, total[n] / n, half)] + ([(dim, total[n - 1] / (n - 1), half)]
                                                  if n > 2 else [])


def _of_thresholds(items: list[Item], thresholds: list[tuple[str, Item]]) -> Values:
    """"95% of FTP": each seen power, HR or pace as a percent of each threshold of its sport,
    under "percent@ftp" and so on (a pace percent is a speed percent, as in Intervals.icu); FTP
    per kilogram of each seen weight."""
    out: Values = defaultdict(list)
    by_dim: dict[str, set[tuple[float, str]]] = defaultdict(set)
    for it in items:
        by_dim[it.reading.dim].add((it.reading.value, it.sport))
    for name, t, sport in {(n, b.reading.value, b.sport) for n, b in thresholds if b.reading.value}:
        if name == "ftp":  # "3.5 W/kg"
            out["wkg"] += [(t / w, math.inf, "") for w, _ in by_dim["weight"] if w]
        out[f"percent@{name}"] += [(t / v * 100 if name == "pace" else v / t * 100, math.inf, "")
                                   for v, s in by_dim[_THRESHOLDS[name]]
                                   if v and (not s or not sport or s == sport)]
    return out


def combine(x: Reading, y: Reading, how: str) -> list[tuple[str, float, float]]:
    """Derived figures of two: `how` is sum, diff, plain (both), or vs / any (all of them)."""
    if x.dim != y.dim:
        pair = {x.dim: x.value, y.dim: y.value}
        if how != "diff" and set(pair) == {"duration", "distance"} and pair["distance"] > 0:
            return [("pace", pair["duration"] / pair["distance"], math.inf)]
        if how == "any" and set(pair) == {"power", "weight"} and pair["weight"] > 0:
            return [("wkg", pair["power"] / pair["weight"], math.inf)]
        return []
    if (_tiny(x) and _tiny(y)) or not x.value or not y.value:
        return []
    half = max(x.half, y.half)
    sums = [(x.dim, x.value + y.value, half)]
    diffs = [(x.dim, x.value - y.value, half), (x.dim, y.value - x.value, half)]
    small, big = sorted((abs(x.value), abs(y.value)))
    shares = [small / big, (y.value - x.value) / x.value, (x.value - y.value) / y.value]
    if how == "any" and x.value + y.value:  # "4.3 h on the bike, 2.4 h running: 64% riding"
        shares += [x.value / (x.value + y.value), y.value / (x.value + y.value)]
    percents = [("percent", p * 100, math.inf) for p in shares]
    return {"sum": sums, "diff": diffs, "plain": sums + diffs}.get(how, sums + diffs + percents)


def add_derived(out: Values, found: list[tuple[str, float, float]], family: str) -> None:
    for dim, value, half in found:
        out[dim].append((value, half, family if dim == "load" else ""))


def family(a: str, b: str) -> str:
    """CTL and CTL give CTL; CTL and an unlabelled figure give CTL; CTL and ATL give neither."""
    return a if a == b else "mixed" if a and b else a or b


def _tiny(r: Reading) -> bool:
    return r.dim in (RAW, "count") and abs(r.value) <= 3


# --- dates ---------------------------------------------------------------------------------------

def around(today: date) -> set[date]:
    """The dates an answer may name without a tool: today, yesterday, tomorrow, this week's
    Monday and Sunday."""
    monday = today - timedelta(days=today.weekday())
    return {today, today - timedelta(days=1), today + timedelta(days=1), monday,
            monday + timedelta(days=6)}


def week_ends(day: date) -> set[date]:
    """A seen Monday stands for its week, so the week's Sunday is derivable (and back)."""
    shift = {0: 6, 6: -6}.get(day.weekday())
    try:
        return {day, day + timedelta(days=shift)} if shift else {day}
    except OverflowError:  # the last week of year 9999
        return {day}


def days_to(day: date, today: date) -> list[float]:
    """A seen date ahead: "in 60 days", "about 9 weeks" away."""
    days = (day - today).days
    return [days, days / 7] if days > 0 else []
