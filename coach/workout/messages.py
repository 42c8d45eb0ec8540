"""Every message of the workout checker: each names the offending syntax in backticks and says
how to fix it (small models and athletes both act on them)."""

from __future__ import annotations

MESSAGES = {
    # the parser: one step line at a time
    "unknown": "`{token}` is not understood; write e.g. `10m`, `30s`, `400mtr`, `75%` or `Z2`",
    "decimal": "`{token}` is not a duration; write whole units, e.g. `1h30m` or `2m30s`",
    "inline_repeat": "`{token}` on a step is not supported; put `{token}` on its own line above",
    "second_length": "`{token}` is a second duration or distance; split it into two steps",
    "second_target": "`{token}` is a second target on this step; use one target per step",
    "second_cadence": "`{token}` is a second cadence on this step; keep one, e.g. `90rpm`",
    "second_press_lap": "`{token}` appears twice on this step; write `press lap` once",
    "stray_suffix": "`{word}` must come right after its value, e.g. `{t} {word}`",
    "ramp_range": "`ramp` must be followed by its range, e.g. `ramp 50-75%`",
    "mmp": "`MMP` needs the effort duration after it, e.g. `{token} MMP 5m`",
    "pace_units": "`{token}` mixes pace units; use one, e.g. `3:00-4:00/100m Pace`",
    "pace_unit": "`{token}` is not a pace unit; use one of {units}",
    "pace_word": "add `Pace` after `{token}`, e.g. `{token} Pace`",
    "nested": "nested repeats are not supported; end the `{outer}` block with a blank line "
    "before `{line}`, or write the inner steps out in full",
    "blank_before": "add a blank line before `{line}`",
    "join_label": "add a blank line before `{line}`, or label the repeat: `{label} {count}x`",
    "blank_after": "add a blank line before `{line}` to end the `{outer}` block",
    # the checker: whole workouts, lengths, targets and thresholds
    "too_long": "The workout text is {size}: the most it can be is 20,000 characters and 300 "
    "lines. Shorten it, or split it into two workouts",
    "empty": "The workout has no steps: write each step on its own line starting with `- `, "
    "e.g. `- 10m 60%`",
    "sport": "`{sport}` is not a ride, run or swim; sport-specific checks were skipped",
    "lookalike": "`{text}` is only a label; to repeat the steps below, write e.g. `Main set 4x`",
    "count": "`{count}x` is not a valid repeat count; use `1x` to `50x`",
    "no_steps": "`{label}` has no steps; put them right below it, each starting with `- `",
    "no_length": "this step has no duration or distance; add one, e.g. `- 10m 60%`",
    "zero": "this step has zero length; give it a duration such as `30s`",
    "metres": "`{n}m` means {n} minutes; for metres write `{n}mtr` (for time write `{time}`)",
    "metres_short": "`{n}m` means {n} minutes; for metres write `{n}mtr`",
    "long_step": "`{time}` is longer than 8 hours; shorten it (`m` is minutes, metres are `mtr`)",
    "long_total": "the workout lasts {time}, over 8 hours; shorten it or split it in two",
    "ride_pace": "`{t}` is a pace target, which a ride cannot use; use `75%`, `Z2` or `Z2 HR`",
    "swim_power": "`{t}` is a power target, which a swim cannot use; use `Z2 Pace` or `Z2 HR`",
    "run_power": "`{t}` needs a running FTP; set it in Intervals.icu or use `Z2 Pace` or `Z2 HR`",
    "threshold": "`{t}` needs {missing}; set it for {sport} in Intervals.icu or use {instead}",
    "zone": "`Z{zone}` is not one of your zones; use `Z1` to `Z{count}`",
    "no_target": "this step has no target; add one such as {example} so the effort is clear",
    "ramp_one": "`ramp {t}` has one value; give a start and end, e.g. `ramp 50-75%`",
    "reversed": "`{t}` has the larger number first; write `{fixed}`",
    "over_200": "`{t}` is over 200% of FTP; check the number",
    "no_pace": "`{d}` cannot be timed for a {sport}: it has no pace target, no threshold pace is "
    "set and no recent {sport} speed is known; write it as a duration (e.g. `- 2m 105%`) or "
    "give it a pace (e.g. `{d} 5:00/km Pace`)",
    "assumed_speed": "`{d}` and the other distance steps are timed at your recent average "
    "{sport} speed, {speed} (no threshold pace is set): the duration and load are estimates",
    "lap_only": "a `press lap` step needs a duration to count in the plan, e.g. `- 2m press lap`",
}


def say(key: str, **values: object) -> str:
    """A message from the table, filled in."""
    return MESSAGES[key].format(**values)
