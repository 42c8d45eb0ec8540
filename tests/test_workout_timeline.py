"""Tests for coach.workout's numbers: the intensity timeline, time in zones, and the package."""

import inspect
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach import workout as workouts
from coach.workout import (
    Repeat,
    Segment,
    Step,
    Thresholds,
    Workout,
    check,
    parse,
    render,
    sport_family,
    timeline,
    zone_times,
)
from tests.workout_texts import (
    HR_ENDURANCE,
    REALISTIC,
    REFERENCE_EXAMPLES,
    RIDE,
    RUN,
    RUN_ABSOLUTE,
    RUN_DISTANCE,
    SWEET_SPOT,
    THRESHOLDS,
    VO2,
    workout_strategy,
)

# Every golden workout text of test_workouts, with its sport.
GOLDEN = [(sport, text) for sport, text, _ in REFERENCE_EXAMPLES + REALISTIC]


def segments_of(text, sport="Ride", thresholds=RIDE):
    workout, issues = parse(text)
    assert issues == []
    return timeline(workout, sport, thresholds)


def spans(segments):
    return [(s.start_s, s.end_s, s.start_pct, s.end_pct, s.zone) for s in segments]


# ---------------------------------------------------------------- timeline


def test_sweet_spot_timeline_matches_the_reference_example():
    assert spans(segments_of(SWEET_SPOT)) == [
        (0, 600, 50, 75, 2),  # ramp 50-75 %: its midpoint 62.5 % is Z2
        (600, 900, 65, 65, 2),
        (900, 1620, 90, 90, 3),  # 88-92 % holds its middle; 90 % is the top of Z3
        (1620, 1860, 55, 55, 1),
        (1860, 2580, 90, 90, 3),
        (2580, 2820, 55, 55, 1),
        (2820, 3540, 90, 90, 3),
        (3540, 3780, 55, 55, 1),
        (3780, 4380, 65, 45, 1),  # ramp down: midpoint 55 %, the top of Z1
    ]


def test_sweet_spot_labels_and_lines():
    segments = segments_of(SWEET_SPOT)
    assert [s.label for s in segments[:4]] == [
        "10m ramp 50-75% 90rpm", "5m 65%", "12m 88-92% 85-95rpm (1/3)", "4m 55% (1/3)",
    ]
    assert [s.line for s in segments] == [2, 3, 6, 7, 6, 7, 6, 7, 10]


def test_repeats_are_expanded_with_their_iteration():
    segments = segments_of(VO2)
    hard = [s for s in segments if s.line == 4]
    assert [s.label for s in hard] == [f"3m 300-320w 100rpm ({i}/5)" for i in range(1, 6)]
    assert [s.start_s for s in hard] == [900 + i * 360 for i in range(5)]
    assert {s.start_pct for s in hard} == {124.0}  # 310 W of a 250 W FTP
    assert {s.zone for s in hard} == {6}


def test_label_leaves_out_cue_and_note():
    segment, = segments_of("- Hard 4m 100% 40-50 rpm, mind the torque")
    assert segment.label == "4m 100% 40-50rpm"


def test_a_ramp_keeps_its_start_and_end():
    ramp = segments_of(RUN_ABSOLUTE, "Run", RUN)[0]
    assert (ramp.start_s, ramp.end_s) == (0, 900)
    assert ramp.start_pct == pytest.approx(100 * 1000 / 390 / 4.0, abs=0.01)  # 6:30/km
    assert ramp.end_pct == pytest.approx(100 * 1000 / 330 / 4.0, abs=0.01)  # 5:30/km
    assert ramp.start_pct < ramp.end_pct


def test_a_range_that_is_not_a_ramp_holds_its_middle():
    segment, = segments_of("- 10m Z3-Z4")
    assert segment.start_pct == segment.end_pct == 90.0  # midpoints 82.5 and 97.5
    assert segment.zone == 3


def test_hr_targets_are_percent_of_lthr_with_default_zones():
    assert spans(segments_of(HR_ENDURANCE)) == [
        (0, 600, 75.16, 75.16, 1),  # 65 % of max HR 185 is 75.16 % of LTHR 160
        (600, 4200, 85, 85, 2),  # default Z2 HR spans 81-89 % LTHR
        (4200, 4800, 75, 75, 1),
    ]


def test_hr_zones_in_bpm_are_used_through_lthr():
    th = Thresholds(lthr=160, hr_zones=(130, 145, 152, 160, 165, 170, 185))
    easy, steady, hard = segments_of("- 10m 90% LTHR\n- 10m Z2 HR\n- 10m 102% LTHR", "Ride", th)
    assert (easy.start_pct, easy.zone) == (90, 2)  # 144 bpm
    assert (steady.start_pct, steady.zone) == (85.94, 2)  # 137.5 bpm
    assert (hard.start_pct, hard.zone) == (102, 5)  # 163.2 bpm


def test_hr_zone_without_lthr_keeps_its_zone_but_not_its_percent():
    th = Thresholds(hr_zones=(130, 145, 152, 160, 165, 170, 185))
    segment, = segments_of("- 10m Z2 HR", "Ride", th)
    assert (segment.start_pct, segment.zone) == (None, 2)
    assert zone_times([segment]) == {2: 600}


def test_pace_targets_are_percent_of_threshold_speed():
    warmup, fast, easy = segments_of(RUN_DISTANCE, "Run", RUN)[:3]
    assert (warmup.start_s, warmup.end_s) == (0, round(2000 / (4.0 * 0.826)))
    assert (warmup.start_pct, warmup.zone) == (82.6, 2)  # default pace Z2: 77.5-87.7 %
    assert (fast.start_pct, fast.zone) == (105, 6)  # above 103.4 %
    assert (easy.start_pct, easy.zone) == (69.75, 1)


def test_pace_zones_come_from_the_athlete():
    th = Thresholds(threshold_pace=4.0, pace_zones=(80, 90, 100, 999))
    steady, fast = segments_of("- 10m 95% Pace\n- 10m 4:00/km Pace", "Run", th)
    assert (steady.start_pct, steady.zone) == (95, 3)
    assert (fast.start_pct, fast.zone) == (104.17, 4)  # 4.17 m/s: the open top zone


def test_distance_steps_use_the_check_estimate():
    segments = segments_of(RUN_DISTANCE, "Run", RUN)
    assert segments[-1].end_s == check(RUN_DISTANCE, "Run", RUN).duration_s


@pytest.mark.parametrize("text", ["- 10m", "- 10m freeride"])
def test_a_step_without_intensity_has_no_percent_and_no_zone(text):
    segment, = segments_of(text)
    assert (segment.start_pct, segment.end_pct, segment.zone) == (None, None, None)
    assert zone_times([segment]) == {0: 600}


def test_watts_without_ftp_have_no_percent():
    segment, = segments_of("- 10m 200w", "Ride", Thresholds(lthr=160))
    assert (segment.start_pct, segment.zone) == (None, None)


def test_an_empty_workout_has_no_segments():
    assert timeline(Workout(), "Ride", RIDE) == [] and zone_times([]) == {}


# ---------------------------------------------------------------- zone times


def test_sweet_spot_zone_times_split_the_ramps():
    # 50->75 % meets 55 % after 120 s; 65->45 % meets it halfway.
    assert zone_times(segments_of(SWEET_SPOT)) == {
        1: 120 + 3 * 240 + 300, 2: 480 + 300 + 300, 3: 3 * 720,
    }


def test_a_ramp_across_several_zones():
    # 40 -> 160 % over 1200 s: 10 s per %, cut at 55, 75, 90, 105, 120 and 150 %.
    times = zone_times(segments_of("- 20m ramp 40-160%"))
    assert times == {1: 150, 2: 200, 3: 150, 4: 150, 5: 150, 6: 300, 7: 100}


def test_unknown_intensity_is_zone_zero():
    assert zone_times(segments_of("- 10m\n- 5m 100%")) == {0: 600, 4: 300}


@pytest.mark.parametrize(("sport", "text"), GOLDEN)
def test_zone_times_sum_to_the_total_duration(sport, text):
    th = THRESHOLDS[sport_family(sport)]
    times = zone_times(segments_of(text, sport, th))
    assert sum(times.values()) == check(text, sport, th).duration_s


@pytest.mark.parametrize(("sport", "text"), GOLDEN)
def test_check_reports_the_same_zone_times(sport, text):
    th = THRESHOLDS[sport_family(sport)]
    result = check(text, sport, th)
    assert result.zone_times == zone_times(timeline(result.workout, sport, th))
    assert result.zone_times


def test_check_without_thresholds_still_has_zone_times():
    assert check(SWEET_SPOT, "Ride").zone_times == zone_times(segments_of(SWEET_SPOT))


@pytest.mark.parametrize("text", ["- 10min 60%", "5000x\n- 1s 100%"])
def test_check_leaves_zone_times_empty_when_it_cannot_lay_them_out(text):
    result = check(text, "Ride", RIDE)
    assert not result.ok and result.zone_times == {}


# ---------------------------------------------------------------- properties


def without_distances(workout):
    def fix(step):
        return replace(step, distance_m=None, distance_unit="")

    def fix_item(item):
        if isinstance(item, Repeat):
            return replace(item, steps=tuple(map(fix, item.steps)))
        return fix(item) if isinstance(item, Step) else item

    return Workout(tuple(map(fix_item, workout.items)))


SPORT_SETTINGS = st.sampled_from(["Ride", "Run", "Swim"]).flatmap(
    lambda sport: st.tuples(st.just(sport), st.sampled_from([THRESHOLDS[sport], None]))
)


@settings(max_examples=200, deadline=None)
@given(workout_strategy.map(without_distances), SPORT_SETTINGS)
def test_timeline_ends_at_the_checked_duration(workout, sport_settings):
    sport, th = sport_settings
    segments = timeline(workout, sport, th)
    end = segments[-1].end_s if segments else 0
    assert end == check(render(workout), sport, th).duration_s


@settings(max_examples=200, deadline=None)
@given(workout_strategy, SPORT_SETTINGS)
def test_segments_are_contiguous_and_zone_times_cover_them(workout, sport_settings):
    segments = timeline(workout, *sport_settings)
    ends = [0, *(s.end_s for s in segments)]
    assert [s.start_s for s in segments] == ends[:-1]
    assert all(s.end_s >= s.start_s for s in segments)
    assert sum(zone_times(segments).values()) == ends[-1]
    assert all(s.zone is None or s.zone >= 1 for s in segments)


# ---------------------------------------------------------------- the split


@pytest.mark.parametrize("module", ["check", "messages", "model", "numbers", "parse", "render",
                                    "timeline"])
def test_each_module_imports_first_without_a_cycle(module):
    code = (f"import coach.workout.{module}; from coach.workout import check; "
            "print(check('- 1m 50%', 'Ride').ok)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_public_api_signatures():
    assert str(inspect.signature(timeline)) == (
        "(workout: 'Workout', sport: 'str', thresholds: 'Thresholds | None' = None)"
        " -> 'list[Segment]'"
    )
    assert str(inspect.signature(zone_times)) == "(segments: 'list[Segment]') -> 'dict[int, int]'"
    assert [f for f in Segment.__dataclass_fields__][:7] == [
        "start_s", "end_s", "start_pct", "end_pct", "zone", "label", "line",
    ]


def test_check_result_defaults_to_no_zone_times():
    result = workouts.WorkoutCheck(True, 0, None, None, [], [], None)
    assert result.zone_times == {}
