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


from auditor.report.context import SCHEMA_PATH, SCHEMA_VERSION, build_context
from auditor.report.markup import (
    DETAIL_LIMIT,
    evidence_spans,
    html_highlight,
    md_escape,
    md_highlight,
    md_inline,
    md_marked,
    safe_url,
    shown,
)
from auditor.report.render import (
    FORMATS,
    OUTPUT_NAMES,
    RENDERERS,
    SCRIPT_PATH,
    TEMPLATES,
    page_environment,
    render_all,
    render_csv,
    render_dashboard,
    render_html,
    render_json,
    render_markdown,
    script_hash,
)

__all__ = [
    "DETAIL_LIMIT", "FORMATS", "OUTPUT_NAMES", "RENDERERS", "SCHEMA_PATH", "SCHEMA_VERSION", "SCRIPT_PATH",
    "TEMPLATES", "build_context", "evidence_spans", "html_highlight", "md_escape", "md_highlight", "md_inline",
    "md_marked", "page_environment", "render_all", "render_csv", "render_dashboard", "render_html", "render_json", "render_markdown",
    "safe_url", "script_hash", "shown",
]
