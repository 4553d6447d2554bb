"""``actions.csv``: one row per thing to do, so the report can be worked through as a checklist.

Columns: ``done`` (empty, for you to tick), ``id``, ``severity``, ``account``, ``platform``,
``action`` (delete / edit / hide / move / unlink / moderate / review), ``what`` (post, comment,
profile ...), ``date``, ``url``, ``excerpt``, ``reason``, ``rule``, ``recommendation``.
Rows are in the report's order (most severe first). Cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with
``'`` so that opening the file in Excel cannot execute anything from an export.
"""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ["done", "id", "severity", "account", "platform", "action", "what", "date", "url", "excerpt",
           "reason", "rule", "recommendation"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A CSV cell that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def render_actions(context: dict[str, Any]) -> str:
    """The checklist as CSV text (RFC 4180, CRLF line ends as spreadsheets expect)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for f in context["findings"]:
        w.writerow([cell(v) for v in (
            "", f["id"], f["severity"], f["account_label"], f["platform"], f["action"],
            f["post_kind"] or "profile", (f["created_at"] or "")[:10], f["url"],
            " ".join(f["excerpt"].split())[:300], f["title"], f["rule"], f["recommendation"],
        )])
    return buf.getvalue()
