"""The coach session: wires settings, store, calendar, model and agent for the page and CLI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from string import Template
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach import demo
from coach.agent import Agent, AgentError, Event, load_prompt
from coach.demo_calendar import DemoCalendar
from coach.errors import CoachError
from coach.intervals import CalendarSource, IntervalsClient
from coach.llm import ChatModel, ModelStatus, OllamaChat
from coach.proposals import publish_proposal, reject_proposal
from coach.settings import Settings, check_model_policy, ensure_data_dir
from coach.store import Proposal, Store
from coach.sync import Progress, SyncReport, sync_history
from coach.tools import ToolContext, athlete_card

log = logging.getLogger(__name__)
NEW_TITLE = "New conversation"


class Coach:
    """Everything the page and the CLI do; one per script run or command (not cached)."""

    def __init__(self, settings: Settings, *, model: ChatModel | None = None,
                 today: date | None = None, calendar: CalendarSource | None = None) -> None:
        self.settings = settings
        ensure_data_dir(settings.data_dir)
        self.store = Store(settings.db_path)
        self._model, self._today, self._calendar = model, today, calendar

    def close(self) -> None:
        if isinstance(self._calendar, IntervalsClient):
            self._calendar.close()
        if isinstance(self._model, OllamaChat):
            self._model.close()
        self.store.close()

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
            return demo.DEMO_ATHLETE_ID
        if self.settings.athlete_id not in ("", "0"):
            return self.settings.athlete_id
        row = self.store.db.execute(
            "SELECT id FROM athletes WHERE id != ? ORDER BY synced_at DESC LIMIT 1",
            [demo.DEMO_ATHLETE_ID]).fetchone()
        return row[0] if row else None

    def today(self) -> date:
        """Today in the athlete's time zone (Intervals.icu dates are local dates)."""
        if self._today is not None:
            return self._today
        athlete = self.store.athlete(self.athlete_id) if self.athlete_id else None
        try:
            zone = ZoneInfo(athlete.timezone) if athlete and athlete.timezone else None
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

    def needs_first_sync(self) -> bool:
        athlete_id = self.athlete_id
        return athlete_id is None or not self.store.sync_state(athlete_id).last_sync_at

    def sync(self, progress: Progress | None = None, full: bool = False) -> SyncReport:
        return sync_history(self.calendar, self.store, self.today(), progress=progress,
                            full=full)

    # --- the model ----------------------------------------------------------------------

    @property
    def model(self) -> ChatModel:
        if self._model is None:
            check_model_policy(self.settings)
            self._model = OllamaChat(self.settings.ollama_host, self.settings.model,
                                     num_ctx=self.settings.num_ctx, think=self.settings.think)
        return self._model

    def model_status(self) -> ModelStatus:
        if self._model is not None and not isinstance(self._model, OllamaChat):
            return ModelStatus("scripted", True, [self._model.name], True, ["tools"])
        return check_model(self.settings)

    # --- conversations ------------------------------------------------------------------

    def conversations(self) -> list[dict[str, Any]]:
        return self.store.conversations(self.athlete_id or "") if self.athlete_id else []

    def new_conversation(self) -> int:
        if self.athlete_id is None:
            raise RuntimeError("sync before starting a conversation")
        return self.store.create_conversation(self.athlete_id, NEW_TITLE)

    def messages(self, conversation_id: int) -> list[dict[str, Any]]:
        return self.store.messages(conversation_id)

    def ask(self, conversation_id: int, text: str, on_event: Callable[[Event], None]) -> None:
        """Save the athlete's message, then let the agent answer (tools, proposals, text)."""
        text = text.strip()
        conversation = self.store.conversation(conversation_id)
        if conversation is None or not text:
            return
        self.store.add_message(conversation_id, {"role": "user", "content": text})
        if conversation["title"] == NEW_TITLE:
            self.store.rename_conversation(conversation_id, _title(text))
        ctx = ToolContext(self.store, conversation["athlete_id"], self.today(), conversation_id)
        try:
            agent = Agent(self.model, self.system_prompt(ctx))
        except CoachError as e:  # e.g. a model server that is not allowed
            on_event(AgentError(str(e)))
            return
        agent.run_turn(self.store.messages(conversation_id), ctx, on_event,
                       save=lambda m, pid: self._save(conversation_id, m, pid))

    def _save(self, conversation_id: int, message: dict[str, Any], pid: int | None) -> None:
        self.store.add_message(conversation_id, message, pid)

    def system_prompt(self, ctx: ToolContext) -> str:
        return Template(load_prompt("system.md")).safe_substitute(
            today=ctx.today.isoformat(), weekday=f"{ctx.today:%A}",
            athlete_card=athlete_card(ctx))

    # --- proposals ----------------------------------------------------------------------

    def proposal(self, proposal_id: int) -> Proposal | None:
        return self.store.proposal(proposal_id)

    def confirm(self, proposal_id: int) -> Proposal:
        return publish_proposal(self.store, self.calendar, proposal_id, self.today())

    def reject(self, proposal_id: int) -> Proposal:
        return reject_proposal(self.store, proposal_id)


def check_model(settings: Settings) -> ModelStatus:
    """Is the configured model allowed, reachable, installed and able to call tools? Never
    raises."""
    try:
        check_model_policy(settings)
    except CoachError as e:
        return ModelStatus(settings.ollama_host, False, problem=str(e))
    with OllamaChat(settings.ollama_host, settings.model) as model:
        return model.status()


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59].rstrip() + "…"
