"""Check every figure in the coach's answer against the figures the turn could see.

Pure (standard library only, no I/O). `check_answer(answer, seen, today)` marks each figure of
the answer (coach.grounding_figures reads them: numbers with units, durations, paces, dates, each
end of a range) found or not found; `mark` highlights the missing; `Grounding.line()` sums up.

Not figures (no claim about training data): fenced or inline code (workout text has its own
checker) and URLs; list numbering ("1." "2)" at a line start); zone names ("Z2", "zone 2");
repeat counts ("3x12", "5 x 4 min": the 3 and the 5); ordinals ("2nd"); clock times ("7 am");
numbers inside words ("VO2max", "i1234"); a year alone ("2026"); an integer of at most 3 with no
unit and no data word ("2 fixes", "one of 3 options"; but "2 h", "CTL 3", "3 sessions" count).
A weekday alone is no figure; a weekday written with a date is checked.

A figure is found when one of these holds. Values compare in base units (5400 s = 90 min = 1.5 h
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
Pass the athlete's messages in `seen` (their numbers count), and the workout text of proposals
(the tool call's arguments), so that describing a proposal is grounded.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from coach import grounding_figures as gf
from coach.grounding_figures import RAW, Mention, Reading
from coach.grounding_seen import (
    MAX_NEAR,
    Item,
    Pool,
    Value,
    Values,
    add_derived,
    build_pool,
    combine,
    family,
)

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
    pool = build_pool([*seen], today)
    mentions = [m for m in gf.extract(answer, today, answer=True) if not m.ignored]
    percents = [r.value for m in mentions for r in m.readings if r.dim == "percent"]
    reasons = [_first_pass(m, pool, percents) for m in mentions]
    ends = [end.end() for end in _SENTENCE_END.finditer(answer)]
    sentences = [bisect_right(ends, m.start) for m in mentions]
    stated = list(zip(sentences, mentions, [not why for why in reasons], strict=True))
    reasons = [why if why != NOT_SEEN or not _from_answer(m, s, stated) else ""
               for s, m, why in zip(sentences, mentions, reasons, strict=True)]
    return Grounding(tuple(Figure(answer[m.start:m.end], m.start, m.end, not why, m.kind, why)
                           for m, why in zip(mentions, reasons, strict=True)))


def mark(answer: str, grounding: Grounding, before: str = "**", after: str = "**") -> str:
    """The answer with each missing figure wrapped in markers (skipped if the text changed)."""
    out = answer
    for f in sorted(grounding.missing, key=lambda f: f.start, reverse=True):
        if 0 <= f.start <= f.end <= len(out) and out[f.start:f.end] == f.text:
            out = out[:f.start] + before + f.text + after + out[f.end:]
    return out


# --- checking one figure ----------------------------------------------------------------------

def _first_pass(m: Mention, pool: Pool, percents: list[float]) -> str:
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
                  key=lambda n: abs(n[0].start - m.start))[:MAX_NEAR]
    found = [(f, r, False) for f, ok in near if ok for r in f.readings]
    found += [(f, f.raw, True) for f, ok in near if ok and f.raw and f.raw not in f.readings]
    percents = [r.value for f, _ in near for r in f.readings if r.dim == "percent"]
    derived: Values = defaultdict(list)
    for (f, x, bare), (g, y, bare2) in combinations(found, 2):
        if f is not g and (bare or bare2):  # "CTL 68.1 is 6.6 below the 74.7": for a bare 6.6
            derived["any"] += [(v, h, "") for _, v, h in combine(x, y, "plain")]
        elif f is not g:
            add_derived(derived, combine(x, y, "any"), family(f.family, g.family))
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


def _interval(r: Reading, m: Mention) -> tuple[float, float]:
    """The seen values that round to the figure as written (unsigned: its magnitude)."""
    v = r.value if m.signed else abs(r.value)
    wide = max(r.half, (0.05 if m.approx == "about" else 0.1) * abs(v))
    lo, hi = {"about": (v - wide, v + wide), "over": (v - r.half, v + wide),
              "under": (v - wide, v + r.half)}.get(m.approx, (v - r.half, v + r.half))
    slack = _EPS * max(1.0, abs(v))
    return lo - slack, hi + slack


def _hit(pool: list[Value], r: Reading, m: Mention, *, derived: bool) -> bool:
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


def _of_threshold(r: Reading, m: Mention, thresholds: list[tuple[str, Item]],
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
