"""Write report files safely: private permissions, all-or-nothing, never into the input.

Every file is first written to a temporary file in the output folder, made private to the user
before anything is written into it (:mod:`auditor._private`: mode 0600 on POSIX, an owner-only
access list on Windows), and only renamed into place once all of them have been written, so an
interrupted run leaves either the previous report or the new one, never half of one. One audit
per folder: the outputs of an earlier audit that the new one does not write are removed in the
same step (see ``replaces``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from auditor._private import make_dir, restrict_file
from auditor.errors import OutputError


def check_not_inside(out_dir: Path, inputs: Iterable[str]) -> None:
    """Refuse an output folder inside an input folder: the input must never be modified."""
    out = out_dir.resolve()
    for i in inputs:
        p = Path(i).resolve()
        if p.is_dir() and (out == p or out.is_relative_to(p)):
            raise OutputError(f"--out {out_dir} is inside the export {i}; choose a folder outside it "
                              "so the export is left untouched.")
        if p.is_file() and out == p:
            raise OutputError(f"--out {out_dir} is the export file itself; choose another folder.")


def write_files(out_dir: Path, files: Mapping[str, str | Iterable[str]], replaces: Iterable[str] = ()) -> list[Path]:
    """Write ``{name: text}`` into ``out_dir`` atomically, readable only by the user.

    A value may be an iterable of text chunks, written as they come, so a large report is
    never held in memory whole. ``replaces`` names the files of a set that belong together (a
    report's outputs): once the new files are in place, any of those names not written now is
    removed, so the folder never mixes two audits. Only those names are ever removed.
    """
    try:
        make_dir(out_dir)
    except OSError as e:
        raise OutputError(f"cannot create {out_dir}: {e.strerror}.") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir} exists and is not a folder.")
    temps: list[tuple[str, Path]] = []
    try:
        for name, text in files.items():
            parent = (out_dir / name).parent
            if parent != out_dir:
                make_dir(parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{Path(name).name}.", suffix=".tmp", dir=parent)
            temps.append((name, Path(tmp)))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                restrict_file(fh.fileno(), Path(tmp))
                if isinstance(text, str):
                    fh.write(text)
                else:
                    for chunk in text:
                        fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        written = []
        for name, tmp in temps:
            final = out_dir / name
            os.replace(tmp, final)
            written.append(final)
        for name in replaces:
            old = out_dir / name
            if name not in files and (old.is_symlink() or old.is_file()):  # never a folder
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()
        return written
    except OSError as e:
        raise OutputError(f"cannot write the report in {out_dir}: {e.strerror}.") from None
    finally:
        for _, tmp in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
