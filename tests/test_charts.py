"""What the charts draw: each chart built from synthetic rows, rendered to SVG by Vega itself
(vl-convert, sized as Streamlit sizes it) and read back as a person would read it.

Every chart: axis labels are dates, numbers or names, never raw values (10+ digit numbers,
NaN, null, undefined, None, ISO dates); the tooltips (each mark's aria description) neither;
every axis has a title with its unit; each legend shows all its entries inside the canvas;
the marks exist (a bar chart has visible bars). A chart without data says what is missing.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import altair as alt
import pytest

from coach import display
from coach.testing import vega
from coach.testing.raw_values import raw_value_problems, raw_values_on_page
from coach.ui import charts

TODAY = date(2026, 12, 3)  # a Thursday
HALF = 340   # a half-width column (Hours / Load by sport side by side)
FULL = 700   # the main column

MONTHS = "|".join(display.MONTHS)
DATE_LABEL = re.compile(rf"^(\d{{1,2}}) ({MONTHS})(?: (\d{{4}}))?$|^(\d{{4}})$")
NUMBER_LABEL = re.compile(r"^[−-]?\d+(?:\.\d+)?%?$")
NAME_LABEL = re.compile(r"^[A-Za-z][\w ()+\-–/%.,']*$")


# ------------------------------------------------------------------------------ readers


def drawn(chart: Any, width: int = FULL) -> str:
    return vega.svg(chart, width=width)


def label_date(label: str, year: int = TODAY.year) -> date:
    m = DATE_LABEL.match(label)
    assert m, f"axis label {label!r} is not a date"
    if m.group(4):
        return date(int(m.group(4)), 1, 1)
    return datetime.strptime(f"{m.group(1)} {m.group(2)} {m.group(3) or year}",
                             "%d %b %Y").date()


def axis(svg: str, name: str) -> dict[str, Any]:
    found = [a for a in vega.axes(svg) if a["aria"].startswith(f"{name}-axis")]
    assert len(found) == 1, f"{name} axis: {vega.axes(svg)}"
    return found[0]


def check_common(svg: str, *, x_title: str, y_title: str | None = None) -> None:
    """No raw value anywhere drawn or in a tooltip; titled axes; nothing cut off."""
    problems = raw_value_problems(vega.texts(svg))
    assert not problems, f"raw values drawn: {problems}"
    tooltips = [label for kind in ("bar", "line", "area", "rule", "symbol", "text")
                for label in vega.mark_labels(svg, kind)]
    problems = raw_value_problems(tooltips)
    assert not problems, f"raw values in tooltips: {problems[:5]}"
    assert axis(svg, "X")["title"] == [x_title]
    if y_title is not None:
        assert axis(svg, "Y")["title"] == [y_title]
    cut = vega.outside(svg)
    assert not cut, f"drawn outside the chart (cut off): {cut}"


def check_dates(labels: list[str], first: date, last: date) -> list[date]:
    assert labels, "no axis labels"
    days = [label_date(label) for label in labels]
    for label, day in zip(labels, days, strict=True):
        assert first - timedelta(days=366) <= day <= last + timedelta(days=7), label
    return days


def check_numbers(labels: list[str]) -> None:
    assert labels
    for label in labels:
        assert NUMBER_LABEL.match(label), f"axis label {label!r} is not a number"


def check_legend(svg: str, entries: list[str]) -> None:
    assert vega.legend_entries(svg) == entries
    assert vega.legend_symbols(svg) == len(entries)


def check_empty(chart: Any, message: str, width: int = FULL) -> None:
    svg = drawn(chart, width)
    assert " ".join(vega.texts(svg)) == message
    assert vega.axes(svg) == [] and vega.legend_entries(svg) == []
    assert not vega.outside(svg)


# ------------------------------------------------------------------------ synthetic rows


def weeks_back(n: int, last: date = TODAY) -> list[date]:
    monday = last - timedelta(days=last.weekday())
    return [monday - timedelta(weeks=n - 1 - i) for i in range(n)]


def weekly_rows(n: int = 8, gaps: tuple[int, ...] = (2,)) -> list[dict[str, Any]]:
    rows = []
    for i, week in enumerate(weeks_back(n)):
        if i in gaps:
            continue
        for sport, hours, load in (("Ride", 4 + i % 3 + 0.37, 300 + 7 * i),
                                   ("Run", 1.63, 95.5), ("Swim", 0.75, 30)):
            if sport == "Swim" and i % 2:
                continue
            rows.append({"week": week.isoformat(), "sport": sport, "hours": hours,
                         "load": load, "km": hours * 27.3, "sessions": 1 + i % 3})
    return rows


INTENSITY = ["below threshold (Z1-Z2)", "around threshold (Z3-Z4)", "above threshold (Z5+)"]


def intensity_rows(shares=(78, 15, 8), hours=(12.3, 2.3, 1.1)) -> list[dict[str, Any]]:
    return [{"intensity": name, "hours": h, "share": s}
            for name, s, h in zip(INTENSITY, shares, hours, strict=True)]


def fitness_rows(days: int = 120, forecast: int = 28) -> list[dict[str, Any]]:
    start = TODAY - timedelta(days=days - 1)
    rows = []
    for i in range(days + forecast):
        day = start + timedelta(days=i)
        ctl, atl = 55 + 10 * (i / days) + 0.0123, 60 + (i * 7 % 19) - 0.0456
        kind = "history" if day <= TODAY else "forecast"
        rows.append({"day": day.isoformat(), "fitness (CTL)": ctl, "fatigue (ATL)": atl,
                     "form": ctl - atl, "kind": kind, "band": "productive"})
        if day == TODAY:  # the forecast starts from the last known day
            rows.append({**rows[-1], "kind": "forecast"})
    return rows


def wellness_rows(days: int = 40) -> list[dict[str, Any]]:
    rows = []
    for i in range(days):
        day = (TODAY - timedelta(days=days - 1 - i)).isoformat()
        banded = i >= 5
        rows.append({"day": day, "measure": "HRV (ms)", "value": 60 + (i * 3 % 11) + 0.04,
                     "normal low": 55.2 if banded else None,
                     "normal high": 67.9 if banded else None})
        rows.append({"day": day, "measure": "Resting HR (bpm)", "value": 48 + i % 4,
                     "normal low": 46.0, "normal high": 51.0})
        if i % 3:
            rows.append({"day": day, "measure": "Sleep (h)", "value": 7.25 + i % 2,
                         "normal low": None, "normal high": None})
    return rows


def workout_rows() -> list[dict[str, Any]]:
    steps = [(0, 10, 50, 65, "Z1", "10m ramp 50-65%"), (10, 18, 97, 97, "Z4", "8m 95-100%"),
             (18, 20, 40, 40, "no target", "2m free"), (20, 28, 97, 97, "Z4", "8m 95-100%"),
             (28, 38, 60, 60, "Z2", "10m 60%")]
    rows = []
    for i, (start, end, a, b, zone, label) in enumerate(steps):
        rows += [{"segment": i, "minute": start, "intensity": a, "zone": zone, "step": label},
                 {"segment": i, "minute": end, "intensity": b, "zone": zone, "step": label}]
    return rows


def plan_rows() -> list[dict[str, Any]]:
    weeks = weeks_back(6, TODAY + timedelta(weeks=2))
    rows = []
    for i, week in enumerate(weeks):
        if week < weeks[3]:
            rows.append({"week": week.isoformat(), "kind": "done", "hours": 6.5 + i / 3})
        elif week == weeks[3]:
            rows += [{"week": week.isoformat(), "kind": "done", "hours": 2.25},
                     {"week": week.isoformat(), "kind": "planned", "hours": 4.0}]
        else:
            rows += [{"week": week.isoformat(), "kind": "planned", "hours": 3.0},
                     {"week": week.isoformat(), "kind": "proposed", "hours": 2.5}]
    return [r for r in rows if r["week"] != weeks[1].isoformat()]  # a week with nothing


# ------------------------------------------------------------------------------ weekly


def check_weekly(weekly_chart: Callable[[list[dict[str, Any]], str], Any]) -> None:
    """The Fitness page's Hours and Load by sport, side by side (half width)."""
    rows = weekly_rows()
    weeks = weeks_back(8)
    for measure, y_title in (("hours", "time (hours)"),
                             ("load", "load (Intervals.icu load units)")):
        svg = drawn(weekly_chart(rows, measure), HALF)
        x = axis(svg, "X")
        problems = raw_value_problems(x["labels"])
        assert not problems, f"week axis labels are not dates: {problems}"
        shown = check_dates(x["labels"], weeks[0], weeks[-1])
        assert shown == sorted(shown)
        assert set(shown) <= set(weeks)
        tips = vega.mark_labels(svg, "bar")
        assert all("week: week of " in t for t in tips), tips[:2]
        check_common(svg, x_title="week (starting Monday)", y_title=y_title)
        check_numbers(axis(svg, "Y")["labels"])
        check_legend(svg, ["Ride", "Run", "Swim"])
        assert vega.marks(svg, "bar") == len(rows)


def test_weekly_chart():
    check_weekly(lambda rows, measure: charts.weekly_chart(rows, measure, today=TODAY))


def test_weekly_chart_keeps_empty_weeks_on_the_axis_and_shows_durations():
    svg = drawn(charts.weekly_chart(weekly_rows(), "hours", today=TODAY), FULL)
    assert axis(svg, "X")["labels"] == [display.day_month(w, TODAY) for w in weeks_back(8)]
    tips = vega.mark_labels(svg, "bar")
    assert any("time: 1h38m" in t and "sport: Run" in t for t in tips)   # 1.63 h
    assert any("distance: 44.5 km" in t for t in tips)


def test_weekly_chart_of_distance_puts_any_day_in_its_monday_week():
    rows = [{"week": "2026-11-25", "sport": "Run", "hours": 1.0, "load": 60, "km": 12.34,
             "sessions": 1},
            {"week": "2026-11-23", "sport": "Run", "hours": 1.0, "load": 60, "km": 10.0,
             "sessions": 1}]
    svg = drawn(charts.weekly_chart(rows, "km", today=TODAY), HALF)
    check_common(svg, x_title="week (starting Monday)", y_title="distance (km)")
    assert axis(svg, "X")["labels"] == ["23 Nov"]
    assert vega.marks(svg, "bar") == 1
    assert "distance: 22.3 km" in vega.mark_labels(svg, "bar")[0]
    with pytest.raises(ValueError):
        charts.weekly_chart(rows, "sessions")


def test_weekly_chart_many_weeks_across_the_new_year():
    today = date(2026, 2, 12)
    weeks = weeks_back(26, today)
    rows = [{"week": w.isoformat(), "sport": "Ride", "hours": 5.0, "load": 300, "km": 140.0,
             "sessions": 3} for w in weeks]
    svg = drawn(charts.weekly_chart(rows, "hours", today=today), HALF)
    labels = axis(svg, "X")["labels"]
    assert len(labels) >= 4                       # some hidden where they would overlap
    assert "2025" in " ".join(labels)             # last year's weeks carry their year
    check_dates(labels, weeks[0], weeks[-1])
    check_common(svg, x_title="week (starting Monday)", y_title="time (hours)")
    assert vega.marks(svg, "bar") == 26


def test_weekly_chart_by_month_for_a_year_or_more():
    """Over a year, hours and load go by calendar month: a bar per month, named for people."""
    rows = [{"month": f"{2026 - (m < 1)}-{(m - 1) % 12 + 1:02d}-01", "sport": "Ride",
             "hours": 20 + m, "load": 1200, "km": 600.0, "sessions": 12} for m in range(0, 12)]
    first = date(2025, 12, 3)
    svg = drawn(charts.weekly_chart(rows, "hours", today=TODAY, weeks=[first, TODAY],
                                    by_month=True), HALF)
    check_common(svg, x_title="month", y_title="time (hours)")
    aria = axis(svg, "X")["aria"]
    assert "discrete scale with 13 values: Dec 2025, Jan, Feb" in aria, aria   # Dec empty
    assert vega.marks(svg, "bar") == 12
    assert any("month: Nov" in t and "time: 31h" in t for t in vega.mark_labels(svg, "bar"))
    check_numbers(axis(svg, "Y")["labels"])


def test_fitness_chart_legends_fit_a_phone():
    svg = drawn(charts.fitness_chart(fitness_rows(), RACES, today=TODAY), 350)
    check_legend(svg, ["fitness (CTL)", "fatigue (ATL)", "form", "history", "forecast"])
    assert not vega.outside(svg), vega.outside(svg)     # `history` ran off a phone's width


def test_weekly_chart_single_row_missing_values_and_other_sports():
    rows = [{"week": "2026-11-30", "sport": "Ride", "hours": 2.0, "load": None, "km": None,
             "sessions": 1},
            {"week": "2026-11-30", "sport": "WeightTraining", "hours": 0.5, "load": 10,
             "km": 0, "sessions": 1},
            {"week": "2026-11-30", "sport": None, "hours": None, "load": None, "km": None,
             "sessions": None}]
    svg = drawn(charts.weekly_chart(rows, "hours", today=TODAY), HALF)
    assert axis(svg, "X")["labels"] == ["30 Nov"]
    check_common(svg, x_title="week (starting Monday)", y_title="time (hours)")
    check_legend(svg, ["Ride", "WeightTraining"])
    assert vega.marks(svg, "bar") == 2
    svg = drawn(charts.weekly_chart(rows, "load", today=TODAY), HALF)
    check_common(svg, x_title="week (starting Monday)",
                 y_title="load (Intervals.icu load units)")
    assert vega.marks(svg, "bar") == 1            # the ride has no load: no bar, no "null"


def test_weekly_chart_without_data_says_so():
    check_empty(charts.weekly_chart([], "hours"), charts.empty_message("weekly"), HALF)
    zero = [{"week": "2026-11-30", "sport": "Ride", "hours": 0, "load": 0, "km": 0,
             "sessions": 0}]
    check_empty(charts.weekly_chart(zero, "load"), charts.empty_message("weekly"))


# --------------------------------------------------------------------------- intensity


def bar_shares(svg: str) -> list[int]:
    found = [re.search(r"share: (\d+)%", t) for t in vega.mark_labels(svg, "bar")]
    return [int(m.group(1)) for m in found if m]


@pytest.mark.parametrize("rows, shares", [
    (intensity_rows(), [77, 15, 8]),                            # 78 + 15 + 8 = 101 before
    (intensity_rows((33.3, 33.3, 33.4)), [33, 33, 34]),
    (intensity_rows((100, 0, 0), (4.0, 0, 0)), [100, 0, 0]),
    (intensity_rows((None, None, None), (0.5, 0.5, 99)), [1, 0, 99]),
])
def test_intensity_chart_is_one_bar_of_exactly_100_percent(rows, shares):
    svg = drawn(charts.intensity_chart(rows))
    assert bar_shares(svg) == shares and sum(bar_shares(svg)) == 100
    check_common(svg, x_title="share of time in zones (%)")
    assert axis(svg, "X")["labels"] == ["0", "25", "50", "75", "100"]  # not 110
    visible = [(w, h) for w, h in vega.bar_sizes(svg) if w > 0]
    assert len(visible) == sum(1 for s in shares if s) == vega.marks(svg, "bar")
    assert all(h >= 12 for _, h in visible), vega.bar_sizes(svg)  # a bar, not a hairline
    widths = [w for w, _ in vega.bar_sizes(svg)]
    assert sum(widths) == pytest.approx(FULL - 2, abs=3)       # the whole axis, once
    check_legend(svg, INTENSITY)


def test_intensity_chart_legend_fits_a_narrow_column():
    svg = drawn(charts.intensity_chart(intensity_rows()), HALF)
    check_legend(svg, INTENSITY)
    check_common(svg, x_title="share of time in zones (%)")
    assert all(h >= 12 for _, h in vega.bar_sizes(svg))


def test_intensity_chart_without_data_says_so():
    check_empty(charts.intensity_chart([]), charts.empty_message("intensity"), HALF)
    check_empty(charts.intensity_chart(intensity_rows((0, 0, 0), (0, 0, 0))),
                charts.empty_message("intensity"))


# ----------------------------------------------------------------------------- fitness


RACES = [{"day": (TODAY + timedelta(days=20)).isoformat(), "race": "Winter 10k",
          "category": "RACE_A"},
         {"day": (TODAY - timedelta(days=60)).isoformat(), "race": "Autumn duathlon",
          "category": "RACE_B"},
         {"day": (TODAY + timedelta(days=200)).isoformat(), "race": "Summer marathon",
          "category": "RACE_A"}]   # beyond the forecast: not drawn, the axis not stretched


def test_fitness_chart_with_forecast_and_races():
    rows = fitness_rows()
    svg = drawn(charts.fitness_chart(rows, RACES, today=TODAY))
    check_common(svg, x_title="date", y_title="load per day (fitness, fatigue, form)")
    first, last = date.fromisoformat(rows[0]["day"]), date.fromisoformat(rows[-1]["day"])
    check_dates(axis(svg, "X")["labels"], first, last)
    check_numbers(axis(svg, "Y")["labels"])
    check_legend(svg, ["fitness (CTL)", "fatigue (ATL)", "form", "history", "forecast"])
    assert vega.marks(svg, "line") == 6            # 3 measures x history, forecast
    assert vega.marks(svg, "rule") == 2
    names = vega.texts(svg)
    assert "Winter 10k" in names and "Autumn duathlon" in names
    assert "Summer marathon" not in names
    tips = vega.mark_labels(svg, "rule")
    assert any("day: Wed 23 Dec" in t and "category: A race" in t for t in tips), tips


def test_fitness_chart_single_day_and_missing_values():
    rows = [{"day": "2026-12-03", "fitness (CTL)": 61.8, "fatigue (ATL)": None,
             "form": None, "kind": "history", "band": None}]
    svg = drawn(charts.fitness_chart(rows, [], today=TODAY))
    check_common(svg, x_title="date", y_title="load per day (fitness, fatigue, form)")
    check_dates(axis(svg, "X")["labels"], TODAY, TODAY)
    check_legend(svg, ["fitness (CTL)", "history"])
    assert vega.marks(svg, "symbol") == 1          # one day: a point, not an empty frame


def test_fitness_chart_across_years():
    rows = fitness_rows(days=500, forecast=0)
    svg = drawn(charts.fitness_chart(rows, [], today=TODAY))
    labels = axis(svg, "X")["labels"]
    check_dates(labels, TODAY - timedelta(days=500), TODAY)
    assert "2026" in labels                        # the new year's tick shows the year
    check_common(svg, x_title="date", y_title="load per day (fitness, fatigue, form)")


def test_fitness_chart_without_data_says_so():
    check_empty(charts.fitness_chart([], RACES), charts.empty_message("fitness"))


# ---------------------------------------------------------------------------- wellness


@pytest.mark.parametrize("measure, unit_text", [
    ("HRV (ms)", " ms"), ("Resting HR (bpm)", " bpm"), ("Sleep (h)", "h")])
def test_wellness_chart(measure, unit_text):
    rows = wellness_rows()
    mine = [r for r in rows if r["measure"] == measure]
    svg = drawn(charts.wellness_chart(rows, measure, today=TODAY))
    check_common(svg, x_title="date", y_title=measure)
    check_dates(axis(svg, "X")["labels"], date.fromisoformat(mine[0]["day"]), TODAY)
    check_numbers(axis(svg, "Y")["labels"])
    assert vega.marks(svg, "line") == 1
    assert vega.marks(svg, "symbol") == len(mine)
    banded = any(r["normal low"] is not None for r in mine)
    assert vega.marks(svg, "area") == (1 if banded else 0)
    tips = vega.mark_labels(svg, "symbol")
    name = measure.split(" (")[0]
    assert all(re.search(rf"; {re.escape(name)}: [^;]*{unit_text}", t) for t in tips), tips[:2]
    assert any("your normal range: —" in t for t in tips) or banded
    assert vega.legend_entries(svg) == []


def test_wellness_chart_single_value():
    rows = [{"day": "2026-12-03", "measure": "HRV (ms)", "value": 62.0, "normal low": None,
             "normal high": None}]
    svg = drawn(charts.wellness_chart(rows, "HRV (ms)", today=TODAY))
    check_common(svg, x_title="date", y_title="HRV (ms)")
    assert vega.marks(svg, "symbol") == 1


def test_wellness_chart_without_data_says_so():
    check_empty(charts.wellness_chart(wellness_rows(), "SpO2 (%)"),
                charts.empty_message("wellness", "SpO2 (%)"))
    check_empty(charts.wellness_chart([], "HRV (ms)"),
                charts.empty_message("wellness", "HRV (ms)"))


# ----------------------------------------------------------------------------- workout


def test_workout_chart():
    rows = workout_rows()
    svg = drawn(charts.workout_chart(rows), 600)
    check_common(svg, x_title="time (minutes)", y_title="intensity (% of threshold)")
    check_numbers(axis(svg, "X")["labels"])
    check_numbers(axis(svg, "Y")["labels"])
    assert vega.marks(svg, "area") == 5            # one per step, ramps included
    check_legend(svg, ["no target", "Z1", "Z2", "Z4"])
    tips = vega.mark_labels(svg, "area")
    assert any("step: 8m 95-100%" in t and "zone: Z4" in t for t in tips), tips


def test_workout_chart_single_step_and_missing_values():
    rows = [{"segment": 0, "minute": 0, "intensity": 70, "zone": "Z2", "step": "1h 70%"},
            {"segment": 0, "minute": 60, "intensity": 70, "zone": "Z2", "step": "1h 70%"},
            {"segment": 1, "minute": None, "intensity": None, "zone": None, "step": None}]
    svg = drawn(charts.workout_chart(rows), 600)
    check_common(svg, x_title="time (minutes)", y_title="intensity (% of threshold)")
    assert vega.marks(svg, "area") == 1
    check_legend(svg, ["Z2"])


def test_workout_chart_without_data_says_so():
    check_empty(charts.workout_chart([]), charts.empty_message("workout"))


# -------------------------------------------------------------------------------- plan


def test_plan_week_chart():
    rows = plan_rows()
    weeks = weeks_back(6, TODAY + timedelta(weeks=2))
    svg = drawn(charts.plan_week_chart(rows, today=TODAY))
    check_common(svg, x_title="week (starting Monday)", y_title="time (hours)")
    assert axis(svg, "X")["labels"] == [display.day_month(w, TODAY) for w in weeks]
    check_numbers(axis(svg, "Y")["labels"])
    check_legend(svg, ["done", "planned", "proposed"])
    assert vega.marks(svg, "bar") == len(rows)
    tips = vega.mark_labels(svg, "bar")
    assert any("week: week of 30 Nov" in t and "kind: done" in t and "time: 2h15m" in t
               for t in tips), tips


def test_plan_week_chart_single_week_with_missing_values():
    rows = [{"week": "2026-11-30", "kind": "planned", "hours": 3.5},
            {"week": "2026-11-30", "kind": "done", "hours": None},
            {"week": None, "kind": "done", "hours": 1.0}]
    svg = drawn(charts.plan_week_chart(rows, today=TODAY), HALF)
    check_common(svg, x_title="week (starting Monday)", y_title="time (hours)")
    check_legend(svg, ["planned"])
    assert vega.marks(svg, "bar") == 1


def test_plan_week_chart_without_data_says_so():
    check_empty(charts.plan_week_chart([]), charts.empty_message("plan"))


# ------------------------------------------------------------------------------ season


def season_rows(weeks: int = 20) -> list[dict[str, Any]]:
    """A season of `weeks` from two weeks ago: base, build, peak, taper, a lighter week every
    4th; done for the weeks gone, this week's so far."""
    first = weeks_back(1)[0] - timedelta(weeks=2)
    phases = ["base"] * 8 + ["build"] * 8 + ["peak"] * 2 + ["taper"] * 2
    return [{"week": (first + timedelta(weeks=i)).isoformat(), "phase": phase,
             "lighter": (i + 1) % 4 == 0 and phase in ("base", "build"),
             "target hours": 8.0 + 0.25 * i - 2.5 * ((i + 1) % 4 == 0) + 0.013,
             "done hours": (7.25, 6.5, 3.75)[i] if i < 3 else None}
            for i, phase in enumerate(phases[-weeks:])]


SEASON_RACES = [{"day": (TODAY + timedelta(weeks=17, days=3)).isoformat(),
                 "race": "Spring Ironman 70.3", "category": "RACE_A"},
                {"day": (TODAY + timedelta(weeks=6, days=3)).isoformat(),
                 "race": "Winter 10k", "category": "RACE_B"},
                {"day": (TODAY + timedelta(weeks=40)).isoformat(), "race": "Far away",
                 "category": "RACE_C"}]                    # after the season: not drawn


def test_season_chart_phase_bands_targets_done_and_races():
    rows = season_rows()
    svg = drawn(charts.season_chart(rows, SEASON_RACES, today=TODAY))
    check_common(svg, x_title="week (starting Monday)", y_title="time (hours)")
    mondays = [date.fromisoformat(r["week"]) for r in rows]
    labels = axis(svg, "X")["labels"]       # every week, or every other where they crowd
    assert labels[0] == display.day_month(mondays[0], TODAY)
    assert set(labels) <= {display.day_month(m, TODAY) for m in mondays} and len(labels) >= 10
    check_numbers(axis(svg, "Y")["labels"])
    check_legend(svg, ["target", "done", "base", "build", "peak", "taper"])
    names = vega.texts(svg)
    assert "Spring Ironman 70.3" in names and "Winter 10k" in names and "Far away" not in names
    tips = vega.mark_labels(svg, "bar")
    bands = [t for t in tips if "phase: " in t]
    assert len(bands) == 20 and any("this week is: base, lighter week" in t for t in bands)
    assert any("week: week of 16 Nov" in t and "kind: done" in t and "time: 7h15m" in t
               for t in tips), tips[:4]
    assert sum("kind: target" in t for t in tips) == 20 and sum("kind: done" in t
                                                                for t in tips) == 3
    assert any("race: Spring Ironman 70.3" in t and "category: A race" in t
               for t in vega.mark_labels(svg, "symbol"))


def test_season_chart_fits_a_phone_width_with_a_return_week():
    rows = season_rows(6)
    rows[1] = {**rows[1], "phase": "return", "target hours": 3.5}
    svg = drawn(charts.season_chart(rows, [], today=TODAY), HALF)
    check_common(svg, x_title="week (starting Monday)", y_title="time (hours)")
    check_legend(svg, ["target", "done", "build", "peak", "taper", "return"])


def test_season_forecast_chart_to_race_day_has_one_legend_that_fits_a_phone():
    rows = fitness_rows(60, 90)
    svg = drawn(charts.season_forecast_chart(rows, SEASON_RACES, today=TODAY), HALF)
    check_common(svg, x_title="date", y_title="load per day (fitness, form)")
    check_legend(svg, ["fitness (CTL)", "fitness (CTL), forecast", "form", "form, forecast"])
    assert vega.marks(svg, "line") == 4
    names = vega.texts(svg)
    assert "Winter 10k" in names and "Far away" not in names
    tips = vega.mark_labels(svg, "line")
    assert any("line: fitness (CTL), forecast" in t for t in tips)
    check_empty(charts.season_forecast_chart([], SEASON_RACES, today=TODAY),
                charts.empty_message("fitness"))


def test_season_chart_without_data_says_so():
    check_empty(charts.season_chart([], SEASON_RACES), charts.empty_message("season"))


# ------------------------------------------------------------------------------ all


SAMPLES: dict[str, Callable[[], Any]] = {
    "fitness_chart": lambda: charts.fitness_chart(fitness_rows(), RACES, today=TODAY),
    "weekly_chart": lambda: charts.weekly_chart(weekly_rows(), "load", today=TODAY),
    "intensity_chart": lambda: charts.intensity_chart(intensity_rows()),
    "wellness_chart": lambda: charts.wellness_chart(wellness_rows(), "HRV (ms)", today=TODAY),
    "workout_chart": lambda: charts.workout_chart(workout_rows()),
    "plan_week_chart": lambda: charts.plan_week_chart(plan_rows(), today=TODAY),
    "season_chart": lambda: charts.season_chart(season_rows(), SEASON_RACES, today=TODAY),
    "season_forecast_chart": lambda: charts.season_forecast_chart(
        fitness_rows(60, 90), SEASON_RACES, today=TODAY),
}


def test_every_chart_is_drawn_in_these_tests():
    """A chart added to ui/charts.py needs a sample here (and its own tests above)."""
    built = {name for name, fn in inspect.getmembers(charts, inspect.isfunction)
             if name.endswith("_chart") and fn.__module__ == charts.__name__
             and name != "message_chart"}
    assert built == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_chart_renders_cleanly(name):
    svg = drawn(SAMPLES[name]())
    assert not raw_value_problems(vega.texts(svg))
    assert not vega.outside(svg)
    for a in vega.axes(svg):
        assert a["title"] and re.search(r"\(.+\)|^date$", a["title"][0]), a


def test_empty_messages_are_sentences():
    for kind in charts.EMPTY_MESSAGES:
        text = charts.empty_message(kind)
        assert text[0].isupper() and text.endswith(".") and ":" in text
    with pytest.raises(ValueError):
        charts.empty_message("nonsense")


# ------------------------------------------------------------------------ the readers


def reported_weekly_chart(rows: list[dict[str, Any]], measure: str) -> alt.Chart:
    """The weekly chart as reported broken: x reads `week` as ordinal, the tooltip reads the
    same field as temporal, so Vega-Lite parses it to a timestamp for the whole chart."""
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("week:O", title="week starting", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(f"{measure}:Q", title=measure, stack="zero"), color="sport:N",
        tooltip=["week:T", "sport:N", "hours:Q", "load:Q", "km:Q", "sessions:Q"],
    ).properties(height=220)


def reported_intensity_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """The intensity chart as reported broken: 70 px tall, legend at the right."""
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("share:Q", title="% of time", stack="zero"), color="intensity:N",
    ).properties(height=70)


def test_the_checks_catch_the_reported_weekly_chart():
    with pytest.raises(AssertionError, match="week axis labels are not dates: .*10\\+ digit"):
        check_weekly(reported_weekly_chart)


def test_the_checks_catch_the_reported_intensity_chart():
    svg = drawn(reported_intensity_chart(intensity_rows()))
    assert all(h == 0 for _, h in vega.bar_sizes(svg))             # "no bar at all"
    assert axis(svg, "X")["labels"][-1] == "110"
    assert any(t.role == "legend-label" for t in vega.outside(svg))  # legend cut off


def test_raw_value_problems_flags_what_people_should_not_read():
    bad = ["1788739200000", "NaN", "null", "undefined", "None", "2026-11-23T00:00:00",
           "2026-11-23", "82.2333", "datetime.date(2026, 11, 23)", "[object Object]",
           "<Foo object at 0x7f>", "Invalid Date", "below thresh…"]
    assert [len(raw_value_problems([b])) > 0 for b in bad] == [True] * len(bad)
    good = ["23 Nov", "week of 7 Sep", "Thu 4 Dec 2025", "5h54m", "78%", "4:45 /km",
            "160.0 km", "−5", "2026", "Z5+", "8m 95-100%", "below threshold (Z1-Z2)"]
    assert raw_value_problems(good) == []


def test_a_page_is_read_with_the_same_list_but_may_quote_an_iso_date():
    """One list for charts and pages; a page may quote an ISO date (a tool's result) or end a
    line with "…", a drawn label may not."""
    assert raw_values_on_page("Planned 2026-11-23 Mon · Thinking…") == []
    assert raw_value_problems(["2026-11-23"]) and raw_value_problems(["Thinking…"])
    found = raw_values_on_page("load None · 1788739200000 · NaN")
    assert [f.split(":")[0] for f in found] == [
        "a 10+ digit number (an epoch in ms, a raw id)", "None", "NaN"]


# --- the weekly review's charts (exported into its PDF) ----------------------------------------

REVIEW_FACTS = {
    "day_labels": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "days": [{"day": "Tue", "date": "Tue 24 Nov", "sport": "Ride", "hours": 1.22, "time": "1h13m"},
             {"day": "Tue", "date": "Tue 24 Nov", "sport": "Swim", "hours": 0.77, "time": "46m"},
             {"day": "Sat", "date": "Sat 28 Nov", "sport": "Ride", "hours": 3.0, "time": "3h"},
             {"day": "Sun", "date": "Sun 29 Nov", "sport": "Run", "hours": 1.43, "time": "1h26m"}],
    "zones": [{"intensity": "below threshold (Z1-Z2)", "hours": 5.23, "time": "5h14m",
               "share": 71},
              {"intensity": "around threshold (Z3-Z4)", "hours": 2.1, "time": "2h06m",
               "share": 28},
              {"intensity": "above threshold (Z5+)", "hours": 0.08, "time": "4m47s",
               "share": 1}]}


def in_the_pdf(spec: dict[str, Any]) -> str:
    """Drawn as the PDF draws it (coach.review_export.png): 520 px wide, fitted."""
    return vega.svg({**spec, "width": 520, "autosize": {"type": "fit", "contains": "padding"}},
                    width=None)


def test_review_day_chart():
    from coach.review.export import day_chart

    svg = in_the_pdf(day_chart(REVIEW_FACTS))
    check_common(svg, x_title="day", y_title="time (hours)")
    assert axis(svg, "X")["labels"] == REVIEW_FACTS["day_labels"]   # the whole week, rest days
    check_numbers(axis(svg, "Y")["labels"])
    check_legend(svg, ["Ride", "Run", "Swim"])
    assert vega.marks(svg, "bar") == 4


def test_review_zone_chart():
    from coach.review.export import zone_chart

    svg = in_the_pdf(zone_chart(REVIEW_FACTS))
    check_common(svg, x_title="time in zones (hours)")
    assert axis(svg, "Y")["labels"] == [z["intensity"] for z in REVIEW_FACTS["zones"]]
    check_numbers(axis(svg, "X")["labels"])
    assert vega.marks(svg, "bar") == 3


def test_review_charts_without_data_are_left_out():
    from coach.review.export import charts, day_chart, zone_chart

    assert day_chart({"days": []}) is None and zone_chart({"zones": []}) is None
    assert charts({"days": [], "zones": []}) == []
