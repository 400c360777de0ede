"""Settings: drafting mode and model, API key (session only), offer catalog, dates."""

from __future__ import annotations

import calendar

import pandas as pd
import streamlit as st

from playbook.ui import services, state
from playbook.ui.components import esc

KEY_INPUT = "settings_api_key_input"
MODE_HELP = {
    "offline": "Deterministic drafter: no LLM, no network, instant.",
    "openai": "Drafts the prose with an OpenAI model; facts are still decided by code.",
    "compatible": "Any OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, a gateway...).",
    "azure": "Azure OpenAI: the endpoint goes in Base URL, the deployment in Model.",
}


def _bind(key: str, value: object) -> None:
    """Seed a widget's state from the session settings the first time it is drawn."""
    if key not in st.session_state:
        st.session_state[key] = value


def _take_key() -> None:
    """Move the typed key into the settings and clear the widget, so it is never sent back."""
    typed = (st.session_state.get(KEY_INPUT) or "").strip()
    if typed:
        state.settings().api_key = typed
    st.session_state[KEY_INPUT] = ""


def _forget_key() -> None:
    state.settings().api_key = ""


def _reset_catalog() -> None:
    settings = state.settings()
    settings.catalog_items = None
    settings.catalog_source = "built-in default catalog"


def _mode_section(settings: state.Settings) -> None:
    st.subheader("Drafting mode")
    _bind("settings_mode", settings.mode)
    settings.mode = st.radio(
        "Mode",
        list(state.MODES),
        format_func=lambda m: state.MODES[m],
        key="settings_mode",
        horizontal=True,
        captions=[MODE_HELP[m] for m in state.MODES],
    )
    if settings.mode == "offline":
        return
    c1, c2 = st.columns(2)
    _bind("settings_model", settings.model)
    settings.model = c1.text_input(
        "Model" if settings.mode != "azure" else "Deployment",
        key="settings_model",
        placeholder=services.DEFAULT_MODEL,
    ).strip()
    if settings.mode in ("compatible", "azure"):
        _bind("settings_base_url", settings.base_url)
        settings.base_url = c2.text_input(
            "Base URL" if settings.mode == "compatible" else "Azure endpoint",
            key="settings_base_url",
            placeholder="http://localhost:8000/v1"
            if settings.mode == "compatible"
            else "https://my-resource.openai.azure.com",
        ).strip()
    if settings.mode == "azure":
        _bind("settings_api_version", settings.api_version)
        settings.api_version = c1.text_input(
            "API version", key="settings_api_version", placeholder="2024-10-21"
        ).strip()
    st.text_input(
        "API key",
        type="password",
        key=KEY_INPUT,
        on_change=_take_key,
        help="Kept only in this browser session's memory: never written to disk, never shown "
        "back. Leave empty to use the environment (OPENAI_API_KEY / AZURE_OPENAI_API_KEY).",
        placeholder="Paste a key and press Enter",
    )
    if settings.api_key:
        k1, k2 = st.columns([3, 1])
        k1.success("An API key is set for this session.", icon=":material/key:")
        k2.button("Forget the key", on_click=_forget_key)
    else:
        st.caption("No key entered in this session; the environment's key is used if there is one.")
    problem = services.context_problem(settings)
    if problem:
        st.error(esc(problem), icon=":material/error:")
    else:
        info = services.describe_context(settings)
        st.caption(" · ".join(f"{esc(k)}: {esc(v)}" for k, v in info.items()))


def _dates_section(settings: state.Settings) -> None:
    st.subheader("Dates")
    c1, c2 = st.columns(2)
    _bind("settings_as_of", settings.as_of)
    settings.as_of = c1.date_input(
        "As of", key="settings_as_of", help="Every day window (90/60/120 days) counts from it."
    )
    _bind("settings_fiscal", settings.fiscal_start_month)
    settings.fiscal_start_month = c2.selectbox(
        "Fiscal year starts in",
        list(range(1, 13)),
        format_func=lambda m: calendar.month_name[m],
        key="settings_fiscal",
        help="Decides the quarter-end gate (last 10 days of your fiscal quarter).",
    )


def _catalog_section(settings: state.Settings) -> None:
    st.subheader("Offer catalog")
    st.caption(f"In use: {esc(settings.catalog_source)}")
    upload = st.file_uploader(
        "Replace it for this session (YAML or CSV)",
        type=["yaml", "yml", "csv"],
        key="settings_catalog_upload",
    )
    if upload is not None and st.session_state.get("settings_catalog_file") != upload.file_id:
        st.session_state["settings_catalog_file"] = upload.file_id
        try:
            items = services.load_catalog_upload(upload.name, upload.getvalue())
        except services.UserFacingError as exc:
            st.error(esc(str(exc)), icon=":material/error:")
        else:
            settings.catalog_items = items
            settings.catalog_source = f"{upload.name} ({len(items)} items)"
            st.rerun()
    if settings.catalog_items is not None:
        st.button("Back to the default catalog", on_click=_reset_catalog)
    items = services.catalog(settings)
    frame = pd.DataFrame(
        [
            {
                "id": i.id,
                "name": i.name,
                "type": i.type.value.replace("_", " "),
                "price": i.price,
                "unit": i.price_unit or "",
                "plans": ", ".join(i.for_plans) or "any",
                "features": ", ".join(i.features),
                "answers": ", ".join(i.answers),
                "max discount %": i.max_discount_pct,
            }
            for i in items
        ]
    )
    st.dataframe(frame, hide_index=True, column_config={
        "price": st.column_config.NumberColumn(format="%.0f"),
    })


def page() -> None:
    """Render the page."""
    settings = state.settings()
    st.title("Settings")
    st.caption("These settings last for this browser session only.")
    _mode_section(settings)
    st.divider()
    _dates_section(settings)
    st.divider()
    _catalog_section(settings)


page()
