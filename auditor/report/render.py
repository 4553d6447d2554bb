"""Renderers: the context dict (:mod:`auditor.report.context`) as ``report.html``,
``report.md``, ``findings.json`` and ``actions.csv``, and the workshop dashboard.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import orjson
from markupsafe import Markup

from auditor import __version__
from auditor.report.actions import render_actions
from auditor.report.charts import breakdown_svg, by_month_svg, cells_svg, timeline_svg
from auditor.report.markup import (
    DETAIL_LIMIT,
    html_highlight,
    md_escape,
    md_highlight,
    md_inline,
    safe_url,
    shown,
)
from auditor.report.worklist import RANK, build_worklist, reason
from auditor.textutil import plural

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("html", "md", "json", "csv")
OUTPUT_NAMES = {"html": "report.html", "md": "report.md", "json": "findings.json", "csv": "actions.csv"}

ACTION_WORDS = {
    "delete": "Delete", "edit": "Edit", "hide": "Hide", "move": "Move", "unlink": "Unlink",
    "moderate": "Moderate", "review": "Review",
}


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
    env.filters["below"] = below
    return env


def below(score: float) -> str:
    """A post-to-skim's score to two decimals, rounded down: such a post scored under the
    finding's threshold, and 0.8193 shown as "0.82" beside findings "≥ 0.82" reads as a bug."""
    return f"{math.floor(score * 100 + 1e-9) / 100:.2f}"


def _worklist_env() -> jinja2.Environment:
    env = _env()
    env.filters["reason"] = reason
    env.filters["rank"] = RANK.get
    return env


def page_environment(templates: Path) -> jinja2.Environment:
    """The report's Jinja2 environment (filters, autoescaping) with ``templates`` searched first:
    for pages that share the report's look and filters (the local app)."""
    env = _worklist_env()
    env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates)), env.loader])
    return env


def render_markdown(context: dict[str, Any]) -> str:
    """The person-readable report: the same worklist as the HTML."""
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
    return render_actions(context)


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json, "csv": render_csv}


def render_all(context: dict[str, Any], formats: tuple[str, ...] = FORMATS) -> dict[str, str | Iterator[str]]:
    """File name -> content (text, or an iterator of text chunks) for every requested format."""
    return {OUTPUT_NAMES[f]: RENDERERS[f](context) for f in formats}


def render_dashboard(agg: dict[str, Any], label: str, held_on: str, sections: list[tuple[str, str, str]],
                     points: list[dict[str, str]], rejected: list[tuple[str, str]]) -> str:
    """The workshop facilitator's ``dashboard.html``: the aggregate's counts, a chart per section
    (``(title, dimension, description)``), the talking points and the summaries turned away."""
    charts = {dim: cells_svg(agg, dim) for _, dim, _ in sections}
    return _env().get_template("dashboard.html").render(
        agg=agg, label=label, held_on=held_on, version=__version__, sections=sections,
        charts={k: Markup(v) if v else None for k, v in charts.items()}, points=points,
        rejected=rejected, rejected_reasons=Counter(why for _, why in rejected).most_common())
