"""Consent: the audit reads personal data, so the person confirms it is theirs (or that they have
permission) before the first audit, and the report records that they did.

The confirmation is asked once, interactively, and remembered in the user's own settings folder
(``consent.json``: the time, the tool version and the statement confirmed; nothing about the
data). The folder is the operating system's place for an application's settings
(:func:`settings_dir`); a record kept by earlier versions in ``~/.config`` is still read, and
copied to the new place. ``--yes`` (or ``AUDITOR_YES=1``, for scripts) confirms without asking. With no
terminal to ask on and no ``--yes``, the audit stops with one line saying how to confirm.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path

import click
import platformdirs

from auditor import __version__
from auditor.errors import AuditorError

APP = "separation-auditor"

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


def settings_dir() -> Path:
    """The tool's settings folder, where the OS keeps an application's settings (platformdirs):
    ``%APPDATA%\\separation-auditor`` on Windows, ``~/Library/Application Support/separation-auditor``
    on macOS, ``$XDG_CONFIG_HOME/separation-auditor`` (``~/.config/...``) on Linux."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False, roaming=True))


def consent_file() -> Path:
    """Where a confirmation is remembered."""
    return settings_dir() / "consent.json"


def legacy_consent_files() -> list[Path]:
    """Where earlier versions may have remembered it: ``~/.config/separation-auditor`` (or
    ``$XDG_CONFIG_HOME``), and ``click.get_app_dir``. On Linux both are the current place."""
    old = [Path(click.get_app_dir(APP)) / "consent.json"]
    with contextlib.suppress(RuntimeError):  # no home folder to be found
        old.insert(0, Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP / "consent.json")
    new = consent_file()
    return [p for p in dict.fromkeys(old) if p != new]


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("statement") == STATEMENT else None


def _remembered() -> dict | None:
    data = _read(consent_file())
    if data is None:
        data = next(filter(None, map(_read, legacy_consent_files())), None)
        if data is not None:
            _remember(data)  # the old record is left where it is; from now on the new one is read
    return data


def _remember(record: dict) -> None:
    from auditor.output import write_files

    path = consent_file()
    try:
        write_files(path.parent, {path.name: json.dumps(record, indent=2)})
    except (AuditorError, OSError):
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
