"""Conversations and their messages (`coach.messages`; tool calls and meta kept as JSON)."""

from __future__ import annotations

import json
from typing import Any

from coach.messages import (
    AnswerMeta,
    Conversation,
    Message,
    Role,
    calls_from_json,
    calls_to_json,
)
from coach.store.base import now_iso
from coach.store.proposals import Proposals, ProposalStatus


class Conversations(Proposals):
    """The athlete's conversations with the coach; every message, tool call and result."""

    def create_conversation(self, athlete_id: str, title: str = "New conversation") -> int:
        now = now_iso()
        with self.db.atomic():
            return self._insert("conversations", {"athlete_id": athlete_id, "title": title,
                                                  "created_at": now, "updated_at": now})

    def conversations(self, athlete_id: str) -> list[Conversation]:
        sql = ("SELECT * FROM conversations WHERE athlete_id = ? "
               "ORDER BY updated_at DESC, id DESC")
        return [Conversation.from_row(row) for row in self._all(sql, [athlete_id])]

    def conversation(self, conversation_id: int) -> Conversation | None:
        row = self._one("SELECT * FROM conversations WHERE id = ?", [conversation_id])
        return Conversation.from_row(row) if row else None

    def set_context_use(self, conversation_id: int, tokens: int, num_ctx: int) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE conversations SET context_tokens = ?, num_ctx = ? "
                            "WHERE id = ?", [tokens, num_ctx, conversation_id])

    def set_compacted(self, conversation_id: int, before_id: int | None) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE conversations SET compacted_before = ? WHERE id = ?",
                            [before_id, conversation_id])

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        with self.db.atomic():
            self.db.table("conversations").update(conversation_id, {"title": title})

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete a conversation and its messages; its pending proposals are rejected and the
        notes still waiting on its cards deleted (their card is gone); failed proposals stay on
        the Plan page, published ones on record, kept notes with the athlete's notes."""
        with self.db.atomic():
            for row in self._all("SELECT id FROM proposals WHERE conversation_id = ? AND "
                                 "status = ?", [conversation_id, ProposalStatus.PENDING.value]):
                self.transition(row["id"], [ProposalStatus.PENDING], ProposalStatus.REJECTED,
                                "conversation deleted")
            self.db.execute("DELETE FROM notes WHERE conversation_id = ? AND status = 'proposed'",
                            [conversation_id])
            self.db.execute("DELETE FROM messages WHERE conversation_id = ?", [conversation_id])
            self.db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])

    def search_conversations(self, athlete_id: str, text: str) -> list[Conversation]:
        """Conversations whose title or any message contains `text` (case-insensitive)."""
        like = f"%{text.strip()}%"
        sql = ("SELECT DISTINCT c.* FROM conversations c LEFT JOIN messages m "
               "ON m.conversation_id = c.id WHERE c.athlete_id = ? AND (c.title LIKE ? "
               "OR (m.role IN ('user', 'assistant') AND m.content LIKE ?)) "
               "ORDER BY c.updated_at DESC, c.id DESC")
        return [Conversation.from_row(row) for row in self._all(sql, [athlete_id, like, like])]

    def add_message(self, conversation_id: int, message: Message,
                    proposal_id: int | None = None) -> int:
        """Append a message (its tool calls and meta as JSON); its new id."""
        now = now_iso()
        calls = json.dumps(calls_to_json(message.tool_calls)) if message.tool_calls else None
        meta = json.dumps(message.meta.to_json()) if message.meta.to_json() else None
        # Plain SQL: sqlite-utils' insert/update look the table up first, on every message.
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO messages (conversation_id, role, content, tool_calls, tool_name, "
                "proposal_id, created_at, meta, note_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [conversation_id, message.role.value, message.content, calls,
                 message.tool_name, proposal_id, now, meta, message.note_id])
            self.db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                            [now, conversation_id])
        return int(cursor.lastrowid or 0)

    def messages(self, conversation_id: int) -> list[Message]:
        """Stored messages in order, each with its id and proposal_id."""
        rows = self._all("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                         [conversation_id])
        return [_message(row) for row in rows]

    def delete_message(self, message_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM messages WHERE id = ?", [message_id])


def _message(row: dict[str, Any]) -> Message:
    calls = json.loads(row["tool_calls"]) if row["tool_calls"] else []
    meta = json.loads(row["meta"]) if row.get("meta") else {}
    return Message(Role(row["role"]), row["content"] or "", calls_from_json(calls),
                   row["tool_name"], AnswerMeta.from_json(meta), row["id"],
                   row["conversation_id"], row["proposal_id"], row.get("note_id"))
