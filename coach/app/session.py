"""The coach session: wires settings, store, calendar, model and agent for the page and CLI,
and acts on proposals (confirm, reject, undo, edit), every write through coach.proposals.publish.

Pages and commands talk to a `Coach` only: it holds the settings resolved once, opens the store
and the calendar, and exposes what they need (no page reaches into the store or a boundary)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import date, datetime
from string import Template
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach import settings as config
from coach.agent.loop import (
    Agent,
    AgentError,
    Compacted,
    Safeguards,
    TurnEvent,
    Usage,
    load_prompt,
)
from coach.agent.tool_texts import athlete_card
from coach.analysis import Availability, Finding, Fuelling
from coach.app.setup import check_model, mark_forgotten
from coach.demo import DEMO_ATHLETE_ID
from coach.demo.calendar import DemoCalendar
from coach.demo.sessions import TIMEZONE as DEMO_TIMEZONE
from coach.errors import CoachError, ProposalError, SettingsError
from coach.intervals.client import IntervalsClient
from coach.intervals.sync import (
    STEP_NAMES,
    Progress,
    SyncHealth,
    SyncReport,
    history_gap,
    sync_history,
)
from coach.messages import Conversation, Message, Role
from coach.model.client import ChatModel, ModelStatus, OllamaChat
from coach.proposals import create as creating
from coach.proposals import fit, seasons
from coach.proposals import publish as publishing
from coach.proposals.check import athlete_thresholds, check_text
from coach.proposals.create import edit_proposal, reject_proposal
from coach.records import Athlete, CalendarSource
from coach.scope import Scope
from coach.settings import Settings, check_model_policy, ensure_data_dir
from coach.store import Proposal, ProposalStatus, Store, SyncState
from coach.workout import Thresholds, WorkoutCheck

log = logging.getLogger(__name__)
NEW_TITLE = "New conversation"
KEY_OWNER = "key_owner"
FIRST_SYNC_ERROR = "first_sync_error"


class Coach:
    """Everything the page and the CLI do; one per script run or command (not cached)."""

    def __init__(self, settings: Settings, *, model: ChatModel | None = None,
                 today: date | None = None, calendar: CalendarSource | None = None) -> None:
        self.settings = settings
        ensure_data_dir(settings.data_dir)
        self.store = Store(settings.db_path)
        self._model, self._today, self._calendar = model, today, calendar
        self._injected_calendar = calendar is not None
        self.safeguards = Safeguards()  # `coach eval --without …` switches some off
        self._writers: dict[str, IntervalsClient] = {}

    def close(self) -> None:
        for calendar in [self._calendar, *self._writers.values()]:
            if calendar is not None:
                calendar.close()
        if self._model is not None:
            self._model.close()
        self.store.close()

    def spawn(self) -> Coach:
        """A Coach for another thread (SQLite connections stay in the thread that made them),
        with the same settings: nothing is resolved again."""
        return Coach(self.settings, today=self._today)

    def __enter__(self) -> Coach:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- who and when -----------------------------------------------------------------------

    @property
    def demo(self) -> bool:
        return self.settings.demo

    @property
    def athlete_id(self) -> str | None:
        """The athlete whose data is shown: the demo athlete, or the synced real one."""
        if self.demo:
            return DEMO_ATHLETE_ID
        if self.settings.athlete_id not in ("", "0"):
            return self.settings.athlete_id
        return self.store.meta(KEY_OWNER)  # learnt at the first sync: whose key this is

    def today(self) -> date:
        """Today in the athlete's time zone (Intervals.icu dates are local dates)."""
        if self._today is not None:
            return self._today
        athlete = self.store.athlete(self.athlete_id) if self.athlete_id else None
        name = athlete.timezone if athlete else DEMO_TIMEZONE if self.demo else None
        try:
            zone = ZoneInfo(name) if name else None
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
        return datetime.now(zone).date() if zone else date.today()

    # --- Intervals.icu ----------------------------------------------------------------------

    @property
    def calendar(self) -> CalendarSource:
        if self._calendar is None:
            if self.demo:
                self._calendar = DemoCalendar(self.store, self.today())
            else:
                assert self.settings.api_key is not None
                self._calendar = IntervalsClient(
                    self.settings.intervals_url, self.settings.api_key.get_secret_value(),
                    self.settings.athlete_id)
        return self._calendar

    def athlete(self) -> Athlete | None:
        """The synced athlete record, or None before the first sync."""
        return self.store.athlete(self.athlete_id) if self.athlete_id else None

    def sync_state(self) -> SyncState | None:
        return self.store.sync_state(self.athlete_id) if self.athlete_id else None

    def scope(self) -> Scope:
        """This athlete's data as of today, for the pages' rows and the plans."""
        return Scope(self.store, self.athlete_id or "", self.today(),
                     availability=self.settings.availability)

    def data_size(self) -> int:
        """Bytes Local Coach keeps in its data folder."""
        folder = self.settings.data_dir
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) \
            if folder.exists() else 0

    def model_details(self) -> dict[str, str]:
        """Installed models as "name · 8.2B · 5.2 GB · tools" for the model picker."""
        return self.model.describe_installed()

    def roster(self) -> list[dict[str, Any]]:
        """The athletes this key can coach, as last loaded (empty in demo mode)."""
        return [] if self.demo else self.store.roster()

    def load_roster(self) -> list[dict[str, Any]]:
        """Ask Intervals.icu which athletes this key can see (a coach's key sees several)."""
        if self.demo:
            return []
        self.store.save_roster([(a.id, a.name) for a in self.calendar.athletes()])
        return self.store.roster()

    def switch_athlete(self, athlete_id: str) -> None:
        """Coach another athlete: their data, conversations and proposals are kept apart."""
        if self.settings.sources.get("athlete_id") == "env":
            raise SettingsError("COACH_ATHLETE_ID is set in the environment; change it there.")
        owner = self.store.meta(KEY_OWNER)
        config.save_settings(self.settings.data_dir,
                             {"athlete_id": "0" if athlete_id == owner else athlete_id})

    def key_changed(self) -> None:
        """A new API key may belong to someone else: learn its owner again at the next sync."""
        self.store.delete_meta(KEY_OWNER)

    def calendar_for(self, athlete_id: str) -> CalendarSource:
        """The calendar a write for this athlete goes to: always addressed by their id, never
        by "0", so a proposal made for one account can never land in another's."""
        if self.demo or self._injected_calendar:
            return self.calendar
        if athlete_id not in self._writers:
            assert self.settings.api_key is not None
            self._writers[athlete_id] = IntervalsClient(
                self.settings.intervals_url, self.settings.api_key.get_secret_value(),
                athlete_id)
        return self._writers[athlete_id]

    def needs_first_sync(self) -> bool:
        athlete_id = self.athlete_id
        return athlete_id is None or not self.store.sync_state(athlete_id).last_sync_at

    def sync(self, progress: Progress | None = None, full: bool = False) -> SyncReport:
        """Sync, then send confirmations that were waiting for Intervals.icu. A failure is a
        CoachError whose message is one sentence; what was read before it is kept."""
        with self.store.errors():
            try:
                report = sync_history(self.calendar, self.store, self.today,
                                      progress=progress, full=full, on_athlete=self._met)
            except CoachError as e:
                if self.athlete_id is None:  # not even the athlete: remember why for the page
                    self.store.set_meta(FIRST_SYNC_ERROR, str(e))
                raise
            self.store.delete_meta(FIRST_SYNC_ERROR)
            sent = publishing.resume_waiting(self.store, self.calendar_for(report.athlete_id),
                                             report.athlete_id, self.today())
        report.notes += [f"{p.name} ({p.day}): {p.status}" for p in sent]
        report.notes += self._retarget_season()
        return report

    def _retarget_season(self) -> list[str]:
        """After a sync the season is re-targeted from what was done; a failure there is a
        note on the report, never a failed sync."""
        try:
            now = seasons.refresh(self.scope(), self.settings.availability or Availability())
        except (CoachError, ValueError) as e:
            log.warning("the season was not re-targeted: %s", e)
            return [f"The season was not re-targeted: {e}"]
        if now is None or not now.laid_out:
            return []
        return [f"Season: {len(now.laid_out)} workouts laid out for the week ahead, from what "
                "you did; confirm them on the Plan page."]

    def _met(self, athlete: Athlete) -> None:
        """The athlete is known as soon as their record is read: from then on the chat and
        every page work on whatever history is stored, even if the rest of the sync fails."""
        if not self.demo and self.settings.athlete_id in ("", "0"):
            self.store.set_meta(KEY_OWNER, athlete.id)

    def sync_health(self) -> SyncHealth:
        """What the last syncs left missing, in sentences, for a banner with Retry."""
        if self.athlete_id is None:
            error = self.store.meta(FIRST_SYNC_ERROR)
            return SyncHealth([], f"The first sync failed: {error}" if error else None)
        state = self.store.sync_state(self.athlete_id)
        missing = []
        if state.last_sync_at is None or not state.full_done:
            missing.append(history_gap(state))
        missing += [f"{STEP_NAMES.get(step, step)} not updated ({error}); it is read again "
                    "at the next sync." for step, error in
                    self.store.pending_steps(self.athlete_id).items()]
        error = f"The last sync failed: {state.last_error}" if state.last_error else None
        return SyncHealth(missing, error)

    # --- the model ----------------------------------------------------------------------

    @property
    def model(self) -> ChatModel:
        if self._model is None:
            check_model_policy(self.settings)
            self._model = OllamaChat(self.settings.ollama_host, self.settings.model,
                                     num_ctx=self.settings.num_ctx, think=self.settings.think)
        return self._model

    def model_warnings(self) -> list[str]:
        """What the athlete should know about where their questions go."""
        warnings = []
        if self.settings.allow_remote_model and not config.is_loopback(self.settings.ollama_host):
            warnings.append(f"The model server {self.settings.ollama_host} is not on this "
                            "machine: your questions and training data are sent to it "
                            "(COACH_ALLOW_REMOTE_MODEL is on).")
        if os.environ.get("OLLAMA_API_KEY"):
            warnings.append("OLLAMA_API_KEY is set in your environment. Local Coach never "
                            "sends it; unset it if you do not use Ollama's cloud.")
        return warnings

    def model_status(self) -> ModelStatus:
        if self._model is not None:
            return self._model.status()
        return check_model(self.settings)

    # --- conversations ------------------------------------------------------------------

    def conversations(self) -> list[Conversation]:
        return self.store.conversations(self.athlete_id or "") if self.athlete_id else []

    def new_conversation(self, title: str = NEW_TITLE) -> int:
        if self.athlete_id is None:
            raise RuntimeError("sync before starting a conversation")
        return self.store.create_conversation(self.athlete_id, title)

    def find_conversations(self, text: str) -> list[Conversation]:
        athlete_id = self.athlete_id
        return self.store.search_conversations(athlete_id, text) if athlete_id else []

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self.store.rename_conversation(conversation_id, _title(title))

    def delete_conversation(self, conversation_id: int) -> None:
        self.store.delete_conversation(conversation_id)

    def conversation(self, conversation_id: int) -> Conversation | None:
        conversation = self.store.conversation(conversation_id)
        return conversation if conversation and conversation.athlete_id == self.athlete_id \
            else None

    def messages(self, conversation_id: int) -> list[Message]:
        return self.store.messages(conversation_id)

    def ask(self, conversation_id: int, text: str, on_event: Callable[[TurnEvent], None],
            stop: threading.Event | None = None) -> None:
        """Save the athlete's message, then let the agent answer (tools, proposals, text)."""
        if self.add_user_message(conversation_id, text):
            self.answer(conversation_id, on_event, stop)

    def add_user_message(self, conversation_id: int, text: str) -> bool:
        text = text.strip()
        conversation = self.store.conversation(conversation_id)
        if conversation is None or not text:
            return False
        self.store.add_message(conversation_id, Message(Role.USER, text))
        if conversation.title == NEW_TITLE:
            self.store.rename_conversation(conversation_id, _title(text))
        return True

    def answer(self, conversation_id: int, on_event: Callable[[TurnEvent], None],
               stop: threading.Event | None = None) -> None:
        """Answer the conversation's last message."""
        conversation = self.store.conversation(conversation_id)
        if conversation is None:
            return
        scope = Scope(self.store, conversation.athlete_id, self.today(), conversation_id,
                          availability=self.settings.availability)
        try:
            agent = Agent(self.model, self.system_prompt(scope), safeguards=self.safeguards)
        except CoachError as e:  # e.g. a model server that is not allowed
            on_event(AgentError(str(e)))
            return
        def report(event: TurnEvent) -> None:
            if isinstance(event, Usage):
                self.store.set_context_use(conversation_id, (event.prompt_tokens or 0) +
                                           (event.output_tokens or 0), event.num_ctx)
            elif isinstance(event, Compacted):
                self.store.set_compacted(conversation_id, event.before_id)
            on_event(event)

        history = self.store.messages(conversation_id)
        marker = conversation.compacted_before
        cut = next((i for i, m in enumerate(history) if marker and (m.id or 0) >= marker), 0)
        agent.run_turn(history, scope, report,
                       save=lambda m, pid: self._save(conversation_id, m, pid), stop=stop,
                       context_used=self.context_use(conversation_id) or 0.0, cut=cut)

    def retry(self, conversation_id: int) -> bool:
        """Answer the last question again, after an answer the model did not manage: its honest
        sentence is replaced by the new answer. False when there is nothing to retry."""
        messages = self.store.messages(conversation_id)
        if not messages or not messages[-1].meta.fallback:
            return False
        self.store.delete_message(messages[-1].id or 0)
        return True

    def context_use(self, conversation_id: int) -> float | None:
        """Share of the model's context window the conversation's last answer filled."""
        conversation = self.store.conversation(conversation_id)
        if conversation is None:
            return None
        tokens, size = conversation.context_tokens, conversation.num_ctx
        return tokens / size if tokens and size else None

    def _save(self, conversation_id: int, message: Message, pid: int | None) -> None:
        self.store.add_message(conversation_id, message, pid)

    def system_prompt(self, scope: Scope) -> str:
        return Template(load_prompt("system.md")).safe_substitute(
            today=scope.today.isoformat(), weekday=f"{scope.today:%A}",
            athlete_card=athlete_card(scope))

    # --- proposals: confirm (publish), reject, undo, edit, check -----------------------------

    def proposal(self, proposal_id: int) -> Proposal | None:
        return self.store.proposal(proposal_id)

    def confirm(self, proposal_id: int, accepted: str = "") -> Proposal:
        """Publish this proposal; `accepted` says what the athlete accepted of the card's
        findings (recorded with it)."""
        writer = self._writer([proposal_id])
        if accepted:
            creating.accept(self.store, proposal_id, accepted)
        return publishing.publish_proposal(self.store, writer, proposal_id, self.today())

    def findings(self, proposal: Proposal) -> list[Finding]:
        """How the proposal fits the athlete's week now (for its card)."""
        if self.athlete_id is None or proposal.status not in (ProposalStatus.PENDING,
                                                              ProposalStatus.FAILED):
            return []
        return fit.findings(self.scope(), proposal)

    def replace_with(self, proposal_id: int, event_id: int) -> Proposal:
        """"Replace it": the proposal takes the planned workout's place, as one update."""
        self._writer([proposal_id])
        change = creating.replace_planned(self.scope(), proposal_id, event_id)
        return self.confirm(change.id, "replace the planned workout")

    def confirm_instead(self, proposal_id: int, other_id: int) -> Proposal:
        """Confirm this proposal and drop the other pending one on the same day."""
        self._writer([proposal_id, other_id])
        creating.drop_for(self.scope(), proposal_id, other_id)
        return self.confirm(proposal_id, f"instead of proposal {other_id}")

    def propose_again(self, proposal_id: int) -> Proposal:
        """An undone, rejected or replaced workout proposed again, checked as a new one."""
        self._writer([proposal_id])
        return creating.propose_again(self.scope(), proposal_id)

    def rename(self, proposal_id: int, name: str) -> None:
        creating.rename_proposal(self.store, proposal_id, name)

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
        return check_text(self.store, proposal.athlete_id, proposal.sport, proposal.description,
                          proposal.duration_s // 60)

    def fuelling(self, proposal: Proposal) -> Fuelling | None:
        """The fuelling rule's sentence for the proposal as it is now (None: strength, or a
        text that cannot be timed)."""
        return creating.fuelling(proposal.sport, self.check_proposal(proposal))

    def set_fuel(self, proposal_id: int, grams: int | None) -> None:
        """The athlete changed the card's carbohydrate target (g/h; 0 or None: none)."""
        creating.set_fuel(self.store, proposal_id, grams)

    def thresholds(self, sport: str) -> Thresholds:
        """The athlete's settings for a sport, with their recent speed in it."""
        return athlete_thresholds(self.store, self.athlete_id or "", sport)

    def proposals(self, statuses: tuple[ProposalStatus, ...] = ()) -> list[Proposal]:
        """This athlete's proposals, oldest first."""
        return self.store.proposals(athlete_id=self.athlete_id or "", statuses=statuses)

    # --- settings and privacy -----------------------------------------------------------

    def save_settings(self, values: dict[str, Any], api_key: str = "") -> None:
        """Save what the settings page changed (never the env-set values); a typed key goes to
        the OS keyring or a private file."""
        config.save_settings(self.settings.data_dir, values)
        if api_key.strip():
            config.save_api_key(self.settings.data_dir, api_key)
            self.key_changed()

    def forget_everything(self) -> config.Forgotten:
        """Delete the local database, saved settings and the stored key; says what it did,
        and what it could not do with how to do it by hand. From then on this process reads
        nothing again (not even with a key in the environment) until `start_again`."""
        self.store.close()
        mark_forgotten(self.settings)
        return config.forget_everything(self.settings.data_dir)


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59].rstrip() + "…"
