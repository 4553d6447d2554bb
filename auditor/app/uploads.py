"""Uploads: exports sent by the page, streamed to a private folder, checked as the command line checks them.

The request body (``multipart/form-data``) is parsed as it arrives (python-multipart's streaming
parser) and each file is written straight into the app's private temporary folder, never held in
memory and never spooled anywhere else. What is refused:

* a body larger than the limit (by its ``Content-Length`` before anything is read, or by counting
  while reading): 413, and every file of that request is removed;
* a file name that is not a safe relative path (``..``, an absolute path, a drive letter, a NUL or
  control character): the browser sends a picked folder's files with their relative paths, which
  are rebuilt below the upload folder only when every part is plain;
* a file part before the CSRF token (in the ``X-CSRF-Token`` header or a ``csrf`` field that
  comes first), so nothing reaches the disk from a forged request;
* once the body is in, each new export goes through exactly the checks the command line makes:
  a ZIP is opened with :class:`auditor.ingest._archive.ZipSource` (crafted member names, too many
  members, encryption) and every export must be recognised (:func:`auditor.ingest.sniff`). A ZIP
  bomb is stopped while the audit reads it, by the same guarded stream as on the command line.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.ingest._archive import MAX_MEMBER_BYTES, MAX_MEMBERS, MAX_TOTAL_BYTES, ZIP_MAGIC

#: the largest upload, all files together (the command line's limit on what an archive may expand to)
MAX_UPLOAD_BYTES = MAX_TOTAL_BYTES
_MAX_FIELD = 4096
_MAX_DEPTH = 32
_DRIVE = re.compile(r"^[A-Za-z]:")


class UploadRefused(Exception):
    """An upload that is not accepted: the HTTP status and one line for the person."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def safe_parts(name: str) -> tuple[str, ...]:
    """The components of a relative path sent as a file name, or :class:`UploadRefused` when the
    name could lead anywhere but below the upload folder."""
    bad = UploadRefused(400, f"the file name {name[:120]!r} is not a plain relative path (it has '..', an "
                             "absolute path, a drive letter or a control character); nothing from this "
                             "upload was kept. Choose the export files or folder themselves.")
    if not name or any(ord(c) < 32 or c == "\x7f" for c in name) or _DRIVE.match(name):
        raise bad
    if name.startswith(("/", "\\")):
        raise bad
    parts = tuple(re.split(r"[/\\]", name))
    if len(parts) > _MAX_DEPTH or any(p in ("", ".", "..") or len(p.encode()) > 255 or _DRIVE.match(p)
                                      for p in parts):
        raise bad
    return parts


@dataclass
class Export:
    """One export the person has uploaded: a ZIP, a folder, or loose files kept together."""

    name: str
    path: Path
    size: int
    files: int
    platform: str = ""

    @property
    def label(self) -> str:
        """What the page calls the export: its importer's description without the file list
        ("LinkedIn data export", "X/Twitter archive from 2012-2018")."""
        from auditor.ingest._registry import PLATFORMS

        importer = PLATFORMS.get(self.platform)
        return importer.describes.split(" (")[0] if importer else f"{self.platform} export"


@dataclass
class _Batch:
    """What one upload request has written so far."""

    root: Path
    loose: str
    csrf_ok: bool
    limit: int
    written: int = 0
    files: int = 0
    tops: dict[str, None] = field(default_factory=dict)
    fh: object | None = None
    file_bytes: int = 0
    name: str = ""


class UploadParser:
    """Feeds one request body to python-multipart and writes its files below ``root``."""

    def __init__(self, root: Path, boundary: bytes, loose: str, csrf_ok: bool, check_csrf: Callable[[str], bool],
                 limit: int):
        from python_multipart import MultipartParser

        self.batch = _Batch(root, loose, csrf_ok, limit)
        self._check_csrf = check_csrf
        self._headers: dict[str, str] = {}
        self._hname = b""
        self._hvalue = b""
        self._field: str | None = None
        self._value = bytearray()
        self.parser = MultipartParser(boundary, {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: setattr(self, "_hname", self._hname + d[s:e]),
            "on_header_value": lambda d, s, e: setattr(self, "_hvalue", self._hvalue + d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._part_end,
        })

    def _part_begin(self) -> None:
        self._headers = {}
        self._field = None
        self._value = bytearray()

    def _header_end(self) -> None:
        self._headers[self._hname.decode("latin-1").lower()] = self._hvalue.decode("latin-1")
        self._hname = self._hvalue = b""

    def _headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, params = parse_options_header(self._headers.get("content-disposition", ""))
        filename = params.get(b"filename")
        if filename is None:
            self._field = params.get(b"name", b"").decode("latin-1")
            return
        b = self.batch
        if not b.csrf_ok:
            raise UploadRefused(403, "")
        try:
            name = filename.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused(400, "a file name is not valid UTF-8; nothing from this upload was kept.") from None
        if not name:  # an empty file input sends a part with no name and no content
            return
        parts = safe_parts(name)
        if len(parts) == 1 and not name.lower().endswith(".zip"):
            parts = (b.loose, *parts)  # loose files of one upload stay together, as one export
        b.files += 1
        if b.files > MAX_MEMBERS:
            raise UploadRefused(413, f"more than {MAX_MEMBERS:,} files in one upload, more than any real "
                                     "export; nothing from this upload was kept.")
        top = parts[0]
        if top not in b.tops:
            old = b.root / top
            if old.is_dir() and not old.is_symlink():  # the same export chosen again replaces it
                shutil.rmtree(old)
            elif old.exists() or old.is_symlink():
                old.unlink()
            b.tops[top] = None
        target = b.root.joinpath(*parts)
        for d in reversed(target.parents):
            if d.is_relative_to(b.root) and d != b.root and not d.exists():
                d.mkdir(mode=0o700)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        b.fh = os.fdopen(os.open(target, flags, 0o600), "wb")
        b.file_bytes = 0
        b.name = name

    def _data(self, data: bytes, start: int, end: int) -> None:
        b = self.batch
        n = end - start
        if b.fh is not None:
            b.file_bytes += n
            b.written += n
            if b.file_bytes > MAX_MEMBER_BYTES:
                raise UploadRefused(413, f"{b.name} is larger than {MAX_MEMBER_BYTES // 1024**3} GB, more than any "
                                         "real export; nothing from this upload was kept.")
            if b.written > b.limit:
                raise too_large(b.limit)
            b.fh.write(data[start:end])
        elif self._field is not None:
            if len(self._value) + n > _MAX_FIELD:
                raise UploadRefused(400, "a form field is too long.")
            self._value += data[start:end]

    def _part_end(self) -> None:
        b = self.batch
        if b.fh is not None:
            b.fh.close()
            b.fh = None
        elif self._field == "csrf" and not b.csrf_ok:
            b.csrf_ok = self._check_csrf(self._value.decode("latin-1"))
            if not b.csrf_ok:
                raise UploadRefused(403, "")

    async def feed(self, chunks: AsyncIterator[bytes]) -> None:
        """Parse the whole body; :class:`UploadRefused` on the first problem."""
        async for chunk in chunks:
            if chunk:
                self.parser.write(chunk)
        self.parser.finalize()
        if not self.batch.csrf_ok:
            raise UploadRefused(403, "")

    def discard(self) -> None:
        """Remove everything this request wrote."""
        b = self.batch
        if b.fh is not None:
            with contextlib.suppress(OSError):
                b.fh.close()
            b.fh = None
        for top in b.tops:
            remove(b.root / top)


def too_large(limit: int) -> UploadRefused:
    """The refusal of an upload over ``limit`` bytes."""
    return UploadRefused(413, f"the upload is larger than {_size(limit)}, the most any export may hold; "
                              "nothing from it was kept. Choose the export itself, not a folder of other files.")


def remove(path: Path) -> None:
    """Delete a file or folder below the upload folder (never following a link)."""
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def check_export(path: Path, shown_as: str) -> str:
    """The platform of an uploaded export, checked as the command line checks its input.

    Raises :class:`~auditor.errors.AuditorError` (its message naming the export ``shown_as``,
    never the private folder) when it is not a safe, recognised export.
    """
    from auditor.errors import AuditorError
    from auditor.ingest import sniff
    from auditor.ingest._archive import ZipSource

    try:
        if path.is_file():
            with open(path, "rb") as fh:
                head = fh.read(4)
            if head in ZIP_MAGIC or path.suffix.lower() == ".zip":
                ZipSource(path).close()  # member names, member count, encryption: refused here
        return sniff(path).name
    except AuditorError as e:
        raise type(e)(str(e).replace(str(path), shown_as)) from None


def tree_size(path: Path) -> tuple[int, int]:
    """Bytes and files below ``path`` (or of one file)."""
    if path.is_file():
        return path.stat().st_size, 1
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def _size(n: int) -> str:
    for unit, div in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= div:
            return f"{n / div:.3g} {unit}"
    return f"{n} bytes"


__all__ = ["MAX_UPLOAD_BYTES", "Export", "UploadParser", "UploadRefused", "check_export", "remove",
           "safe_parts", "too_large", "tree_size"]
