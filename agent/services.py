"""What the nodes use besides the state, given to them by the runtime context.

`Services` is the graph's ``context_schema``: every run is invoked with one, and each
node reads it from ``runtime.context``. Services are injected (tests pass fakes) or
built lazily from the settings on first use, once, under a lock: the chat client,
the knowledge retriever, the catalog and the rate limiter. The notes extractor, the
offline drafter and the rubric are pure functions of the lower layers, used unless
a replacement is injected. Nothing here owns the graph or the checkpointer.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from playbook.agent.context import AgentContext
from playbook.knowledge.guidance import DEFAULT_OBJECTIONS, Guidance
from playbook.tools.models.account import CatalogItem
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import Brief
from playbook.tools.models.findings import NoteFindings
from playbook.tools.rubric.report import RubricReport

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Collection

    from langchain_core.language_models import BaseChatModel

    from playbook.agent.llm.client import ChatClient
    from playbook.agent.llm.ratelimit import Pace
    from playbook.tools.calibrate.model import LikelihoodModel


SPARE_THREADS = 0.5
"""Threads beyond the LLM slots, as a share of them: while a slot's call is out, a spare
thread scores, drafts, checks and writes another account, so the slots stay busy."""


def threads_for(slots: int) -> int:
    """Return the threads that keep ``slots`` LLM calls in flight (spares do the CPU work)."""
    return slots + math.ceil(slots * SPARE_THREADS)


class Retriever(Protocol):
    """What the retrieve node needs from the knowledge layer."""

    def for_situation(
        self,
        offer_type: str | None,
        trigger_type: str | None,
        gates: tuple[str, ...] = (),
        objections: tuple[str, ...] = DEFAULT_OBJECTIONS,
        concerns: tuple[str, ...] = (),
    ) -> Guidance:
        """Return the guidance chunks for one account situation."""
        ...


class Extractor(Protocol):
    """The notes extractor: findings, each with its verbatim quote."""

    def __call__(
        self, text: str, *, as_of: dt.date, notes_date: dt.date | None = None
    ) -> NoteFindings:
        """Return what the notes say."""
        ...


class Drafter(Protocol):
    """The offline drafter: a complete brief from the decided facts and the guidance."""

    def __call__(
        self,
        facts: Assessment,
        guidance: Guidance,
        *,
        notes: str | None = None,
        avoid: Sequence[str] = (),
    ) -> Brief:
        """Return the brief."""
        ...


class Checker(Protocol):
    """The rubric: code checks of one brief."""

    def __call__(
        self,
        brief: Brief,
        *,
        catalog: Sequence[CatalogItem],
        retrieved_ids: Collection[str],
        notes: str | None = None,
    ) -> RubricReport:
        """Return the rubric report."""
        ...


def _default_extractor() -> Extractor:
    from playbook.tools.notes.extractor import extract_findings

    return extract_findings


def _default_drafter() -> Drafter:
    from playbook.agent.drafter import draft_offline

    return draft_offline


def _default_checker() -> Checker:
    from playbook.tools.rubric import check_brief

    return check_brief


_LLM_SETTINGS = (
    "mode", "model", "base_url", "api_key", "azure_endpoint", "azure_deployment",
    "azure_api_version", "structured_output", "temperature", "timeout_s", "max_retries",
    "max_completion_tokens", "rpm", "tpm",
)  # fmt: skip


@dataclass
class Services:
    """Everything a graph run uses besides its state (the graph's runtime context)."""

    settings: AgentContext
    retriever: Retriever | None = None
    chat_model: BaseChatModel | None = None
    extractor: Extractor = field(default_factory=_default_extractor)
    drafter: Drafter = field(default_factory=_default_drafter)
    checker: Checker = field(default_factory=_default_checker)
    catalog: Sequence[CatalogItem] | None = None
    limiter: Pace | None = None
    llm_slots: threading.BoundedSemaphore | None = None
    """Caps the LLM calls in flight at once when a batch runs more threads than calls."""
    llm_tasks: frozenset[str] | None = None
    """The LLM tasks (extract, draft, revise) runs may call; None: all of them."""
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _chat: ChatClient | None = field(default=None, repr=False)
    _loaded_catalog: list[CatalogItem] | None = field(default=None, repr=False)
    _likelihood: LikelihoodModel | None = field(default=None, repr=False)

    def with_settings(self, settings: AgentContext | None = None, **changes: Any) -> Services:
        """Return services for other settings (e.g. another as-of date), sharing what is built.

        ``settings`` replaces the settings whole, ``changes`` some of their values. The
        retriever and catalog are shared; the chat client and limiter only when no LLM
        setting changed.
        """
        settings = (settings or self.settings).with_values(**changes)
        keep_chat = all(
            getattr(settings, key) == getattr(self.settings, key) for key in _LLM_SETTINGS
        )
        return dataclasses.replace(
            self,
            settings=settings,
            _lock=threading.RLock(),
            _chat=self._chat if keep_chat else None,
            limiter=self.limiter if keep_chat else None,
        )

    @property
    def catalog_given(self) -> bool:
        """True when a catalog was supplied (injected or by path), not the built-in one."""
        return self.catalog is not None or self.settings.catalog_path is not None

    def get_catalog(self) -> list[CatalogItem]:
        """Return the customer's catalog, else the built-in default."""
        if self.catalog is not None:
            return list(self.catalog)
        with self._lock:
            if self._loaded_catalog is None:
                from playbook.tools.book import catalog_items

                self._loaded_catalog = catalog_items(self.settings.catalog_path)
            return list(self._loaded_catalog)

    def get_likelihood_model(self) -> LikelihoodModel | None:
        """Return the settings' likelihood model (read once), or None when none is set.

        Raises:
            ModelError: the model file cannot be used.
        """
        path = self.settings.likelihood_model
        if path is None:
            return None
        with self._lock:
            if self._likelihood is None:
                from playbook.tools.calibrate.model import LikelihoodModel

                self._likelihood = LikelihoodModel.load(path)
            return self._likelihood

    def get_retriever(self) -> Retriever:
        """Return the guidance retriever (the local or server Chroma index by default)."""
        with self._lock:
            if self.retriever is None:
                from playbook.knowledge import KnowledgeBase

                self.retriever = KnowledgeBase(self.settings.index_settings()).retriever
            return self.retriever

    def guidance_for(self, facts: Assessment) -> Guidance:
        """Return the guidance for an assessed account's situation."""
        return self.get_retriever().for_situation(
            facts.offer.type.value if facts.offer else None,
            facts.trigger.type.value if facts.trigger else None,
            tuple(g.name.value for g in facts.gates),
            DEFAULT_OBJECTIONS,
            tuple(dict.fromkeys(c.kind.value for c in facts.concerns)),
        )

    def get_limiter(self) -> Pace | None:
        """Return the process-wide rate limiter for this endpoint and model (LLM modes).

        Shared with every other `Services` of the process with the same limits,
        endpoint and model. Without limits it only spreads 429 pauses to every worker.
        None offline.
        """
        with self._lock:
            if self.limiter is None and self.settings.llm_enabled:
                from playbook.agent.llm.ratelimit import shared_limiter

                s = self.settings
                endpoint = s.azure_endpoint or s.base_url or ""
                scope = f"{s.mode}|{endpoint}|{s.azure_deployment or s.model}"
                self.limiter = shared_limiter(s.rpm, s.tpm, scope=scope)
            return self.limiter

    def get_chat(self) -> ChatClient:
        """Return the chat client for LLM modes, paced by the limiter (built on first use).

        An injected ``chat_model`` is wrapped as it is; otherwise the model is built
        from the settings with an HTTP client that reports 429s to the limiter.
        """
        with self._lock:
            if self._chat is None:
                from playbook.agent.llm.client import ChatClient, build_chat_client

                limiter = self.get_limiter()
                if self.chat_model is not None:
                    self._chat = ChatClient(self.chat_model, limiter=limiter)
                else:
                    self._chat = build_chat_client(self.settings, limiter=limiter)
            return self._chat
