"""Tests for coach.workout: parsing, rendering, validation and the numbers."""

import ast
import inspect
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach import workout as workouts
from coach.workout import (
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
from tests.workout_texts import (
    DAVID,
    HR_ENDURANCE,
    REALISTIC,
    REFERENCE_EXAMPLES,
    RIDE,
    RUN,
    RUN_ABSOLUTE,
    RUN_DISTANCE,
    SWEET_SPOT,
    SWIM,
    SWIM_SET,
    THRESHOLDS,
    VO2,
    workout_strategy,
)


def messages(issues):
    return " | ".join(issue.message for issue in issues)


# ---------------------------------------------------------------- reference §4.4 examples

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
