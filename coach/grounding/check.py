"""Check every figure in the coach's answer against the figures the turn could see.

Pure (standard library only, no I/O). `check_answer(answer, seen, today)` marks each figure of
the answer (`coach.grounding.figures` reads them: numbers with units, durations, paces, dates, each
end of a range) found or not found; `mark` highlights the missing; `Grounding.line()` sums up.

Not figures (no claim about training data): fenced or inline code (workout text has its own
checker) and URLs; list numbering ("1." "2)" at a line start); zone names ("Z2", "zone 2");
repeat counts ("3x12", "5 x 4 min": the 3 and the 5); ordinals ("2nd"); clock times ("7 am");
numbers inside words ("VO2max", "i1234"); a year alone ("2026"); an integer of at most 3 with no
unit and no data word ("2 fixes", "one of 3 options"; but "2 h", "CTL 3", "3 sessions" count).
A weekday alone is no figure; a weekday written with a date is checked.

A figure is found when one of these holds. _Values compare in base units (5400 s = 90 min = 1.5 h
= "1:30" = "1h30m"; 42195 m = 42.2 km) and must round to the figure as written (87.6 gives "88"
and "87.6", not "87.5"; 88 does not give "87.6"). "about" widens by 5%, "over"/"under" by 10% on
their side; a written sign must match; a CTL is no ATL (CTL, ATL, form, ramp and load differ).
1. Seen: a figure of its kind; a bare number in a zone list or table whose line names the unit
   (and a zone's lower bound: Z1 55 -> Z2 from 56); any seen number, for a number without unit;
   the days or weeks to a seen date ahead.
2. Derived from seen figures of one kind, written no more coarsely than they were ("7.3 h", not
   "7 h", from 3.2 h + 4.1 h; one digit more after "about"): the sum of labelled figures on one
   line ("Ride 3.2 h; Run 4.1 h", not a total and its part) and their total; the difference of
   one label on neighbouring lines (week to week, CTL now and 42 days ago); totals and means of
   dated rows (first or last weeks; "you averaged 8.5 h"); everything for two figures side by
   side ("61.3 ms vs 66.0 ms": 4.7 ms, 7%); a session's pace or speed from its time and distance.
3. Thresholds: a seen power, HR or pace as a percentage of the FTP, LTHR, max HR or threshold pace
   of its sport ("95% of FTP" from 238 W and 250 W; a bare "95%" is of FTP); FTP per seen weight
   (W/kg); a power, HR or pace that is a percentage in the answer of a threshold ("88-94% of FTP
   (220-235 W)").
4. From the answer itself: the sum, difference, share or change of two found figures of one kind
   it states in the same sentence or the one before ("CTL 62 - 55 = 7 points"; "462 to 512, up
   11%"), or a percentage it states of one ("95% of 285 W is 271 W").
5. Dates: seen in any format, today, yesterday, tomorrow, this week's Monday or Sunday, or the
   Sunday of a seen Monday; a weekday written with it must be its own. A date without a year
   takes the year that puts it nearest today.
Two integers of at most 3 without unit never make a sum or a percentage ("1 + 1").
6. Sums the athlete wrote: the result of an arithmetic expression in what the turn saw ("what is
   2+2" gives 4; "3*7" 21; "10 - 4" 6: a minus needs spaces around it, as "2026-11" is no sum).
Pass the athlete's messages in `seen` (their numbers count), and the workout text of proposals
(the tool call's arguments), so that describing a proposal is grounded.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate, combinations, pairwise

from coach.grounding.figures import RAW, Mention, Quantity, extract, hints, operands

NOT_SEEN = "not in the data"
MAX_NAMED = 5  # missing figures named in line()
_ALSO = {RAW: ("count",)}  # a bare number may be a count: "14 of 15" from "14 done, 1 missed"
_SENTENCE_END = re.compile(r"[.!?:;](?=\s)|\n")
_EPS = 1e-9


@dataclass(frozen=True)
class Figure:
    text: str  # as written in the answer, e.g. "312 W", "1:30", "4:45 /km", "Thursday 4 Dec"
    start: int  # character span in the answer
    end: int
    found: bool
    kind: str  # power, duration, distance, pace, hr, percent, load, date, number, ...
    reason: str = ""  # for not found: "not in the data", "4 Dec 2026 is a Friday"


@dataclass(frozen=True)
class Grounding:
    figures: tuple[Figure, ...]

    @property
    def missing(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if not f.found)

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def states_data(self) -> bool:
        """At least one figure found in the data (a date alone is none)."""
        return any(f.found and f.kind != "date" for f in self.figures)

    def line(self) -> str:
        """One line for the page: "" when the answer has no figures."""
        n, missing = len(self.figures), self.missing
        if not n:
            return ""
        if not missing:
            return "1 figure found in your data" if n == 1 else \
                f"All {n} figures found in your data"
        names = [f.text if f.reason == NOT_SEEN else f"{f.text} ({f.reason})"
                 for f in missing[:MAX_NAMED]]
        if len(missing) > MAX_NAMED:
            names.append(f"and {len(missing) - MAX_NAMED} more")
        head = "1 figure" if n == 1 else f"{len(missing)} of {n} figures"
        return f"{head} not found in your data: {', '.join(names)}"

    def to_json(self) -> str:
        rows = [[f.text, f.start, f.end, f.found, f.kind, f.reason] for f in self.figures]
        return json.dumps({"v": 1, "figures": rows}, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Grounding:
        """The Grounding `to_json` wrote; ValueError for anything else."""
        try:
            rows = json.loads(text)["figures"]
            return cls(tuple(Figure(str(t), int(s), int(e), bool(f), str(k), str(r))
                             for t, s, e, f, k, r in rows))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a stored grounding: {error}") from error


def check_answer(answer: str, seen: Iterable[str], today: date) -> Grounding:
    """`seen`: every text this turn could see — tool results, the athlete card in the system
    prompt, earlier tool results still in context, the athlete's own messages."""
    seen = [*seen]
    pool = _build_pool([*seen, _sums(seen)], today)
    mentions = [m for m in extract(answer, today, answer=True) if not m.ignored]
    percents = [r.value for m in mentions for r in m.readings if r.dim == "percent"]
    reasons = [_first_pass(m, pool, percents) for m in mentions]
    ends = [end.end() for end in _SENTENCE_END.finditer(answer)]
    sentences = [bisect_right(ends, m.start) for m in mentions]
    stated = list(zip(sentences, mentions, [not why for why in reasons], strict=True))
    reasons = [why if why != NOT_SEEN or not _from_answer(m, s, stated) else ""
               for s, m, why in zip(sentences, mentions, reasons, strict=True)]
    return Grounding(tuple(Figure(answer[m.start:m.end], m.start, m.end, not why, m.kind, why)
                           for m, why in zip(mentions, reasons, strict=True)))


_SUM = re.compile(r"(?<![\w.:/-])(\d{1,6}(?:\.\d+)?)(\s*[-+*/×x]\s*|\s+-\s+)(\d{1,6}(?:\.\d+)?)"
                  r"(?![\w.%:/])")


def _sums(texts: list[str]) -> str:
    """The results of the arithmetic written in the texts, as one line of plain numbers."""
    found = []
    for text in texts:
        for m in _SUM.finditer(text):
            a, op, b = float(m.group(1)), m.group(2).strip(), float(m.group(3))
            if op == "-" and m.group(2) == "-":
                continue  # "10-4" is as often a range or a date as a sum
            value = {"+": a + b, "-": a - b, "*": a * b, "×": a * b, "x": a * b,
                     "/": a / b if b else None}[op]
            if value is not None:
                found.append(f"{value:g}")
    return " ".join(found)


def mark(answer: str, grounding: Grounding, before: str = "**", after: str = "**") -> str:
    """The answer with each missing figure wrapped in markers (skipped if the text changed)."""
    out = answer
    for f in sorted(grounding.missing, key=lambda f: f.start, reverse=True):
        if 0 <= f.start <= f.end <= len(out) and out[f.start:f.end] == f.text:
            out = out[:f.start] + before + f.text + after + out[f.end:]
    return out


# --- checking one figure ----------------------------------------------------------------------

def _first_pass(m: Mention, pool: _Pool, percents: list[float]) -> str:
    """"" if found from the seen figures alone, else the reason."""
    if m.kind == "date":
        return _date_reason(m, pool.dates)
    for r in m.readings:
        dims = [r.dim, *_ALSO.get(r.dim, ())]
        if any(_hit(pool.values.get(d, []), r, m, derived=False) for d in dims):
            return ""
        if r.dim == "percent":
            dims.append(f"percent@{m.ref or 'ftp'}")  # "95%" alone is of FTP
        if any(_hit(pool.derived.get(d, []), r, m, derived=True) for d in dims):
            return ""
        if _of_threshold(r, m, pool.thresholds, percents):
            return ""
    return NOT_SEEN


def _from_answer(m: Mention, sentence: int, stated: list[tuple[int, Mention, bool]]) -> bool:
    """Derived from two found figures the answer states in this sentence or the one before, or
    a percentage it states of one ("95% of 242 W is 230 W"). Bare numbers may give a figure of
    any kind ("from 76.1 to 68.1, 8 points"; "from 55.0 to 61.8 (+6.8)")."""
    near = sorted(((f, ok) for s, f, ok in stated if sentence - 1 <= s <= sentence),
                  key=lambda n: abs(n[0].start - m.start))[:_MAX_NEAR]
    found = [(f, r, False) for f, ok in near if ok for r in f.readings]
    found += [(f, f.raw, True) for f, ok in near if ok and f.raw and f.raw not in f.readings]
    percents = [r.value for f, _ in near for r in f.readings if r.dim == "percent"]
    derived: _Values = defaultdict(list)
    for (f, x, bare), (g, y, bare2) in combinations(found, 2):
        if f is not g and (bare or bare2):  # "CTL 68.1 is 6.6 below the 74.7": for a bare 6.6
            derived["any"] += [(v, h, "") for _, v, h in _combine(x, y, "plain")]
        elif f is not g:
            _add_derived(derived, _combine(x, y, "any"), _family(f.family, g.family))
    for _, y, _ in found:
        if y.dim not in ("percent", RAW):
            derived[y.dim] += [(y.value * p / 100, y.half, "") for p in percents]
    return any(_hit(sorted(derived.get(dim, [])), r, m, derived=True) for r in m.readings
               for dim in (derived if r.dim == RAW else (r.dim, RAW)))


def _date_reason(m: Mention, dates: set[date]) -> str:
    if m.day is None or m.bad_date:
        return "no such date"
    if m.weekday is not None and m.weekday != m.day.weekday():
        return f"{m.day.day} {m.day:%b %Y} is a {m.day:%A}"
    return "" if m.day in dates else NOT_SEEN


def _interval(r: Quantity, m: Mention) -> tuple[float, float]:
    """The seen values that round to the figure as written (unsigned: its magnitude)."""
    v = r.value if m.signed else abs(r.value)
    wide = max(r.half, (0.05 if m.approx == "about" else 0.1) * abs(v))
    lo, hi = {"about": (v - wide, v + wide), "over": (v - r.half, v + wide),
              "under": (v - wide, v + r.half)}.get(m.approx, (v - r.half, v + r.half))
    slack = _EPS * max(1.0, abs(v))
    return lo - slack, hi + slack


def _hit(pool: list[_Value], r: Quantity, m: Mention, *, derived: bool) -> bool:
    """A value that rounds to the figure as written (87.6 gives "88", never "87.5"; 88 never
    gives "87.6"), of the same family ("CTL 75" is no ATL 75). A derived value also needs
    operands written no more coarsely than the figure (one digit more after "about": "about 7
    points" from 61.8 - 55.0)."""
    lo, hi = _interval(r, m)
    coarser = 10 if m.approx else 1
    for a, b in [(lo, hi)] if m.signed else [(lo, hi), (-hi, -lo)]:
        i = bisect_left(pool, (a, -math.inf, ""))
        while i < len(pool) and pool[i][0] <= b:
            value, half, family = pool[i]
            exact = abs(abs(value) - abs(r.value)) <= _EPS * max(1.0, abs(r.value))
            fine = not derived or exact or r.half <= coarser * half * (1 + _EPS)
            if fine and _same_family(m.family, family, derived):
                return True
            i += 1
    return False


def _same_family(written: str, seen: str, derived: bool) -> bool:
    """A ramp rate (CTL/week) may be a difference of CTLs."""
    return not written or not seen or written == seen or \
        (derived and written == "ramp" and seen == "ctl")


def _of_threshold(r: Quantity, m: Mention, thresholds: list[tuple[str, _Item]],
                  percents: list[float]) -> bool:
    """"88% FTP (220 W)": a power, HR or pace that is a percent in the answer of a threshold."""
    lo, hi = _interval(r, m)
    for name, base in thresholds:
        t = base.reading.value
        if base.reading.dim == r.dim and any(
                lo <= (t * 100 / p if name == "pace" else t * p / 100) <= hi
                for p in percents if p > 0):
            return True
    return False


# --- what the turn could see: the pool of seen figures and what they give ---------------

_SPORT = re.compile(r"ride|run|swim")
_SIDE_BY_SIDE = re.compile(r"\bvs\b|\bversus\b| / |\bthan\b")
_THRESHOLDS = {"ftp": "power", "lthr": "hr", "maxhr": "hr", "pace": "pace"}
_ADDITIVE = ("duration", "distance", "load", "energy", "kj")  # totals and means of rows
_DATED = re.compile(r"\s*(?:\d{4}-\d\d-\d\d|[A-Z][a-z]{2} \d{4})\b")
_MAX_NEAR = 40  # figures of one line, or near an answer's figure, that are combined in pairs

# A figure seen or derived: its value in base units, half its last digit (derived: that of its
# coarsest operand; inf: any rounding goes) and its family (CTL, ATL, form, ramp, load or "").
_Value = tuple[float, float, str]
_Values = dict[str, list[_Value]]  # per dim, sorted


@dataclass(frozen=True)
class _Item:
    """One reading of a seen figure, with where it stands and what its line says of it."""

    reading: Quantity
    line: int
    label: str  # the word before it ("load", "ride"), "" for none
    key: str  # the label and its place among figures of its kind on the line: "load#2"
    sport: str  # ride, run or swim as its line says, else ""
    dated: bool  # its line starts with a date: a weekly, monthly or daily row
    family: str
    mention: int
    span: tuple[int, int]


@dataclass(frozen=True)
class _Pool:
    """Everything an answer's figure may be found in."""

    values: _Values
    derived: _Values
    thresholds: list[tuple[str, _Item]]  # ("ftp", the FTP figure)
    dates: set[date]


def _build_pool(texts: list[str], today: date) -> _Pool:
    """Everything the seen texts give: each text read once (cached), then thresholds across
    texts ("95% of FTP" from a power in one tool result and the FTP in the athlete card)."""
    parts = [_read_text(text, today) for text in texts]
    values: _Values = defaultdict(list)
    derived: _Values = defaultdict(list)
    for part in parts:
        for mine, theirs in ((values, part.values), (derived, part.derived)):
            for dim, found in theirs.items():
                mine[dim] += found
    items = [it for part in parts for it in part.items]
    thresholds = [t for part in parts for t in part.thresholds]
    for dim, found in _of_thresholds(items, thresholds).items():
        derived[dim] += found
    dates = _around(today).union(*(part.dates for part in parts))
    values, derived = ({k: sorted(v) for k, v in d.items()} for d in (values, derived))
    return _Pool(values, derived, thresholds, dates)


@dataclass(frozen=True)
class _TextPool:
    """What one seen text gives on its own (read-only: it is cached)."""

    values: _Values
    derived: _Values
    items: tuple[_Item, ...]
    thresholds: tuple[tuple[str, _Item], ...]
    dates: frozenset[date]


@lru_cache(maxsize=256)
def _read_text(text: str, today: date) -> _TextPool:
    """A seen text's figures and what they give: tool results stay in context over turns, so
    each is read once."""
    values: _Values = defaultdict(list)
    thresholds: list[tuple[str, _Item]] = []
    items: list[_Item] = []
    dates: set[date] = set()
    lines, column = text.split("\n"), Counter[tuple[int, str]]()
    for j, m in enumerate(extract(text, today)):
        if m.day:
            dates |= _week_ends(m.day)
            values["count"] += [(d, 0.5, "") for d in _days_to(m.day, today)]
        sport = next(iter(_SPORT.findall(lines[m.line].lower())), "")
        dated = bool(_DATED.match(lines[m.line]))
        for r, label in operands(m, text):
            column[(m.line, r.dim)] += 1  # "load" is the 1st, 2nd... load on its line
            items.append(_Item(r, m.line, label, f"{label}#{column[(m.line, r.dim)]}",
                              sport, dated, m.family, j, (m.start, m.end)))
            values[r.dim].append((r.value, r.half, m.family))
            if _THRESHOLDS.get(m.threshold) == r.dim:
                thresholds.append((m.threshold, items[-1]))
        for r in hints(m, text, lines[m.line]):
            values[r.dim].append((r.value, r.half, ""))
    return _TextPool(dict(values), _seen_derived(items, text), tuple(items), tuple(thresholds),
                     frozenset(dates))


def _seen_derived(items: list[_Item], text: str) -> _Values:
    """What two or more figures of one seen text give: see the rules at the top of this module."""
    by_line: dict[int, list[_Item]] = defaultdict(list)
    by_key: dict[tuple[str, str], list[_Item]] = defaultdict(list)
    for it in items:
        if it.reading.dim != RAW:
            by_line[it.line].append(it)
        if it.reading.dim not in (RAW, "count"):
            by_key[(it.key, it.reading.dim)].append(it)
    out: _Values = defaultdict(list)
    for group in by_line.values():
        _line(out, group, text)
    for group in by_key.values():  # in line order, one item of a key per line
        for a, b in pairwise(group):
            if b.line == a.line + 1:
                _add_derived(out, _combine(a.reading, b.reading, "diff"),
                             _family(a.family, b.family))
        for run in _runs(group) if group[0].reading.dim in _ADDITIVE else ():
            if run[0].dated:
                _add_derived(out, _windows([it.reading for it in run]), run[0].family)
    return dict(out)


def _line(out: _Values, group: list[_Item], text: str) -> None:
    """Sums (and a session's pace) of labelled figures on one line ("Ride 3.2 h; Run 4.1 h", not
    a week's total and a part) and their total ("Z1 2.8 h, Z2 11.8 h, ..."); everything for two
    figures set side by side ("61.3 ms vs 66.0 ms")."""
    for a, b in combinations(group[:_MAX_NEAR], 2):
        how = "vs" if _SIDE_BY_SIDE.search(text[a.span[1]:b.span[0]]) else "sum"
        labelled = a.label and b.label or a.reading.dim != b.reading.dim
        if a.mention != b.mention and (how == "vs" or labelled):
            _add_derived(out, _combine(a.reading, b.reading, how), _family(a.family, b.family))
    for dim in {it.reading.dim for it in group}:
        parts = [it.reading for it in group if it.reading.dim == dim and it.label]
        if len(parts) >= 3:
            out[dim].append((sum(r.value for r in parts), max(r.half for r in parts), ""))


def _runs(group: list[_Item]) -> list[list[_Item]]:
    """The runs of one label on consecutive lines: weekly rows, daily rows."""
    runs: list[list[_Item]] = []
    for it in group:
        if runs and it.line == runs[-1][-1].line + 1:
            runs[-1].append(it)
        else:
            runs.append([it])
    return [run for run in runs if len(run) >= 2]


def _windows(run: list[Quantity]) -> list[tuple[str, float, float]]:
    """Totals of the first and of the last rows ("in the last 3 weeks"), and the mean of all rows
    and of all but the last, which may be a partial week ("you averaged 8.5 h")."""
    n, dim, half = len(run), run[0].dim, max(r.half for r in run)
    total = [0.0, *accumulate(r.value for r in run)]
    spans = {(0, e) for e in range(2, n + 1)} | {(s, n) for s in range(n - 1)}
    out = [(dim, total[e] - total[s], half) for s, e in spans]
    return out + [(dim, total[n] / n, half)] + ([(dim, total[n - 1] / (n - 1), half)]
                                                  if n > 2 else [])


def _of_thresholds(items: list[_Item], thresholds: list[tuple[str, _Item]]) -> _Values:
    """"95% of FTP": each seen power, HR or pace as a percent of each threshold of its sport,
    under "percent@ftp" and so on (a pace percent is a speed percent, as in Intervals.icu); FTP
    per kilogram of each seen weight."""
    out: _Values = defaultdict(list)
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


def _combine(x: Quantity, y: Quantity, how: str) -> list[tuple[str, float, float]]:
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


def _add_derived(out: _Values, found: list[tuple[str, float, float]], family: str) -> None:
    for dim, value, half in found:
        out[dim].append((value, half, family if dim == "load" else ""))


def _family(a: str, b: str) -> str:
    """CTL and CTL give CTL; CTL and an unlabelled figure give CTL; CTL and ATL give neither."""
    return a if a == b else "mixed" if a and b else a or b


def _tiny(r: Quantity) -> bool:
    return r.dim in (RAW, "count") and abs(r.value) <= 3


# --- dates ---------------------------------------------------------------------------------------

def _around(today: date) -> set[date]:
    """The dates an answer may name without a tool: today, yesterday, tomorrow, this week's
    Monday and Sunday."""
    monday = today - timedelta(days=today.weekday())
    return {today, today - timedelta(days=1), today + timedelta(days=1), monday,
            monday + timedelta(days=6)}


def _week_ends(day: date) -> set[date]:
    """A seen Monday stands for its week, so the week's Sunday is derivable (and back)."""
    shift = {0: 6, 6: -6}.get(day.weekday())
    try:
        return {day, day + timedelta(days=shift)} if shift else {day}
    except OverflowError:  # the last week of year 9999
        return {day}


def _days_to(day: date, today: date) -> list[float]:
    """A seen date ahead: "in 60 days", "about 9 weeks" away."""
    days = (day - today).days
    return [days, days / 7] if days > 0 else []
