"""Tests for coach.workout: parsing, rendering, validation and the numbers."""

import ast
import inspect
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach import workout as workouts
from coach.workout import (
    Repeat,
    Section,
    Step,
    Target,
    Thresholds,
    Workout,
    check,
    format_duration,
    parse,
    render,
    sport_family,
)

RIDE = Thresholds(ftp=250, lthr=160, max_hr=185)
RUN = Thresholds(ftp=300, lthr=170, max_hr=190, threshold_pace=4.0)
SWIM = Thresholds(lthr=150, max_hr=175, threshold_pace=1.2)
THRESHOLDS = {"Ride": RIDE, "Run": RUN, "Swim": SWIM}

# Pace-zone midpoints with the default zones (% of threshold speed): Z1 = (62 + 77.5) / 2.
Z1_PACE, Z2_PACE = 0.6975, 0.826


def messages(issues):
    return " | ".join(issue.message for issue in issues)


# ---------------------------------------------------------------- reference §4.4 examples

DAVID = """Warmup
- 20m 60% 90-100rpm

Main set 6x
- 4m 100% 40-50 rpm, power is less important than getting the torque
- 5m recovery at 40%

Cooldown
- 20m 60% 90-100rpm"""

SWEET_SPOT = """Warmup
- 10m ramp 50-75% 90rpm
- 5m 65%

Main Set 3x
- 12m 88-92% 85-95rpm
- 4m 55%

Cooldown
- 10m ramp 65-45%"""

VO2 = """- 15m Z2

5x
- 3m 300-320w 100rpm
- 3m Z1

- 10m 55%"""

HR_ENDURANCE = """- Warmup 10m 60-70% HR
- 60m Z2 HR
- 10m 75% LTHR"""

RUN_DISTANCE = """Warmup
- 2km Z2 Pace

Main set 6x
- 800mtr 105% Pace
- 400mtr Z1 Pace

Cooldown
- 10m Z1 Pace"""

RUN_ABSOLUTE = """- 15m ramp 6:30-5:30/km Pace
- 20m 4:30/km Pace
- 10m 6:00/km Pace"""

SWIM_SET = """Warmup
- 300mtr Z2 Pace

Main set 8x
- 100mtr 95% Pace
- 20s Z1 Pace

Cooldown
- 200mtr Z1 Pace"""

REFERENCE_EXAMPLES = [
    ("Ride", DAVID, (20 + 6 * 9 + 20) * 60),
    ("Ride", SWEET_SPOT, 4380),
    ("Ride", VO2, (15 + 5 * 6 + 10) * 60),
    ("Ride", HR_ENDURANCE, 80 * 60),
    ("Run", RUN_DISTANCE, round(
        2000 / (4.0 * Z2_PACE) + 6 * (800 / (4.0 * 1.05) + 400 / (4.0 * Z1_PACE)) + 600
    )),
    ("Run", RUN_ABSOLUTE, 45 * 60),
    ("Swim", SWIM_SET, round(
        300 / (1.2 * Z2_PACE) + 8 * (100 / (1.2 * 0.95) + 20) + 200 / (1.2 * Z1_PACE)
    )),
    ("Run", "- 2h Z2 Pace\n- 10m Z1 Pace", 7800),
    ("Ride", "- RPE9 - not quite all out 2m 315w - 330w press lap", 120),
]


@pytest.mark.parametrize(("sport", "text", "seconds"), REFERENCE_EXAMPLES)
def test_reference_examples_parse_cleanly_with_expected_duration(sport, text, seconds):
    _, syntax = parse(text)
    result = check(text, sport, THRESHOLDS[sport])
    assert syntax == []
    assert result.errors == [], messages(result.errors)
    assert result.ok
    assert result.duration_s == seconds


def test_david_example_structure_keeps_all_text():
    workout, _ = parse(DAVID)
    warmup, first, main, cooldown, last = workout.items
    assert warmup == Section("Warmup") and cooldown == Section("Cooldown")
    assert first == Step(duration_s=1200, target=Target("power_pct", 60, 60),
                         cadence_low=90, cadence_high=100)
    assert (main.header, main.count, main.line) == ("Main set", 6, 4)
    torque, recovery = main.steps
    assert torque.cadence_low == 40 and torque.cadence_high == 50
    assert torque.note == "power is less important than getting the torque"
    assert recovery.note == "recovery at"
    assert recovery.target == Target("power_pct", 40, 40)


def test_cue_is_the_text_before_the_duration():
    step = parse("- Recovery 30s 50%")[0].items[0]
    assert step == Step(cue="Recovery", duration_s=30, target=Target("power_pct", 50, 50))


def test_press_lap_example_reads_spaced_watt_range():
    step = parse("- RPE9 - not quite all out 2m 315w - 330w press lap")[0].items[0]
    assert step.cue == "RPE9 - not quite all out"
    assert step.press_lap and step.duration_s == 120
    assert step.target == Target("watts", 315, 330)


def test_sweet_spot_matches_reference_workout_doc():
    workout, _ = parse(SWEET_SPOT)
    ramp = workout.items[1]
    assert ramp.ramp and ramp.target == Target("power_pct", 50, 75) and ramp.cadence_low == 90
    main = workout.items[3]
    assert main.header == "Main Set" and main.count == 3
    assert main.steps[0].cadence_low == 85 and main.steps[0].cadence_high == 95
    assert workout.items[-1].target == Target("power_pct", 65, 45)


# ---------------------------------------------------------------- realistic workouts

REALISTIC = [
    ("Ride", "- 1h 65%", 3600),
    ("Ride", """Warmup
- 15m ramp 45-70% 90rpm

Over-unders 4x
- 2m 95%
- 1m 105%
- 2m 95%
- 1m 105%
- 4m 50%

- 10m 50%""", (15 + 40 + 10) * 60),
    ("Ride", "- 10m Z2\n\n8x\n- 20s 170%\n- 10s 40%\n\n- 10m Z1", 24 * 60),
    ("Ride", """Warmup
- 10m 55%
- 5m ramp 60-90%

Main set 2x
- 20m 95-100%
- 5m 55%

Cooldown
- 10m 50%""", 75 * 60),
    ("Ride", "- 2h30m Z2 HR", 9000),
    ("Ride", "- 10m 150w\n\n4x\n- 8m 250-260w 90rpm\n- 2m 130w\n\n- 5m 120w", 55 * 60),
    ("Ride", "- 5' 60%\n\n10x\n- 30\" 150%\n- 30\" 50%\n\n- 5' 50%", 20 * 60),
    ("Ride", "5x\n- 1m30 120%\n- 3m 50%", 5 * 270),
    ("Ride", "- 20m 60%\n\nSweet spot 3x\n- 15m 88-93%\n- 5m 55%\n\n- 1h2m30s Z2", 8550),
    ("Ride", """Warmup
- 15m freeride

Main
- 40m 70-75% 85-95 rpm

Cooldown
- 5m freeride""", 3600),
    ("Ride", "- 10m Z1\n- 30m Z3-Z4\n- 10m Z1", 3000),
    ("Ride", "- 15m 60%\n\n6x\n- 1m 90% MMP 1m\n- 4m 45%\n\n- 10m 50%", 55 * 60),
    ("Ride", "- 20m Z2\n\n3x\n- 15s 200% press lap\n- 5m Z1\n\n- 10m Z1", 1200 + 3 * 315 + 600),
    ("Ride", "- 1h30m 75-85% LTHR", 5400),
    ("Ride", "- 45m 65-75% HR", 2700),
    ("Ride", """- Spin easy 10m 55%
- Build 5m ramp 55-85%

Main 3x
- Hard 5m 110%
- Easy 5m 50%

- Cool 10m 50%""", 55 * 60),
    ("VirtualRide", "- 10m 55%\n\n3x\n- 10m 88%-92%\n- 5m 55%\n\n- 5m 50%", 60 * 60),
    ("Run", """- 10m Z1 HR

Strides 6x
- 20s 95% Pace
- 40s Z1 Pace

- 30m Z2 HR
- 5m Z1 HR""", 51 * 60),
    ("Run", """Warmup
- 15m 70-80% Pace

Tempo
- 25m 88-92% Pace

Cooldown
- 10m 70% Pace""", 50 * 60),
    ("Run", """- 15m 6:00/km Pace

5x
- 1km 4:00/km Pace
- 2m 6:30/km Pace

- 10m 6:00/km Pace""", 55 * 60),
    ("Run", "- 1h45m Z2 Pace", 6300),
    ("Run", "- 15m 70%\n\nHills 8x\n- 90s 110-120%\n- 2m30s 60%\n\n- 10m 65%", 57 * 60),
    ("Run", "- 10m ramp 70-85% Pace\n\n6x\n- 1m Z4 Pace\n- 1m Z2 Pace\n\n- 10m Z1 Pace", 32 * 60),
    ("Run", """- 2mi 6:30/mi Pace

3x
- 1mi 5:40/mi Pace
- 3m Z1 HR

- 1mi 7:00/mi Pace""", 2 * 390 + 3 * (340 + 180) + 420),
    ("Run", "- 15m Z1 Pace\n\n10x\n- 400mtr 110% Pace\n- 90s Z1 Pace\n\n- 10m Z1 Pace",
     round(1500 + 10 * (400 / (4.0 * 1.1) + 90))),
    ("Run", "- 20m 5:30-5:00/km Pace", 1200),
    ("TrailRun", """Warmup
- 10m 70% LTHR

Main set 3x
- 10m 95-100% LTHR
- 3m 75% LTHR

Cooldown
- 8m 70% LTHR""", 57 * 60),
    ("Swim", """Warmup
- 400mtr Z1 Pace

Kick 4x
- 50mtr 80% Pace
- 15s Z1 Pace

- 200mtr Z1 Pace""", round(600 / (1.2 * Z1_PACE) + 4 * (50 / (1.2 * 0.8) + 15))),
    ("Swim", """- 300mtr 2:00/100m Pace

10x
- 100mtr 1:40/100m Pace
- 20s Z1 Pace

- 200mtr 2:10/100m Pace""", 360 + 10 * 120 + 260),
    ("Swim", "- 500mtr 2:00/100y Pace", round(500 / (91.44 / 120))),
    ("Swim", "- 10m Z2 Pace\n\n6x\n- 2m 95% Pace\n- 30s Z1 Pace\n\n- 5m Z1 Pace", 30 * 60),
    ("Swim", "- 15m Z2 HR\n- 10m 80-85% Pace", 1500),
    ("OpenWaterSwim", "- 1.5km Z2 Pace", round(1500 / (1.2 * Z2_PACE))),
    ("Swim", "- 400mtr 1:50-1:45/100m Pace\n\n4x\n- 3:00/100m-2:30/100m Pace 200mtr", None),
]


@pytest.mark.parametrize(("sport", "text", "seconds"), [c for c in REALISTIC if c[2] is not None])
def test_realistic_workouts_are_valid_with_expected_duration(sport, text, seconds):
    result = check(text, sport, THRESHOLDS[sport_family(sport)])
    assert result.errors == [], messages(result.errors)
    assert result.duration_s == seconds


def test_at_least_25_realistic_workouts_across_sports():
    families = {sport_family(sport) for sport, _, _ in REALISTIC}
    assert len(REALISTIC) >= 25 and families == {"Ride", "Run", "Swim"}


def test_pace_range_with_units_on_both_ends():
    result = check(REALISTIC[-1][1], "Swim", SWIM)
    assert result.errors == [] and result.warnings == []
    step = result.workout.items[1].steps[0]
    assert step.target == Target("pace_abs", 180, 150, unit="/100m")
    assert result.distance_m == 400 + 4 * 200
    # 1:50-1:45/100m averages two speeds; 200mtr at 3:00-2:30/100m likewise.
    first = 400 / ((100 / 110 + 100 / 105) / 2)
    assert result.duration_s == round(first + 4 * 200 / ((100 / 180 + 100 / 150) / 2))


@pytest.mark.parametrize(("token", "seconds"), [
    ("30s", 30), ("90s", 90), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("1h2m30s", 3750),
    ("5m30s", 330), ("1m30", 90), ("5'", 300), ("30\"", 30), ("1'30\"", 90),
])
def test_duration_forms(token, seconds):
    step = parse(f"- {token} 60%")[0].items[0]
    assert step.duration_s == seconds


@pytest.mark.parametrize(("token", "metres", "unit"), [
    ("500mtr", 500, "mtr"), ("2km", 2000, "km"), ("0.4km", 400, "km"),
    ("1mi", 1609.344, "mi"), ("4.5mi", 4.5 * 1609.344, "mi"),
])
def test_distance_forms_keep_their_unit(token, metres, unit):
    step = parse(f"- {token} Z2 Pace")[0].items[0]
    assert step.distance_m == pytest.approx(metres)
    assert step.distance_unit == unit
    assert render(Workout((step,))) == f"- {token} Z2 Pace"


@pytest.mark.parametrize(("text", "target"), [
    ("75%", Target("power_pct", 75, 75)),
    ("95-105%", Target("power_pct", 95, 105)),
    ("88%-92%", Target("power_pct", 88, 92)),
    ("220w", Target("watts", 220, 220)),
    ("200-240W", Target("watts", 200, 240)),
    ("Z2", Target("power_zone", 2, 2)),
    ("Z3-Z4", Target("power_zone", 3, 4)),
    ("60% MMP 5m", Target("mmp_pct", 60, 60, mmp_s=300)),
    ("70% HR", Target("hr_pct", 70, 70)),
    ("75-80% HR", Target("hr_pct", 75, 80)),
    ("95% LTHR", Target("lthr_pct", 95, 95)),
    ("Z2 HR", Target("hr_zone", 2, 2)),
    ("80% Pace", Target("pace_pct", 80, 80)),
    ("78-82% Pace", Target("pace_pct", 78, 82)),
    ("Z2 Pace", Target("pace_zone", 2, 2)),
    ("5:00/km Pace", Target("pace_abs", 300, 300, unit="/km")),
    ("5:00 Pace", Target("pace_abs", 300, 300)),
    ("3:00/100m-4:00/100m Pace", Target("pace_abs", 180, 240, unit="/100m")),
    ("7:15-7:00/km Pace", Target("pace_abs", 435, 420, unit="/km")),
    ("2:00/500m Pace", Target("pace_abs", 120, 120, unit="/500m")),
    ("freeride", Target("freeride")),
])
def test_target_forms(text, target):
    workout, issues = parse(f"- 10m {text}")
    assert issues == []
    assert workout.items[0].target == target


def test_ramp_word_before_the_length_is_cue_text():
    step = parse("- Ramp up 10m 50-70%")[0].items[0]
    assert step.cue == "Ramp up" and not step.ramp and step.target == Target("power_pct", 50, 70)


@pytest.mark.parametrize("text", ["- 10m ramp 50-75%", "- 10m Ramp 100-200w", "- 10m RAMP 60%-90%"])
def test_ramp_keyword_is_case_insensitive(text):
    step = parse(text)[0].items[0]
    assert step.ramp and step.target.is_range


@pytest.mark.parametrize(("text", "low", "high"), [
    ("90rpm", 90, 90), ("90-100rpm", 90, 100), ("85-95 rpm", 85, 95), ("85 - 95 rpm", 85, 95),
])
def test_cadence_forms(text, low, high):
    step = parse(f"- 10m 70% {text}")[0].items[0]
    assert (step.cadence_low, step.cadence_high) == (low, high)


def test_press_lap_alone_and_capitalised():
    workout, issues = parse("- Press lap\n- 10m press lap 50%")
    assert issues == []
    assert workout.items[0] == Step(press_lap=True)
    assert workout.items[1] == Step(duration_s=600, press_lap=True,
                                    target=Target("power_pct", 50, 50))


def test_standalone_and_header_repeats():
    workout, issues = parse("- 5m 50%\n\n5x\n- 1m 120%\n\nMain set 6x\n- 2m 90%\n- 1m 50%")
    assert issues == []
    _, bare, headed = workout.items
    assert (bare.header, bare.count, len(bare.steps)) == ("", 5, 1)
    assert (headed.header, headed.count, len(headed.steps)) == ("Main set", 6, 2)


def test_render_canonical_layout():
    text = "Warmup\n- Easy 10m 55% 90rpm\nMain set 3x\n- 5m 100%\n- 3m 50%\nCooldown\n- 10m 50%"
    workout, _ = parse(text)
    assert render(workout) == (
        "Warmup\n- Easy 10m 55% 90rpm\n\nMain set 3x\n- 5m 100%\n- 3m 50%\n\nCooldown\n- 10m 50%"
    )


def test_render_puts_tokens_in_canonical_order():
    workout, _ = parse("- 90rpm ramp 50-75% Spin up press lap 10m")
    assert render(workout) == "- 10m press lap ramp 50-75% 90rpm Spin up"


def test_render_reproduces_reference_examples():
    for text in (SWEET_SPOT, VO2, RUN_ABSOLUTE, SWIM_SET):
        assert render(parse(text)[0]) == text
    assert render(parse(HR_ENDURANCE)[0]).splitlines()[1] == "- 1h Z2 HR"


# ---------------------------------------------------------------- validation messages


def only_error(text, sport="Ride", thresholds=None):
    result = check(text, sport, thresholds)
    assert len(result.errors) == 1, messages(result.errors)
    assert not result.ok
    return result.errors[0]


@pytest.mark.parametrize("sport", ["Swim", "Run"])
def test_minutes_that_look_like_metres(sport):
    error = only_error("- 10m Z1 Pace\n- 400m Z2 Pace", sport)
    assert error.line == 2
    assert "`400m` means 400 minutes" in error.message and "`400mtr`" in error.message
    assert "`6h40m`" in error.message


def test_short_swim_minutes_that_look_like_metres_warn():
    result = check("- 50m Z2 Pace", "Swim")
    assert result.errors == []
    assert "`50mtr`" in messages(result.warnings)


def test_step_over_eight_hours_on_a_ride():
    error = only_error("- 500m 60%")
    assert error.line == 1 and "longer than 8 hours" in error.message and "`mtr`" in error.message


def test_long_minutes_on_a_ride_are_fine():
    assert check("- 120m 60%", "Ride").ok


def test_pace_target_on_a_ride():
    error = only_error("- 10m 60%\n- 20m Z2 Pace")
    assert error.line == 2 and "pace target" in error.message and "`Z2 HR`" in error.message


@pytest.mark.parametrize("target", ["75%", "220w", "Z2", "60% MMP 5m"])
def test_power_target_in_a_swim(target):
    error = only_error(f"- 10m {target}", "Swim")
    assert error.line == 1 and "power target" in error.message and "`Z2 Pace`" in error.message


def test_running_power_without_ftp_only_warns():
    result = check("- 20m 80%", "Run", Thresholds(threshold_pace=4.0))
    assert result.ok
    assert "running FTP" in messages(result.warnings)
    assert "running FTP" not in messages(check("- 20m 80%", "Run", RUN).warnings)


@pytest.mark.parametrize("target", ["75%", "Z3"])
def test_ride_power_needs_ftp(target):
    error = only_error(f"- 5m 50% HR\n- 10m {target}", "Ride", Thresholds(lthr=160, max_hr=185))
    assert error.line == 2 and "FTP" in error.message and "Intervals.icu" in error.message
    assert "`Z2 HR`" in error.message


def test_threshold_checks_are_skipped_without_thresholds():
    assert check("- 10m 75%\n- 10m 95% LTHR\n- 10m 70% HR", "Ride").ok


@pytest.mark.parametrize(("target", "missing"), [
    ("95% LTHR", "LTHR"), ("70% HR", "max heart rate"), ("Z2 HR", "LTHR"),
])
def test_hr_targets_need_their_threshold(target, missing):
    error = only_error(f"- 10m {target}", "Ride", Thresholds(ftp=250))
    assert error.line == 1 and missing in error.message and "Intervals.icu" in error.message


@pytest.mark.parametrize("target", ["80% Pace", "Z2 Pace"])
def test_pace_targets_need_threshold_pace(target):
    error = only_error(f"- 10m {target}", "Run", Thresholds(lthr=170))
    assert "threshold pace" in error.message and "`5:00/km Pace`" in error.message


def test_absolute_pace_needs_no_threshold():
    assert check("- 10m 5:00/km Pace", "Run", Thresholds()).ok


def test_repeat_needs_blank_line_before():
    error = only_error("- 10m 60%\n5x\n- 1m 120%")
    assert error.line == 2 and error.message == "add a blank line before `5x`"


def test_repeat_after_a_label_suggests_joining_them():
    error = only_error("Main set\n3x\n- 5m 100%")
    assert error.line == 2 and "`Main set 3x`" in error.message


def test_repeat_needs_blank_line_after():
    error = only_error("3x\n- 5m 100%\n- 2m 50%\nCooldown\n- 10m 50%")
    assert error.line == 4
    assert "add a blank line before `Cooldown`" in error.message and "`3x`" in error.message


def test_nested_repeats_are_rejected():
    error = only_error("Main set 3x\n- 5m 90%\n2x\n- 1m 120%")
    assert error.line == 3 and "nested" in error.message
    assert "blank line before `2x`" in error.message


def test_repeat_without_steps():
    error = only_error("- 10m 50%\n\nMain set 4x\n\n- 10m 50%")
    assert error.line == 3 and "`Main set 4x` has no steps" in error.message


@pytest.mark.parametrize("count", [0, 51, 99])
def test_repeat_count_out_of_range(count):
    error = only_error(f"{count}x\n- 1m 100%")
    assert error.line == 1 and f"`{count}x`" in error.message and "`50x`" in error.message


def test_repeat_counts_at_the_limits_are_fine():
    assert check("1x\n- 1m 100%\n\n50x\n- 10s 100%", "Ride").ok


@pytest.mark.parametrize("text", ["", "\n\n", "Warmup\nJust ride easy", "5x"])
def test_empty_workout(text):
    result = check(text, "Ride")
    assert result.errors[0].line == 0
    assert result.errors[0].message.startswith("The workout has no steps")
    assert "`- 10m 60%`" in result.errors[0].message


def test_step_without_length():
    error = only_error("- 10m 50%\n- Easy 60%")
    assert error.line == 2 and "no duration or distance" in error.message
    assert "`- 10m 60%`" in error.message


@pytest.mark.parametrize("length", ["0s", "0mtr"])
def test_zero_length_step(length):
    error = only_error(f"- {length} 60%")
    assert error.line == 1 and "zero length" in error.message and "`30s`" in error.message


def test_total_over_eight_hours():
    error = only_error("- 4h 60%\n- 4h 60%\n- 10m 50%")
    assert error.line == 0 and "8h10m" in error.message and "split" in error.message


@pytest.mark.parametrize("token", ["10min", "2", "95-105", "5x5m", "100yrd", "Z2x"])
def test_unparseable_token_is_named(token):
    error = only_error(f"- 10m {token} 60%")
    assert error.line == 1 and f"`{token}` is not understood" in error.message
    assert "`10m`" in error.message


@pytest.mark.parametrize(("token", "fix"), [("1.5h", "`1h30m`"), ("2.5m", "`2m30s`")])
def test_decimal_duration_suggests_whole_units(token, fix):
    error = only_error(f"- {token} 60%")
    assert f"`{token}` is not a duration" in error.message and fix in error.message


def test_inline_repeat_is_rejected_with_a_fix():
    error = only_error("- 3x 1m 110%")
    assert "`3x`" in error.message and "own line" in error.message


def test_two_lengths_on_one_step():
    error = only_error("- 10m 5m 60%")
    assert "`5m` is a second duration" in error.message and "split" in error.message


def test_two_targets_on_one_step():
    error = only_error("- 10m 60% Z2")
    assert "`Z2` is a second target" in error.message


def test_absolute_pace_needs_the_pace_keyword():
    error = only_error("- 10m 5:00/km", "Run")
    assert "add `Pace` after `5:00/km`" in error.message


def test_unknown_pace_unit():
    error = only_error("- 10m 5:00/kmh Pace", "Run")
    assert "`/kmh` is not a pace unit" in error.message and "`/km`" in error.message


def test_mixed_pace_units_in_one_range():
    error = only_error("- 10m 2:00/100m-5:00/km Pace", "Run")
    assert "mixes pace units" in error.message and "`3:00-4:00/100m Pace`" in error.message


@pytest.mark.parametrize("text", ["- 10m Pace 80%", "- 10m HR Z2"])
def test_target_word_away_from_its_value_is_an_error(text):
    error = only_error(text, "Run")
    assert "must come right after its value" in error.message


def test_target_words_inside_cue_and_note_text_are_fine():
    assert check("- Easy pace 10m Z2 Pace\n- 10m 70% steady pace", "Run", RUN).errors == []


def test_mmp_needs_its_duration():
    error = only_error("- 1m 90% MMP")
    assert "`90% MMP 5m`" in error.message


def test_ramp_after_the_length_needs_a_range():
    error = only_error("- 10m ramp up")
    assert "`ramp 50-75%`" in error.message


def test_zone_that_does_not_exist():
    error = only_error("- 10m Z8")
    assert "`Z8`" in error.message and "`Z7`" in error.message


def test_errors_are_sorted_by_line():
    text = "- 4h 60%\n- 10min 60%\n- 5m Z2 Pace\n- 4h 60%\n\n0x\n- 1m 100%"
    result = check(text, "Ride", RIDE)
    assert [issue.line for issue in result.errors] == [0, 2, 3, 6]


def test_one_mistake_gives_one_error():
    result = check("- 10min", "Ride")
    assert len(result.errors) == 1 and result.warnings == []
    assert len(check("- 9h 60%", "Ride").errors) == 1


def test_syntax_errors_withhold_the_workout():
    assert check("- 10min 60%", "Ride").workout is None
    assert check("- 10m 60%", "Ride").workout is not None


# ---------------------------------------------------------------- warnings


def only_warning(text, sport="Ride", thresholds=None):
    result = check(text, sport, thresholds)
    assert result.ok, messages(result.errors)
    assert len(result.warnings) == 1, messages(result.warnings)
    return result.warnings[0]


def test_reversed_range_warns_with_the_fix():
    warning = only_warning("- 5m 50%\n- 10m 105-95%")
    assert warning.line == 2 and "`95-105%`" in warning.message


def test_reversed_zone_and_cadence_ranges_warn():
    assert "`Z3-Z4`" in only_warning("- 10m Z4-Z3").message
    assert "`85-95rpm`" in only_warning("- 10m 70% 95-85rpm").message


def test_faster_to_slower_pace_and_ramp_down_do_not_warn():
    assert check("- 10m 7:15-7:00/km Pace", "Run").warnings == []
    assert check("- 10m ramp 65-45%", "Ride").warnings == []


def test_power_over_200_percent_warns():
    warning = only_warning("- 10s 250%")
    assert "`250%`" in warning.message and "200%" in warning.message


def test_step_without_target_warns():
    warning = only_warning("- 10m 60%\n- 10m", "Ride")
    assert warning.line == 2 and "no target" in warning.message and "`65%`" in warning.message
    assert "`Z2 Pace`" in only_warning("- 10m", "Run").message


def test_ramp_without_range_warns():
    warning = only_warning("- 10m ramp 60%")
    assert "`ramp 60%`" in warning.message and "`ramp 50-75%`" in warning.message


def test_repeat_lookalike_label_warns():
    warning = only_warning("Main set 4 x 1km\n- 1km 4:00/km Pace", "Run")
    assert warning.line == 1 and "`Main set 4x`" in warning.message


def test_a_distance_step_nothing_can_time_is_an_error_never_zero_minutes():
    result = check("- 10m Z2 HR\n- 2km Z2 HR", "Run", Thresholds(lthr=170))
    assert not result.ok and result.warnings == []
    [error] = result.errors
    assert error.line == 2 and error.message.startswith("`2km` cannot be timed for a run")
    ride = check("- 10m 60%\n\n4x\n- 400mtr 105%\n- 2m 50%\n\n- 10m 50%", "Ride",
                 Thresholds(ftp=250))                  # the issue's ride with metre steps
    assert not ride.ok and "`400mtr` cannot be timed for a ride" in ride.errors[0].message
    assert "write it as a duration" in ride.errors[0].message


def test_a_distance_step_is_timed_from_the_recent_speed_and_the_card_says_so():
    recent = Thresholds(ftp=250, recent_speed=30 / 3.6)        # 30 km/h
    ride = check("- 10m 60%\n\n4x\n- 400mtr 105%\n- 2m 50%\n\n- 10m 50%", "Ride", recent)
    assert ride.ok and ride.duration_s == 600 + 4 * (48 + 120) + 600
    [note] = ride.warnings
    assert "timed at your recent average ride speed, 30.0 km/h" in note.message
    assert ride.zone_times.get(5) or ride.zone_times.get(4)    # the intervals are drawn
    run = check("- 2km Z2 HR", "Run", Thresholds(lthr=170, recent_speed=1000 / 330))
    assert run.ok and run.duration_s == 660 and "5:30 /km" in run.warnings[0].message
    paced = check("- 2km 5:00/km Pace", "Run", Thresholds(recent_speed=1000 / 330))
    assert paced.ok and paced.duration_s == 600 and paced.warnings == []   # its own pace


def test_a_press_lap_step_needs_a_duration():
    result = check("- 10m 60%\n- press lap 50%", "Ride", Thresholds(ftp=250))
    assert not result.ok and "needs a duration" in result.errors[0].message


def test_unknown_sport_warns_and_skips_sport_rules():
    result = check("- 10m Z2 Pace", "WeightTraining")
    assert result.ok and "`WeightTraining`" in messages(result.warnings)


# ---------------------------------------------------------------- numbers


def test_distance_total_multiplies_repeats():
    assert check(RUN_DISTANCE, "Run", RUN).distance_m == 2000 + 6 * 1200
    assert check(DAVID, "Ride").distance_m is None


def test_distance_step_without_pace_target_uses_80_percent_of_threshold():
    assert check("- 4km Z2 HR", "Run", RUN).duration_s == round(4000 / 3.2)


@pytest.mark.parametrize(("text", "load"), [
    ("- 1h 100%", 100.0),
    ("- 1h 75%", 56.25),
    ("- 1h ramp 50-100%", round((0.25 + 0.5 + 1.0) / 3 * 100, 2)),
    ("- 30m 90-110%", 50.0),
    ("- 1h 200w", 64.0),
    ("- 1h Z2", 42.25),
    ("- 1h", 25.0),
    ("3x\n- 10m 100%\n- 10m 50%", round(3 * (100 + 25) / 6, 2)),
])
def test_power_load(text, load):
    assert check(text, "Ride", RIDE).load == pytest.approx(load)


def test_watts_without_ftp_have_no_load():
    assert check("- 1h 200w", "Ride", Thresholds(lthr=160)).load is None
    assert check("- 1h 200w", "Ride").load is None


def test_hr_load_is_relative_to_lthr():
    assert check("- 1h 90% LTHR", "Ride", RIDE).load == pytest.approx(81.0)
    hr_if = 0.8 * 185 / 160
    assert check("- 30m 80% HR", "Ride", RIDE).load == pytest.approx(round(hr_if**2 * 50, 2))
    assert check("- 30m 80% HR", "Ride", Thresholds(lthr=160)).load is None
    # Default HR zones are % LTHR: Z2 spans 81-89.
    assert check("- 1h Z2 HR", "Ride", RIDE).load == pytest.approx(0.85**2 * 100)


def test_hr_zones_in_bpm_use_lthr():
    th = Thresholds(lthr=160, hr_zones=(130, 145, 152, 160, 165, 170, 185))
    assert check("- 1h Z2 HR", "Ride", th).load == pytest.approx(round((137.5 / 160) ** 2 * 100, 2))


def test_pace_load():
    assert check("- 1h 90% Pace", "Run", RUN).load == pytest.approx(81.0)
    th = Thresholds(threshold_pace=1000 / 270)  # 4:30/km
    assert check("- 1h 5:00/km Pace", "Run", th).load == pytest.approx(81.0)
    assert check("- 1h 5:00/km Pace", "Run").load is None
    assert check("- 1h", "Run", RUN).load == pytest.approx(42.25)


def test_load_of_distance_steps_uses_estimated_time():
    # 4 km at 105% of 4 m/s takes 4000 / 4.2 s at IF 1.05.
    expected = 1.05**2 * (4000 / 4.2) / 36
    assert check("- 4km 105% Pace", "Run", RUN).load == pytest.approx(round(expected, 2))


def test_power_zone_midpoints_use_custom_zones():
    th = Thresholds(ftp=250, power_zones=(60, 80, 999))
    assert check("- 1h Z2", "Ride", th).load == pytest.approx(49.0)
    assert check("- 1h Z3", "Ride", th).load == pytest.approx(0.88**2 * 100)
    assert check("- 1h Z1", "Ride", th).load == pytest.approx(0.54**2 * 100)


def test_pace_zone_midpoints_use_custom_zones():
    th = Thresholds(threshold_pace=4.0, pace_zones=(80, 90, 100, 999))
    assert check("- 1h Z2 Pace", "Run", th).load == pytest.approx(0.85**2 * 100)
    assert check("- 3400mtr Z2 Pace", "Run", th).duration_s == 1000


def test_pace_without_unit_uses_the_sport_default():
    assert check("- 400mtr 2:00 Pace", "Swim").duration_s == 480  # per 100 m
    assert check("- 2km 5:00 Pace", "Run").duration_s == 600  # per km


def test_sweet_spot_load_is_plausible():
    load = check(SWEET_SPOT, "Ride", RIDE).load
    assert 60 < load < 90  # Intervals.icu reports 78 with its own model


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (30, "30s"), (150, "2m30s"), (2700, "45m"), (3600, "1h"), (3900, "1h05m"),
    (3930, "1h05m30s"), (36000, "10h"), (65, "1m05s"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize(("activity_type", "family"), [
    ("Ride", "Ride"), ("VirtualRide", "Ride"), ("GravelRide", "Ride"), ("Cyclocross", "Ride"),
    ("Run", "Run"), ("TrailRun", "Run"), ("VirtualRun", "Run"),
    ("Swim", "Swim"), ("OpenWaterSwim", "Swim"), ("WeightTraining", None), ("Walk", None),
])
def test_sport_family(activity_type, family):
    assert sport_family(activity_type) == family


def test_line_numbers_do_not_affect_equality():
    assert Step(duration_s=60, line=3) == Step(duration_s=60, line=9)
    assert Section("Warmup", line=1) == Section("Warmup", line=5)


def imported_modules(path):
    """Top-level names of the modules a file imports; `coach` modules by their full name."""
    names = set()
    for node in ast.walk(ast.parse(Path(path).read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "coach":
            names |= {f"coach.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names.add(module if module.startswith("coach.") else module.split(".")[0])
    return names


@pytest.mark.parametrize("module", sorted(Path(workouts.__file__).parent.glob("*.py")),
                         ids=lambda p: p.name)
def test_package_is_pure(module):
    # Standard library only, and its own modules (tests/test_architecture.py follows imports).
    allowed = {"__future__", "re", "collections", "dataclasses", "typing", "math", "itertools",
               "enum", "functools"}
    imported = imported_modules(module)
    assert {m for m in imported if not m.startswith("coach.workout")} <= allowed


def test_public_signatures():
    assert str(inspect.signature(check)) == (
        "(text: 'str', sport: 'str', thresholds: 'Thresholds | None' = None) -> 'WorkoutCheck'"
    )
    assert str(inspect.signature(parse)) == "(text: 'str') -> 'tuple[Workout, list[Issue]]'"
    assert workouts.SPORTS == ("Ride", "Run", "Swim")


# ---------------------------------------------------------------- properties

WORDS = st.sampled_from(["Easy", "spin", "Hard", "steady", "torque,", "RPE7", "-", "a/b", "Build"])
LABELS = st.lists(st.sampled_from(["Warmup", "Main", "set", "Cooldown", "Drills", "Kick"]),
                  min_size=1, max_size=3).map(" ".join)


def text_of(words):
    return st.lists(words, max_size=4).map(" ".join)


def pair(values):
    return st.tuples(values, values, st.booleans()).map(lambda t: (t[0], t[0] if t[2] else t[1]))


PERCENT = pair(st.integers(2, 800).map(lambda x: x / 2))


@st.composite
def targets(draw):
    kind = draw(st.sampled_from(workouts.TARGET_KINDS))
    if kind == "freeride":
        return Target(kind)
    if kind == "watts":
        low, high = draw(pair(st.integers(1, 2000).map(float)))
    elif kind.endswith("zone"):
        low, high = draw(pair(st.integers(1, 7).map(float)))
    elif kind == "pace_abs":
        low, high = draw(pair(st.integers(1, 1200).map(float)))
        unit = draw(st.sampled_from(["", *workouts.PACE_UNITS]))
        return Target(kind, low, high, unit=unit)
    else:
        low, high = draw(PERCENT)
    mmp_s = draw(st.integers(1, 7200)) if kind == "mmp_pct" else None
    return Target(kind, low, high, mmp_s=mmp_s)


@st.composite
def steps(draw):
    length = draw(st.sampled_from(["duration", "distance", "none"]))
    values = {}
    if length == "duration":
        values["duration_s"] = draw(st.integers(1, 30000))
    elif length == "distance":
        unit = draw(st.sampled_from(["mtr", "km", "mi"]))
        amount = draw(st.integers(1, 50000)) / (1 if unit == "mtr" else 100)
        values.update(distance_m=amount * workouts.DISTANCE_UNITS[unit], distance_unit=unit)
    target = draw(st.none() | targets())
    cadence = draw(st.none() | pair(st.integers(30, 150)))
    step = Step(
        cue=draw(text_of(WORDS)), press_lap=draw(st.booleans()), target=target,
        ramp=target is not None and target.kind != "freeride" and draw(st.booleans()),
        cadence_low=cadence and cadence[0], cadence_high=cadence and cadence[1], **values,
    )
    structured = length != "none" or step.press_lap or target or cadence
    return Step(**{**step.__dict__, "note": draw(text_of(WORDS)) if structured else ""})


repeats = st.builds(Repeat, header=st.just("") | LABELS, count=st.integers(1, 50),
                    steps=st.lists(steps(), min_size=1, max_size=4).map(tuple))
sections = st.builds(Section, text=LABELS)
workout_strategy = st.lists(sections | steps() | repeats, max_size=6).map(
    lambda items: Workout(tuple(items))
)


@settings(max_examples=300)
@given(workout_strategy)
def test_render_then_parse_round_trips(workout):
    text = render(workout)
    parsed, issues = parse(text)
    assert issues == [], text
    assert parsed == workout, text
    assert render(parsed) == text


@settings(max_examples=300)
@given(st.text(alphabet="- 0123456789hmsxXZz%wW:/.kmtrpaceHRLTMP\n'\"", max_size=80))
def test_parse_and_check_never_raise(text):
    workout, issues = parse(text)
    result = check(text, "Run", Thresholds(threshold_pace=3.5))
    assert all(issue.line >= 0 for issue in [*issues, *result.errors, *result.warnings])
    assert result.duration_s >= 0


def test_text_over_the_size_of_any_workout_is_refused_before_it_is_parsed():
    big = workouts.check("- 10m 60%\n" * 2001, "Ride")          # 20,010 characters
    assert not big.ok and big.workout is None and big.duration_s == 0
    assert [(i.line, i.message) for i in big.errors] == [(0, (
        "The workout text is over 20,000 characters: the most it can be is 20,000 characters "
        "and 300 lines. Shorten it, or split it into two workouts"))]
    assert "301 lines" in workouts.check("- 1m 60%\n" * 300 + "- 1m 50%", "Ride").errors[0].message
    at_limit = workouts.check("\n".join(["- 1m 60%"] * 300), "Ride")
    assert at_limit.errors == [] or "lines" not in at_limit.errors[0].message
