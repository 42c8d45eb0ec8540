"""The typed model -> canonical Intervals.icu workout text, and durations for display."""

from __future__ import annotations

from coach.workout.model import DISTANCE_UNITS, Repeat, Section, Step, Target, Workout


def short_number(value: float) -> str:
    """Shortest text that parses back to the same number (`75`, `87.5`)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# How each target kind is written after its number(s); zones also get a `Z` before each number.
_SUFFIX = {
    "power_pct": "%", "watts": "w", "mmp_pct": "% MMP", "hr_pct": "% HR", "lthr_pct": "% LTHR",
    "pace_pct": "% Pace", "power_zone": "", "hr_zone": " HR", "pace_zone": " Pace",
}


def render_duration(seconds: int) -> str:
    """Canonical Intervals.icu duration: `1h2m30s`, `10m`, `30s`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text + (f"{secs}s" if secs else "") or "0s"


def render_pace(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def render_target(target: Target) -> str:
    """Canonical text of a target, e.g. `88-92%`, `Z2 HR`, `7:15-7:00/km Pace`."""
    if target.kind == "freeride":
        return "freeride"
    if target.kind == "pace_abs":
        low, high = render_pace(target.low), render_pace(target.high)
        return f"{low if low == high else f'{low}-{high}'}{target.unit} Pace"
    prefix = "Z" if target.kind.endswith("zone") else ""
    low, high = f"{prefix}{short_number(target.low)}", f"{prefix}{short_number(target.high)}"
    text = (low if low == high else f"{low}-{high}") + _SUFFIX.get(target.kind, "%")
    if target.kind == "mmp_pct" and target.mmp_s is not None:
        text += f" {render_duration(target.mmp_s)}"
    return text


def render_length(step: Step) -> str:
    if step.duration_s is not None:
        return render_duration(step.duration_s)
    if step.distance_m is None:
        return ""
    unit = step.distance_unit or "mtr"
    return f"{short_number(round(step.distance_m / DISTANCE_UNITS[unit], 6))}{unit}"


def render_step(step: Step) -> str:
    """`- [cue] <length> [press lap] [ramp] <target> [cadence] [note]`."""
    cadence = ""
    if step.cadence_low is not None:
        low, high = step.cadence_low, step.cadence_high or step.cadence_low
        cadence = f"{low}rpm" if high == low else f"{low}-{high}rpm"
    parts = [
        step.cue, render_length(step), "press lap" if step.press_lap else "",
        "ramp" if step.ramp else "", render_target(step.target) if step.target else "",
        cadence, step.note,
    ]
    return " ".join(["-", *(part for part in parts if part)])


def repeat_label(repeat: Repeat) -> str:
    return f"{repeat.header} {repeat.count}x".strip()


def render(workout: Workout) -> str:
    """Canonical Intervals.icu text, with blank lines around repeats and between sections."""
    lines: list[str] = []
    previous: Section | Step | Repeat | None = None
    for item in workout.items:
        if lines and (not isinstance(item, Step) or isinstance(previous, Repeat)):
            lines.append("")
        if isinstance(item, Section):
            lines.append(item.text)
        elif isinstance(item, Repeat):
            lines.append(repeat_label(item))
            lines.extend(render_step(step) for step in item.steps)
        else:
            lines.append(render_step(item))
        previous = item
    return "\n".join(lines)


def format_duration(seconds: int) -> str:
    """Human display of a duration: `1h05m`, `45m`, `2m30s`, `30s`."""
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    tail = f"{secs:02d}s" if secs else ""
    if hours:
        return f"{hours}h" + (f"{minutes:02d}m" if minutes or secs else "") + tail
    return f"{minutes}m{tail}" if minutes else f"{secs}s"
