"""The one context dict built from an :class:`~auditor.models.AuditResult` that every output
format renders (and ``findings.json`` is): findings, accounts with their ties, what was skipped
and what could not be checked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.detect.language import name_of
from auditor.detect.linkage import UNCHECKED
from auditor.detect.textmodel import TASKS, manifest, supported
from auditor.models import (
    PLATFORM_NAMES,
    AccountReport,
    AuditResult,
    Finding,
    Severity,
    Span,
    skim_key,
)
from auditor.textutil import file_name

SCHEMA_VERSION = "1.8"
SCHEMA_PATH = Path(__file__).parent / "findings.schema.json"


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
        "lang": f.lang,
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
            "reactions_unsure": a.reactions_unsure,
            "reactions_note": a.reactions_note,
            "to_skim": a.to_skim_count,
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
        "employer_named": result.employer_named or None,
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
        "measured": _measured(result.semantic, {lang for a in result.accounts for lang in a.judged}),
        "to_skim": _to_skim(result),
        "hidden": hidden,
        "progress": None,
    }


def _to_skim(result: AuditResult) -> dict:
    """The posts the political model scored under its threshold but high enough to be worth a
    look, per account, those that name the employer first, then the highest-scored, with how well
    such a list did on real posts."""
    groups = []
    for a in result.accounts:
        if not a.to_skim_count:
            continue
        items = [{"key": skim_key(p), "platform": p.platform, "account": p.account_key, "post_id": p.id,
                  "post_kind": str(p.kind),
                  "created_at": _iso(p.created_at), "url": p.url, "source": p.source,
                  "score": pred.probability, "threshold": pred.threshold, "review_threshold": pred.review,
                  "words": [c.label for c in pred.contributions[:4]], "names_employer": names,
                  "excerpt": (p.text or "")[:300], "lang": pred.lang}
                 for p, pred, names in a.to_skim]
        groups.append({"account": a.account.key, "label": a.account.label, "posts": a.to_skim_count,
                       "shown": len(items), "entries": items})
    posts = sum(g["posts"] for g in groups)
    hidden = sum(a.to_skim_hidden for a in result.accounts)
    langs = sorted({pred.lang for a in result.accounts for _, pred, _ in a.to_skim}, key=lambda x: (x != "en", x))
    measured = [m for m in (_skim_measured(result.semantic, lang) for lang in langs) if m] if posts else []
    if len(measured) > 1:
        # a list of posts in several languages: each language's figures, named
        first = dict(measured[0])
        first["sentence"] = " ".join(f"In {name_of(m['lang'])}, {_skim_figures(m)[0].lower()}{_skim_figures(m)[1:]}"
                                     for m in measured) + " " + _SKIM_ADVICE
        measured = [first]
    return {"posts": posts, "hidden": hidden, "accounts": groups, "measured": measured[0] if measured else None}


_SKIM_ADVICE = "Skimming it is the quickest way to catch what the findings miss."


def _skim_measured(semantic: bool, lang: str = "en") -> dict | None:
    """How the findings and the list of posts to skim did together on the test people's random
    posts in ``lang`` (from the manifest): how many of the political posts they held, and how
    many of the list's posts were political."""
    e, used_semantic = _entry(f"political_{lang}", semantic)
    if not e:
        return None
    both = e.get("figures", {}).get("review", {}).get(_MEASURED_ON)
    found = e.get("figures", {}).get("held_out", {}).get(_MEASURED_ON)
    if not both or not found:
        return None
    listed = both["tp"] + both["fp"] - found["tp"] - found["fp"]
    right = both["tp"] - found["tp"]
    m = {"semantic": used_semantic, "lang": lang, "posts": both["n"],
         "positives": both["positives"], "found": found["tp"], "found_with_list": both["tp"],
         "listed": listed, "listed_political": right, "review_threshold": e.get("review_threshold"),
         "threshold": e.get("threshold")}
    m["sentence"] = _skim_figures(m) + " " + _SKIM_ADVICE
    return m


def _skim_figures(m: dict) -> str:
    """The sentence that gives one language's figures for the findings and the list together."""
    return (f"On {m['posts']:,} posts drawn at random from the archives of people the models never saw, the findings "
            f"held {m['found']} of the {m['positives']} political posts, and the findings with this list "
            f"{m['found_with_list']}; {m['listed_political']} of the {m['listed']} posts such a list held were "
            "political.")


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


#: the manifest's figures the report quotes: the test people's random posts (people no model was
#: trained or calibrated on), the set closest to a user's own archive
_MEASURED_ON = "personal exports, test people, random posts"
_WHAT = {"political": "political posts", "disrespect": "disrespectful posts", "grievance": "workplace grievances"}


def _entry(name: str, semantic: bool) -> tuple[dict, bool]:
    """The manifest entry whose figures describe model ``name`` as the audit ran it: the semantic
    mode's own where it ran and has one, else the word model's; and whether it is the semantic one."""
    man = manifest()
    sem = man.get("semantic", {}).get(name) if semantic else None
    return (sem, True) if sem else (man.get("models", {}).get(name) or {}, False)


def _measured(semantic: bool, langs: set[str] | None = None) -> list[dict]:
    """How often each shipped model was right on real people's posts, from the manifest the
    training script wrote (with the semantic mode, its own figures for political English), so a
    reader knows how far to trust the findings and how much they may miss. ``langs``: only the
    models of these languages (those the audit judged posts in; None: every model)."""
    out = []
    for name, e in sorted(manifest().get("models", {}).items(),
                          key=lambda x: (TASKS.index(x[1]["task"]) if x[1].get("task") in TASKS else 99, x[0])):
        if (langs is not None and e.get("lang") not in langs) or e.get("task") not in TASKS:
            continue  # a kind model (partisan) reads political posts only: its figures are no finding's
        entry, used_semantic = _entry(name, semantic)
        s = entry.get("figures", {}).get("held_out", {}).get(_MEASURED_ON)
        if not s:
            continue
        m = {"task": e["task"], "lang": e["lang"], "semantic": used_semantic, "posts": s["n"],
             "positives": s["positives"], "flagged": s["tp"] + s["fp"], "right": s["tp"],
             "precision": s["precision"], "recall": s["recall"], "false_alarm_rate": s["false_alarm_rate"],
             "with_list": entry.get("review_threshold") is not None}
        m["sentence"] = _trust_sentence(m)
        out.append(m)
    return out


def semantic_gain() -> dict | None:
    """What the semantic mode buys on political posts, from the manifest: how many of the test
    people's random political posts the findings held with and without it (None without a
    semantic head)."""
    words = {(m["task"], m["lang"]): m for m in _measured(False)}.get(("political", "en"))
    sem = {(m["task"], m["lang"]): m for m in _measured(True)}.get(("political", "en"))
    if not words or not sem or not sem["semantic"]:
        return None
    return {"positives": words["positives"], "posts": words["posts"], "words": words["right"],
            "semantic": sem["right"], "semantic_flagged": sem["flagged"], "words_flagged": words["flagged"]}


def _trust_sentence(m: dict) -> str:
    """The report's line for one model's figures (plain text; each format escapes it)."""
    what = _WHAT.get(m["task"], m["task"] + " posts")
    mode = ", semantic mode" if m["semantic"] else ""
    line = (f"How far to trust the {m['task']} findings ({name_of(m['lang'])}{mode}): on {m['posts']:,} posts "
            "drawn at random from the archives of people the models never saw, ")
    line += f"{m['right']} of the {m['flagged']} it flagged were right" if m["flagged"] else "it flagged none"
    if not m["positives"]:
        return line + f"; none of those posts were {what}, so how many it misses is not known from them."
    line += f", and it found {m['right']} of the {m['positives']} {what} among them"
    if m["recall"] is not None and m["recall"] < 0.5:
        line += (": it misses most, so read the posts to skim, and your own posts too" if m.get("with_list")
                 else ": it misses most, so read your own posts too")
    return line + "."


_TIE_PHRASE = {
    "names-employer": "names your employer ({evidence})",
    "links-to-work": "links to {other} ({evidence})",
    "linked-from-work": "is linked from {other} ({evidence})",
    "same-handle": "uses the same handle as {other} ({evidence})",
    "same-name": "shows the same name as {other}",
    "says-employer": "has a post that says where you work ({evidence})",
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
