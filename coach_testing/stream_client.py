"""Streamlit's websocket protocol spoken by hand, as an attacking page would: open
`/_stcore/stream` with any Host and Origin, ask for a page, read its frames, press a button.
Used to show that only the app's own page can read or act."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect


@dataclass
class Stream:
    """An open connection and every frame it received."""

    connection: ClientConnection | None
    refused: str | None = None
    frames: list[ForwardMsg] = field(default_factory=list)
    page_hash: str = ""

    def text(self) -> str:
        """Everything the frames carried, as text (names, labels, values)."""
        return "\n".join(str(frame) for frame in self.frames)

    def render(self, query: str = "", page: str = "", timeout_s: float = 60) -> list[ForwardMsg]:
        """Run the page's script once; the frames of that run."""
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page
        return self._run(message, timeout_s)

    def click(self, widget_id: str, query: str = "", timeout_s: float = 60) -> list[ForwardMsg]:
        """Press the button `widget_id` (a trigger, as the browser sends it)."""
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = self.page_hash
        message.rerun_script.widget_states.widgets.add(id=widget_id, trigger_value=True)
        return self._run(message, timeout_s)

    def confirm_button(self) -> str | None:
        """The id of a Confirm button drawn (key `confirm-N`), if any."""
        for frame in self.frames:
            for line in str(frame).splitlines():
                value = line.strip().removeprefix('id: "').rstrip('"')
                if value.startswith("$$ID-") and value.rsplit("-", 2)[-2:-1] == ["confirm"]:
                    return value
        return None

    def _run(self, message: BackMsg, timeout_s: float) -> list[ForwardMsg]:
        if self.connection is None:
            return []
        self.connection.send(message.SerializeToString())
        received: list[ForwardMsg] = []
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                data = self.connection.recv(timeout=max(0.1, deadline - time.monotonic()))
            except (TimeoutError, OSError):
                break
            frame = ForwardMsg()
            frame.ParseFromString(data if isinstance(data, bytes) else data.encode())
            received.append(frame)
            if frame.WhichOneof("type") == "new_session":
                self.page_hash = frame.new_session.page_script_hash or self.page_hash
            if frame.WhichOneof("type") == "script_finished":
                break
        self.frames.extend(received)
        return received


@contextmanager
def stream(port: int, host: str | None = None, origin: str | None = None) -> Iterator[Stream]:
    """A websocket to the app on 127.0.0.1:`port`, sent as `host` (default its own) with
    `origin` (or none); a refused handshake gives a Stream that says why and reads nothing."""
    host = host or f"127.0.0.1:{port}"
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        with connect(f"ws://{host}/_stcore/stream", sock=sock, origin=origin,  # type: ignore[arg-type]
                     subprotocols=["streamlit"], open_timeout=10,  # type: ignore[list-item]
                     max_size=None) as connection:
            yield Stream(connection)
    except InvalidStatus as e:
        yield Stream(None, refused=f"HTTP {e.response.status_code}")
    finally:
        sock.close()
