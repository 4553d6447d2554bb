"""Files and folders only the user can read, on every operating system.

* **POSIX** (Linux, macOS): a new folder is created with mode 0700 and a new file with 0600.
  ``tempfile.mkstemp`` already creates files 0600; :func:`restrict_file` sets it again with
  ``os.fchmod`` where Python has it, or ``os.chmod`` on the path where it does not (Windows
  before Python 3.13 has no ``os.fchmod``).
* **Windows**: modes are not permissions there (``os.chmod`` only sets the read-only flag) and
  a new file inherits the access list of its folder, which may let other people read it (a
  shared drive, ``C:\\Users\\Public``). So every new file, and every folder this tool creates,
  gets an owner-only access list before anything is written into it:
  ``icacls PATH /inheritance:r /grant:r *<your SID>:F`` (``(OI)(CI)F`` for a folder, so what
  is created inside inherits it). That removes the inherited entries and grants full control to
  the signed-in account alone; Administrators can still take ownership, as on any Windows
  machine. Your SID comes from ``whoami /user`` (a SID, unlike a user name, cannot be ambiguous
  between a local and a domain account). Both are programs Windows ships in System32; no extra
  package is needed. If either fails, the report is not written (:class:`PrivacyError`).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from auditor.errors import OutputError

#: Whether to protect files the Windows way (a module constant so tests can simulate Windows).
WINDOWS = os.name == "nt"
_SID = re.compile(r"\bS-1-\d+(?:-\d+)+\b")


class PrivacyError(OutputError):
    """A file or folder could not be made private to the user."""


def _run(cmd: Sequence[str]) -> str:
    """Run a Windows system program; its output, or :class:`PrivacyError` naming what failed."""
    system = Path(os.environ.get("SystemRoot", r"C:\Windows")) / "System32"
    exe = system / f"{cmd[0]}.exe"
    argv = [str(exe) if exe.exists() else cmd[0], *cmd[1:]]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=60, check=False,
                              creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except (OSError, subprocess.SubprocessError) as e:
        raise PrivacyError(f"cannot run {cmd[0]} to make the report private to you ({e}); "
                           "nothing was written.") from None
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        raise PrivacyError(f"{cmd[0]} could not make {cmd[1] if len(cmd) > 1 else 'a file'} private to you "
                           f"({why[-1] if why else f'exit code {done.returncode}'}); nothing was written.")
    return done.stdout


#: How commands are run; tests replace it with a fake that records the commands.
runner: Callable[[Sequence[str]], str] = _run


@functools.cache
def _user_sid() -> str:
    """The signed-in account's SID, e.g. ``S-1-5-21-…-1001``."""
    out = runner(["whoami", "/user", "/fo", "csv", "/nh"])
    found = _SID.findall(out)
    if not found:
        raise PrivacyError("whoami did not say which account you are, so the report cannot be made "
                           "private to you; nothing was written.")
    return found[-1]


def icacls_command(path: Path, sid: str, folder: bool = False) -> list[str]:
    """The ``icacls`` command that leaves ``path`` readable by ``sid`` alone."""
    grant = f"*{sid}:(OI)(CI)F" if folder else f"*{sid}:F"
    return ["icacls", str(path), "/inheritance:r", "/grant:r", grant]


def restrict_file(fd: int, path: Path) -> None:
    """Make a file just created (and still empty) readable and writable by the user alone."""
    if WINDOWS:
        runner(icacls_command(path, _user_sid()))
    elif hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    else:
        os.chmod(path, 0o600)


def make_dir(path: Path) -> None:
    """Create ``path`` (and its parents) if missing; a folder created here is private to the user.

    An existing folder is left as it is (it is the user's, and may be meant to be shared);
    the files written into it are private all the same.
    """
    existed = path.is_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if WINDOWS and not existed:
        runner(icacls_command(path, _user_sid(), folder=True))


def restrict_dir(path: Path) -> None:
    """Make a folder just created (``tempfile.mkdtemp``) private to the user: 0700 on POSIX, an
    owner-only access list that what is written inside inherits on Windows."""
    if WINDOWS:
        runner(icacls_command(path, _user_sid(), folder=True))
    else:
        os.chmod(path, 0o700)


__all__ = ["PrivacyError", "icacls_command", "make_dir", "restrict_dir", "restrict_file"]
