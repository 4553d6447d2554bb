"""Reports: one context dict built from an AuditResult feeds every output format.

* ``report.html``: a worklist (:mod:`auditor.report.worklist`), self-contained (inline CSS, inline
  SVG charts, a strict Content-Security-Policy whose only script is the filter script, allowed by
  its hash), every piece of user text escaped by Jinja2's autoescaping.
* ``report.md``: the same worklist for a terminal or a wiki (user text Markdown-escaped).
* ``findings.json``: the context itself, versioned by ``schema_version`` and described by
  ``findings.schema.json`` (JSON Schema) shipped in this package.
* ``actions.csv``: one row per finding, in the worklist's steps, as a checklist
  (:mod:`auditor.report.actions`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import orjson
from markupsafe import Markup, escape

from auditor import __version__
from auditor.detect.language import name_of
from auditor.detect.linkage import UNCHECKED
from auditor.detect.textmodel import TASKS, supported
from auditor.models import PLATFORM_NAMES, AccountReport, AuditResult, Finding, Severity, Span
from auditor.textutil import file_name, plural

SCHEMA_VERSION = "1.2"
SCHEMA_PATH = Path(__file__).parent / "findings.schema.json"
TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("html", "md", "json", "csv")
OUTPUT_NAMES = {"html": "report.html", "md": "report.md", "json": "findings.json", "csv": "actions.csv"}

ACTION_WORDS = {
    "delete": "Delete", "edit": "Edit", "hide": "Hide", "move": "Move", "unlink": "Unlink",
    "moderate": "Moderate", "review": "Review",
}


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def _span(s: Span) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "text": s.text, "signal": s.signal, "field": s.field}


def _finding(f: Finding, n: int, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": f"F{n:03d}",
        "key": f.key,
        "category": f.category,
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity.value,
        "platform": f.platform,
        "account": f.account_key,
        "account_label": labels.get(f.account_key, f.account_key),
        "subject": f.subject,
        "post_id": f.post_id,
        "post_kind": f.post_kind,
        "created_at": _iso(f.created_at),
        "url": f.url,
        "source": f.source,
        "label": f.label,
        "score": f.score,
        "excerpt": f.excerpt,
        "spans": [_span(s) for s in f.spans],
        "signals": list(f.signals),
        "explanation": f.explanation,
        "why": f.why,
        "recommendation": f.recommendation,
        "action": f.action,
        "citation": {"title": f.citation.title, "publisher": f.citation.publisher,
                     "url": f.citation.url, "section": f.citation.section},
        "notes": list(f.notes),
    }


def build_context(result: AuditResult, consent: dict[str, Any] | None = None,
                  hidden: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one dict every renderer uses (and ``findings.json`` is).

    ``consent`` is the confirmation recorded before the audit (:mod:`auditor.consent`);
    ``hidden`` is what the decisions file hid (:meth:`auditor.decisions.Applied.as_dict`), None
    without one. ``progress`` (:func:`auditor.progress.compare`) is None until the caller
    compares with an earlier audit.
    """
    labels = {a.account.key: a.account.label for a in result.accounts}
    findings = result.findings
    ctx_findings = [_finding(f, i, labels) for i, f in enumerate(findings, start=1)]
    by_category = Counter(f.category for f in findings)
    by_severity = Counter(f.severity.value for f in findings)
    accounts = []
    for a in result.accounts:
        wi = a.work_identity
        political = [f for f in a.findings if f.category == "political"]
        accounts.append({
            "key": a.account.key,
            "platform": a.account.platform,
            "platform_name": PLATFORM_NAMES.get(a.account.platform, a.account.platform),
            "handle": a.account.handle,
            "display_name": a.account.display_name,
            "label": a.account.label,
            "headline": a.account.headline,
            "work_identified": wi.identified,
            "work_identity": {
                "strength": wi.strength,
                "score": wi.score,
                "employer": wi.employer,
                "title": wi.title,
                "evidence": [{"field": e.field, "text": e.text, "signal": e.signal, "weight": e.weight}
                             for e in wi.evidence],
            },
            "links": [{"url": lk.url, "label": lk.label, "kind": lk.kind} for lk in a.account.links],
            "positions": [{"employer": p.employer, "title": p.title,
                           "started": p.started.isoformat() if p.started else None,
                           "finished": p.finished.isoformat() if p.finished else None}
                          for p in a.account.positions],
            "exposure": a.exposure,
            "tie": a.tie,
            "tied_to_work": a.tied_to_work,
            "ties": [{"kind": t.kind, "other": labels.get(t.other, ""), "evidence": t.evidence,
                      "field": t.field, "strength": t.strength} for t in a.ties],
            "tie_summary": _tie_summary(a, labels),
            "posts_scanned": a.posts_scanned,
            "counts_by_kind": {str(k): v for k, v in sorted(a.counts_by_kind.items())},
            "first_post": _iso(a.first_post),
            "last_post": _iso(a.last_post),
            "findings": len(a.findings),
            "political_findings": len(political),
            "not_checked": dict(sorted(a.not_checked.items())),
            "reactions_political": a.reactions_political,
            "reactions_note": a.reactions_note,
            "finding_ids": [cf["id"] for cf in ctx_findings if cf["account"] == a.account.key],
        })
    fine = [
        {"platform": p.platform, "account": p.account_key, "post_id": p.id, "post_kind": str(p.kind),
         "created_at": _iso(p.created_at), "label": d.label,
         "excerpt": (p.text or "")[:300], "explanation": d.explanation}
        for a in result.accounts for p, d in a.fine
    ]
    highest = max((f.severity for f in findings), key=lambda s: s.rank, default=None)
    political_on_work = [f for f in findings if f.category == "political"
                         and any(a["key"] == f.account_key and a["tied_to_work"] for a in accounts)]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "separation-auditor", "version": __version__},
        "generated_at": _iso(result.generated_at),
        "offline": True,
        "consent": consent or {"confirmed": False},
        "policy": {"id": result.policy_id, "name": result.policy_name, "role": result.role or None},
        "inputs": [file_name(p) for p in result.inputs],
        "posts_scanned": result.posts_scanned,
        "repeated_items": result.repeats,
        "summary": {
            "accounts": len(accounts),
            "work_identified_accounts": sum(a["work_identified"] for a in accounts),
            "tied_accounts": sum(a["tied_to_work"] for a in accounts),
            "findings": len(findings),
            "items_flagged": len({(f.account_key, f.post_id) for f in findings if f.subject == "post"}),
            "political_findings": by_category.get("political", 0),
            "political_on_work_identified_accounts": len(political_on_work),
            "by_category": dict(sorted(by_category.items())),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in reversed(list(Severity))},
            "highest_severity": highest.value if highest else None,
            "work_identity_tied_to_political_content": bool(political_on_work),
        },
        "accounts": accounts,
        "findings": ctx_findings,
        "fine": fine,
        "skipped": [{"input": file_name(i), "file": s.name, "reason": s.reason} for i, s in result.skipped],
        "warnings": list(result.warnings),
        "unchecked": list(UNCHECKED),
        "not_checked": _not_checked(result),
        "hidden": hidden,
        "progress": None,
    }


def _not_checked(result: AuditResult) -> dict:
    """Posts in a language without a model for every task: counted per language, with the tasks
    that could not be judged and a few examples. They were neither flagged nor cleared."""
    counts: dict[str, int] = {}
    for a in result.accounts:
        for lang, n in a.not_checked.items():
            counts[lang] = counts.get(lang, 0) + n
    languages = []
    for lang, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        missing = [t for t in TASKS if lang not in supported(t)]
        checked = [t for t in TASKS if t not in missing]
        languages.append({"lang": lang, "name": name_of(lang), "posts": n, "not_checked_for": missing,
                          "checked_for": checked})
    examples = [{"platform": p.platform, "account": p.account_key, "post_id": p.id, "lang": lang,
                 "language": name_of(lang), "created_at": _iso(p.created_at), "excerpt": (p.text or "")[:200]}
                for a in result.accounts for p, lang in a.not_checked_examples[:5]]
    return {"posts": sum(counts.values()), "languages": languages, "examples": examples,
            "models": {t: supported(t) for t in TASKS}}


_TIE_PHRASE = {
    "names-employer": "names your employer ({evidence})",
    "links-to-work": "links to {other} ({evidence})",
    "linked-from-work": "is linked from {other} ({evidence})",
    "same-handle": "uses the same handle as {other} ({evidence})",
    "same-name": "shows the same name as {other}",
    "mentions-employer": "has posts that name your employer ({evidence})",
    "links-to": "is linked with {other}",
}


def _tie_summary(a: AccountReport, labels: dict[str, str]) -> str:
    """One sentence: how this account is tied to the work identity (ties of a kind grouped)."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for t in a.ties:
        if t.kind != "links-to":
            item = (labels.get(t.other, "a LinkedIn profile"), t.evidence)
            if item not in grouped.setdefault(t.kind, []):
                grouped[t.kind].append(item)
    parts = []
    for kind, items in grouped.items():
        others = " and ".join(dict.fromkeys(o for o, _ in items))
        evidence = "; ".join(dict.fromkeys(e for _, e in items))
        parts.append(_TIE_PHRASE[kind].format(other=others, evidence=evidence))
    lead = {"direct": "Identifies you with your employer", "linked": "Tied to your work identity",
            "same-name": "Loosely tied to your work identity", "mentions": "Tied to your work by what you post",
            "none": "No tie to your work identity found"}[a.tie]
    return f"{lead}: it {'; it '.join(parts)}." if parts else f"{lead} in the exports audited."


# --- Markdown ---------------------------------------------------------------------------------

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


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_highlight"] = md_highlight
    env.filters["html_highlight"] = html_highlight
    env.filters["md_inline"] = md_inline
    env.filters["safe_url"] = safe_url
    env.filters["shown"] = shown
    env.filters["oneline"] = lambda t: " ".join(str(t).split())
    env.filters["day"] = lambda iso: iso[:10] if iso else "undated"
    env.filters["action_word"] = lambda a: ACTION_WORDS.get(a, a.title())
    env.filters["plural"] = plural
    return env


def _worklist_env() -> jinja2.Environment:
    from auditor.report.worklist import RANK, reason

    env = _env()
    env.filters["reason"] = reason
    env.filters["rank"] = RANK.get
    return env


def render_markdown(context: dict[str, Any]) -> str:
    """The person-readable report: the same worklist as the HTML."""
    from auditor.report.worklist import build_worklist

    text = _worklist_env().get_template("report.md.j2").render(
        **context, worklist=build_worklist(context, DETAIL_LIMIT))
    return re.sub(r"\n{3,}", "\n\n", text)


#: the one script of report.html (filters and search over the worklist), allowed by its hash
SCRIPT_PATH = TEMPLATES / "_worklist.js"


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script: ``'sha256-<base64>'``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def render_html(context: dict[str, Any]) -> Iterator[str]:
    """The self-contained HTML report, charts included as inline SVG, streamed in chunks.

    Its one inline script (progressive enhancement: the page reads the same without it) is
    allowed by the Content-Security-Policy through its SHA-256 hash, computed here.
    """
    from auditor.report.charts import breakdown_svg, by_month_svg, timeline_svg
    from auditor.report.worklist import build_worklist

    charts = {"timeline": timeline_svg(context), "breakdown": breakdown_svg(context),
              "by_month": by_month_svg(context) if context["progress"] else None}
    charts = {k: Markup(v) if v else None for k, v in charts.items()}
    script = SCRIPT_PATH.read_text(encoding="utf-8")
    return _worklist_env().get_template("report.html").generate(
        **context, charts=charts, worklist=build_worklist(context, DETAIL_LIMIT),
        script=Markup(script), csp_script=script_hash(script))


def _pretty(value: Any, indent: int) -> str:
    """``value`` as 2-space indented JSON (orjson), every line after the first indented further."""
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    return text.replace("\n", "\n" + " " * indent) if indent else text


def render_json(context: dict[str, Any]) -> Iterator[str]:
    """``findings.json``: the context, pretty-printed, keys in a stable order.

    Streamed one finding at a time with orjson, so a report with tens of thousands of findings
    is never one giant string in memory (the standard library's indenting encoder needed ten
    times the size of the output).
    """
    items = list(context.items())
    yield "{\n"
    for i, (key, value) in enumerate(items):
        yield f"  {json.dumps(key)}: "
        if isinstance(value, list) and value and key == "findings":
            yield "[\n"
            for j, item in enumerate(value):
                yield "    " + _pretty(item, 4) + (",\n" if j < len(value) - 1 else "\n")
            yield "  ]"
        else:
            yield _pretty(value, 2)
        yield ",\n" if i < len(items) - 1 else "\n"
    yield "}\n"


def render_csv(context: dict[str, Any]) -> str:
    """``actions.csv``: the checklist."""
    from auditor.report.actions import render_actions

    return render_actions(context)


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json, "csv": render_csv}


def render_all(context: dict[str, Any], formats: tuple[str, ...] = FORMATS) -> dict[str, str | Iterator[str]]:
    """File name -> content (text, or an iterator of text chunks) for every requested format."""
    return {OUTPUT_NAMES[f]: RENDERERS[f](context) for f in formats}
