"""Shared helpers of the Streamlit AppTest tests (offline environment, page text, buttons)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "ui" / "app.py"
TIMEOUT = 120
AS_OF = "2026-11-23"


@pytest.fixture(autouse=True)
def _offline_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.getbasetemp() / "playbook-home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("PLAYBOOK_HOME", str(home))
    monkeypatch.setenv("PLAYBOOK_AS_OF", AS_OF)
    monkeypatch.setenv("PLAYBOOK_MODE", "offline")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PLAYBOOK_BASE_URL", "AZURE_OPENAI_ENDPOINT",
                 "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def _app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _texts(at: AppTest) -> str:
    """Every text-like element value on the page, joined (for 'is it shown' checks)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "code", "text", "error", "warning", "success", "info",
                 "title", "subheader"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts).replace("\\", "")


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    for b in (*at.button, *at.get("form_submit_button")):
        if b.label == label:
            return b
    raise AssertionError(f"no button {label!r}: {[b.label for b in at.button]}")
