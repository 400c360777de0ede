"""Batch downloads: a zip of Markdown briefs plus the portfolio files, built in memory.

The portfolio files come from `tools.portfolio.PortfolioWriter`, written into a
temporary folder that is read back and removed at once; nothing stays on disk.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from playbook.tools.models.assessment import Assessment
from playbook.tools.output.portfolio import PortfolioWriter

DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "briefs_zip": ("All briefs (.zip of Markdown)", "briefs.zip", "application/zip"),
    "ranked": ("Ranked list (.csv)", "ranked.csv", "text/csv"),
    "calendar_ics": ("Calendar (.ics)", "calendar.ics", "text/calendar"),
    "offer_map": ("Offer map (.md)", "offer_map.md", "text/markdown"),
    "trigger_log": ("Trigger log (.csv)", "trigger_log.csv", "text/csv"),
    "calendar_csv": ("Calendar (.csv)", "calendar.csv", "text/csv"),
}


def safe_name(account_id: str) -> str:
    """Make an account id safe for a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", account_id).strip("-.") or "account"


def build_exports(
    ranked: Sequence[Assessment],
    briefs: Mapping[str, Any],
    render_markdown: Callable[[Any], str],
) -> dict[str, bytes]:
    """Every batch download, keyed like `DOWNLOADS`."""
    with tempfile.TemporaryDirectory(prefix="playbook-ui-") as tmp:
        out = Path(tmp)
        writer = PortfolioWriter(out)
        for assessment in ranked:
            link = None
            if assessment.account_id in briefs:
                link = f"briefs/{safe_name(assessment.account_id)}.md"
            writer.add(assessment, link)
        files = writer.finish()
        data = {name: path.read_bytes() for name, path in files.items()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.md", data.get("index", b""))
        archive.writestr("offer_map.md", data["offer_map"])
        archive.writestr("ranked.csv", data["ranked"])
        for account_id, brief in briefs.items():
            archive.writestr(f"briefs/{safe_name(account_id)}.md", render_markdown(brief))
    exports = {"briefs_zip": buf.getvalue()}
    for key in ("ranked", "calendar_ics", "offer_map", "trigger_log", "calendar_csv"):
        exports[key] = data[key]
    return exports
