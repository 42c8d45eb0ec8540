"""Confirm → publish exactly once (DESIGN.md "Publishing"), with an audit trail."""

import threading
from datetime import timedelta

import pytest

from coach import workout
from coach.errors import ProposalError
from coach.intervals.client import IntervalsClient
from coach.proposals.create import create_proposal
from coach.proposals.publish import publish_proposal, reject_proposal
from coach.store import Store, now_iso
from coach.testing.intervals_fake import API_KEY
from coach.testing.intervals_samples import SAMPLE_TODAY as TODAY

TEXT = "Warmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 8m 95%\n- 4m 55%\n\n- 10m 50%"
DAY = TODAY + timedelta(days=2)


def propose(store, text=TEXT, day=DAY, sport="Ride", name="Threshold 3x8"):
    check = workout.check(text, sport, workout.Thresholds(ftp=250))
    assert check.ok, check.errors
    return create_proposal(store, athlete_id="i123456", conversation_id=None, day=day,
                           sport=sport, name=name, description=text, check=check)


def test_confirm_creates_exactly_that_workout(synced, intervals, fake_intervals):
    p = propose(synced)
    assert fake_intervals.writes == []                     # proposing sends nothing
    done = publish_proposal(synced, intervals, p.id, TODAY)
    assert done.status == "published" and done.event_id
    assert len(fake_intervals.writes) == 1
    body = fake_intervals.writes[0].body
    assert body == {"category": "WORKOUT", "type": "Ride", "name": "Threshold 3x8",
                    "start_date_local": f"{DAY}T00:00:00", "description": TEXT,
                    "external_id": p.external_id}
    assert [e.id for e in synced.events("i123456", DAY, DAY)] == [done.event_id]


def test_second_confirm_double_click_or_reload_never_duplicates(synced, intervals,
                                                                fake_intervals):
    p = propose(synced)
    first = publish_proposal(synced, intervals, p.id, TODAY)
    for _ in range(3):
        again = publish_proposal(synced, intervals, p.id, TODAY)
        assert again.event_id == first.event_id
    assert len(fake_intervals.writes) == 1 and len(fake_intervals.events) == 1


def test_timeout_after_create_then_retry_adopts_the_existing_event(synced, intervals,
                                                                   fake_intervals):
    p = propose(synced)
    fake_intervals.fail_after_write(504)
    failed = publish_proposal(synced, intervals, p.id, TODAY)
    assert failed.status == "failed" and "server error" in failed.error
    assert len(fake_intervals.events) == 1                 # it did reach Intervals.icu
    retried = publish_proposal(synced, intervals, p.id, TODAY)
    assert retried.status == "published"
    assert retried.event_id == next(iter(fake_intervals.events))
    assert len([w for w in fake_intervals.writes if w.method == "POST"]) == 1
    trail = [a["to_status"] for a in synced.audit_trail(p.id)]
    assert trail == ["pending", "publishing", "failed", "publishing", "published"]
    assert "adopted existing event" in synced.audit_trail(p.id)[-1]["detail"]


def test_failed_publish_keeps_the_error_visible_and_retryable(synced, intervals,
                                                              fake_intervals):
    p = propose(synced)
    fake_intervals.fail_next(403, path_contains="/events")
    failed = publish_proposal(synced, intervals, p.id, TODAY)
    assert failed.status == "failed" and "refused access" in failed.error
    assert API_KEY not in failed.error
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "published"


def test_rejected_proposal_cannot_be_published(synced, intervals, fake_intervals):
    p = propose(synced)
    assert reject_proposal(synced, p.id).status == "rejected"
    with pytest.raises(ProposalError, match="rejected"):
        publish_proposal(synced, intervals, p.id, TODAY)
    assert fake_intervals.writes == []


def test_published_proposal_cannot_be_rejected(synced, intervals):
    p = propose(synced)
    publish_proposal(synced, intervals, p.id, TODAY)
    with pytest.raises(ProposalError, match="published"):
        reject_proposal(synced, p.id)


def test_text_is_revalidated_from_sqlite_before_sending(synced, intervals, fake_intervals):
    p = propose(synced)
    synced.db.execute("UPDATE proposals SET description = ? WHERE id = ?",
                      ["- 400m Z2 Pace", p.id])     # whatever changed it, it is checked again
    failed = publish_proposal(synced, intervals, p.id, TODAY)
    assert failed.status == "failed" and "not valid" in failed.error
    assert fake_intervals.writes == []


def test_a_past_date_is_not_published(synced, intervals, fake_intervals):
    p = propose(synced)
    failed = publish_proposal(synced, intervals, p.id, DAY + timedelta(days=1))
    assert failed.status == "failed" and "has passed" in failed.error
    assert fake_intervals.writes == []


def test_another_window_publishing_right_now_is_left_alone(synced, intervals, fake_intervals):
    p = propose(synced)
    assert synced.transition(p.id, ["pending"], "publishing", "other tab",
                             claimed_at=now_iso())
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "publishing"
    assert fake_intervals.writes == []


def test_a_crashed_publish_is_taken_over_after_a_while(synced, intervals, fake_intervals):
    p = propose(synced)
    synced.transition(p.id, ["pending"], "publishing", "crashed",
                      claimed_at="2020-01-01T00:00:00+00:00")
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "published"
    assert len(fake_intervals.events) == 1


def test_two_tabs_confirming_at_once_make_one_event(synced, fake_intervals, tmp_path):
    p = propose(synced)
    fake_intervals.latency_s = 0.05
    results = []

    def confirm():
        store = Store(tmp_path / "store.db")
        with IntervalsClient("https://intervals.icu", API_KEY,
                             transport=fake_intervals.transport()) as client:
            results.append(publish_proposal(store, client, p.id, TODAY).status)
        store.close()

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fake_intervals.events) == 1
    assert "published" in results
    assert synced.proposal(p.id).status == "published"
