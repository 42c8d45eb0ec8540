"""A scripted coach for the fake Ollama: reads fitness, proposes a workout, then explains."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tests.fakes.ollama_server import Reply

WORKOUT_TEXT = ("Warmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 8m 95-100%\n- 4m 55%\n\n"
                "Cooldown\n- 10m 50%")


def today_from(body: dict[str, Any]) -> date:
    system = body["messages"][0]["content"]
    found = re.search(r"Today is \w+ (\d{4}-\d{2}-\d{2})", system)
    return date.fromisoformat(found.group(1)) if found else date.today()


def coach(body: dict[str, Any]) -> Reply:
    """Plan requests: fitness_trend → propose_workout → answer. Anything else: a short answer."""
    messages = body["messages"]
    last = messages[-1]
    if last["role"] == "user":
        if re.search(r"plan|propose|workout", last["content"], re.I):
            return Reply(tool_calls=[{"name": "fitness_trend", "arguments": {"days": 42}}])
        return Reply(content="Ask me to plan a workout and I will look at your form first.")
    if last["role"] == "tool" and last.get("tool_name") == "fitness_trend":
        day = today_from(body) + timedelta(days=2)
        return Reply(content="Your form allows a threshold session. ", tool_calls=[{
            "name": "propose_workout",
            "arguments": {"date": day.isoformat(), "sport": "Ride", "name": "Threshold 3x8",
                          "description": WORKOUT_TEXT}}])
    return Reply(content="I proposed **Threshold 3x8** for you. Confirm it below to put it on "
                         "your calendar.")
