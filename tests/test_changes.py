"""Changes to planned workouts, undo, read-back checks, edits, offline waiting, lost claims."""

from datetime import timedelta

import pytest

from coach import workout
from coach.errors import ProposalError
from coach.intervals.sync import sync_history
from coach.proposals.create import create_change, create_proposal, edit_proposal
from coach.proposals.publish import publish_proposal, reject_proposal, resume_waiting, undo_proposal
from coach.records import NewEvent
from coach.store import now_iso
from coach.testing.intervals_samples import SAMPLE_TODAY as TODAY

DAY = TODAY + timedelta(days=3)
TEXT = "- 15m 60%\n- 30m 75%\n- 15m 55%"


def planned(intervals, store, day=DAY, text=TEXT):
    """A workout already on the calendar (made in Intervals.icu), synced locally."""
    event = intervals.create_event(NewEvent(start_date_local=f"{day}T00:00:00", type="Ride",
                                            name="Endurance", description=text,
                                            external_id="made-in-intervals"))
    sync_history(intervals, store, TODAY)
    return store.event("i123456", event.id)


def propose(store, text=TEXT, day=DAY):
    check = workout.check(text, "Ride", workout.Thresholds(ftp=250))
    return create_proposal(store, athlete_id="i123456", conversation_id=None, day=day,
                           sport="Ride", name="Threshold", description=text, check=check)


def change(store, event, kind, **kw):
    return create_change(store, athlete_id="i123456", conversation_id=None, event=event,
                         kind=kind, **kw)


def test_move_waits_for_confirm_then_moves_and_undo_moves_back(synced, intervals,
                                                                fake_intervals):
    event = planned(intervals, synced)
    writes = len(fake_intervals.writes)
    p = change(synced, event, "move", new_day=DAY + timedelta(days=1))
    assert len(fake_intervals.writes) == writes and p.before_event["start_date_local"] == \
        f"{DAY}T00:00:00"
    done = publish_proposal(synced, intervals, p.id, TODAY)
    assert done.status == "published"
    assert fake_intervals.events[event.id]["start_date_local"] == \
        f"{DAY + timedelta(days=1)}T00:00:00"
    assert fake_intervals.writes[-1].method == "PUT"
    assert fake_intervals.writes[-1].body == {
        "start_date_local": f"{DAY + timedelta(days=1)}T00:00:00"}
    assert synced.event("i123456", event.id).day == str(DAY + timedelta(days=1))
    undone = undo_proposal(synced, intervals, p.id, TODAY)
    assert undone.status == "undone"
    assert fake_intervals.events[event.id]["start_date_local"] == f"{DAY}T00:00:00"


def test_replace_changes_the_text_and_undo_restores_it(synced, intervals, fake_intervals):
    event = planned(intervals, synced)
    new_text = "- 10m 60%\n\n4x\n- 4m 110%\n- 4m 50%\n\n- 10m 50%"
    check = workout.check(new_text, "Ride", workout.Thresholds(ftp=250))
    p = change(synced, event, "replace", description=new_text, check=check)
    publish_proposal(synced, intervals, p.id, TODAY)
    assert fake_intervals.events[event.id]["description"] == new_text
    assert synced.proposal(p.id).verify_note is None             # same duration on both sides
    undo_proposal(synced, intervals, p.id, TODAY)
    assert fake_intervals.events[event.id]["description"] == TEXT


def test_delete_and_undo_recreates_it_once(synced, intervals, fake_intervals):
    event = planned(intervals, synced)
    p = change(synced, event, "delete")
    publish_proposal(synced, intervals, p.id, TODAY)
    assert event.id not in fake_intervals.events
    assert synced.event("i123456", event.id) is None
    undone = undo_proposal(synced, intervals, p.id, TODAY)
    assert undone.status == "undone"
    restored = [e for e in fake_intervals.events.values() if e["name"] == "Endurance"]
    assert len(restored) == 1 and restored[0]["description"] == TEXT
    assert undo_proposal(synced, intervals, p.id, TODAY).status == "undone"   # idempotent
    assert len([e for e in fake_intervals.events.values() if e["name"] == "Endurance"]) == 1


def test_a_delete_whose_answer_was_lost_is_retried_safely(synced, intervals, fake_intervals):
    event = planned(intervals, synced)
    p = change(synced, event, "delete")
    fake_intervals.fail_after_write(504)     # the delete happens, its answer is lost
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "published"
    assert event.id not in fake_intervals.events
    deletes = [w for w in fake_intervals.writes if w.method == "DELETE"]
    assert len(deletes) == 2                  # the retry found it gone (404): done


def test_undo_of_a_published_workout_deletes_the_event(synced, intervals, fake_intervals):
    p = propose(synced)
    published = publish_proposal(synced, intervals, p.id, TODAY)
    undone = undo_proposal(synced, intervals, p.id, TODAY)
    assert undone.status == "undone" and published.event_id not in fake_intervals.events
    trail = [a["to_status"] for a in synced.audit_trail(p.id)]
    assert trail == ["pending", "publishing", "published", "undoing", "undone"]
    with pytest.raises(ProposalError):
        undo_proposal(synced, intervals, propose(synced).id, TODAY)   # never published


def test_past_workouts_cannot_be_changed(synced, intervals, fake_intervals):
    event = planned(intervals, synced, day=TODAY + timedelta(days=1))
    p = change(synced, event, "delete")
    failed = publish_proposal(synced, intervals, p.id, TODAY + timedelta(days=2))
    assert failed.status == "failed" and "has passed" in failed.error
    assert event.id in fake_intervals.events


def test_a_change_to_a_workout_deleted_meanwhile_fails_clearly(synced, intervals,
                                                               fake_intervals):
    event = planned(intervals, synced)
    p = change(synced, event, "move", new_day=DAY + timedelta(days=1))
    intervals.delete_event(event.id)
    failed = publish_proposal(synced, intervals, p.id, TODAY)
    assert failed.status == "failed" and "no longer on your calendar" in failed.error


def test_read_back_flags_text_intervals_did_not_understand(synced, intervals,
                                                           fake_intervals):
    fake_intervals.planned_seconds = lambda text: 7200          # it thinks 2 h; we say 1 h
    p = publish_proposal(synced, intervals, propose(synced).id, TODAY)
    assert p.status == "published" and "Intervals.icu makes this 2h long" in p.verify_note
    assert "Local Coach computed 1h" in p.verify_note
    fake_intervals.fail_next(200, path_contains="/events/", body={
        "id": p.event_id, "start_date_local": f"{DAY}T00:00:00", "workout_doc": None})
    q = publish_proposal(synced, intervals, propose(synced).id, TODAY)
    assert "did not turn this text into steps" in q.verify_note


def test_edit_keeps_invalid_text_but_confirm_will_not_send_it(synced, intervals,
                                                              fake_intervals):
    p = propose(synced)
    check = edit_proposal(synced, p.id, "- 20m 65%\n- 40m Z3 Pace")
    assert not check.ok and synced.proposal(p.id).description == "- 20m 65%\n- 40m Z3 Pace"
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "failed"
    assert fake_intervals.writes == []
    fixed = edit_proposal(synced, p.id, "- 20m 65%\n- 40m 90%")
    assert fixed.ok and synced.proposal(p.id).duration_s == 3600
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "published"
    assert fake_intervals.writes[-1].body["description"] == "- 20m 65%\n- 40m 90%"
    with pytest.raises(ProposalError, match="can no longer be edited"):
        edit_proposal(synced, p.id, TEXT)


def test_an_oversized_edit_is_refused_and_the_card_keeps_its_text(synced):
    p = propose(synced)
    with pytest.raises(ProposalError, match="over 20,000 characters.*keeps the text it had"):
        edit_proposal(synced, p.id, "- 10m 60%\n" * 3000)
    assert synced.proposal(p.id).description == p.description
    check = edit_proposal(synced, p.id, "- 1m 60%\n" * 400)  # under the size: kept, refused
    assert not check.ok and "400 lines" in check.errors[0].message
    assert synced.proposal(p.id).description.count("\n") == 399


def test_offline_confirmation_waits_and_is_sent_on_the_next_sync(synced, intervals,
                                                                 fake_intervals):
    p = propose(synced)
    fake_intervals.fail_next(503, times=5, headers={"Retry-After": "0"})
    waiting = publish_proposal(synced, intervals, p.id, TODAY)
    assert waiting.status == "failed" and waiting.waiting
    assert "will be sent when Intervals.icu is reachable again" in waiting.error
    sent = resume_waiting(synced, intervals, "i123456", TODAY)
    assert [s.status for s in sent] == ["published"]
    assert resume_waiting(synced, intervals, "i123456", TODAY) == []
    assert len([w for w in fake_intervals.writes if w.method == "POST"]) == 1


def test_a_crashed_publish_is_finished_by_resume(synced, intervals, fake_intervals):
    p = propose(synced)
    synced.transition(p.id, ["pending"], "publishing", "crashed", claim="dead",
                      claimed_at="2020-01-01T00:00:00+00:00")
    assert [s.status for s in resume_waiting(synced, intervals, "i123456", TODAY)] == [
        "published"]


def test_a_slow_publish_that_lost_its_claim_cannot_overwrite_or_duplicate(synced, intervals,
                                                                         fake_intervals):
    p = propose(synced)

    class Slow:
        """A calendar where, during our create, another window takes over and publishes."""

        def __getattr__(self, name):
            return getattr(intervals, name)

        def create_event(self, event):
            created = intervals.create_event(event)
            synced.db.execute("UPDATE proposals SET claim = 'other' WHERE id = ?", [p.id])
            synced.transition(p.id, ["publishing"], "published", "other window",
                              event_id=created.id + 1000, claim=None)
            return created

    publish_proposal(synced, Slow(), p.id, TODAY)
    final = synced.proposal(p.id)
    assert final.status == "published" and final.event_id >= 1000
    assert fake_intervals.events == {}        # our late duplicate was removed again


def test_reject_after_a_lost_answer_removes_what_reached_the_calendar(synced, intervals,
                                                                      fake_intervals):
    p = propose(synced)
    fake_intervals.fail_after_write(504)
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "failed"
    assert len(fake_intervals.events) == 1
    assert reject_proposal(synced, p.id, intervals).status == "rejected"
    assert fake_intervals.events == {}


def test_confirm_all_with_one_failure_keeps_the_others(synced, intervals, fake_intervals):
    from coach.proposals.publish import publish_all

    plan = [propose(synced, day=DAY + timedelta(days=i)) for i in range(3)]
    reject_proposal(synced, plan[2].id)                       # rejected ones are skipped
    fake_intervals.fail_next(422, path_contains="/events", times=1,
                             body={"status": 422, "error": "Name is too long"})
    results = publish_all(synced, intervals, [p.id for p in plan], TODAY)
    assert [r.status for r in results] == ["failed", "published", "rejected"]
    assert "Name is too long" in results[0].error and not results[0].waiting
    assert len([w for w in fake_intervals.writes if w.method == "POST"]) == 1


def test_a_reject_that_fails_offline_is_never_sent_later(synced, intervals, fake_intervals):
    p = propose(synced)
    fake_intervals.fail_next(503, times=5, headers={"Retry-After": "0"})
    assert publish_proposal(synced, intervals, p.id, TODAY).waiting    # waiting to be sent
    fake_intervals.fail_next(503, times=5, headers={"Retry-After": "0"})
    still = reject_proposal(synced, p.id, intervals)                   # offline: not checked
    assert still.status == "failed" and not still.waiting
    fake_intervals.heal()
    assert resume_waiting(synced, intervals, "i123456", TODAY) == []   # nothing resent
    assert fake_intervals.writes == []


def test_an_edit_after_a_lost_answer_is_what_ends_on_the_calendar(synced, intervals,
                                                                  fake_intervals):
    p = propose(synced)
    fake_intervals.fail_after_write(504)
    failed = publish_proposal(synced, intervals, p.id, TODAY)   # landed with the old text
    assert failed.status == "failed"
    edit_proposal(synced, p.id, "- 20m 60%\n- 20m 70%")
    assert not synced.proposal(p.id).waiting                      # an edit needs a Confirm
    done = publish_proposal(synced, intervals, p.id, TODAY)
    assert done.status == "published"
    assert fake_intervals.events[done.event_id]["description"] == "- 20m 60%\n- 20m 70%"
    assert len([w for w in fake_intervals.writes if w.method == "POST"]) == 1


def test_an_undo_interrupted_by_a_crash_is_finished(synced, intervals, fake_intervals):
    p = propose(synced)
    published = publish_proposal(synced, intervals, p.id, TODAY)
    synced.transition(p.id, ["published"], "undoing", "crashed", claim="999999:dead",
                      claimed_at=now_iso())
    assert [u.status for u in resume_waiting(synced, intervals, "i123456", TODAY)] == [
        "undone"]
    assert published.event_id not in fake_intervals.events


def test_replacing_a_virtual_ride_checks_it_as_a_ride(synced, intervals):
    event = intervals.create_event(NewEvent(start_date_local=f"{DAY}T00:00:00",
                                            type="VirtualRide", name="Zwift", description=TEXT,
                                            external_id="z"))
    text = "- 10m 60%\n- 30m 88%"
    p = change(synced, event, "replace", description=text,
               check=workout.check(text, "Ride", workout.Thresholds(ftp=250)))
    assert p.sport == "Ride"
    assert publish_proposal(synced, intervals, p.id, TODAY).status == "published"


def test_one_check_says_what_is_wrong_to_the_athlete_and_how_to_fix_it_to_the_model(
        synced, intervals):
    """The tool and the Plan page share check_change: a typed error, read two ways."""
    from coach.proposals.check import ProposalInvalid, check_change
    from coach.scope import Scope
    from coach.store import ProposalKind

    event = planned(intervals, synced)
    scope = Scope(synced, "i123456", TODAY)
    with pytest.raises(ProposalInvalid) as bad_text:
        check_change(scope, event.id, ProposalKind.REPLACE, None, "- 10m 60%\n- fast please")
    assert str(bad_text.value).startswith("the workout text has problems:\nline 2:")
    assert bad_text.value.for_model("propose_change").startswith(
        "the workout text has problems, fix them and call propose_change again:\nline 2:")
    with pytest.raises(ProposalInvalid) as unknown:
        check_change(scope, 999, ProposalKind.DELETE, None)
    assert str(unknown.value) == "no planned workout with id 999"
    assert unknown.value.for_model("propose_change") == \
        "no planned workout with id 999; call planned_workouts to see the ids."
