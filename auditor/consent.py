"""Consent: the audit reads personal data, so the person confirms it is theirs (or that they have
permission) before the first audit, and the report records that they did.

The confirmation is asked once, interactively, and remembered in the user's own configuration
folder (``consent.json``: the time, the tool version and the statement confirmed; nothing about
the data). ``--yes`` (or ``AUDITOR_YES=1``, for scripts) confirms without asking. With no
terminal to ask on and no ``--yes``, the audit stops with one line saying how to confirm.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from auditor import __version__
from auditor.errors import AuditorError

STATEMENT = ("The exports I am auditing are my own, or I have the account holder's permission to "
             "audit them.")
EXPLANATION = """\
Separation Auditor reads your social-media exports on this computer and writes a private report
on where political commentary sits next to your work identity. It does not send anything
anywhere, and it never changes your exports. The report holds excerpts of your posts: keep it
to yourself. If you take part in a workshop, only an anonymous summary of counts, which you will
see before it is written, is ever shared, and only if you choose to hand it in."""


class ConsentRequired(AuditorError):
    """No confirmation and no way to ask for one."""


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question (stdin is a terminal)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def consent_file() -> Path:
    """Where a confirmation is remembered (``click.get_app_dir``: ~/.config/separation-auditor)."""
    return Path(click.get_app_dir("separation-auditor")) / "consent.json"


def _remembered() -> dict | None:
    try:
        data = json.loads(consent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("statement") == STATEMENT else None


def _remember(record: dict) -> None:
    path = consent_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        pass  # not being able to remember only means being asked again next time


def obtain(yes: bool, now: dt.datetime, interactive: bool | None = None) -> dict:
    """The consent record for this audit, asking once if needed; :class:`ConsentRequired` if impossible."""
    base = {"statement": STATEMENT, "tool_version": __version__}
    if yes or os.environ.get("AUDITOR_YES") == "1":
        return {**base, "confirmed": True, "how": "--yes", "confirmed_at": _iso(now)}
    earlier = _remembered()
    if earlier:
        return {**base, "confirmed": True, "how": "remembered",
                "confirmed_at": earlier.get("confirmed_at", ""), "first_confirmed_with": earlier.get("tool_version", "")}
    if interactive is None:
        interactive = stdin_is_terminal()
    if not interactive:
        raise ConsentRequired("confirm first: run the audit in a terminal to be asked, or add --yes to "
                              f"confirm that \u201c{STATEMENT}\u201d")
    click.echo(EXPLANATION, err=True)
    if not click.confirm(f"\n{STATEMENT} Confirm?", default=False, err=True):
        raise ConsentRequired("not confirmed: nothing was read and no report was written.")
    record = {**base, "confirmed": True, "how": "prompt", "confirmed_at": _iso(now)}
    _remember({"statement": STATEMENT, "tool_version": __version__, "confirmed_at": record["confirmed_at"]})
    return record


def _iso(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def remembered() -> dict | None:
    """The confirmation remembered from an earlier audit (time, tool version), if any."""
    return _remembered()


def confirm(how: str, now: dt.datetime) -> dict:
    """The consent record of a confirmation given other than at the terminal prompt (``how``: the
    app's check box), remembered like one given at the prompt."""
    record = {"statement": STATEMENT, "tool_version": __version__, "confirmed": True, "how": how,
              "confirmed_at": _iso(now)}
    _remember({"statement": STATEMENT, "tool_version": __version__, "confirmed_at": record["confirmed_at"]})
    return record
