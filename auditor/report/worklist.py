"""The report as a worklist: findings grouped into numbered steps, most urgent first.

Every renderer (HTML, Markdown, CSV) lists the same steps in the same order:

1. one step for the profiles and links that need changing, grouped by account (first:
   they cut the tie between an account and your work, whatever the account holds);
2. then one step per account and action (delete, edit, make private, move, moderate, review) for
   that account's posts, ordered by the most severe finding in the step, then by the account's
   exposure, then by action.

Inside a step, findings are grouped by rule, so a rule's explanation (``why``), what to do and
the guidance it comes from are shown once per group, and each finding is one compact row. When
the findings of a rule differ only in what they are ("this post", "this comment" ...) the shared
text says "this item"; when they differ in more (the links to remove, say), each row keeps its own.

The worklist is computed from the context's ``findings`` and ``accounts`` when a report is
rendered, not stored in ``findings.json``: it is a view of the findings, always in step with them
(also when findings are filtered before rendering).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from auditor.detect.political import INSIDE_SIGNAL, MANDATE_SIGNAL, PARTISAN_MODEL, PARTISAN_SAYS
from auditor.models import Severity
from auditor.report.markup import shown
from auditor.report.wording import WHAT

RANK = {s.value: s.rank for s in Severity}

#: the order of an account's steps that share a severity
ACTION_ORDER = ("delete", "edit", "hide", "unlink", "move", "moderate", "review")

#: a step's heading: what to do with ``{n}`` (e.g. "14 posts") on one account
ACTION_STEPS = {
    "delete": "delete {n}",
    "edit": "edit {n}",
    "hide": "make {n} private",
    "unlink": "unlink {n}",
    "move": "remove {n}, or cut the account's ties to your work",
    "moderate": "moderate {n}",
    "review": "review {n}",
}

PLURALS = {"post": "posts", "share": "posts", "comment": "comments", "reply": "replies", "repost": "reposts",
           "reaction": "reactions", "article": "articles", "visitor-comment": "visitor comments"}

#: steps listed under "What to do first" (the worklist below holds them all)
TOP_STEPS = 8

_MODEL = re.compile(r"gives (\d+\.\d+) against a threshold of (\d+\.\d+)")
#: the partisan model's score, when it named the kind (see auditor.detect.political)
_SIDE = re.compile(re.escape(PARTISAN_SAYS) + r" (\d+\.\d+) against a threshold of (\d+\.\d+)")
_WEIGHT = re.compile(r"\(([+-]?\d+(?:\.\d+)?)\)\s*$")
_WHAT = sorted(set(WHAT.values()), key=len, reverse=True)


def count_of(kinds: list[str]) -> str:
    """"1 post", "14 posts" or "14 items" (when they are of different kinds)."""
    n = len(kinds)
    distinct = set(kinds)
    if len(distinct) == 1:
        kind = next(iter(distinct)) or "item"
        return f"{n} {kind.replace('-', ' ') if n == 1 else PLURALS.get(kind, kind + 's')}"
    return f"{n} item{'s' if n != 1 else ''}"


def kinds_of(findings: list[dict[str, Any]]) -> str:
    """What a step holds, by kind: "6 posts, 3 comments, 2 reactions"."""
    c = Counter(f["post_kind"] or "profile" for f in findings)
    return ", ".join(count_of([k] * n) for k, n in c.most_common())


def severities_of(findings: list[dict[str, Any]]) -> dict[str, int]:
    """Findings per severity, most severe first, only the severities present."""
    c = Counter(f["severity"] for f in findings)
    return {s: c[s] for s in sorted(c, key=lambda s: -RANK[s])}


#: evidence signals that tie a political post to the person's own work, and how a line says so
#: (after the deciding words, which leave them out)
_CLOSER = ((MANDATE_SIGNAL, "about your employer's own area"), (INSIDE_SIGNAL, "uses what you know through work"))


def deciding_words(finding: dict[str, Any], limit: int = 4) -> list[str]:
    """The words that decided a finding: the lexicon's matches first (a named party, a politician,
    a stance), then the model's strongest words, each once."""
    lexicon, model = [], []
    closer = {s["text"].casefold() for s in finding["spans"] if any(s["signal"].startswith(sig + ":") for sig, _ in _CLOSER)}
    for s in finding["spans"]:
        if s["text"].casefold() in closer:
            continue  # said after the words, by what ties it to the work
        if s["signal"].startswith(("model:", PARTISAN_MODEL + ":")):
            w = _WEIGHT.search(s["signal"])
            model.append((-(float(w.group(1)) if w else 0.0), s["text"]))
        else:
            lexicon.append(s["text"])
    out: dict[str, str] = {}
    for text in lexicon + [t for _, t in sorted(model, key=lambda m: m[0])]:
        text = " ".join(text.split())
        key = text.casefold()
        if text and not any(key in k for k in out):  # "Party" adds nothing to "Green Party"
            out[key] = text
    return list(out.values())[:limit]


def reason(finding: dict[str, Any]) -> str:
    """One line saying why a finding was raised (no full stop), e.g.
    "political (partisan), model 0.99 ≥ 0.84: ACT, scrap, David Seymour, should"."""
    if finding["subject"] != "post":
        return " ".join(finding["explanation"].split()).rstrip(".")
    cat, label = finding["category"], (finding["label"] or "").replace("-", " ")
    what = f"{cat} ({label})" if label and label != cat else cat
    m = _MODEL.search(finding["explanation"])
    score = f"model {m.group(1)} \u2265 {m.group(2)}" if m else (f"score {finding['score']:.2f}" if finding["score"] else "")
    side = _SIDE.search(finding["explanation"])
    kind = f"{PARTISAN_MODEL} {side.group(1)} \u2265 {side.group(2)}" if side else ""
    words = deciding_words(finding)
    head = ", ".join(p for p in (what, score, kind) if p)
    line = f"{head}: {', '.join(words)}" if words else head
    # what makes it closer to the person's work, said on the line and not only in findings.json
    for signal, phrase in _CLOSER:
        found = {s["text"].casefold(): s["text"] for s in finding.get("spans", ()) if s["signal"].startswith(signal + ":")}
        if found:
            line += f"; {phrase} ({', '.join(found.values())})"
    return line


def _shared(findings: list[dict[str, Any]], key: str) -> str | None:
    """The text every finding of a group shares, with "this post", "this comment" ... read as
    "this item" when that is all that differs; None when the findings say different things."""
    texts = {f[key] for f in findings}
    if len(texts) == 1:
        return texts.pop()
    general = set()
    for t in texts:
        for phrase in _WHAT:
            t = t.replace(phrase, "this item").replace(phrase[:1].upper() + phrase[1:], "This item")
        general.add(t)
    return general.pop() if len(general) == 1 else None


def _rules(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_rule.setdefault(f["rule"], []).append(f)
    rules = []
    for rule, fs in by_rule.items():
        fs = sorted(fs, key=lambda f: -RANK[f["severity"]])
        first = fs[0]
        rules.append({
            "rule": rule, "title": first["title"], "category": first["category"],
            "severity": first["severity"], "count": len(fs),
            "why": _shared(fs, "why"), "recommendation": _shared(fs, "recommendation"),
            "citation": first["citation"], "findings": fs,
        })
    rules.sort(key=lambda r: -RANK[r["severity"]])
    return rules


def _step(kind: str, action: str, accounts: list[dict[str, Any]], findings: list[dict[str, Any]]) -> dict[str, Any]:
    top = max(findings, key=lambda f: RANK[f["severity"]])["severity"]
    n = len(findings)
    if kind == "profile":
        k = len(accounts)
        title = (f"Change the profile{'s' if k != 1 else ''} and links of {k} account{'s' if k != 1 else ''} "
                 f"({n} change{'s' if n != 1 else ''})")
        rules = []
        for a in accounts:  # rules per account: each change is made in one place
            for r in _rules([f for f in findings if f["account"] == a["key"]]):
                rules.append({**r, "title": f"{a['label']}: {r['title']}"})
    else:
        what = count_of([f["post_kind"] for f in findings])
        title = f"{accounts[0]['label']}: {ACTION_STEPS.get(action, action + ' {n}').format(n=what)}"
        rules = _rules(findings)
    citations: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rules:
        c = citations.setdefault((r["citation"]["url"], r["citation"]["section"]), {**r["citation"], "rules": []})
        if r["rule"] not in c["rules"]:
            c["rules"].append(r["rule"])
    return {
        "kind": kind, "action": action, "accounts": [a["key"] for a in accounts], "title": title,
        "severity": top, "count": n, "by_severity": severities_of(findings),
        "kinds": "" if kind == "profile" else kinds_of(findings), "rules": rules,
        # the guidance the step's rules come from, each piece once, with the rules that cite it
        "citations": list(citations.values()),
    }


def build_worklist(context: dict[str, Any], limit: int | None = None) -> dict[str, Any]:
    """The steps of the worklist, numbered, from a report context.

    ``limit`` caps the findings shown per account (the most severe ones, critical ones always:
    see :func:`auditor.report.shown`); the CSV passes None and lists every finding.
    """
    accounts = context["accounts"]
    index = {a["key"]: i for i, a in enumerate(accounts, start=1)}
    mine: dict[str, list[dict[str, Any]]] = {a["key"]: [] for a in accounts}
    for f in context["findings"]:
        mine.setdefault(f["account"], []).append(f)
    for key, fs in mine.items():  # findings of an account the context does not list still count
        if key not in index:
            index[key] = len(index) + 1
            accounts = [*accounts, {"key": key, "label": fs[0].get("account_label", key)}]
    profile: list[dict[str, Any]] = []
    profile_accounts, post_steps, not_shown = [], [], []
    for a in accounts:
        view = shown(mine[a["key"]], limit) if limit else {"findings": mine[a["key"]], "hidden": 0}
        if view["hidden"]:
            not_shown.append({"account": a["key"], "account_label": a["label"], "count": view["hidden"]})
        changes = [f for f in view["findings"] if f["subject"] != "post"]
        if changes:
            profile += changes
            profile_accounts.append(a)
        by_action: dict[str, list[dict[str, Any]]] = {}
        for f in view["findings"]:
            if f["subject"] == "post":
                by_action.setdefault(f["action"], []).append(f)
        for action, fs in by_action.items():
            post_steps.append(_step("posts", action, [a], fs))
    order = {a: i for i, a in enumerate(ACTION_ORDER)}
    post_steps.sort(key=lambda s: (-RANK[s["severity"]], index[s["accounts"][0]],
                                   order.get(s["action"], len(order))))
    steps = ([_step("profile", "change", profile_accounts, profile)] if profile else []) + post_steps
    for n, s in enumerate(steps, start=1):
        s["n"], s["id"] = n, f"step-{n}"
    present = {f["account"] for s in steps for r in s["rules"] for f in r["findings"]}
    return {"steps": steps, "top": steps[:TOP_STEPS], "rows": sum(s["count"] for s in steps),
            "not_shown": not_shown, "account_index": index,
            "accounts": [{"index": index[a["key"]], "key": a["key"], "label": a["label"]} for a in accounts
                         if a["key"] in present],
            "categories": sorted({f["category"] for s in steps for r in s["rules"] for f in r["findings"]})}
