"""The agent's one typed configuration object, resolved from explicit arguments, then env.

Every value comes from the explicit argument when one is given; the environment only
fills values that were not given, and never overrides an explicit argument. With no
key and no endpoint anywhere the mode is ``offline``: the same graph and rubric, with
the offline drafter instead of LLM calls. pydantic-settings reads the environment.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args
from urllib.parse import urlsplit, urlunsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

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


class AgentContext(BaseModel):
    """Everything the graph needs to know about how to run (immutable, no secrets in repr)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Mode = "offline"
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: SecretStr | None = Field(default=None, repr=False)
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    azure_api_version: str = DEFAULT_AZURE_API_VERSION
    structured_output: StructuredMethod = "json_schema"
    temperature: float | None = 0.2
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=2, ge=0)
    max_completion_tokens: int = 2000
    token_budget: int = Field(default=20_000, ge=0)
    redact: bool = True
    as_of: dt.date = Field(default_factory=dt.date.today)
    fiscal_start_month: int = Field(default=1, ge=1, le=12)
    catalog_path: Path | None = None
    likelihood_model: Path | None = None
    icp_given: bool = True
    index_path: Path | None = None
    index_host: str | None = None
    index_port: int = 8000
    checkpointer_path: Path | None = None
    interactive: bool = True
    rpm: int | None = Field(default=None, ge=1)
    tpm: int | None = Field(default=None, ge=1)
    checkpointer_url: str | None = Field(default=None, repr=False)

    def __init__(self, **values: Any) -> None:
        """Validate ``values``; a problem raises `ConfigError` naming the value."""
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise _config_error(exc) from exc

    @model_validator(mode="after")
    def _consistent(self) -> AgentContext:
        """Refuse combinations a mode cannot run with."""
        if self.mode == "openai" and not self.key_present:
            raise ConfigError("mode openai needs an API key (OPENAI_API_KEY)")
        if self.mode == "azure" and not (
            self.azure_endpoint and self.key_present and self.azure_deployment
        ):
            raise ConfigError(
                "mode azure needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and a deployment"
            )
        if self.mode == "compatible" and not self.base_url:
            raise ConfigError("mode compatible needs a base URL (PLAYBOOK_BASE_URL)")
        if self.checkpointer_url is not None and not is_postgres_url(self.checkpointer_url):
            raise ConfigError("checkpointer_url must be a postgresql:// URL")
        return self

    @property
    def llm_enabled(self) -> bool:
        """True when drafting goes through an LLM."""
        return self.mode != "offline"

    @property
    def key_present(self) -> bool:
        """Whether an API key is configured (the key itself is never exposed)."""
        return self.api_key is not None and bool(self.api_key.get_secret_value())

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
        return AgentContext(**{**dict(self), **changes})

    @classmethod
    def resolve(cls, *, env: Mapping[str, str] | None = None, **explicit: Any) -> AgentContext:
        """Build a context: explicit arguments first, then env vars for values not given.

        ``explicit`` takes the context's fields by name; None (or "") means not given, and
        an unknown name is a `ConfigError`. ``env`` replaces ``os.environ`` (tests). An env
        var is read only for a value not given. ``PLAYBOOK_CHECKPOINTS`` (like
        ``checkpointer_path``) may be a file path (SQLite) or a ``postgresql://`` URL (the
        Postgres checkpointer); ``PLAYBOOK_RPM`` and ``PLAYBOOK_TPM`` set the per-process
        rate limits.
        """
        given: dict[str, Any] = {k: v for k, v in explicit.items() if v not in (None, "")}
        named = _mode_from_explicit(given)
        skip = {*given, "mode"} if named else set(given)
        e = _Environment.read(os.environ if env is None else env, skip)
        mode = named or e.implied_mode()
        values: dict[str, Any] = {**e.model_dump(exclude_unset=True, exclude=_RESOLVED), **given}
        url = given.get("base_url") or e.base_url or (OPENAI_BASE_URL if mode == "openai" else None)
        values.update(
            mode=mode,
            base_url=url if mode in ("openai", "compatible") else None,
            api_key=(given.get("api_key") or e.key_for(mode)) if mode != "offline" else None,
            catalog_path=_path(values.get("catalog_path")),
            likelihood_model=_path(values.get("likelihood_model")),
            index_path=_path(values.get("index_path")),
        )
        values.setdefault("azure_deployment", values.get("model"))
        values["checkpointer_url"], values["checkpointer_path"] = _checkpoint_store(
            given.get("checkpointer_url"), given.get("checkpointer_path"), e.checkpoints
        )
        return cls(**values)


def _var(*names: str) -> Any:
    """Declare an optional setting read from the first of the env vars ``names`` set."""
    return Field(default=None, validation_alias=AliasChoices(*names))


class _Variables(EnvSettingsSource):
    """The env source over ``environ``: blank values are unset, ``skip`` fields not read."""

    def __init__(
        self, settings_cls: type[BaseSettings], environ: Mapping[str, str], skip: Collection[str]
    ) -> None:
        self._environ, self._skip = environ, skip
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name: v.strip() for name, v in self._environ.items() if v.strip()}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Return nothing for a skipped field, else what the env source finds."""
        if field_name in self._skip:
            return None, field_name, False
        return super().get_field_value(field, field_name)


class _Environment(BaseSettings):
    """The env vars README documents, typed; fields are named like the context's."""

    model_config = SettingsConfigDict(case_sensitive=True, frozen=True)

    mode: Mode | None = _var("PLAYBOOK_MODE")
    model: str | None = _var("PLAYBOOK_MODEL")
    base_url: str | None = _var("PLAYBOOK_BASE_URL", "OPENAI_BASE_URL")
    openai_key: SecretStr | None = _var("OPENAI_API_KEY")
    compatible_key: SecretStr | None = _var("PLAYBOOK_API_KEY")
    azure_key: SecretStr | None = _var("AZURE_OPENAI_API_KEY")
    azure_endpoint: str | None = _var("AZURE_OPENAI_ENDPOINT")
    azure_deployment: str | None = _var("AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_DEPLOYMENT_NAME")
    azure_api_version: str | None = _var("AZURE_OPENAI_API_VERSION")
    structured_output: StructuredMethod | None = _var("PLAYBOOK_STRUCTURED_OUTPUT")
    temperature: float | None = _var("PLAYBOOK_TEMPERATURE")
    timeout_s: float | None = _var("PLAYBOOK_TIMEOUT")
    max_retries: int | None = _var("PLAYBOOK_MAX_RETRIES")
    max_completion_tokens: int | None = _var("PLAYBOOK_MAX_COMPLETION_TOKENS")
    token_budget: int | None = _var("PLAYBOOK_TOKEN_BUDGET")
    redact: bool | None = _var("PLAYBOOK_REDACT")
    as_of: dt.date | None = _var("PLAYBOOK_AS_OF")
    fiscal_start_month: int | None = _var("PLAYBOOK_FISCAL_START_MONTH")
    catalog_path: str | None = _var("PLAYBOOK_CATALOG")
    likelihood_model: str | None = _var("PLAYBOOK_LIKELIHOOD_MODEL")
    icp_given: bool | None = _var("PLAYBOOK_ICP_GIVEN")
    index_path: str | None = _var("PLAYBOOK_INDEX_PATH")
    index_host: str | None = _var("PLAYBOOK_CHROMA_HOST")
    index_port: int | None = _var("PLAYBOOK_CHROMA_PORT")
    checkpoints: str | None = _var("PLAYBOOK_CHECKPOINTS")
    rpm: int | None = _var("PLAYBOOK_RPM")
    tpm: int | None = _var("PLAYBOOK_TPM")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what `read` passes in: the environment it was given, nothing implicit."""
        return (init_settings,)

    @classmethod
    def read(cls, environ: Mapping[str, str], skip: Collection[str]) -> _Environment:
        """Return the variables set in ``environ`` (not the ``skip`` fields), typed."""
        try:
            return cls(**_Variables(cls, environ, skip)())
        except ValidationError as exc:
            raise _config_error(exc) from exc

    @field_validator("temperature", mode="before")
    @classmethod
    def _no_temperature(cls, value: object) -> object:
        """``PLAYBOOK_TEMPERATURE=none`` sends no temperature at all."""
        return None if isinstance(value, str) and value.lower() == "none" else value

    def implied_mode(self) -> Mode:
        """Return the mode the environment selects; offline without key and endpoint."""
        if self.mode is not None:
            return self.mode
        if self.azure_endpoint and self.azure_key:
            return "azure"
        if self.base_url and self.base_url.rstrip("/") != OPENAI_BASE_URL:
            return "compatible"
        return "openai" if self.openai_key else "offline"

    def key_for(self, mode: str) -> SecretStr | None:
        """Return the API key the environment holds for ``mode``."""
        if mode == "azure":
            return self.azure_key
        if mode == "compatible":
            return self.compatible_key or self.openai_key
        return self.openai_key


_RESOLVED = {"mode", "base_url", "openai_key", "compatible_key", "azure_key", "checkpoints"}

_EXPECTED = {
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_parsing": "a number",
    "bool_parsing": "0/1/true/false",
    "date_parsing": "YYYY-MM-DD",
    "date_from_datetime_parsing": "YYYY-MM-DD",
    "date_from_datetime_inexact": "YYYY-MM-DD",
    "greater_than": "greater than {gt}",
    "greater_than_equal": "at least {ge}",
    "less_than_equal": "at most {le}",
    "literal_error": "one of {expected}",
}


def _config_error(exc: ValidationError) -> ConfigError:
    """Return pydantic's first complaint as a ConfigError naming the setting (or env var)."""
    error = exc.errors(include_url=False)[0]
    context = error.get("ctx", {})
    if isinstance(context.get("error"), ConfigError):
        return ConfigError(str(context["error"]))
    name = ".".join(str(part) for part in error["loc"])
    expected = _EXPECTED.get(error["type"])
    if expected is None:
        return ConfigError(f"{name}: {error['msg']}, got {error['input']!r}")
    return ConfigError(f"{name} must be {expected.format(**context)}, got {error['input']!r}")


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


def _mode_from_explicit(given: Mapping[str, Any]) -> str | None:
    """Return the mode the explicit arguments name or imply (None if none does)."""
    if "mode" in given:
        return str(given["mode"])
    if given.get("azure_endpoint"):
        return "azure"
    base_url = given.get("base_url")
    if base_url and str(base_url).rstrip("/") != OPENAI_BASE_URL:
        return "compatible"
    if given.get("api_key") or base_url:
        return "openai"
    return None
