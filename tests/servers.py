"""Helpers for tests that start real servers on loopback (Chroma, PostgreSQL)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


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


CHROMA_STARTUP_S = 60.0


@contextlib.contextmanager
def chroma_server(folder: Path) -> Iterator[int]:
    """Run ``chroma run`` on loopback with its data and log in ``folder``; yield its port.

    Fails the test (never skips) when the CLI is missing or the server does not answer;
    the server is always stopped.
    """
    exe = shutil.which("chroma")
    if exe is None:
        pytest.fail("the chroma CLI is not installed (pip install chromadb provides it)")
    port = free_port()
    log_path = folder / "chroma.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                exe,
                "run",
                "--path",
                str(folder / "chroma"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + CHROMA_STARTUP_S
        while not chroma_heartbeat(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.25)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
