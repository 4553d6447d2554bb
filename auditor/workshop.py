"""HR self-audit workshops: anonymous participant summaries and a k-anonymous facilitator view.

* :func:`make_summary` turns one participant's ``findings.json`` into counts only: by category,
  severity, platform, rule, linkage level and exposure level, plus political findings per month.
  Every key comes from a fixed vocabulary (the tool's categories, the pack's rule ids, platform
  ids, months); no text, handle, name or address can get in. It carries a random id and a
  checksum over its content.
* :func:`aggregate` reads many summaries, rejects the malformed, duplicated, wrong-version and
  altered ones one by one, and counts *participants* per cell with pandas. Any cell with fewer
  than ``min_group`` participants is suppressed.
* The checksum catches a summary edited by hand or damaged in transit. It is not a signature:
  someone who recomputes it can forge a summary, which a voluntary, anonymous workshop cannot
  prevent anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from auditor import __version__
from auditor.errors import AuditorError
from auditor.models import PLATFORM_NAMES, Category, Exposure, Severity, TieLevel
from auditor.textutil import fill_template

KIND = "separation-auditor workshop summary"
SCHEMA = "1.0"
EXPOSURES = [e.value for e in Exposure]
SEVERITIES = [s.value for s in Severity]
CATEGORIES = [c.value for c in Category]
TIES = [t.value for t in TieLevel]
TIE_KINDS = ["names-employer", "links-to-work", "linked-from-work", "same-handle", "same-name",
             "says-employer", "mentions-employer", "links-to"]
PLATFORMS = list(PLATFORM_NAMES)
DEFAULT_MIN_GROUP = 5
_RULE_ID = re.compile(r"^[A-Z]{2,4}(-[A-Z0-9]+){1,4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class WorkshopError(AuditorError):
    """A summary or an aggregate cannot be made."""


# --- participant side -------------------------------------------------------------------------

def _counts(values, vocabulary: list[str]) -> dict[str, int]:
    c = Counter(v for v in values if v in vocabulary)
    return {k: c[k] for k in vocabulary if c[k]}


def checksum(summary: dict[str, Any]) -> str:
    """sha256 over the canonical JSON of everything but the checksum itself."""
    body = {k: v for k, v in summary.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def make_summary(findings: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The anonymous summary of one audit (a ``findings.json`` already loaded)."""
    if not isinstance(findings, dict) or "findings" not in findings or "accounts" not in findings:
        raise WorkshopError("that folder's findings.json is not a Separation Auditor report; run "
                            "auditor audit first and pass its --out folder.")
    fs = [f for f in findings["findings"] if isinstance(f, dict)]
    accounts = [a for a in findings["accounts"] if isinstance(a, dict)]
    rules = Counter(f.get("rule") for f in fs if isinstance(f.get("rule"), str) and _RULE_ID.match(f["rule"]))
    months = Counter(f["created_at"][:7] for f in fs if f.get("category") == "political"
                     and isinstance(f.get("created_at"), str) and _MONTH.match(f["created_at"][:7]))
    exposures = [a.get("exposure") for a in accounts]
    highest = max((e for e in exposures if e in EXPOSURES), key=EXPOSURES.index, default="none")
    policy = findings.get("policy", {}).get("id") if isinstance(findings.get("policy"), dict) else None
    summary: dict[str, Any] = {
        "kind": KIND,
        "schema_version": SCHEMA,
        "summary_id": secrets.token_hex(16),
        "tool_version": __version__,
        "policy": policy if isinstance(policy, str) and policy.isalnum() and len(policy) <= 8 else "unknown",
        "month": now.strftime("%Y-%m"),
        "accounts": len(accounts),
        "highest_exposure": highest,
        "accounts_by_exposure": _counts(exposures, EXPOSURES),
        "accounts_by_platform": _counts((a.get("platform") for a in accounts), PLATFORMS),
        "accounts_by_tie": _counts((a.get("tie") for a in accounts), TIES),
        "ties_by_kind": _counts((t.get("kind") for a in accounts for t in a.get("ties", []) if isinstance(t, dict)),
                                TIE_KINDS),
        "findings": len(fs),
        "findings_by_category": _counts((f.get("category") for f in fs), CATEGORIES),
        "findings_by_severity": _counts((f.get("severity") for f in fs), SEVERITIES),
        "findings_by_platform": _counts((f.get("platform") for f in fs), PLATFORMS),
        "findings_by_rule": dict(sorted(rules.items())),
        "political_by_month": dict(sorted(months.items())),
        "work_identity_tied_to_political_content": bool(
            findings.get("summary", {}).get("work_identity_tied_to_political_content")),
    }
    summary["checksum"] = checksum(summary)
    return summary


# --- facilitator side -------------------------------------------------------------------------

@dataclass
class Loaded:
    """Summaries accepted and the reasons others were rejected."""

    summaries: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


_INT_MAPS = ("accounts_by_exposure", "accounts_by_platform", "accounts_by_tie", "ties_by_kind",
             "findings_by_category", "findings_by_severity", "findings_by_platform", "findings_by_rule",
             "political_by_month")
_VOCAB = {"accounts_by_exposure": EXPOSURES, "accounts_by_platform": PLATFORMS, "accounts_by_tie": TIES,
          "ties_by_kind": TIE_KINDS, "findings_by_category": CATEGORIES, "findings_by_severity": SEVERITIES,
          "findings_by_platform": PLATFORMS}


def validate(data: Any) -> str | None:
    """Why ``data`` is not a valid summary, or None."""
    if not isinstance(data, dict) or data.get("kind") != KIND:
        return "not a workshop summary (make one with: auditor workshop summary)"
    version = str(data.get("schema_version", ""))
    if version.split(".")[0] != SCHEMA.split(".")[0]:
        return (f"made by a different version of the tool (summary format {version or '?'}, this tool reads "
                f"{SCHEMA}); ask for a summary made with version {__version__}")
    if data.get("checksum") != checksum(data):
        return "was changed after it was written (its checksum does not match); ask for a fresh one"
    sid = data.get("summary_id")
    if not isinstance(sid, str) or len(sid) != 32 or any(c not in "0123456789abcdef" for c in sid):
        return "malformed (summary_id)"
    if data.get("highest_exposure") not in EXPOSURES:
        return "malformed (highest_exposure)"
    for key in _INT_MAPS:
        m = data.get(key)
        if not isinstance(m, dict) or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                               for v in m.values()):
            return f"malformed ({key})"
        vocab = _VOCAB.get(key)
        if vocab and not set(m) <= set(vocab):
            return f"malformed ({key} has unknown keys)"
        if key == "findings_by_rule" and not all(_RULE_ID.match(k) for k in m):
            return "malformed (findings_by_rule)"
        if key == "political_by_month" and not all(_MONTH.match(k) for k in m):
            return "malformed (political_by_month)"
    for key in ("accounts", "findings"):
        if not isinstance(data.get(key), int) or data[key] < 0:
            return f"malformed ({key})"
    return None


def load_summaries(paths: list[Path], seen_before: set[str] | None = None) -> Loaded:
    """Read and check every summary; each bad one is rejected with a reason, the rest kept."""
    out = Loaded()
    ids: dict[str, str] = {}
    for p in paths:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except OSError as e:
            out.rejected.append((str(p), f"cannot be read ({e.strerror})"))
            continue
        except (ValueError, UnicodeDecodeError):
            out.rejected.append((str(p), "is not JSON"))
            continue
        why = validate(data)
        if why is None and data["summary_id"] in ids:
            why = f"is a duplicate of {ids[data['summary_id']]} (the same summary handed in twice)"
        if why is None and seen_before and data["summary_id"] in seen_before:
            why = "was already counted in an earlier session in this database"
        if why:
            out.rejected.append((str(p), why))
            continue
        ids[data["summary_id"]] = str(p)
        out.summaries.append(data)
    return out


def participant_table(summaries: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per participant, one boolean column per thing that can be counted."""
    rows = []
    for s in summaries:
        row: dict[str, Any] = {("exposure", s["highest_exposure"]): True,
                               ("tied", "political on a work-tied account"): s["work_identity_tied_to_political_content"]}
        for dim, key in (("category", "findings_by_category"), ("rule", "findings_by_rule"),
                         ("platform", "accounts_by_platform"), ("tie", "accounts_by_tie"),
                         ("tie_kind", "ties_by_kind"), ("severity", "findings_by_severity")):
            for k, v in s[key].items():
                row[(dim, k)] = v > 0
        rows.append(row)
    df = pd.DataFrame(rows).fillna(False).astype(bool)
    df.columns = pd.MultiIndex.from_tuples(df.columns, names=["dimension", "key"])
    return df


def _all_keys(policy: str) -> list[tuple[str, str]]:
    """Every (dimension, key) an aggregate shows, present or not: the fixed vocabularies and
    every rule of the pack."""
    from auditor.policy import load_policy

    try:
        rules = [r.id for r in load_policy(policy).rules]
    except AuditorError:
        rules = []
    return ([("exposure", e) for e in EXPOSURES] + [("severity", s) for s in SEVERITIES]
            + [("category", c) for c in CATEGORIES] + [("platform", p) for p in PLATFORMS]
            + [("tie", t) for t in TIES] + [("tie_kind", k) for k in TIE_KINDS]
            + [("tied", "political on a work-tied account")] + [("rule", r) for r in rules])


def aggregate(summaries: list[dict[str, Any]], min_group: int = DEFAULT_MIN_GROUP) -> dict[str, Any]:
    """Participants per cell, with cells under ``min_group`` participants suppressed (None)."""
    n = len(summaries)
    if n == 0:
        raise WorkshopError("no valid summaries to aggregate")
    df = participant_table(summaries)
    counts = {k: int(v) for k, v in df.sum().items()}
    policies = Counter(s["policy"] for s in summaries)
    cells: list[dict[str, Any]] = []
    order = {"exposure": EXPOSURES[::-1], "severity": SEVERITIES[::-1]}
    # Every dimension lists the same keys whatever the summaries hold: a row that is there only
    # when someone had it would tell the facilitator that someone did, even with its count hidden.
    known = _all_keys(policies.most_common(1)[0][0])
    for dim, key in known + sorted(set(counts) - set(known)):
        value = counts.get((dim, key), 0)
        cells.append({"dimension": dim, "key": key, "participants": value if value >= min_group else None,
                      "suppressed": bool(value < min_group)})
    cells.sort(key=lambda c: (c["dimension"], order.get(c["dimension"], []).index(c["key"])
                              if c["key"] in order.get(c["dimension"], []) else 99,
                              -(c["participants"] or 0), c["key"]))
    top_rules = [c for c in cells if c["dimension"] == "rule" and not c["suppressed"]][:6]
    return {
        "kind": "separation-auditor workshop aggregate",
        "schema_version": SCHEMA,
        "participants": n,
        "min_group": min_group,
        "policy": policies.most_common(1)[0][0],
        "cells": cells,
        "top_rules": [c["key"] for c in top_rules],
        "all_suppressed": n < min_group,
    }


def talking_points(agg: dict[str, Any]) -> list[dict[str, str]]:
    """For the most common rules: the rule in plain words, what to do, and where it comes from."""
    from auditor.policy import load_policy

    try:
        pack = load_policy(agg["policy"])
    except AuditorError:
        return []
    fill = {"what": "a post", "platform": "a social-media account", "employer": "your employer", "evidence": "",
            "other": "another account", "where": "the profile settings", "count": "political posts",
            "fix": "remove the link", "evidence_sentence": "A link ties the accounts together."}
    points = []
    for rid in agg["top_rules"]:
        try:
            r = pack.rule(rid)
        except AuditorError:
            continue
        points.append({"rule": r.id, "title": r.title, "why": fill_template(r.why, fill),
                       "what_to_do": fill_template(r.recommendation, fill),
                       "guidance": f"{r.citation.title} ({r.citation.publisher})", "url": r.citation.url})
    return points


def aggregate_csv(agg: dict[str, Any]) -> str:
    """The cells as CSV (suppressed cells have an empty count)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["dimension", "key", "participants", "suppressed"])
    w.writerow(["total", "participants", agg["participants"], False])
    for c in agg["cells"]:
        w.writerow([c["dimension"], c["key"], "" if c["participants"] is None else c["participants"], c["suppressed"]])
    return buf.getvalue()
