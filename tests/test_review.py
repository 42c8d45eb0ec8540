"""The weekly review: the week's facts (pure), the section, storing and reopening, the coach's
grounded commentary, the Markdown and PDF exports, and `coach review`."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest

from coach import analysis, display
from coach.analysis import ActivityFacts, CurveFacts, DayFitness, PlannedFacts
from coach.app import reviews as review
from coach.app.session import Coach
from coach.cli import main as cli
from coach.review import export as review_export
from coach.review import text as review_text
from coach.settings import load_settings
from coach.testing.coach_script import coach as scripted_coach
from coach.testing.ollama_server import FakeOllama, closed_port_url
from tests.pages import open_page

MONDAY = date(2026, 11, 23)  # ISO week 2026-W48
TODAY = date(2026, 12, 2)    # the Wednesday after it


def ride(day: int, minutes: float, load: float, *, event: int | None = None,
         zones: tuple[int, ...] = (), aid: str = "") -> ActivityFacts:
    return ActivityFacts(MONDAY + timedelta(days=day), "Ride", minutes * 60, minutes * 500,
                         load, power_zone_secs=zones, paired_event_id=event,
                         compliance_pct=95 if event else None, activity_id=aid or f"a{day}",
                         name="Ride")


def plan(day: int, event: int, minutes: float, load: float) -> PlannedFacts:
    return PlannedFacts(MONDAY + timedelta(days=day), event, "Ride", f"Plan {event}",
                        minutes * 60, load)


def week(**kw) -> analysis.WeekReview:
    values: dict[str, Any] = {
              "activities": [ride(1, 90, 80, event=1, zones=(1800, 2400, 900, 300, 0, 0, 0)),
                             ride(3, 60, 50, zones=(3600,)), ride(5, 30, 20)],
              "planned": [plan(1, 1, 90, 85), plan(4, 2, 60, 55)],
              "fitness": [DayFitness(MONDAY - timedelta(days=1), 60.2, 70.4),
                          DayFitness(MONDAY + timedelta(days=6), 62.6, 64.9)],
              "wellness": {"hrv": [(MONDAY - timedelta(days=d), 70.0 + d % 3) for d in
                                   range(1, 40)] + [(MONDAY + timedelta(days=2), 60.0)]},
              "today": TODAY}
    values.update(kw)
    return analysis.week_review(MONDAY, values["today"], values["activities"],
                                values["planned"], values["fitness"], values["wellness"],
                                values.get("curves", ()))


# --- the facts --------------------------------------------------------------------------------

def test_iso_weeks():
    assert analysis.iso_week(MONDAY) == "2026-W48"
    assert analysis.week_monday("2026-w48") == MONDAY
    assert analysis.last_full_week(TODAY) == "2026-W48"
    assert analysis.last_full_week(MONDAY + timedelta(days=7)) == "2026-W48"
    with pytest.raises(ValueError, match="YYYY-Www"):
        analysis.week_monday("last week")


def test_planned_against_done_per_day_and_totals():
    r = week()
    assert [len(d.planned) for d in r.days] == [0, 1, 0, 0, 1, 0, 0]
    assert [o.status for d in r.days for o in d.planned] == ["done", "missed"]
    assert [len(d.extra) for d in r.days] == [0, 0, 0, 1, 0, 1, 0]
    assert r.totals.hours == pytest.approx(3.0) and r.totals.load == 150
    assert r.totals.sessions == 3 and r.compliance.completed_pct == 50
    assert r.extra_sessions == 2 and not r.partial


def test_zones_fitness_and_wellness_against_the_weeks_before():
    r = week()
    assert (r.zones.below_secs, r.zones.around_secs, r.zones.above_secs) == (7800, 1200, 0)
    assert r.zones.no_zone_data == 1
    assert r.fitness.change("ctl") == pytest.approx(2.4)
    assert r.fitness.change("form") == pytest.approx(7.9)
    hrv = r.wellness[0]
    assert hrv.baseline.recent == 60 and hrv.baseline.recent_days == 1
    assert hrv.baseline.baseline == pytest.approx(71, abs=0.1)   # the 60 days before only
    assert hrv.band.startswith("below normal range")
    assert r.wellness[1].baseline.recent is None and r.wellness[1].band is None


def test_this_week_so_far_has_upcoming_days():
    r = week(today=MONDAY + timedelta(days=2), activities=[ride(1, 90, 80, event=1)])
    assert r.partial
    assert [o.status for d in r.days for o in d.planned] == ["done", "upcoming"]
    text = review_text.section(r)
    assert "This week so far, up to Wed 25 Nov" in text
    assert "| Thu\u00a026\u00a0Nov | — | still to come |" in text  # a day cell keeps one line
    assert "| Wed\u00a025\u00a0Nov | — | nothing yet |" in text


def test_an_empty_week_says_what_is_missing():
    r = week(activities=[], planned=[], fitness=[], wellness={})
    text = review_text.section(r)
    assert "- **Hours:** no activity this week" in text and "- **Distance:** none" in text
    assert "no workouts were planned" in text
    assert "no fitness data (CTL/ATL) for this week" in text
    assert "no zone data" in text
    assert "HRV no data; Resting HR no data; Sleep no data" in text
    facts = review_text.facts(r)
    assert facts["headline"]["Form change"] == display.MISSING and facts["days"] == []
    assert review_export.charts(facts) == []


def test_the_section_writes_every_number_for_people():
    text = review_text.section(week())
    assert text.startswith("## Week 2026-W48: Mon 23 Nov to Sun 29 Nov")
    assert "- **Hours:** 3h in 3 sessions" in text
    assert "| Ride, 3 sessions | 3h | 90.0 km | 150 |" in text
    assert "1 of 2 due sessions done (50%), 1 missed" in text and "2 sessions not planned" in text
    assert "- **Fitness (CTL), Sun 22 Nov to Sun 29 Nov:** 60 to 63 (+3)" in text  # as written
    assert "- **Form:** -10 to -2 (+8)" in text
    assert "2h10m below threshold (Z1-Z2, 87%), 20m around threshold (Z3-Z4, 13%), none " \
        "above threshold (Z5+, 0%); 1 session without zone data" in text
    assert "HRV 60 ms vs 71 ms (below normal range" in text
    assert '| Tue\u00a024\u00a0Nov | Ride "Plan 1", planned 1h30m, load 85: **done** 1h30m, ' \
        'load 80 (100% of the planned time) |' in text


def test_best_efforts_set_this_week_only_when_the_curves_say_by_whom():
    assert week().bests is None
    assert "none recorded" in review_text.section(week())
    curves = [CurveFacts("Ride", "42d", "power", ((60, 400, "a1"), (1200, 280, "a3"))),
              CurveFacts("Ride", "all", "power", ((60, 450, "old"), (1200, 280, "a3"))),
              CurveFacts("Run", "1y", "pace", ((5000, 1200, "a5"), (10000, 2600, "old")))]
    r = week(curves=curves)
    assert [(b.sport, b.label, b.period) for b in r.bests] == [
        ("Ride", "1 min", "42d"), ("Ride", "20 min", "all"), ("Run", "5 km", "1y")]
    text = review_text.section(r)
    assert "Ride 20 min 280 W (best of all time)" in text
    assert "Run 5 km 20m (4:00 /km) (best of the last year)" in text
    older = [CurveFacts("Ride", "all", "power", ((60, 450, "old"), (1200, 300, "old")))]
    assert week(curves=older).bests == ()
    assert "none (no best of the last 6 weeks" in review_text.section(week(curves=older))


# --- stored, reopened, commented ------------------------------------------------------------

def demo_coach(**kw) -> Coach:
    coach = Coach(load_settings(), today=TODAY, **kw)
    if coach.needs_first_sync():
        coach.sync()
    return coach


def test_reviews_are_stored_listed_and_reopened(monkeypatch):
    with demo_coach() as coach:
        first = review.start_review(coach)
        second = review.start_review(coach, "2026-w47")
        assert (first.week, second.week) == ("2026-W48", "2026-W47")
        assert [r.id for r in review.reviews(coach)] == [second.id, first.id]
        again = review.open_review(coach, first.id)
        assert again == first and again.section.startswith("## Week 2026-W48")
        assert coach.conversation(first.conversation_id).title == "Week 2026-W48 review"
        assert review.needs_commentary(coach, first) and review.commentary(coach, first) is None
        coach.store.db.execute("UPDATE reviews SET athlete_id = 'someone' WHERE id = ?",
                               [first.id])
        assert review.open_review(coach, first.id) is None
        with pytest.raises(review.ReviewError, match="has not started yet"):
            review.start_review(coach, "2027-W10")


def test_the_section_matches_the_store():
    with demo_coach() as coach:
        made = review.start_review(coach, "2026-W48")
        acts = coach.store.activities("demo", MONDAY, MONDAY + timedelta(days=6))
        hours = sum(a.moving_time or 0 for a in acts if not a.unavailable) / 3600
        assert made.facts["headline"]["Hours"] == display.hours(hours)
        assert f"- **Hours:** {display.hours(hours)} in {len(acts)} sessions" in made.section


def test_the_commentary_is_grounded_in_the_section(monkeypatch):
    with FakeOllama(script=scripted_coach) as ollama:
        monkeypatch.setenv("OLLAMA_HOST", ollama.url)
        with demo_coach() as coach:
            made = review.start_review(coach)
            review.comment(coach, made, lambda event: None)
            comment = review.commentary(coach, made)
    hours = made.facts["headline"]["Hours"]
    assert hours in comment.text and "Suggestion for next week" in comment.text
    assert comment.ok and comment.grounding.startswith("All ") and not comment.fallback
    assert review.REQUEST in ollama.requests[-1]["body"]["messages"][-1]["content"]


# --- exports --------------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_markdown_and_pdf_hold_the_section_the_charts_and_the_commentary():
    with demo_coach() as coach:
        made = review.start_review(coach)
    comment = review.Commentary("You trained well. Rest on Monday.", "All 2 figures found in "
                                "your data", True, False, [])
    text = review_export.markdown(made, comment)
    assert made.section in text and "You trained well" in text
    assert "_✓ All 2 figures found in your data_" in text
    data = review_export.pdf(made, comment)
    assert data.startswith(b"%PDF")
    words = pdf_text(data)
    assert f"Hours: {made.facts['headline']['Hours']}" in words
    assert f"Load: {made.facts['headline']['Load']}" in words
    assert "Hours per day by sport" in words and "You trained well" in words
    assert "All 2 figures found in your data" in words
    assert sum(len(p.images) for p in pypdf.PdfReader(io.BytesIO(data)).pages) == 2
    without = pdf_text(review_export.pdf(made, None))
    assert "needs the model (Ollama)" in without


def test_pdf_text_outside_latin1_is_written_not_refused():
    assert review_export.latin1("CTL 61 → 63 — ✓ ok … Ωmega") == "CTL 61 -> 63 -  ok ... ?mega"


# --- the command ----------------------------------------------------------------------------

def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def test_coach_review_prints_the_section_and_the_grounded_commentary(monkeypatch,
                                                                      tmp_path: Path):
    with FakeOllama(script=scripted_coach) as ollama:
        monkeypatch.setenv("OLLAMA_HOST", ollama.url)
        code, out = run("review", "--week", "2026-W40", "--markdown", str(tmp_path / "r.md"),
                        "--pdf", str(tmp_path / "r.pdf"))
    assert code == 0, out
    assert "Week 2026-W40: Mon 28 Sep to Sun 4 Oct\n" in out      # terminal text, no "##"
    assert "The coach's commentary:" in out and "Suggestion for next week" in out
    assert "figures found in your data]" in out
    hours = out.split("- Hours: ")[1].split(" ")[0]
    assert f"Hours: {hours}" in pdf_text((tmp_path / "r.pdf").read_bytes())
    assert "Suggestion for next week" in (tmp_path / "r.md").read_text()


def test_coach_review_of_a_week_before_the_history_asks_the_model_nothing(monkeypatch):
    with FakeOllama(script=scripted_coach) as ollama:
        monkeypatch.setenv("OLLAMA_HOST", ollama.url)
        code, out = run("review", "--week", "2020-W10")
    assert code == 0, out
    assert "No data for this week: it is before your first synced day" in out
    assert "The coach's commentary:" not in out and ollama.chat_requests == []


def test_coach_review_without_the_model_still_gives_the_figures(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    code, out = run("review")
    assert code == 0, out
    assert "- Hours: " in out and "The commentary needs the model" in out
    assert "ollama serve" in out
    code, out = run("review", "--week", "soon")
    assert code == 1 and "is not an ISO week" in out


# --- the page -------------------------------------------------------------------------------

def test_the_page_without_the_model_shows_the_figures_and_offers_the_commentary(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    at = open_page("review")
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="review-start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(str(e.value) for kind in ("markdown", "info", "subheader")
                     for e in getattr(at, kind))
    assert "needs the model" in shown and "**Hours:**" in shown
    assert [m.label for m in at.metric][:3] == ["Hours", "Distance", "Load"]
    assert at.button(key=f"comment-{at.session_state['review_id']}").label == \
        "Ask the coach to comment"
