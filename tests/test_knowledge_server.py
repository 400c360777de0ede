"""The guidance index against a real Chroma server started with ``chroma run``."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playbook.knowledge import GuidanceRetriever, IndexSettings, KnowledgeIndex, load_chunks
from playbook.knowledge.embedder import MiniLMEmbedder
from servers import chroma_heartbeat, free_port

pytestmark = pytest.mark.server

STARTUP_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    exe = shutil.which("chroma")
    if exe is None:
        pytest.fail("the chroma CLI is not installed (pip install chromadb provides it)")
    data = tmp_path_factory.mktemp("chroma-server")
    log_path = Path(data) / "server.log"
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not chroma_heartbeat(port):
            if proc.poll() is not None:
                pytest.fail(f"chroma exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"chroma did not answer within {STARTUP_TIMEOUT}s: "
                    f"{log_path.read_text()[-2000:]}"
                )
            time.sleep(0.25)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def test_index_over_http(chroma_server: int) -> None:
    settings = IndexSettings(path=None, host="127.0.0.1", port=chroma_server)
    embedder = MiniLMEmbedder()
    index = KnowledgeIndex(settings, embedder=embedder)
    assert index.ensure() is True
    assert index.ensure() is False
    assert index.collection.count() == len(load_chunks())

    found = index.search("they are using 47 of 50 seats and hiring", k=3)
    assert "offer-capacity" in [r.chunk.guide for r in found]

    filtered = index.search("customer pushed back", k=10, kind="objection", objection="budget")
    assert filtered and all(r.chunk.guide == "objection-budget" for r in filtered)

    again = KnowledgeIndex(settings, embedder=embedder)
    assert again.ensure() is False
    guidance = GuidanceRetriever(again).for_situation("multi_year", "renewal_ahead", ())
    assert guidance.offer is not None and guidance.offer.guide == "offer-multi-year"
    assert guidance.trigger is not None and guidance.trigger.guide == "trigger-renewal-ahead"
