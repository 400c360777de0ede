"""The guidance index against a real Chroma server started with ``chroma run``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers import chroma_server as run_chroma

from playbook.knowledge import GuidanceRetriever, IndexSettings, KnowledgeIndex, load_chunks
from playbook.knowledge.embedder import MiniLMEmbedder

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with run_chroma(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


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
