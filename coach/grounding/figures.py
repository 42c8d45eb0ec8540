"""Find the figures in a text: numbers with units, durations, clocks, paces and dates.

Pure (standard library only, no I/O). `coach.grounding.check` reads both sides with it: the coach's
answer, where the ignore rules apply (`answer=True`), and every text the turn could see.

Every numeric figure becomes `Quantity`s in base units: seconds, metres, seconds per metre (pace),
W, bpm, %, load units, ms, kg. A reading keeps the rounding of the written figure as `half` (half
its last digit), so "88" covers 87.5 to 88.5 and "1.5 h" covers 1.45 h to 1.55 h. Ambiguous
figures get several readings ("45m": 45 minutes or 45 metres; "4:30": h:mm, m:ss or a pace).
The helpers at the end read what a seen text offers besides its figures: bare counts and the
units a zone list or table row names.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date

RAW = "raw"  # a number with no unit and no data keyword: compared as written


@dataclass(frozen=True)
class Quantity:
    dim: str  # duration, distance, pace, power, wkg, hr, percent, load, ms, weight, count, raw...
    value: float  # base units, sign as written
    half: float  # half of the last written digit, in base units


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # for the page: power, duration, distance, pace, hr, percent, load, date, number...
    readings: tuple[Quantity, ...] = ()
    raw: Quantity | None = None  # the bare number as written (None for clocks, dates)
    signed: bool = False
    unit: str = ""
    approx: str = ""  # "about", "over", "under" or ""
    key: str = ""  # the word before it in its clause ("ctl", "ride", "load"): its label
    line: int = 0
    day: date | None = None
    weekday: int | None = None  # written with the date; Monday = 0
    bad_date: bool = False
    threshold: str = ""  # ftp, lthr, maxhr, pace: the figure is that threshold (seen text)
    ref: str = ""  # a percent's base, as written after it: "95% of FTP" -> ftp
    family: str = ""  # of a training-load figure: ctl, atl, form, ramp, load ("" unsaid)
    ignored: str = ""  # why it is no claim: list, zone, repeat, year, small, ordinal, time


_U: dict[str, tuple[str, str, float]] = {}  # spelling -> (kind, dim, scale to base unit)
for _names, _spec in (
    ("w/kg", ("power", "wkg", 1.0)), ("w watt watts", ("power", "power", 1.0)),
    ("bpm", ("hr", "hr", 1.0)), ("% percent pct", ("percent", "percent", 1.0)),
    ("km/h kph kmh", ("speed", "speed", 1 / 3.6)), ("mph", ("speed", "speed", 0.44704)),
    ("m/s", ("speed", "speed", 1.0)), ("s/100m sec/100m", ("pace", "pace", 0.01)),
    ("s/km sec/km", ("pace", "pace", 0.001)),
    ("km kms k kilometer kilometers kilometre kilometres", ("distance", "distance", 1000.0)),
    ("mi mile miles", ("distance", "distance", 1609.344)),
    ("mtr metre metres meter meters", ("distance", "distance", 1.0)),
    ("yd yds yard yards", ("distance", "distance", 0.9144)), ("m", ("duration", "m", 60.0)),
    ("h hr hrs hour hours", ("duration", "duration", 3600.0)),
    ("min mins minute minutes", ("duration", "duration", 60.0)),
    ("s sec secs second seconds", ("duration", "duration", 1.0)),
    ("ms", ("hrv", "ms", 1.0)), ("kg kilos", ("weight", "weight", 1.0)),
    ("lb lbs pounds", ("weight", "weight", 0.45359237)),
    ("kcal cal calories", ("energy", "energy", 1.0)), ("kj", ("energy", "kj", 1.0)),
    ("rpm spm", ("cadence", "cadence", 1.0)),
    ("tss load ctl atl tsb form point points pts ctl/week", ("load", "load", 1.0)),
    ("session sessions workout workouts ride rides run runs swim swims activity activities "
     "race races day days d week weeks wk wks month months", ("number", "count", 1.0)),
):
    _U.update(dict.fromkeys(_names.split(), _spec))
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_U, key=len, reverse=True))

_NUM = re.compile(r"(?P<sign>[+\-−])?(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<dec>\.\d+)?"
                  rf"(?:(?P<sp>[ \u00a0]|-(?=[a-z]))?(?P<unit>{_UNIT_RE})(?![a-z]))?", re.I)
_CLOCK = re.compile(r"(?<![\w.:])(?P<a>\d{1,2}):(?P<b>[0-5]\d)(?::(?P<c>[0-5]\d))?(?![\d:])"
                    r"(?:\s?(?:min(?:utes)?\s?)?(?:/|per\s)\s?(?P<per>km|k|mi|mile|100\s?m|100\s?y"
                    r"d?)(?![a-z])|\s?(?P<dur>hours?|hrs?|h|min(?:ute)?s?)(?![a-z])"
                    r"|\s?(?P<ampm>[ap]\.?m\b\.?))?", re.I)
_H, _M, _S = r"(\d{1,3})\s?(?:hours?|hrs?|h)", r"(\d{1,2})\s?(?:minutes?|mins?|m)", \
    r"(\d{1,2})\s?(?:seconds?|secs?|s)"
_COMPOUND = re.compile(rf"(?<![\w.]){_H}(?:\s?(?:and\s)?{_M}|(?<=h)(\d{{2}})(?!\d))"
                       rf"(?:\s?{_S})?(?![a-z])|(?<![\w.]){_M}\s?{_S}(?![a-z])", re.I)
_WD = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|" \
    r"sat(?:urday)?|sun(?:day)?"
_MON = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_PRE = rf"(?:\b(?P<wd>{_WD})\.?,?\s(?:the\s)?)?"
_PAREN = rf"\s?\((?P<wd2>{_WD})\.?\)"  # "4 Dec (Thu)"
_POST = rf"(?:{_PAREN})?"
_DATES = [re.compile(p, re.I) for p in (
    rf"{_PRE}\b(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d)\b(?:{_PAREN}|\s(?P<wd3>{_WD})\b)?",
    rf"{_PRE}\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<mon>{_MON})\b"
    rf"(?:,?\s(?P<y>\d{{4}})\b(?![-/]\d))?{_POST}",
    rf"{_PRE}\b(?P<mon>{_MON})\.?\s(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.]\d)"
    rf"(?:,?\s(?P<y>\d{{4}})\b(?![-/]\d))?{_POST}")]
_MONTHS = [m[:3] for m in "jan feb mar apr may jun jul aug sep oct nov dec".split()]
_WDAYS = [d[:3] for d in "mon tue wed thu fri sat sun".split()]

_KEYWORDS = [(re.compile(p, re.I), kind, dim) for p, kind, dim in (
    (r"\b(?:ctl|atl|tsb|form|fitness|fatigue|freshness|load|tss|ramp)\b", "load", "load"),
    (r"\b(?:ftp|np|normali[sz]ed power|power|watts)\b", "power", "power"),
    (r"\b(?:lthr|hr|heart rate|rhr|pulse)\b", "hr", "hr"),
    (r"\b(?:hrv|rmssd)\b", "hrv", "ms"), (r"\bweigh(?:t|s|ed)?\b", "weight", "weight"))]
_FAMILY = {"ctl": "ctl", "fitness": "ctl", "atl": "atl", "fatigue": "atl", "form": "form",
           "tsb": "form", "freshness": "form", "ramp": "ramp", "ctl/week": "ramp",
           "load": "load", "tss": "load"}
_BASES = r"(?:(?P<ftp>ftp)|(?P<maxhr>max(?:imum)? (?:hr|heart rate))|(?P<lthr>lthr|threshold " \
    r"(?:hr|heart rate))|(?P<pace>threshold pace|css))"
_THRESHOLD = re.compile(rf"\b{_BASES}\W{{0,3}}(?:(?:of|is|at|was)\s)?[^\w]*$", re.I)
_REF = re.compile(rf"\s?(?:of\s)?(?:(?:your|the|current)\s)?{_BASES}\b", re.I)
_APPROX = [(re.compile(p + r"\s*$", re.I), word) for p, word in (
    (r"(?:\babout|\baround|\broughly|\bapproximately|\bapprox\.?|\bnearly|\balmost|\bclose to|"
     r"\bsome|~|≈|\bca\.)", "about"),
    (r"(?:\bover|\bmore than|\babove|\bat least|\bupwards of|>|≥)", "over"),
    (r"(?:\bunder|\bless than|\bbelow|\bat most|\bup to|<|≤)", "under"))]
_IGNORE = [(re.compile(p, re.I | re.M), why) for p, why in (
    (r"^[ \t]*(?:[-*+>][ \t]+|#+[ \t]+)?(\d{1,2})[.)](?=\s)", "list"),
    (r"\bzones?\s?(\d)(?:\s?(?:-|–|to|and|&|/)\s?(\d))?\b", "zone"),
    (r"\bZ\d(?:\s?[-–/]\s?Z?(\d))?", "zone"),
    (r"(?<![\w.])(\d+)\s?[x×](?=\s?\d|\s|$|[.,;:)])", "repeat"),
    (r"(?<![\w.])(\d+)(?:st|nd|rd|th)\b", "ordinal"),
    (r"(?<![\w.:])(\d{1,2})\s?(?:[ap]\.?m\b\.?|o'clock)", "time"))]
_CODE = re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`|https?://\S+", re.S)


def extract(text: str, today: date, *, answer: bool = False) -> list[Mention]:
    """Every figure in `text`, in order. With `answer`, code is skipped and mentions that make
    no claim about data carry `ignored` (the caller drops them)."""
    work = _CODE.sub(lambda m: " " * len(m.group()), text) if answer else text
    found: list[Mention] = []
    taken = bytearray(len(work) + 1)  # a date's digits are no number of their own
    for finder in (_dates, _compounds, _clocks, _numbers):
        for m in finder(work, today):
            if not any(taken[m.start:m.end]):
                found.append(m)
                taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    found.sort(key=lambda m: m.start)
    found = _context(work, _ranges(work, found))
    return _ignore(work, found) if answer else found


def _dates(text: str, today: date) -> list[Mention]:
    out = []
    for rx in _DATES:
        for m in rx.finditer(text):
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else _MONTHS.index(g["mon"][:3].lower()) + 1
            wd = g.get("wd") or g.get("wd2") or g.get("wd3")
            day = _resolve(int(g["y"]) if g.get("y") else None, month, int(g["d"]), today)
            out.append(Mention(m.start(), m.end(), "date", day=day, bad_date=day is None,
                               weekday=_WDAYS.index(wd[:3].lower()) if wd else None))
    return out


def _resolve(year: int | None, month: int, day: int, today: date) -> date | None:
    """A date without a year takes the year that puts it nearest today."""
    years = [year] if year else [today.year - 1, today.year, today.year + 1]
    days = []
    for y in years:
        try:
            days.append(date(y, month, day))
        except ValueError:
            continue
    return min(days, key=lambda d: abs((d - today).days), default=None)


def _compounds(text: str, _today: date) -> list[Mention]:
    out = []
    for m in _COMPOUND.finditer(text):
        h, mins, mins2, secs, m_only, s_only = (int(g) if g else None for g in m.groups())
        if m_only is not None:
            total, half = m_only * 60 + (s_only or 0), 0.5
        else:
            total = (h or 0) * 3600 + (mins or mins2 or 0) * 60 + (secs or 0)
            half = 0.5 if secs is not None else 30.0
        out.append(Mention(m.start(), m.end(), "duration", (Quantity("duration", total, half),),
                           unit="hms"))
    return out


def _clocks(text: str, _today: date) -> list[Mention]:
    out = []
    for m in _CLOCK.finditer(text):
        a, b, c = int(m["a"]), int(m["b"]), m["c"]
        if m["ampm"]:
            out.append(Mention(m.start(), m.end(), "time", ignored="time"))
        elif c is not None:
            out.append(Mention(m.start(), m.end(), "duration",
                               (Quantity("duration", a * 3600 + b * 60 + int(c), 0.5),)))
        else:
            out.append(_clock(m, a * 60 + b))
    return out


def _clock(m: re.Match[str], secs: int) -> Mention:
    per, dur = (m["per"] or "").lower().replace(" ", ""), (m["dur"] or "").lower()
    metres = {"km": 1000.0, "k": 1000.0, "mi": 1609.344, "mile": 1609.344, "100m": 100.0,
              "100y": 91.44, "100yd": 91.44}
    if per:
        return Mention(m.start(), m.end(), "pace", (Quantity("pace", secs / metres[per],
                                                            0.5 / metres[per]),), unit="pace")
    hm, ms = Quantity("duration", secs * 60, 30.0), Quantity("duration", secs, 0.5)
    if dur:
        return Mention(m.start(), m.end(), "duration", (hm if dur[0] == "h" else ms,), unit=dur)
    paces = (Quantity("pace", secs / 1000, 0.0005), Quantity("pace", secs / 100, 0.005))
    return Mention(m.start(), m.end(), "duration", (hm, ms, *paces))


def _numbers(text: str, _today: date) -> list[Mention]:
    out = []
    for m in _NUM.finditer(text):
        start = m.start("int")
        before, after = text[start - 1] if start else " ", text[m.end():m.end() + 2]
        if m["dec"] and not m["unit"] and re.match(r"[x×](?![a-z])", after, re.I):
            out.append(_times(m, start))  # "3.4x FTP"
            continue
        if (before.isalnum() and not _repeat_x(text, start)) or before in "_.:" or (
                after[:1].isalnum() or after[:1] == "_"):
            continue
        signed = _is_sign(text, m.start()) if m["sign"] else False
        raw_text = m["int"].replace(",", "") + (m["dec"] or "")
        value = float(raw_text) * (-1 if signed and m["sign"] in "-−" else 1)
        half = 0.5 * 10 ** -len((m["dec"] or ".")[1:])
        mention = Mention(m.start() if signed else start, m.end(), "number",
                          raw=Quantity(RAW, value, half), signed=signed)
        out.append(_with_unit(mention, (m["unit"] or "").lower()))
    return out


def _times(m: re.Match[str], start: int) -> Mention:
    """A multiple, compared as a percentage: "3.4x FTP" is 340% of it."""
    value, half = float(m["int"].replace(",", "") + m["dec"]), 0.5 * 10 ** -len(m["dec"][1:])
    return Mention(start, m.end() + 1, "number", (Quantity("percent", value * 100, half * 100),),
                   raw=Quantity(RAW, value, half), unit="x")


def _repeat_x(text: str, start: int) -> bool:
    """The 12 in "3x12" or "3 × 12" is a figure although a letter comes before it."""
    return bool(re.search(r"\d\s?[x×]\s?$", text[max(0, start - 4):start]))


def _is_sign(text: str, at: int) -> bool:
    """"form -8" has a sign; "88-92" and "62 - 55" join two figures; "sub-45" is one word."""
    before = text[:at].rstrip()
    return not before or not (before[-1].isdigit() or before[-1] == "%" or
                              at and text[at - 1].isalpha())


def _with_unit(m: Mention, unit: str) -> Mention:
    """The readings of a number given its unit ("" for none)."""
    assert m.raw is not None
    v, half = m.raw.value, m.raw.half
    if not unit:
        return replace(m, readings=(m.raw,), unit="")
    kind, dim, scale = _U[unit]
    if dim == "m":  # Intervals.icu style: "45m" is minutes; in prose it may be metres
        kind = "distance" if v >= 50 and v % 25 == 0 else "duration"
        return replace(m, kind=kind, unit=unit, readings=(
            Quantity("duration", v * 60, half * 60), Quantity("distance", v, half)))
    if dim == "speed":  # compared as a pace: the slow end of the speed is the fast pace
        lo, hi = sorted(1 / max((v + s * half) * scale, 1e-9) for s in (-1, 1))
        return replace(m, kind=kind, unit=unit,
                       readings=(Quantity("pace", (lo + hi) / 2, (hi - lo) / 2),))
    return replace(m, kind=kind, unit=unit, readings=(Quantity(dim, v * scale, half * scale),),
                   family=_FAMILY.get(unit, ""))


def _ranges(text: str, found: list[Mention]) -> list[Mention]:
    """"88-92%", "3 to 4 hours", "4:30-4:45/km", "9-15 Nov": the unit of one end is both's."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if not re.fullmatch(r" ?(?:-|–|—|to) ?", text[a.end:b.start]):
            continue
        if b.kind == "date" and a.raw and not a.unit and b.day and 1 <= a.raw.value <= 31:
            out[i] = replace(a, kind="date", readings=(), raw=None, day=_resolve(
                b.day.year, b.day.month, int(a.raw.value), b.day), bad_date=False)
        elif a.kind == "date" and b.raw and not b.unit and a.day and 1 <= b.raw.value <= 31:
            out[i + 1] = replace(b, kind="date", readings=(), raw=None, day=_resolve(
                a.day.year, a.day.month, int(b.raw.value), a.day), bad_date=False)
        elif a.raw and not a.unit and b.raw and b.unit in _U:
            out[i] = _with_unit(a, b.unit)
        elif a.raw is None and len(a.readings) == 4 and b.unit == "pace":
            per = b.readings[0].half / 0.5  # 1 / metres of the pace unit
            out[i] = replace(a, kind="pace", unit="pace", readings=(
                Quantity("pace", a.readings[1].value * per, b.readings[0].half),))
    return out


def _context(text: str, found: list[Mention]) -> list[Mention]:
    """Keyword kinds ("CTL 62", "FTP of 250"), approximations, keys and thresholds."""
    out: list[Mention] = []
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    prev_end = 0  # of the last figure other than a count ("fatigue 7-day mean: 1.9")
    for m in found:
        line_start = text.rfind("\n", 0, m.start) + 1
        prev_end = max(line_start, prev_end)
        window = text[max(prev_end, m.start - 30):m.start]
        m = replace(m, line=bisect_right(breaks, m.start), key=_key(text[line_start:m.start]),
                    approx=next((w for rx, w in _APPROX if rx.search(window)), ""),
                    threshold=_lastgroup(_THRESHOLD.search(text[max(line_start, m.start - 30):
                                                                 m.start])),
                    ref=_lastgroup(_REF.match(text, m.end)))
        if m.raw and not m.unit and m.kind == "number":
            m = _keyword(m, window, text, out[-1] if out else None)
        out.append(m)
        prev_end = prev_end if m.kind == "number" and m.unit else m.end
    return out


def _keyword(m: Mention, window: str, text: str, prev: Mention | None) -> Mention:
    """A unitless number after a data keyword takes its kind; "from 55 to 62" keeps it."""
    raw = m.raw
    assert raw is not None
    hits = [(h.end(), kind, dim, h.start()) for rx, kind, dim in _KEYWORDS
            for h in rx.finditer(window)]
    if hits and not re.search(r"\bZ\d", window[max(hits)[0]:]):  # "% FTP): Z1 55" is no FTP
        end, kind, dim, start = max(hits)
        m = replace(m, kind=kind, readings=(Quantity(dim, raw.value, raw.half),),
                    family=_FAMILY.get(window[start:end].lower(), ""))
        if re.fullmatch(r":?\s?", window[end:]):  # "CTL 75": the keyword is part of the figure
            m = replace(m, start=m.start - len(window) + start)
        return m
    joined = prev is not None and re.fullmatch(r"\s?(?:to|→|->|vs\.?|and|-|–)\s?",
                                               text[prev.end:m.start])
    if joined and prev is not None and prev.kind in ("load", "power", "hr", "hrv", "weight") \
            and not prev.unit:
        return replace(m, kind=prev.kind, family=prev.family, readings=(
            Quantity(prev.readings[0].dim, raw.value, raw.half),))
    return m


def _lastgroup(found: re.Match[str] | None) -> str:
    return found.lastgroup or "" if found else ""


def _key(before: str) -> str:
    """The label of a figure: the last word before it in its clause ("load 260" -> "load")."""
    words = re.findall(r"[a-z]+", re.split(r"[,;(—|]", before)[-1].lower())
    return words[-1] if words else ""


def _ignore(text: str, found: list[Mention]) -> list[Mention]:
    """Mark the numbers that are no claim about data (see coach.grounding.check for the rule)."""
    starts = {m.start(g): why for rx, why in _IGNORE for m in rx.finditer(text)
              for g in range(1, rx.groups + 1) if m[g]}
    out = []
    for m in found:
        first = next((k for k in range(m.start, m.end) if text[k].isdigit()), m.start)
        why = m.ignored or ("" if m.kind == "date" else starts.get(first, ""))
        if not why and m.raw and m.kind == "number" and not m.approx:
            v = m.raw.value
            if v == int(v) and abs(v) <= 3 and m.raw.half == 0.5 and not m.unit:
                why = "small"
            elif v == int(v) and 1900 <= v <= 2100 and not m.unit:
                why = "year"
        out.append(replace(m, ignored=why) if why else m)
    return out


# --- seen text ---------------------------------------------------------------------------------

def operands(m: Mention, text: str) -> list[tuple[Quantity, str]]:
    """A seen figure's readings and its bare number, with their label; a bare integer is also
    a count, labelled by the word after it ("14 done, 1 missed")."""
    out = [(r, m.key) for r in m.readings]
    if m.raw and m.raw not in m.readings:
        out.append((m.raw, m.key))
    if m.raw and m.kind == "number" and not m.unit and m.raw.half == 0.5:
        after = re.match(r" ([a-z]+)", text[m.end:m.end + 20])
        out.append((Quantity("count", m.raw.value, 0.5), after[1] if after else ""))
    return out


def hints(m: Mention, text: str, line: str) -> list[Quantity]:
    """A bare number in a zone list or a table row takes the units the line names
    ("HR zones (upper bound, bpm): Z1 137, ..."; "2026-11-10: 58.2 / 63.0 / -4.8"); a zone's
    upper bound also gives the next zone's lower bound (Z1 55 -> Z2 from 56)."""
    after = text[m.end:m.end + 2]
    if not (m.raw and not m.unit and m.kind == "number"):
        return []
    if after and after[0] not in ",;)/\n" and after.strip() not in ("", "/"):
        return []
    named = {"percent": "%" in line, "hr": " bpm" in line or "bpm)" in line,
             "power": " W " in line or "(W" in line, "load": not any(c.isalpha() for c in line)}
    bounds = [m.raw.value, m.raw.value + 2 * m.raw.half] if re.search(
        r"\bZ\d $", text[max(0, m.start - 3):m.start]) else [m.raw.value]  # Z2 starts at 56
    return [Quantity(dim, v, m.raw.half) for dim, on in named.items() if on for v in bounds]
