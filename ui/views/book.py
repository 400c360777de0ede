"""Book / batch: load a book of accounts, see row problems, run every brief, rank and export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playbook.ui import charts, services, state
from playbook.ui.components import esc, render_brief
from playbook.ui.exports import DOWNLOADS

DAYFIRST = {"refuse": None, "day first": True, "month first": False}


def _use_sample() -> None:
    st.session_state["book_request_sample"] = True


def _load_section() -> None:
    st.caption(
        "Upload a CRM export (CSV, XLSX or JSON; up to 25 MB). Column names are matched "
        "to the contract's columns; unknown columns are kept, bad values are reported per row."
    )
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    upload = c1.file_uploader(
        "Accounts file", type=["csv", "xlsx", "json"], key="book_upload", max_upload_size=25
    )
    c2.button("Use the sample book", on_click=_use_sample, icon=":material/dataset:")
    how = st.radio(
        "Ambiguous dates like 03/04/2026",
        list(DAYFIRST),
        horizontal=True,
        key="book_dayfirst",
        help="'refuse' reports them as row errors instead of guessing.",
    )
    dayfirst = DAYFIRST[how]
    try:
        if st.session_state.pop("book_request_sample", False):
            state.set_book(services.load_sample_book(dayfirst))
        elif upload is not None and st.session_state.get("book_file") != (upload.file_id, how):
            st.session_state["book_file"] = (upload.file_id, how)
            state.set_book(services.load_upload(upload.name, upload.getvalue(), dayfirst))
    except services.UserFacingError as exc:
        st.error(esc(str(exc)), icon=":material/error:")


def _problems(book: state.BookState) -> None:
    good = len(book.accounts)
    st.markdown(
        f"**{esc(book.source)}**: {good} account(s) loaded · {len(book.errors)} row error(s) · "
        f"{len(book.warnings)} warning(s)"
    )
    if book.errors:
        st.error(
            f"{len(book.errors)} problem(s) in the file. The rows below were kept where possible "
            "(only the bad value is left out) or skipped when the id or name is missing; "
            f"the other {good} account(s) are scored.",
            icon=":material/warning:",
        )
        st.dataframe(services.problem_frame(book.errors), hide_index=True)
    if book.warnings:
        with st.expander(f"{len(book.warnings)} warning(s)"):
            st.dataframe(services.problem_frame(book.warnings), hide_index=True)
    if book.unknown_columns or book.column_map:
        with st.expander("Column mapping"):
            mapped = pd.DataFrame(
                [{"column in file": k, "read as": v} for k, v in book.column_map.items()]
            )
            st.dataframe(mapped, hide_index=True)
            if book.unknown_columns:
                st.caption("Kept but not used: " + ", ".join(esc(c) for c in book.unknown_columns))


def _run(book: state.BookState) -> None:
    settings = state.settings()
    n = len(book.accounts)
    if not st.button(f"Run the batch ({n} accounts)", type="primary", disabled=n == 0,
                     icon=":material/play_arrow:"):
        return
    bar = st.progress(0.0, text=f"Drafting 0 of {n} briefs…")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=f"Drafted {done} of {total} · {name}")

    try:
        services.run_book(book, settings, progress)
    except services.UserFacingError as exc:
        st.error(esc(str(exc)), icon=":material/error:")
        return
    bar.progress(1.0, text=f"Done: {len(book.briefs)} briefs in {book.seconds:.1f} s")


def _filters(frame: pd.DataFrame) -> pd.DataFrame:
    c1, c2, c3, c4 = st.columns(4)
    tiers = c1.multiselect("Tier", sorted(set(frame["tier"]), key=list(charts.TIER_ORDER).index),
                           placeholder="All tiers")
    gate_options = sorted({g for gs in frame["gates"] for g in gs.split(", ") if g}) + ["no gate"]
    gates = c2.multiselect("Gate", gate_options, placeholder="All")
    offers = c3.multiselect("Offer type", sorted({o for o in frame["offer type"] if o}),
                            placeholder="All offers")
    owners = sorted({o for o in frame["owner"] if o})
    chosen_owners = c4.multiselect("Owner", owners, placeholder="All owners", disabled=not owners)
    mask = pd.Series(True, index=frame.index)
    if tiers:
        mask &= frame["tier"].isin(tiers)
    if gates:
        mask &= frame["gates"].apply(
            lambda g: any((x in g.split(", ")) if x != "no gate" else not g for x in gates)
        )
    if offers:
        mask &= frame["offer type"].isin(offers)
    if chosen_owners:
        mask &= frame["owner"].isin(chosen_owners)
    return frame[mask]


def _model_section(book: state.BookState) -> None:
    with st.expander("Expansion likelihood (a model from `playbook calibrate`)",
                     expanded=book.model_source is not None):
        upload = st.file_uploader("Likelihood model (MODEL.json)", type=["json"],
                                  key="book_model")
        if upload is not None and st.session_state.get("book_model_file") != upload.file_id:
            st.session_state["book_model_file"] = upload.file_id
            try:
                services.apply_model_upload(book, upload.name, upload.getvalue())
            except services.UserFacingError as exc:
                st.error(esc(str(exc)), icon=":material/error:")
        if book.model_source is not None:
            st.caption(f"Likelihood from {esc(book.model_source)}, shown next to the score; "
                       "the score, tier, gates and offer stay the method's.")


def _results(book: state.BookState) -> None:
    ranked = book.ranked
    if not ranked:
        return
    st.subheader("Ranked accounts")
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Expansion Priority", sum(a.tier.value == "priority" for a in ranked))
    m2.metric("Expansion Ready", sum(a.tier.value == "ready" for a in ranked))
    m3.metric("Gated (fix first)", sum(any(g.blocking for g in a.gates) for a in ranked))
    m4.metric("Offers to make", sum(a.offer is not None for a in ranked))
    _model_section(book)
    frame = services.ranked_frame(book)
    shown = _filters(frame)
    event = st.dataframe(
        shown,
        hide_index=True,
        key="book_ranked",
        on_select="rerun",
        selection_mode="single-row",
        height=min(35 * (len(shown) + 1) + 3, 560),
        column_order=["#", "account", "score", "likelihood", "tier", "gates", "offer", "trigger",
                      "open on", "owner", "health", "offer type", "id"],
        column_config={
            "#": st.column_config.NumberColumn(width=40),
            "account": st.column_config.TextColumn(width="medium"),
            "offer": st.column_config.TextColumn(width="medium"),
            "score": st.column_config.ProgressColumn(
                "score", min_value=0, max_value=64, format="%d"
            ),
            "health": st.column_config.NumberColumn(format="%d"),
            "likelihood": st.column_config.NumberColumn(
                "likelihood", format="percent", help="Calibrated 90-day expansion likelihood"
            ),
        },
    )
    st.caption(f"{len(shown)} of {len(frame)} account(s) shown. Select a row to open its brief "
               "below.")
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        chosen = str(shown.iloc[rows[0]]["id"])
        if st.session_state.get("book_last_selected") != chosen:
            st.session_state["book_last_selected"] = chosen
            st.session_state["book_pick"] = chosen
    if book.failures:
        st.warning(
            "No brief for: " + ", ".join(f"{esc(k)} ({esc(v)})" for k, v in book.failures.items())
        )
    panels = (
        ("Scores by tier", charts.score_chart, True),
        ("Offers by type", charts.offer_chart, bool(len(charts.offer_frame(ranked)))),
        ("Calendar load per week", charts.calendar_chart,
         bool(len(charts.calendar_frame(ranked)))),
    )
    for column, (title, chart, has_data) in zip(st.columns(3), panels, strict=True):
        with column:
            st.markdown(f"**{title}**")
            if has_data:
                st.altair_chart(chart(ranked), width="stretch")
            else:
                st.caption("Nothing to show yet.")
    st.subheader("Downloads")
    with st.container(horizontal=True):
        for key, (title, file_name, mime) in DOWNLOADS.items():
            st.download_button(
                title, book.exports.get(key, b""), file_name=file_name, mime=mime,
                key=f"dl-{key}", on_click="ignore", icon=":material/download:",
                disabled=not book.exports.get(key),
            )
    st.subheader("One account's brief")
    names = {a.account_id: f"{a.account_name} ({a.account_id})" for a in ranked
             if a.account_id in book.briefs}
    picked = st.selectbox("Account", list(names), format_func=lambda i: names[i], key="book_pick")
    if picked:
        brief = book.briefs[picked]
        render_brief(
            brief, key=f"book-{picked}", markdown=services.markdown_of(brief),
            json_text=services.json_of(brief),
        )


def page() -> None:
    """Render the page."""
    st.title("Book / batch")
    _load_section()
    book = state.book()
    if book is None:
        st.info("Load a book to score it: upload a file or use the sample book.",
                icon=":material/upload_file:")
        return
    _problems(book)
    _run(book)
    _results(book)


page()
