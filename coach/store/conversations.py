"""Conversations and their messages, in Ollama's message format."""

from __future__ import annotations

import json
from typing import Any

from coach.store.base import now_iso
from coach.store.proposals import Proposals, ProposalStatus


class Conversations(Proposals):
    """The athlete's conversations with the coach; every message, tool call and result."""

    def create_conversation(self, athlete_id: str, title: str = "New conversation") -> int:
        now = now_iso()
        with self.db.atomic():
            table = self.db["conversations"]
            table.insert({"athlete_id": athlete_id, "title": title, "created_at": now,
                          "updated_at": now})
        return int(table.last_pk)

    def conversations(self, athlete_id: str) -> list[dict[str, Any]]:
        sql = ("SELECT * FROM conversations WHERE athlete_id = ? "
               "ORDER BY updated_at DESC, id DESC")
        return self._all(sql, [athlete_id])

    def conversation(self, conversation_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM conversations WHERE id = ?", [conversation_id])

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
            self.db["conversations"].update(conversation_id, {"title": title})

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete a conversation and its messages; its pending proposals are rejected (their
        card is gone); failed ones stay on the Plan page, published ones on record."""
        with self.db.atomic():
            for row in self._all("SELECT id FROM proposals WHERE conversation_id = ? AND "
                                 "status = ?", [conversation_id, ProposalStatus.PENDING.value]):
                self.transition(row["id"], [ProposalStatus.PENDING], ProposalStatus.REJECTED,
                                "conversation deleted")
            self.db.execute("DELETE FROM messages WHERE conversation_id = ?", [conversation_id])
            self.db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])

    def search_conversations(self, athlete_id: str, text: str) -> list[dict[str, Any]]:
        """Conversations whose title or any message contains `text` (case-insensitive)."""
        like = f"%{text.strip()}%"
        sql = ("SELECT DISTINCT c.* FROM conversations c LEFT JOIN messages m "
               "ON m.conversation_id = c.id WHERE c.athlete_id = ? AND (c.title LIKE ? "
               "OR (m.role IN ('user', 'assistant') AND m.content LIKE ?)) "
               "ORDER BY c.updated_at DESC, c.id DESC")
        return self._all(sql, [athlete_id, like, like])

    def add_message(self, conversation_id: int, message: dict[str, Any],
                    proposal_id: int | None = None) -> int:
        """Append an Ollama-format message ({role, content, tool_calls?, tool_name?})."""
        now = now_iso()
        calls = json.dumps(message["tool_calls"]) if message.get("tool_calls") else None
        meta = json.dumps(message["meta"]) if message.get("meta") else None
        # Plain SQL: sqlite-utils' insert/update look the table up first, on every message.
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO messages (conversation_id, role, content, tool_calls, tool_name, "
                "proposal_id, created_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [conversation_id, message["role"], message.get("content") or "", calls,
                 message.get("tool_name"), proposal_id, now, meta])
            self.db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                            [now, conversation_id])
        return int(cursor.lastrowid or 0)

    def messages(self, conversation_id: int) -> list[dict[str, Any]]:
        """Stored messages in order, each with its id and proposal_id."""
        rows = self._all("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                         [conversation_id])
        for row in rows:
            row["tool_calls"] = json.loads(row["tool_calls"]) if row["tool_calls"] else []
            row["meta"] = json.loads(row["meta"]) if row.get("meta") else {}
        return rows

    def set_message_meta(self, message_id: int, **values: Any) -> None:
        """Add to what is kept with a message (e.g. its grounding check)."""
        with self.db.atomic():
            row = self._one("SELECT meta FROM messages WHERE id = ?", [message_id])
            meta = {**(json.loads(row["meta"]) if row and row["meta"] else {}), **values}
            self.db.execute("UPDATE messages SET meta = ? WHERE id = ?",
                            [json.dumps(meta), message_id])

    def delete_message(self, message_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM messages WHERE id = ?", [message_id])

