"""The demo athlete: a deterministic year of synthetic training in Intervals.icu's API shapes,
pure (`sessions`: the athlete's week as workout text; `activities`: a done session as the API's
Activity JSON; `generator`: history, wellness, calendar and curves), and a calendar that behaves
like Intervals.icu but keeps confirmed workouts in the local database (`calendar`)."""

from coach.demo.generator import DEMO_ATHLETE_ID, DemoData, curves, generate

__all__ = ["DEMO_ATHLETE_ID", "DemoData", "curves", "generate"]
