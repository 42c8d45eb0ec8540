"""What the proposal check found, said to the model: each finding as the athlete will read it
on the card, and what the model can do about it."""

from __future__ import annotations

from collections.abc import Sequence

from coach.analysis import Concern, Finding

ADVICE = {
    Concern.SAME_DAY: "if the athlete did not ask for two sessions that day, propose another "
    "day, or call propose_change to replace the planned workout (its event_id) instead",
    Concern.READINESS: "make it easier (Z1-Z2) or shorter, or move it, unless the athlete "
    "asked for it as it is",
    Concern.DAY_OFF: "propose another day",
    Concern.DAY_HOURS: "make it shorter or propose another day",
    Concern.LONGEST: "make it shorter",
    Concern.WEEK_LOAD: "make it shorter or easier",
    Concern.RAMP: "make it easier or move it",
    Concern.RACE_WEEK: "keep it short and easy: a taper",
    Concern.NOTE: "respect the athlete's note",
}


def findings_text(findings: list[Finding], superseded: Sequence[int] = ()) -> str:
    """Lines to add under a proposal's result; "" when the week has nothing to say."""
    lines = [f"It takes the place of proposal {pid} (the same session, proposed before)."
             for pid in superseded]
    if findings:
        lines.append("Checked against the athlete's week; the card shows the athlete:")
        for f in findings:
            other = f" [event_id {f.other.event_id}]" if f.other and f.other.event_id else ""
            lines.append(f"- {f.message}{other} To fix: {ADVICE[f.concern]}.")
        lines.append("Say this in your answer; the athlete decides on the card.")
    return "\n".join(lines)
