"""Entry point of the Streamlit app: page config, navigation and the sidebar.

Run with ``playbook ui`` or ``streamlit run ui/app.py``. The pages live in
``ui/views/``: a folder named ``pages/`` next to this script would make Streamlit
run it as a legacy multipage app instead of honouring ``st.navigation``. Per-user
data lives only in ``st.session_state`` (``ui/state.py``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from playbook.ui import state
from playbook.ui.components import esc

PAGES_DIR = Path(__file__).resolve().parent / "views"


def main() -> None:
    """Configure the page, declare the navigation and run the selected page."""
    st.set_page_config(
        page_title="Expansion Playbook",
        page_icon=":material/trending_up:",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    pages = [
        st.Page(PAGES_DIR / "instant.py", title="Instant brief", icon=":material/bolt:",
                url_path="instant", default=True),
        st.Page(PAGES_DIR / "chat.py", title="Chat", icon=":material/chat:", url_path="chat"),
        st.Page(PAGES_DIR / "book.py", title="Book / batch", icon=":material/table_view:",
                url_path="book"),
        st.Page(PAGES_DIR / "settings.py", title="Settings", icon=":material/settings:",
                url_path="settings"),
    ]
    page = st.navigation(pages, position="sidebar")
    settings = state.settings()
    with st.sidebar:
        st.caption(f"Mode: **{esc(settings.mode_label())}**")
        st.caption(
            f"As of {settings.as_of.isoformat()} · fiscal year starts in month "
            f"{settings.fiscal_start_month} · catalog: {esc(settings.catalog_source)}"
        )
    page.run()


main()
