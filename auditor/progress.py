"""Progress since the last audit: compare this audit's findings with an earlier ``findings.json``.

Findings are matched by their stable key (:func:`auditor.models.finding_key`):

* **fixed**: in the earlier report, not found any more (the post is gone or the profile changed);
* **new**: in this report, not in the earlier one;
* **open**: in both;
* **dismissed**: in the earlier report, still there, but dismissed since (now hidden).

A finding whose rule changed while its post or profile field and its kind (category) stayed the
same counts as open, not as one fixed and one new: cutting an account's tie to work changes the
rule a political post falls under (and lowers its severity), but the post is still there.

Only accounts audited both times are compared: a finding on an account left out of this audit
is counted as ``not_compared``, never as fixed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.models import finding_key


def load_previous(path: Path) -> tuple[dict[str, Any] | None, str]:
    """An earlier ``findings.json``, or (None, why it cannot be used) for a one-line warning.

    A missing file is not a problem (the first audit); an unreadable one is a warning, never an
    error: progress is skipped, the audit goes on.
    """
    if not path.is_file():
        return None, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return None, f"{path} cannot be read as an earlier report ({type(e).__name__}); progress since it is not shown."
    if (not isinstance(data, dict) or not str(data.get("schema_version", "")).startswith("1.")
            or not isinstance(data.get("findings"), list)
            or not all(isinstance(f, dict) for f in data["findings"])):
        return None, (f"{path} is not a findings.json this version can compare with (schema "
                      f"{data.get('schema_version') if isinstance(data, dict) else '?'}); progress since it is not shown.")
    try:
        for f in data["findings"]:
            f.setdefault("key", key_of(f))  # reports before schema 1.2 had no key: work it out
    except (KeyError, TypeError, AttributeError):
        return None, f"{path} has findings this version cannot read; progress since it is not shown."
    return data, ""


def key_of(f: dict[str, Any]) -> str:
    """The stable key of a finding in ``findings.json`` (as written, or worked out from its fields)."""
    if isinstance(f.get("key"), str):
        return f["key"]
    return finding_key(f["platform"], f["account"], f["subject"], f["post_id"], f["rule"], f.get("excerpt", ""))


def _subject(key: str, category: str) -> tuple[str, str]:
    """What a finding is about, without its rule: the post or profile field, and the kind."""
    return key.rsplit(":", 1)[0], category


def compare(previous: dict[str, Any], all_keys: set[str], context: dict[str, Any]) -> dict[str, Any]:
    """The ``progress`` block: what changed between ``previous`` and this audit.

    ``all_keys`` are the keys of every finding this audit made, dismissed ones included (so a
    finding dismissed since is not mistaken for a fixed one); ``context`` is this audit's report
    context (its findings are the ones still shown).
    """
    audited = {a["key"] for a in context["accounts"]}
    shown = {f["key"]: f for f in context["findings"]}
    same_thing = {_subject(f["key"], f["category"]): f["key"] for f in context["findings"]}
    fixed, still, dismissed, not_compared = [], 0, 0, 0
    old_keys = {f["key"] for f in previous["findings"]}
    matched = set(old_keys)  # keys of this audit that continue an earlier finding
    for f in previous["findings"]:
        k = f["key"]
        moved = same_thing.get(_subject(k, f.get("category", "")))
        if f.get("account") not in audited:
            not_compared += 1
        elif k in shown:
            still += 1
        elif k in all_keys:
            dismissed += 1
        elif moved and moved not in matched:  # the rule changed, the post or field is still there
            matched.add(moved)
            still += 1
        else:
            fixed.append({
                "key": k, "platform": f.get("platform", ""), "account_label": f.get("account_label", ""),
                "rule": f.get("rule", ""), "title": f.get("title", ""), "category": f.get("category", ""),
                "severity": f.get("severity", ""), "post_kind": f.get("post_kind", ""),
                "created_at": f.get("created_at"), "excerpt": (f.get("excerpt") or "")[:300],
                "how": "the post is gone" if f.get("subject") == "post" else "the profile was changed",
            })
    new_ids = [f["id"] for k, f in shown.items() if k not in matched]
    note = ""
    old_policy = (previous.get("policy") or {}).get("id")
    if old_policy and old_policy != context["policy"]["id"]:
        note = (f"The earlier audit used the {old_policy} policy pack and this one {context['policy']['id']}; "
                "findings under different rules do not match.")
    return {
        "previous_generated_at": previous.get("generated_at"),
        "fixed": len(fixed),
        "new": len(new_ids),
        "open": still,
        "dismissed": dismissed,
        "not_compared": not_compared,
        "new_ids": new_ids,
        "fixed_items": fixed,
        "note": note,
    }


__all__ = ["compare", "key_of", "load_previous"]
