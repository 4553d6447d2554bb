"""One audit from exports to a report folder: what ``auditor audit`` and ``auditor app`` both do.

:func:`prepare` reads what the folder already holds (the earlier ``findings.json`` to show
progress against, the decisions file) before any work is done, so a malformed decisions file
stops the audit before it starts; :func:`audit_into` runs the audit, applies the decisions,
compares with the earlier audit and writes every output in one all-or-nothing step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError


@dataclass
class Prepared:
    """What an audit into ``out_dir`` reads before it starts."""

    out_dir: Path
    previous: dict[str, Any] | None
    #: why the earlier report cannot be compared with (a warning), or ""
    unusable: str
    decisions_file: Path
    decisions: dict


def prepare(out_dir: Path, since: Path | None = None, decisions_file: Path | None = None) -> Prepared:
    """Read the earlier report and the decisions file for an audit into ``out_dir``.

    ``since`` is an earlier ``findings.json`` or its folder (default: the one in ``out_dir``);
    ``decisions_file`` defaults to ``decisions.toml`` in ``out_dir`` (or, when there is none, in
    the folder of ``since``). Raises :class:`~auditor.errors.AuditorError` for a ``since`` that
    holds no report, a named decisions file that is missing, or a malformed decisions file.
    """
    from auditor.decisions import FILE_NAME, load_decisions
    from auditor.progress import load_previous

    since_file = since / "findings.json" if since and since.is_dir() else since
    previous, unusable = load_previous(since_file or out_dir / "findings.json")
    if since_file and not previous and not unusable:
        raise AuditorError(f"{since} holds no findings.json; pass the findings.json of an earlier audit.")
    if decisions_file is not None and not decisions_file.exists():
        raise AuditorError(f"--decisions {decisions_file} does not exist; check the path (auditor review writes it).")
    if decisions_file is None:
        decisions_file = out_dir / FILE_NAME
        if not decisions_file.exists() and since_file and (since_file.parent / FILE_NAME).exists():
            decisions_file = since_file.parent / FILE_NAME  # reviewed in the earlier audit's folder
    return Prepared(out_dir, previous, unusable, decisions_file, load_decisions(decisions_file))


def employer_name(value: str | None) -> str:
    """The employer a person typed (``--employer``, the app's field), spaces tidied; "" for none.
    Raises :class:`~auditor.errors.AuditorError` for a name too short to match safely or too long."""
    name = " ".join((value or "").split())
    if name and not 2 <= len(name) <= 120:
        raise AuditorError("your employer must be a name of 2 to 120 characters, e.g. 'Ministry for the "
                           "Environment', or left empty.")
    return name


_STRENGTHS = ("strong", "moderate", "weak")


def remembered_employer(previous: dict[str, Any] | None) -> tuple[str, str]:
    """(employer, how) from an earlier audit's ``findings.json``: the employer the person named
    for it (how ``named``), else the one it found on the most strongly work-identified profile
    (how ``profile``); ("", "") when it holds neither."""
    if not isinstance(previous, dict):
        return "", ""
    found: list[tuple[int, str, str]] = [(-1, previous.get("employer_named"), "named")]  # type: ignore[list-item]
    accounts = previous.get("accounts")
    for a in accounts if isinstance(accounts, list) else ():
        wi = a.get("work_identity") if isinstance(a, dict) else None
        if isinstance(wi, dict) and wi.get("strength") in _STRENGTHS:
            found.append((_STRENGTHS.index(wi["strength"]), wi.get("employer"), "profile"))
    for _, name, how in sorted(found, key=lambda x: x[0]):
        if isinstance(name, str) and name.strip():
            try:
                return employer_name(name), how
            except AuditorError:
                continue  # edited by hand into something unusable: as if none was there
    return "", ""


def audit_into(prepared: Prepared, exports: Sequence[str], pack, consent: dict[str, Any], *,
               role: str | None, now: dt.datetime, formats: tuple[str, ...] | None = None,
               progress: Callable[[int], None] | None = None,
               semantic: bool = False, employer: str | None = "") -> tuple[dict[str, Any], list[Path]]:
    """Audit ``exports`` with ``pack`` and write the report into ``prepared.out_dir``
    (``employer``: the person's employer as they named it, see :func:`auditor.audit.run_audit`;
    None when they did not say: the one named for the earlier audit, if any, is used again, and
    the report says so).

    Returns the report context (what ``findings.json`` holds) and the files written.
    """
    from auditor.audit import run_audit
    from auditor.decisions import apply_decisions, is_skim_key
    from auditor.output import write_files
    from auditor.progress import compare
    from auditor.report import FORMATS, OUTPUT_NAMES, build_context, render_all

    not_to_list = frozenset(k for k, d in prepared.decisions.items() if d.decision == "dismiss" and is_skim_key(k))
    remembered, how = remembered_employer(prepared.previous) if employer is None else ("", "")
    result = run_audit(list(exports), pack, role=role, now=now, progress=progress, semantic=semantic,
                       not_to_list=not_to_list, employer=employer if employer is not None else remembered)
    if remembered and any(a.work_identity.employer for a in result.accounts):
        result.employer_named = ""  # a profile names the employer now, and comes first: not used
    elif remembered:
        where = ("as you named it for the earlier audit in this folder" if how == "named" else
                 "which the earlier audit in this folder found on your profiles and none of them names now")
        result.warnings.insert(0, f"Your employer was taken to be \u201c{remembered}\u201d, {where}: posts that name "
                                  "it or say you work there are still found. To leave it out, audit again with "
                                  "--employer \"\" (in the app: empty the \"Your employer\" field).")
    found = {f.key for f in result.findings}  # dismissed ones included: dismissed is not fixed
    hidden = (apply_decisions(result, prepared.decisions, prepared.decisions_file.name).as_dict()
              if prepared.decisions or prepared.decisions_file.exists() else None)
    context = build_context(result, consent, hidden)
    if prepared.previous:
        context["progress"] = compare(prepared.previous, found, context)
    written = write_files(prepared.out_dir, render_all(context, formats or FORMATS),
                          replaces=OUTPUT_NAMES.values())
    return context, written


__all__ = ["Prepared", "audit_into", "employer_name", "prepare", "remembered_employer"]
