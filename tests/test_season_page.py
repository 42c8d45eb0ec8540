"""The season on the Plan page (AppTest, the demo athlete): without one, the way to plan one to
the next A race; with one, its phases, targets against done, the forecast, race-day fuelling
and the first 2 weeks' workouts as a plan card; an injured check-in offers a pause whose
return week replaces what was proposed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from coach.app import Coach, season
from coach.settings import load_settings
from tests.pages import no_failure, open_page, texts

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def test_the_plan_page_plans_the_season_and_shows_it(ollama, data_dir):
    at = open_page("plan")
    no_failure(at)
    assert "**No season yet** to Demo Olympic Triathlon" in texts(at)
    at = at.button(key="plan-season").click().run()
    no_failure(at)
    shown = texts(at)
    assert "Season planned" in " ".join(s.value for s in at.success)
    assert "Season to Demo Olympic Triathlon" in shown
    assert "Fitness forecast to race day" in shown and "Race morning: fitness (CTL)" in shown
    assert "Race-day fuelling:" in shown and "g carbohydrate per hour" in shown
    [table] = [t for t in at.table if "phase" in t.value.columns]
    phases = list(table.value["phase"])
    assert phases[-1] == "taper" and any(p.startswith("build") for p in phases)
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    drawn = json.dumps(charts)
    assert "Demo Olympic Triathlon" in drawn and "this week is" in drawn      # the season
    assert "forecast" in drawn                                                # its forecast
    assert "Plan: 2 weeks from" in shown                      # only the weeks laid out
    with Coach(load_settings()) as coach:
        [record] = coach.store.seasons("demo")
        laid = {p.plan_week for p in coach.store.plan_proposals(record.id)}
    assert laid <= {w["monday"] for w in record.weeks[:2]}


def test_an_injured_check_in_offers_a_pause_on_the_plan_page(ollama, data_dir):
    open_page("plan").button(key="plan-season").click().run()
    with Coach(load_settings()) as coach:
        today = coach.today()
        coach.store.save_checkin(athlete_id="demo", day=today.isoformat(),
                                 feelings={"sleepQuality": 3, "soreness": 3, "stress": 1,
                                           "motivation": 3, "injury": 3},
                                 measured={}, verdict="rest", reasons=["ill"])
    at = open_page("plan")
    assert "said you are ill or hurting" in " ".join(w.value for w in at.warning)
    at.date_input(key="season-back").set_value(today + timedelta(days=3))
    at = at.button(key="pause-season").click().run()
    no_failure(at)
    assert "Season paused: a return week from" in " ".join(s.value for s in at.success)
    assert "Paused: Your check" in texts(at)
    assert not at.warning or "Pause the season" not in " ".join(w.value for w in at.warning)
    with Coach(load_settings()) as coach:
        view = season.view(coach)
    assert view is not None and "return" in [w["phase"] for w in view.weeks]
