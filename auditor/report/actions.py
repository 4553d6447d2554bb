"""``actions.csv``: one row per finding, in the worklist's steps, to work through as a checklist.

Columns: ``done`` (empty, for you to tick), ``step`` (the step's number in the report's worklist)
and ``task`` (its title), ``id``, ``severity``, ``account``, ``platform``, ``action`` (delete /
edit / hide / move / unlink / moderate / review), ``what`` (post, comment, profile ...), ``date``,
``url``, ``excerpt``, ``reason`` (one line: what it reads as and the words that decided it),
``rule``, ``recommendation``.

Rows follow the worklist (:mod:`auditor.report.worklist`): profile and link changes first, then
each account's posts grouped by what to do, most severe first; unlike the HTML and Markdown
reports, every finding is listed however many there are. Cells that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with
``'`` so that opening the file in Excel cannot execute anything from an export.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from auditor.report.wording import short
from auditor.report.worklist import build_worklist, reason

COLUMNS = ["done", "step", "task", "id", "severity", "account", "platform", "action", "what", "date", "url",
           "excerpt", "reason", "rule", "recommendation"]
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
    for step in build_worklist(context)["steps"]:
        for rule in step["rules"]:
            for f in rule["findings"]:
                w.writerow([cell(v) for v in (
                    "", step["n"], step["title"], f["id"], f["severity"], f["account_label"], f["platform"],
                    f["action"], f["post_kind"] or "profile", (f["created_at"] or "")[:10], f["url"],
                    short(f["excerpt"], 300), reason(f), f["rule"], f["recommendation"],
                )])
    return buf.getvalue()
