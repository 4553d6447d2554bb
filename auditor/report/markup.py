"""User text made safe for each output: Markdown and HTML escaping, evidence highlighting, and
which findings are shown in detail.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"(?m)^(\s*)([#+\-=>]|\d+(?=[.)]))")


def md_escape(text: Any) -> str:
    """Escape Markdown and inline HTML so user text renders as text, never as markup or links.

    Characters that make markup anywhere (emphasis, code, links, HTML, tables) are escaped;
    those that only matter at the start of a line (headings, lists, quotes) only there, so the
    report still reads naturally as plain text.
    """
    s = str(text if text is not None else "")
    s = _MD_INLINE.sub(r"\\\1", s)
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)), s)


def evidence_spans(finding: dict[str, Any]) -> list[tuple[int, int]]:
    """The evidence spans of a finding's excerpt as (start, end), sorted, and merged where they
    overlap (the lexicon and the model often mark the same words) or only a space lies between
    them ("ACT wants to scrap" reads better as one highlight than as three)."""
    text = finding["excerpt"]
    spans = sorted({(s["start"], s["end"]) for s in finding["spans"]
                    if s["field"] == "text" and 0 <= s["start"] < s["end"] <= len(text)})
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (start < merged[-1][1] or not text[merged[-1][1]:start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def md_marked(finding: dict[str, Any]) -> str:
    """The excerpt, Markdown-escaped, with the evidence in bold."""
    text = finding["excerpt"]
    out, pos = [], 0
    for start, end in evidence_spans(finding):
        out.append(md_escape(text[pos:start]))
        out.append("**" + md_escape(text[start:end]) + "**")
        pos = end
    out.append(md_escape(text[pos:]))
    return "".join(out)


def md_highlight(finding: dict[str, Any]) -> str:
    """The excerpt, escaped, with evidence spans in bold, as a Markdown blockquote."""
    body = md_marked(finding)
    return "\n".join("> " + (line if line.strip() else "") for line in body.split("\n"))


def md_inline(finding: dict[str, Any], limit: int = 280) -> str:
    """The excerpt on one line (shortened to about ``limit`` characters), evidence in bold."""
    f = {**finding, "excerpt": " ".join(finding["excerpt"].split())}
    if len(f["excerpt"]) > limit:
        f["excerpt"] = f["excerpt"][:limit].rsplit(" ", 1)[0] + " …"
    # offsets moved when whitespace was collapsed: find each evidence text again
    spans, pos = [], 0
    for start, end in evidence_spans(finding):
        words = " ".join(finding["excerpt"][start:end].split())
        at = f["excerpt"].find(words, pos)
        if at >= 0 and words:
            spans.append({"start": at, "end": at + len(words), "field": "text"})
            pos = at + len(words)
    return md_marked({**f, "spans": spans})


def html_highlight(finding: dict[str, Any]) -> Markup:
    """The excerpt, HTML-escaped, with evidence spans wrapped in ``<mark>``."""
    text = finding["excerpt"]
    out, pos = [], 0
    for start, end in evidence_spans(finding):
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


#: Findings shown in detail per account in report.html and report.md (most severe first; critical
#: ones always). Every finding is always in findings.json and actions.csv: an archive with tens of
#: thousands of findings would otherwise make a page no browser or person can get through.
DETAIL_LIMIT = 300


def shown(findings: list[dict[str, Any]], limit: int = DETAIL_LIMIT) -> dict[str, Any]:
    """The findings to show in detail for one account, and how many others there are."""
    out = [f for i, f in enumerate(findings) if f["severity"] == "critical" or i < limit]
    return {"findings": out, "hidden": len(findings) - len(out)}


def safe_url(url: str) -> bool:
    """Only http(s) addresses become links; anything else (javascript:, data:) stays text."""
    return bool(re.match(r"^https?://[^\s\"'<>]+$", url or "", re.I))
