"""Charts for the HTML report, drawn with matplotlib as inline SVG (nothing loaded from outside).

* :func:`timeline_svg`: political findings per month, one colour per account, over shaded bands
  for the employment periods on the person's work-identified profiles.
* :func:`breakdown_svg`: findings per account, stacked by category.
* :func:`by_month_svg`: every dated finding per month, stacked by category, with the findings
  fixed since the last audit in grey, over the same employment bands.

Both build from the report context (the same dict as ``findings.json``). Text stays text in the
SVG (``svg.fonttype = none``) and matplotlib escapes it; maths parsing is off so a ``$`` in a
handle is just a dollar sign. Output is deterministic (fixed hash salt, no date) so the example
reports in ``reports/`` can be checked byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from auditor.models import Category

PALETTE = ["#1f5f8b", "#c0392b", "#7d5ba6", "#2e8b57", "#d68910", "#566573", "#a04000", "#117a65"]
CATEGORY_COLOURS = {c.value: colour for c, colour in (
    (Category.POLITICAL, "#c0392b"), (Category.GRIEVANCE, "#d68910"), (Category.DISRESPECT, "#7d5ba6"),
    (Category.LINKAGE, "#1f5f8b"), (Category.SEPARATION, "#117a65"), (Category.MODERATION, "#566573"))}
RC = {"svg.fonttype": "none", "svg.hashsalt": "separation-auditor", "text.parse_math": False,
      "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


@lru_cache(maxsize=1)
def _pyplot():
    """matplotlib's pyplot and dates, imported on the first chart drawn (the import costs about a
    second, and an audit with nothing to chart, or with no HTML report, never pays it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    return plt, mdates


def _svg(fig) -> str:
    plt, _ = _pyplot()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and doctype: it is inlined in HTML
    # Keep it responsive (no fixed size), and compact.
    return _compact(re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', svg, count=1))


_GEOMETRY = re.compile(r'(\s(?:d|x|y|transform|viewBox)=")([^"]*)"')
_MPL_IDS = re.compile(r' id="(?:figure|axes|patch|line2d|text|xtick|ytick|legend|matplotlib\.axis)_[\w.]*"')


def _compact(svg: str) -> str:
    """matplotlib's SVG, a third of the size and drawn the same: no metadata, coordinates to a
    tenth of a pixel, no ids nothing refers to, no no-op rotations, no indentation. Only
    geometry attributes are touched, never text (a label may hold digits)."""
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _GEOMETRY.sub(lambda m: m.group(1) + re.sub(r"(\d\.\d)\d+", r"\1", " ".join(m.group(2).split())) + '"', svg)
    svg = re.sub(r' transform="rotate\(-?0 [^)]*\)"', "", svg)
    svg = _MPL_IDS.sub("", svg)
    svg = re.sub(r">\s+<", "><", svg)
    for _ in range(3):
        svg = re.sub(r"<g>(<(?:use|path)\b[^>]*/>|<text\b[^>]*>[^<]*</text>)</g>", r"\1", svg)
    return svg


def _month(iso: str) -> dt.date:
    return dt.date(int(iso[:4]), int(iso[5:7]), 1)


def timeline_svg(ctx: dict[str, Any]) -> str | None:
    """Political findings per month and account, against employment periods. None if no dates."""
    political = [f for f in ctx["findings"] if f["category"] == "political" and f["created_at"]]
    if not political:
        return None
    labels = {a["key"]: a["label"] for a in ctx["accounts"]}
    counts: dict[str, Counter] = defaultdict(Counter)
    for f in political:
        counts[f["account"]][_month(f["created_at"])] += 1
    months = sorted({m for c in counts.values() for m in c})
    start, end = months[0], months[-1]
    all_months = _months(start, end)
    plt, mdates = _pyplot()
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(9, 3.2))
        _employment(ax, ctx, start, end)
        bottom = [0] * len(all_months)
        for i, (key, c) in enumerate(sorted(counts.items(), key=lambda kv: -sum(kv[1].values()))):
            vals = [c.get(m, 0) for m in all_months]
            drawn = [j for j, v in enumerate(vals) if v]  # no empty bars: they only add bytes
            ax.bar([all_months[j] for j in drawn], [vals[j] for j in drawn], width=25,
                   bottom=[bottom[j] for j in drawn], color=PALETTE[i % len(PALETTE)],
                   label=labels.get(key, key), zorder=2)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.set_ylabel("political findings per month")
        ax.xaxis.set_major_locator(mdates.AutoDateLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        ax.set_xlim(start - dt.timedelta(days=31), end + dt.timedelta(days=31))
        return _svg(fig)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def _employment(ax, ctx: dict[str, Any], start: dt.date, end: dt.date) -> None:
    """Shade the positions on the work-identified profiles between ``start`` and ``end``."""
    periods = {(p["employer"], p["title"], p["started"], p["finished"]) for a in ctx["accounts"]
               if a["work_identified"] for p in a.get("positions", []) if p["started"]}
    seen = set()
    for i, (employer, title, s, e) in enumerate(sorted(periods, key=lambda x: (x[2], x[0], x[1]))):
        s_d = max(dt.date.fromisoformat(s), start - dt.timedelta(days=31))
        e_d = dt.date.fromisoformat(e) if e else end + dt.timedelta(days=31)
        if e_d < start:
            continue
        label = f"{title} at {employer}" if title else employer
        ax.axvspan(s_d, e_d, color=["#e8f1f8", "#f4ecf7", "#eafaf1"][i % 3], zorder=0,
                   label=None if label in seen else f"employed: {label}")
        seen.add(label)


def by_month_svg(ctx: dict[str, Any]) -> str | None:
    """Findings per month by category (the month of the post), with those fixed since the last
    audit stacked in grey, against the employment periods on the work profile. None if no dates."""
    dated = [(f["category"], _month(f["created_at"])) for f in ctx["findings"] if f["created_at"]]
    progress = ctx.get("progress") or {}
    fixed = [_month(f["created_at"]) for f in progress.get("fixed_items", []) if f.get("created_at")]
    if not dated and not fixed:
        return None
    every = [m for _, m in dated] + fixed
    months = _months(min(every), max(every))
    plt, mdates = _pyplot()
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(9, 3.2))
        _employment(ax, ctx, months[0], months[-1])
        bottom = [0] * len(months)
        series = [(c, Counter(m for cat, m in dated if cat == c)) for c in CATEGORY_COLOURS]
        series += [("fixed since last audit", Counter(fixed))]
        for name, c in series:
            if not c:
                continue
            vals = [c.get(m, 0) for m in months]
            ax.bar(months, vals, width=25, bottom=bottom, color=CATEGORY_COLOURS.get(name, "#bfc5ca"),
                   hatch=None if name in CATEGORY_COLOURS else "//", label=name, zorder=2)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.set_ylabel("findings per month")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        ax.set_xlim(months[0] - dt.timedelta(days=31), months[-1] + dt.timedelta(days=31))
        return _svg(fig)


def breakdown_svg(ctx: dict[str, Any]) -> str | None:
    """Findings per account, stacked by category. None when there are no findings."""
    if not ctx["findings"]:
        return None
    accounts = [a for a in ctx["accounts"] if a["findings"]]
    cats = [c for c in CATEGORY_COLOURS if any(f["category"] == c for f in ctx["findings"])]
    plt, mdates = _pyplot()
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(9, 0.45 * len(accounts) + 1.0))
        names = [a["label"] for a in accounts][::-1]
        left = [0] * len(accounts)
        for c in cats:
            vals = [sum(1 for f in ctx["findings"] if f["account"] == a["key"] and f["category"] == c)
                    for a in accounts][::-1]
            drawn = [j for j, v in enumerate(vals) if v]
            ax.barh([names[j] for j in drawn], [vals[j] for j in drawn], left=[left[j] for j in drawn],
                    color=CATEGORY_COLOURS[c], label=c)
            left = [x + v for x, v in zip(left, vals, strict=True)]
        ax.set_xlabel("findings")
        ax.legend(loc="lower right", frameon=False, fontsize=8, ncol=min(len(cats), 3))
        return _svg(fig)


def cells_svg(agg: dict[str, Any], dimension: str) -> str | None:
    """A bar per visible (not suppressed) cell of a workshop aggregate, or None if there are none."""
    cells = [c for c in agg["cells"] if c["dimension"] == dimension and not c["suppressed"]]
    if not cells or dimension == "tied":
        return None
    plt, mdates = _pyplot()
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(7, 0.35 * len(cells) + 0.8))
        ax.barh([c["key"] for c in cells][::-1], [c["participants"] for c in cells][::-1], color=PALETTE[0])
        ax.set_xlabel("participants")
        ax.xaxis.get_major_locator().set_params(integer=True)
        return _svg(fig)
