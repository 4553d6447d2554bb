"""Decisions that last: what the person decided about each finding, kept in a plain TOML file.

``auditor review`` writes the file (``decisions.toml`` in the report folder by default); the next
``auditor audit`` reads it. One ``[[decision]]`` table per finding, keyed by the finding's
stable key (:func:`auditor.models.finding_key`)::

    [[decision]]
    key = "twitter:1625150911000000001:NZ-NEUTRAL-LINK"
    decision = "dismiss"          # keep (still to do), dismiss (it is fine), done (I fixed it)
    reason = "quoting the minister's press release, not my view"
    date = 2026-11-02
    what = "X/Twitter post, 2023-02-18: Labour's new ..."

* ``dismiss``: the finding is left out of later reports and counted as hidden, with the reason.
* ``done``: the person fixed it; if a later audit still finds it, it comes back marked
  "marked done but still there".
* ``keep``: still to do; it stays in the report.

The file is meant to be read and edited by hand. A malformed one stops the command with one
line naming the file and line, and is never overwritten. Decisions about findings that a later
audit no longer sees (the post is gone) are kept, never dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError

FILE_NAME = "decisions.toml"
CHOICES = {"keep": "still to do", "dismiss": "fine as it is (hidden from later reports)",
           "done": "fixed (should be gone from the next export)"}
_FIELDS = ("key", "decision", "reason", "date", "what")

HEADER = """\
# Separation Auditor: your decisions about the findings of your audits.
# Written by `auditor review`; you may also edit it by hand. One [[decision]] table per finding:
#   key       the finding's stable id (platform, post id or profile field, rule); do not change it
#   decision  "keep" (still to do), "dismiss" (it is fine: hidden from later reports, counted
#             as hidden with your reason) or "done" (you fixed it: if a later audit still finds
#             it, it comes back marked "marked done but still there")
#   reason    why (optional; shown in the report next to the count of hidden findings)
#   date      when you decided
#   what      which post or profile it is, to help you recognise it (not used by the tool)
# To bring a dismissed finding back, change its decision to "keep" or delete its table.
"""


class DecisionsError(AuditorError):
    """The decisions file cannot be read (it is left untouched)."""


@dataclass(frozen=True)
class Decision:
    """One decision about one finding."""

    key: str
    decision: str
    reason: str = ""
    date: dt.date | None = None
    what: str = ""
    #: fields added by hand that the tool does not use, written back unchanged
    extra: dict[str, Any] = field(default_factory=dict)


def load_decisions(path: Path) -> dict[str, Decision]:
    """The decisions in ``path`` (key -> decision, in file order); empty when it does not exist.

    Raises :class:`DecisionsError` naming the file and line when the file is not valid.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise DecisionsError(f"{path} is a folder, not a decisions file; pass the file itself.") from None
    except OSError as e:
        raise DecisionsError(f"cannot read {path}: {e.strerror}.") from None
    fix = "fix that line or delete the file (it was not changed)"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DecisionsError(f"{path}, line {line}: not UTF-8 text; {fix}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column \d+\)", str(e))
        where = f"line {m.group(1)}" if m else "somewhere"
        why = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(e))
        raise DecisionsError(f"{path}, {where}: not valid TOML ({why}); {fix}.") from None
    # tomllib gives no positions: the n-th [[decision]] table starts on the n-th header line.
    starts = [i for i, ln in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*decision\s*\]\]", ln)]
    other = [k for k in data if k != "decision"]
    if other:
        raise DecisionsError(f"{path}: unexpected {other[0]!r}; the file holds only [[decision]] tables; {fix}.")
    tables = data.get("decision", [])
    if not isinstance(tables, list):
        raise DecisionsError(f"{path}: 'decision' must be [[decision]] tables; {fix}.")
    out: dict[str, Decision] = {}
    lines: dict[str, int] = {}
    for n, t in enumerate(tables):
        line = starts[n] if n < len(starts) else 0
        at = f"{path}, line {line}" if line else str(path)
        key = t.get("key")
        if not isinstance(key, str) or not key.strip():
            raise DecisionsError(f"{at}: this decision has no key; {fix}.")
        choice = t.get("decision")
        if choice not in CHOICES:
            raise DecisionsError(f"{at}: decision is {choice!r}; it must be one of "
                                 f"{', '.join(repr(c) for c in CHOICES)}; {fix}.")
        reason, what, date = t.get("reason", ""), t.get("what", ""), t.get("date")
        if not isinstance(reason, str) or not isinstance(what, str):
            raise DecisionsError(f"{at}: reason and what must be text in quotes; {fix}.")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                raise DecisionsError(f"{at}: date {date!r} is not a date like 2026-11-02; {fix}.") from None
        elif isinstance(date, dt.datetime):
            date = date.date()
        elif date is not None and not isinstance(date, dt.date):
            raise DecisionsError(f"{at}: date must be a date like 2026-11-02; {fix}.")
        if key in out:
            raise DecisionsError(f"{at}: the key {key!r} was already decided on line {lines[key]}; keep one; {fix}.")
        extra = {k: v for k, v in t.items() if k not in _FIELDS}
        bad = [k for k, v in extra.items() if not isinstance(v, str | int | float | bool | dt.date)]
        if bad:
            raise DecisionsError(f"{at}: {bad[0]!r} must be a simple value (text, number, date); {fix}.")
        out[key] = Decision(key, choice, reason.strip(), date, what, extra)
        lines[key] = line
    return out


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    # A TOML basic string: JSON's escapes are valid TOML, except that TOML also forbids DEL.
    return json.dumps(str(v), ensure_ascii=False).replace("\x7f", "\\u007f")


def dumps(decisions: dict[str, Decision]) -> str:
    """The decisions as the TOML text of the file (a header explaining it, then one table each)."""
    parts = [HEADER]
    for d in decisions.values():
        rows = [("key", d.key), ("decision", d.decision), ("reason", d.reason)]
        rows += [("date", d.date)] if d.date else []
        rows += [("what", d.what)] if d.what else []
        rows += [(k, v) for k, v in d.extra.items()]
        body = "\n".join(f"{k if re.fullmatch(r'[A-Za-z0-9_-]+', k) else json.dumps(k)} = {_toml_value(v)}"
                         for k, v in rows)
        parts.append(f"\n[[decision]]\n{body}\n")
    return "".join(parts)


def save_decisions(path: Path, decisions: dict[str, Decision]) -> None:
    """Write the file atomically, readable only by the user."""
    from auditor.output import write_files

    write_files(path.parent, {path.name: dumps(decisions)})


def describe(f: dict[str, Any]) -> str:
    """A line that lets a person recognise a finding in the file: where, when, and its words."""
    where = f.get("account_label") or f.get("platform", "")
    kind = f.get("post_kind") or "profile"
    when = f", {f['created_at'][:10]}" if f.get("created_at") else ""
    words = " ".join((f.get("excerpt") or "").split())
    words = words[:90] + "…" if len(words) > 90 else words
    return f"{where}, {kind}{when}: {words}" if words else f"{where}, {kind}{when}"


@dataclass
class Applied:
    """What applying the decisions did to one audit's findings."""

    file: str
    dismissed: list[tuple[str, str]] = field(default_factory=list)  # (key, reason) of hidden findings
    done_still_there: list[str] = field(default_factory=list)
    kept: int = 0
    unmatched: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The ``hidden`` block of ``findings.json``."""
        reasons = Counter(r for _, r in self.dismissed)
        return {
            "file": self.file,
            "total": len(self.dismissed),
            "reasons": [{"reason": r, "count": n} for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))],
            "keys": [k for k, _ in self.dismissed],
            "done_still_there": list(self.done_still_there),
            "kept": self.kept,
            "not_in_this_audit": self.unmatched,
        }


def apply_decisions(result, decisions: dict[str, Decision], file_name: str) -> Applied:
    """Apply the decisions to an :class:`~auditor.models.AuditResult` in place.

    Dismissed findings are taken out (and counted, by reason); findings marked done that are
    still there get a note saying so; kept ones stay as they are. Each account's exposure is
    worked out again from the findings left.
    """
    from auditor.policy.match import exposure

    applied = Applied(file_name)
    seen: set[str] = set()
    for rep in result.accounts:
        kept = []
        for f in rep.findings:
            d = decisions.get(f.key)
            if d is None:
                kept.append(f)
                continue
            seen.add(f.key)
            if d.decision == "dismiss":
                applied.dismissed.append((f.key, d.reason))
                continue
            if d.decision == "done":
                applied.done_still_there.append(f.key)
                when = f" on {d.date.isoformat()}" if d.date else ""
                f = replace(f, notes=(f"Marked done{when} in {file_name}, but still there in this export. If you "
                                      "fixed it after downloading the export, download a new one; otherwise "
                                      "it is still to do.",) + f.notes)
            else:
                applied.kept += 1
            kept.append(f)
        rep.findings = kept
        rep.exposure = exposure(rep.findings)
    # posts to skim are not findings: their dismissals are applied during the audit (see
    # ``run_audit(not_to_list=...)``) and counted there
    applied.unmatched = sum(1 for k in decisions if k not in seen and not is_skim_key(k))
    return applied


def is_skim_key(key: str) -> bool:
    """Whether a decision is about a post on the list to skim rather than a finding."""
    from auditor.models import SKIM_RULE

    return key.endswith(":" + SKIM_RULE)


def decide(decisions: dict[str, Decision], finding: dict[str, Any], choice: str, reason: str,
           today: dt.date) -> dict[str, Decision]:
    """``decisions`` with the person's choice about ``finding`` recorded (replacing an earlier one)."""
    old = decisions.get(finding["key"])
    d = Decision(finding["key"], choice, reason.strip(), today, describe(finding), old.extra if old else {})
    out = dict(decisions)
    out[d.key] = d
    return out


__all__ = ["CHOICES", "FILE_NAME", "Applied", "Decision", "DecisionsError", "apply_decisions", "decide",
           "describe", "dumps", "is_skim_key", "load_decisions", "save_decisions"]
