"""What the pages and commands do with proposals: confirm (publish), reject, undo, edit and
check. Part of the Coach session; every write goes through coach.publishing, addressed to the
athlete the proposal was made for."""

from __future__ import annotations

from datetime import date

from coach.errors import ProposalError
from coach.proposals import publish as publishing
from coach.proposals.create import check_text, edit_proposal, reject_proposal
from coach.records import Athlete, CalendarSource, thresholds_for
from coach.store import Proposal, ProposalStatus, Store
from coach.workout import Thresholds, WorkoutCheck


class ProposalActions:
    """Mixed into Coach, which provides the store, the athlete and the calendars."""

    store: Store
    athlete_id: str | None

    def today(self) -> date: ...  # provided by Coach
    def athlete(self) -> Athlete | None: ...
    def calendar_for(self, athlete_id: str) -> CalendarSource: ...

    def proposal(self, proposal_id: int) -> Proposal | None:
        return self.store.proposal(proposal_id)

    def confirm(self, proposal_id: int) -> Proposal:
        return publishing.publish_proposal(self.store, self._writer([proposal_id]),
                                           proposal_id, self.today())

    def confirm_all(self, proposal_ids: list[int]) -> list[Proposal]:
        return publishing.publish_all(self.store, self._writer(proposal_ids), proposal_ids,
                                      self.today())

    def reject(self, proposal_id: int) -> Proposal:
        proposal = self.store.proposal(proposal_id)
        if proposal and proposal.status == ProposalStatus.FAILED:  # it may have been sent
            return publishing.reject_proposal(self.store, proposal_id,
                                              self._writer([proposal_id]))
        return reject_proposal(self.store, proposal_id)

    def reject_all(self, proposal_ids: list[int]) -> None:
        for pid in proposal_ids:
            proposal = self.store.proposal(pid)
            if proposal and proposal.status in (ProposalStatus.PENDING, ProposalStatus.FAILED):
                self.reject(pid)

    def undo(self, proposal_id: int) -> Proposal:
        return publishing.undo_proposal(self.store, self._writer([proposal_id]), proposal_id,
                                        self.today())

    def stale(self, proposal: Proposal) -> bool:
        """A publish whose process died: the card offers Retry instead of waiting forever."""
        return proposal.status == ProposalStatus.PUBLISHING and \
            publishing.claim_is_stale(proposal)

    def _writer(self, proposal_ids: list[int]) -> CalendarSource:
        """The calendar of the athlete these proposals are for, who must be the one shown:
        never write one athlete's proposal to another athlete's calendar."""
        for pid in proposal_ids:
            proposal = self.store.proposal(pid)
            if proposal and proposal.athlete_id != self.athlete_id:
                raise ProposalError(f"Proposal {pid} is for athlete {proposal.athlete_id}, but "
                                    f"Local Coach is now connected to {self.athlete_id}; "
                                    "switch back to that athlete to act on it.")
        return self.calendar_for(self.athlete_id or "0")

    def edit(self, proposal_id: int, text: str) -> WorkoutCheck:
        return edit_proposal(self.store, proposal_id, text)

    def check_proposal(self, proposal: Proposal) -> WorkoutCheck:
        """The proposal's text checked now, with the athlete's settings (for the card)."""
        return check_text(self.store, proposal.athlete_id, proposal.sport, proposal.description)

    def thresholds(self, sport: str) -> Thresholds:
        return thresholds_for(self.athlete(), sport)

    def proposals(self, statuses: tuple[ProposalStatus, ...] = ()) -> list[Proposal]:
        """This athlete's proposals, oldest first."""
        return self.store.proposals(athlete_id=self.athlete_id or "", statuses=statuses)

