"""Helpers for tests that start real servers on loopback (Chroma, PostgreSQL)."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chroma_heartbeat(port: int) -> bool:
    """Return True when a Chroma server on ``port`` answers its heartbeat."""
    for path in ("/api/v2/heartbeat", "/api/v1/heartbeat"):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            continue
    return False
