"""The test suite itself cannot reach the internet."""

import socket

import pytest


def test_the_guard_refuses_the_internet() -> None:
    with pytest.raises(OSError, match="network guard"):
        socket.create_connection(("203.0.113.7", 443), timeout=1)
    with pytest.raises(OSError, match="network guard"):
        socket.getaddrinfo("intervals.icu", 443)
