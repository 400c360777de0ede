"""The agent's one typed configuration object, resolved from explicit arguments, then env.

Every value comes from the explicit argument when one is given; the environment only
fills values that were not given, and never overrides an explicit argument. With no
key and no endpoint anywhere the mode is ``offline``: the same graph and rubric, with
the offline drafter instead of LLM calls.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast, get_args
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from playbook.knowledge import IndexSettings

Mode = Literal["offline", "openai", "compatible", "azure"]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]

MODES: tuple[Mode, ...] = get_args(Mode)
METHODS: tuple[StructuredMethod, ...] = get_args(StructuredMethod)
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_AZURE_API_VERSION = "2024-10-21"
OPENAI_BASE_URL = "https://api.openai.com/v1"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class ConfigError(ValueError):
    """The configuration is inconsistent (e.g. mode openai without a key)."""


@dataclass(frozen=True)
class AgentContext:
    """Everything the graph needs to know about how to run (no secrets in repr)."""

    mode: Mode = "offline"
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False, compare=False)
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    azure_api_version: str = DEFAULT_AZURE_API_VERSION
    structured_output: StructuredMethod = "json_schema"
    temperature: float | None = 0.2
    timeout_s: float = 60.0
    max_retries: int = 2
    max_completion_tokens: int = 2000
    token_budget: int = 20_000
    redact: bool = True
    as_of: dt.date = field(default_factory=dt.date.today)
    fiscal_start_month: int = 1
    catalog_path: Path | None = None
    icp_given: bool = True
    index_path: Path | None = None
    index_host: str | None = None
    index_port: int = 8000
    checkpointer_path: Path | None = None
    interactive: bool = True
    rpm: int | None = None
    tpm: int | None = None
    checkpointer_url: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Validate the combination of values."""
        if self.mode not in MODES:
            raise ConfigError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.structured_output not in METHODS:
            raise ConfigError(
                f"structured output must be one of {METHODS}, got {self.structured_output!r}"
            )
        if not 1 <= self.fiscal_start_month <= 12:
            raise ConfigError(f"fiscal_start_month must be 1-12, got {self.fiscal_start_month}")
        if self.max_retries < 0 or self.token_budget < 0 or self.timeout_s <= 0:
            raise ConfigError("max_retries and token_budget must be >= 0, timeout_s > 0")
        if self.mode == "openai" and not self.api_key:
            raise ConfigError("mode openai needs an API key (OPENAI_API_KEY)")
        if self.mode == "azure" and not (
            self.azure_endpoint and self.api_key and self.azure_deployment
        ):
            raise ConfigError(
                "mode azure needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and a deployment"
            )
        if self.mode == "compatible" and not self.base_url:
            raise ConfigError("mode compatible needs a base URL (PLAYBOOK_BASE_URL)")
        for name, limit in (("rpm", self.rpm), ("tpm", self.tpm)):
            if limit is not None and limit < 1:
                raise ConfigError(f"{name} must be at least 1 (or unset), got {limit}")
        if self.checkpointer_url is not None and not is_postgres_url(self.checkpointer_url):
            raise ConfigError("checkpointer_url must be a postgresql:// URL")

    @property
    def llm_enabled(self) -> bool:
        """True when drafting goes through an LLM."""
        return self.mode != "offline"

    @property
    def key_present(self) -> bool:
        """Whether an API key is configured (the key itself is never exposed)."""
        return bool(self.api_key)

    @property
    def model_label(self) -> str:
        """The model (or Azure deployment) name used for token and cost estimates."""
        return self.model

    def describe(self) -> dict[str, str]:
        """Which mode is active and how, for the CLI and UI; never includes the key."""
        info: dict[str, str] = {"mode": self.mode}
        if self.mode == "offline":
            info["drafter"] = "offline (no LLM calls)"
        else:
            info["model"] = self.model
            info["structured_output"] = self.structured_output
            info["api_key"] = "set" if self.key_present else "not set"
            if self.mode == "azure":
                info["endpoint"] = str(self.azure_endpoint)
                info["deployment"] = str(self.azure_deployment)
                info["api_version"] = self.azure_api_version
            else:
                info["base_url"] = self.base_url or OPENAI_BASE_URL
            info["token_budget"] = str(self.token_budget)
            if self.rpm is not None:
                info["rpm"] = str(self.rpm)
            if self.tpm is not None:
                info["tpm"] = str(self.tpm)
        info["as_of"] = self.as_of.isoformat()
        info["redact"] = "on" if self.redact else "off"
        if self.checkpointer_url is not None:
            info["checkpoints"] = masked_url(self.checkpointer_url)
        elif self.checkpointer_path is not None:
            info["checkpoints"] = str(self.checkpointer_path)
        return info

    def describe_line(self) -> str:
        """`describe()` as one line, e.g. ``mode=openai model=gpt-4o-mini ...``."""
        return " ".join(f"{k}={v}" for k, v in self.describe().items())

    def index_settings(self) -> IndexSettings:
        """Return the knowledge index settings: a server, a local path, or the default."""
        from playbook.knowledge import IndexSettings

        if self.index_host is not None:
            return IndexSettings(path=self.index_path, host=self.index_host, port=self.index_port)
        if self.index_path is not None:
            return IndexSettings(path=self.index_path)
        return IndexSettings.default()

    def with_values(self, **changes: object) -> AgentContext:
        """Return a copy with some values replaced (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def resolve(
        cls,
        *,
        mode: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        azure_api_version: str | None = None,
        structured_output: str | None = None,
        temperature: float | None = None,
        timeout_s: float | None = None,
        max_retries: int | None = None,
        max_completion_tokens: int | None = None,
        token_budget: int | None = None,
        redact: bool | None = None,
        as_of: dt.date | None = None,
        fiscal_start_month: int | None = None,
        catalog_path: Path | str | None = None,
        icp_given: bool | None = None,
        index_path: Path | str | None = None,
        index_host: str | None = None,
        index_port: int | None = None,
        checkpointer_path: Path | str | None = None,
        interactive: bool | None = None,
        rpm: int | None = None,
        tpm: int | None = None,
        checkpointer_url: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> AgentContext:
        """Build a context: explicit arguments first, then env vars for values not given.

        ``PLAYBOOK_CHECKPOINTS`` (like ``checkpointer_path``) may be a file path (SQLite)
        or a ``postgresql://`` URL (the Postgres checkpointer); ``PLAYBOOK_RPM`` and
        ``PLAYBOOK_TPM`` set the per-process rate limits.
        """
        e = _Env(os.environ if env is None else env)
        explicit_mode = _mode_from_explicit(mode, api_key, base_url, azure_endpoint)
        chosen: Mode = explicit_mode or _mode_from_env(e)
        if chosen == "azure":
            key = api_key or e.get("AZURE_OPENAI_API_KEY")
        elif chosen == "compatible":
            key = api_key or e.get("PLAYBOOK_API_KEY") or e.get("OPENAI_API_KEY")
        else:
            key = api_key or e.get("OPENAI_API_KEY")
        url = base_url or e.get("PLAYBOOK_BASE_URL") or e.get("OPENAI_BASE_URL")
        if chosen == "openai" and url is None:
            url = OPENAI_BASE_URL
        store_url, store_path = _checkpoint_store(
            checkpointer_url, checkpointer_path, e.get("PLAYBOOK_CHECKPOINTS")
        )
        return cls(
            mode=chosen,
            model=model or e.get("PLAYBOOK_MODEL") or DEFAULT_MODEL,
            base_url=url if chosen in ("openai", "compatible") else None,
            api_key=key if chosen != "offline" else None,
            azure_endpoint=azure_endpoint or e.get("AZURE_OPENAI_ENDPOINT"),
            azure_deployment=azure_deployment
            or e.get("AZURE_OPENAI_DEPLOYMENT")
            or e.get("AZURE_OPENAI_DEPLOYMENT_NAME")
            or (model or e.get("PLAYBOOK_MODEL")),
            azure_api_version=azure_api_version
            or e.get("AZURE_OPENAI_API_VERSION")
            or DEFAULT_AZURE_API_VERSION,
            structured_output=cast(
                StructuredMethod,
                structured_output or e.get("PLAYBOOK_STRUCTURED_OUTPUT") or "json_schema",
            ),
            temperature=temperature if temperature is not None else e.temperature(),
            timeout_s=timeout_s if timeout_s is not None else e.number("PLAYBOOK_TIMEOUT", 60.0),
            max_retries=max_retries
            if max_retries is not None
            else e.integer("PLAYBOOK_MAX_RETRIES", 2),
            max_completion_tokens=max_completion_tokens
            if max_completion_tokens is not None
            else e.integer("PLAYBOOK_MAX_COMPLETION_TOKENS", 2000),
            token_budget=token_budget
            if token_budget is not None
            else e.integer("PLAYBOOK_TOKEN_BUDGET", 20_000),
            redact=redact if redact is not None else e.flag("PLAYBOOK_REDACT", True),
            as_of=as_of or e.date("PLAYBOOK_AS_OF") or dt.date.today(),
            fiscal_start_month=fiscal_start_month
            if fiscal_start_month is not None
            else e.integer("PLAYBOOK_FISCAL_START_MONTH", 1),
            catalog_path=_path(catalog_path) or _path(e.get("PLAYBOOK_CATALOG")),
            icp_given=icp_given if icp_given is not None else e.flag("PLAYBOOK_ICP_GIVEN", True),
            index_path=_path(index_path) or _path(e.get("PLAYBOOK_INDEX_PATH")),
            index_host=index_host or e.get("PLAYBOOK_CHROMA_HOST"),
            index_port=index_port
            if index_port is not None
            else e.integer("PLAYBOOK_CHROMA_PORT", 8000),
            checkpointer_path=store_path,
            interactive=interactive if interactive is not None else True,
            rpm=rpm if rpm is not None else e.optional_integer("PLAYBOOK_RPM"),
            tpm=tpm if tpm is not None else e.optional_integer("PLAYBOOK_TPM"),
            checkpointer_url=store_url,
        )


def _path(value: Path | str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def is_postgres_url(value: object) -> bool:
    """Return True when ``value`` is a ``postgresql://`` (or ``postgres://``) URL."""
    return isinstance(value, str) and value.strip().lower().startswith(POSTGRES_SCHEMES)


def masked_url(url: str) -> str:
    """Return the URL with its password replaced by ``***`` (for logs and `describe`)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def _checkpoint_store(
    url: str | None, path: Path | str | None, env_value: str | None
) -> tuple[str | None, Path | None]:
    """Return (Postgres URL, SQLite path): explicit arguments first, then the env value."""
    if url:
        return url, None
    if path:
        return (str(path), None) if is_postgres_url(path) else (None, _path(path))
    if env_value:
        return (env_value, None) if is_postgres_url(env_value) else (None, _path(env_value))
    return None, None


def _mode_from_explicit(
    mode: str | None, api_key: str | None, base_url: str | None, azure_endpoint: str | None
) -> Mode | None:
    """Return the mode an explicit argument names or implies (None if none does)."""
    if mode is not None:
        if mode not in MODES:
            raise ConfigError(f"mode must be one of {MODES}, got {mode!r}")
        return mode
    if azure_endpoint:
        return "azure"
    if base_url and base_url.rstrip("/") != OPENAI_BASE_URL:
        return "compatible"
    if api_key or base_url:
        return "openai"
    return None


def _mode_from_env(e: _Env) -> Mode:
    """Return the mode the environment selects; offline without key and endpoint."""
    named = e.get("PLAYBOOK_MODE")
    if named:
        if named not in MODES:
            raise ConfigError(f"PLAYBOOK_MODE must be one of {MODES}, got {named!r}")
        return named
    if e.get("AZURE_OPENAI_ENDPOINT") and e.get("AZURE_OPENAI_API_KEY"):
        return "azure"
    url = e.get("PLAYBOOK_BASE_URL") or e.get("OPENAI_BASE_URL")
    if url and url.rstrip("/") != OPENAI_BASE_URL:
        return "compatible"
    if e.get("OPENAI_API_KEY"):
        return "openai"
    return "offline"


@dataclass(frozen=True)
class _Env:
    """Typed reads of environment variables (empty strings count as unset)."""

    values: Mapping[str, str]

    def get(self, name: str) -> str | None:
        value = self.values.get(name, "").strip()
        return value or None

    def number(self, name: str, default: float) -> float:
        raw = self.get(name)
        try:
            return float(raw) if raw is not None else default
        except ValueError as exc:
            raise ConfigError(f"{name} must be a number, got {raw!r}") from exc

    def temperature(self) -> float | None:
        """``PLAYBOOK_TEMPERATURE`` (default 0.2); ``none`` sends no temperature at all."""
        raw = self.get("PLAYBOOK_TEMPERATURE")
        if raw is not None and raw.lower() == "none":
            return None
        return self.number("PLAYBOOK_TEMPERATURE", 0.2)

    def optional_integer(self, name: str) -> int | None:
        raw = self.get(name)
        try:
            return int(raw) if raw is not None else None
        except ValueError as exc:
            raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc

    def integer(self, name: str, default: int) -> int:
        raw = self.get(name)
        try:
            return int(raw) if raw is not None else default
        except ValueError as exc:
            raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc

    def flag(self, name: str, default: bool) -> bool:
        raw = self.get(name)
        if raw is None:
            return default
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{name} must be 0/1/true/false, got {raw!r}")

    def date(self, name: str) -> dt.date | None:
        raw = self.get(name)
        try:
            return dt.date.fromisoformat(raw) if raw is not None else None
        except ValueError as exc:
            raise ConfigError(f"{name} must be YYYY-MM-DD, got {raw!r}") from exc
