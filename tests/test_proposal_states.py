"""The proposal state machine: one table of transitions, enforced by the store."""

import pytest

from coach.store import TRANSITIONS, IllegalTransition, ProposalStatus, Store

S = ProposalStatus


def new_proposal(store: Store) -> int:
    return store.create_proposal(athlete_id="a", conversation_id=None, external_id="x-1",
                                 day="2026-03-14", sport="Ride", name="Ride",
                                 description="- 10m 60%", duration_s=600, load=10.0).id


def test_every_status_has_its_row_and_finished_ones_go_nowhere():
    assert set(TRANSITIONS) == set(ProposalStatus)
    assert TRANSITIONS[S.REJECTED] == TRANSITIONS[S.UNDONE] == frozenset()
    assert all(to in ProposalStatus for targets in TRANSITIONS.values() for to in targets)


def test_a_proposal_starts_pending_and_follows_the_table(store):
    pid = new_proposal(store)
    assert store.proposal(pid).status is S.PENDING
    assert store.transition(pid, [S.PENDING], S.PUBLISHING, "claimed")
    assert store.transition(pid, [S.PUBLISHING], S.PUBLISHED, "created event 1")
    assert [row["to_status"] for row in store.audit_trail(pid)] == [
        "pending", "publishing", "published"]


@pytest.mark.parametrize("start, to", [(S.PENDING, S.PUBLISHED), (S.REJECTED, S.PENDING),
                                       (S.PUBLISHED, S.REJECTED), (S.UNDONE, S.PUBLISHED)])
def test_a_change_the_table_does_not_have_is_refused(store, start, to):
    pid = new_proposal(store)
    with pytest.raises(IllegalTransition):
        store.transition(pid, [start], to, "not allowed")
    assert store.proposal(pid).status is S.PENDING


def test_a_wrong_current_status_changes_nothing(store):
    pid = new_proposal(store)
    assert not store.transition(pid, [S.FAILED], S.PUBLISHING, "not failed")
    assert store.proposal(pid).status is S.PENDING


def test_fields_change_without_a_status_change_and_status_needs_a_transition(store):
    pid = new_proposal(store)
    assert store.update_proposal(pid, [S.PENDING], "edited", description="- 20m 60%")
    assert store.proposal(pid).description == "- 20m 60%"
    with pytest.raises(IllegalTransition):
        store.update_proposal(pid, [S.PENDING], "sneaky", status="published")
