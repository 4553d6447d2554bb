"""Read an export as (name, stream) pairs, whether it is a ZIP, an unpacked folder or one file.

Nothing is ever extracted to disk and the input is opened read-only. ZIP archives are treated
as untrusted: member names that would escape a folder if extracted, encrypted members, too many
members and decompression bombs are refused before or while reading, not trusted from headers.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from auditor.errors import ExportFormatError, UnsafeArchiveError, brief
from auditor.textutil import file_name

#: Limits for untrusted archives. Real exports stay far below them: a LinkedIn "complete"
#: archive is a few MB, an X archive of 200,000 tweets a few hundred MB of JSON.
MAX_MEMBERS = 200_000
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_MEMBER_BYTES = 4 * 1024**3
MAX_RATIO = 200  # uncompressed / compressed, per member, checked while reading

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class Member:
    """A file inside an export. ``name`` is a relative POSIX path."""

    name: str
    size: int

    @property
    def basename(self) -> str:
        """The file name without folders."""
        return PurePosixPath(self.name).name

    @property
    def parts(self) -> tuple[str, ...]:
        """The path components."""
        return PurePosixPath(self.name).parts


class Source:
    """An export on disk. Use :func:`open_source` to get one; use it as a context manager."""

    path: Path

    def members(self) -> list[Member]:
        """Every regular file in the export."""
        raise NotImplementedError

    def open(self, member: Member) -> BinaryIO:
        """A binary stream over one member."""
        raise NotImplementedError

    def read_bytes(self, member: Member, limit: int | None = None) -> bytes:
        """The member's bytes (at most ``limit`` of them)."""
        with self.open(member) as fh:
            return fh.read(limit if limit is not None else -1)

    def reopen(self) -> Source:
        """The same export, ready to read again after this one is closed (the kind of source
        is not worked out again)."""
        return self

    def close(self) -> None:
        """Release the file handle, if any."""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unsafe_name(name: str) -> str | None:
    """Why a ZIP member name is unsafe, or None."""
    if "\x00" in name:
        return "has a NUL byte in its name"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "has an absolute path"
    if ".." in PurePosixPath(norm).parts:
        return "points outside the archive ('..')"
    return None


class _GuardedStream(io.RawIOBase):
    """Counts decompressed bytes and stops a member that inflates beyond the limits."""

    def __init__(self, inner: BinaryIO, member: str, compressed: int, budget: list[int]):
        self._inner = inner
        self._member = member
        self._limit = min(MAX_MEMBER_BYTES, max(compressed, 1) * MAX_RATIO + 1024 * 1024)
        self._read = 0
        self._budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self._inner.read(len(b))
        n = len(data)
        self._read += n
        self._budget[0] -= n
        if self._read > self._limit:
            raise UnsafeArchiveError(
                f"'{self._member}' expands far beyond its compressed size (a ZIP bomb?); "
                "refusing to read it. Use the archive the platform sent you."
            )
        if self._budget[0] < 0:
            raise UnsafeArchiveError(
                "the archive expands to more than "
                f"{MAX_TOTAL_BYTES // 1024**3} GB; refusing to read further (a ZIP bomb?)."
            )
        b[:n] = data
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


class ZipSource(Source):
    """A ZIP export, read in place. ``fh``, when given, is the archive already opened (and is
    closed with the source)."""

    def __init__(self, path: Path, fh: BinaryIO | None = None):
        self.path = path
        self._fh = fh
        try:
            self._zf = zipfile.ZipFile(fh if fh is not None else path)
            infos = self._zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
            self._close_fh()
            raise ExportFormatError(
                f"{path} is not a readable ZIP file ({brief(e)}). The download may be incomplete "
                "or corrupt: download the export again from the platform."
            ) from None
        try:
            self._index(infos)
        except BaseException:
            self.close()
            raise
        self._budget = [MAX_TOTAL_BYTES]

    def _index(self, infos: list[zipfile.ZipInfo]) -> None:
        path = self.path
        if len(infos) > MAX_MEMBERS:
            raise UnsafeArchiveError(f"{path} has {len(infos)} members, more than any real export.")
        self._members: list[Member] = []
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            why = _unsafe_name(info.filename)
            if why:
                raise UnsafeArchiveError(
                    f"{path} contains a member whose name {why} ({info.filename!r}); refusing to "
                    "read a crafted archive. Use the archive exactly as the platform sent it."
                )
            if info.is_dir():
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                continue  # a symlink entry carries no content worth reading
            if info.flag_bits & 0x1:
                raise ExportFormatError(
                    f"{path}: '{info.filename}' is encrypted. Exports are not password-protected; "
                    "unpack it yourself and pass the folder instead."
                )
            name = info.filename.replace("\\", "/")
            if name in self._infos:
                continue  # duplicate names: the first one wins, as with most unzip tools
            self._infos[name] = info
            self._members.append(Member(name, info.file_size))

    def members(self) -> list[Member]:
        """Every file entry in the archive."""
        return list(self._members)

    def open(self, member: Member) -> BinaryIO:
        """Open a member as a guarded, decompressing stream."""
        info = self._infos[member.name]
        try:
            raw = self._zf.open(info)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as e:
            raise ExportFormatError(f"{self.path}: cannot read '{member.name}' ({brief(e)}).") from None
        guarded = _GuardedStream(raw, member.name, info.compress_size, self._budget)
        return _ZipErrors(io.BufferedReader(guarded, buffer_size=256 * 1024), self.path, member.name)

    def reopen(self) -> Source:
        """Open the archive again (its members are checked again too)."""
        return ZipSource(self.path)

    def close(self) -> None:
        """Close the ZIP file."""
        self._zf.close()
        self._close_fh()

    def _close_fh(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class _ZipErrors(io.BufferedIOBase):
    """Turns zlib and CRC errors raised mid-stream into the tool's own error."""

    def __init__(self, inner: io.BufferedReader, path: Path, name: str):
        self._inner, self._path, self._name = inner, path, name

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            return self._inner.read(size)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
            raise ExportFormatError(
                f"{self._path}: '{self._name}' is damaged ({brief(e)}). Download the export again."
            ) from None

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


class DirSource(Source):
    """An unpacked export folder. Links that lead outside the folder are not followed."""

    def __init__(self, path: Path, _walk: bool = True):
        self.path = path
        self.outside_links: list[str] = []
        self._members: list[Member] = []
        self._paths: dict[str, Path] = {}
        self._links: dict[str, Path] = {}  # member name -> where its symlink leads
        if _walk:
            self._walk()

    def _walk(self) -> None:
        path = self.path
        root = path.resolve()
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames.sort()
            for fn in sorted(filenames):
                full = Path(dirpath) / fn
                rel = full.relative_to(path).as_posix()
                try:
                    if full.is_symlink():
                        target = full.resolve()
                        if not target.is_relative_to(root):
                            self.outside_links.append(rel)
                            continue
                        self._links[rel] = target
                    st = full.stat()
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                self._members.append(Member(rel, st.st_size))
                self._paths[rel] = full
        if len(self._members) > MAX_MEMBERS:
            raise UnsafeArchiveError(f"{path} holds {len(self._members)} files, more than any export.")

    def members(self) -> list[Member]:
        """Every regular file below the folder."""
        return list(self._members)

    def subtree(self, folder: str) -> DirSource:
        """The sub-folder ``folder`` (a top-level entry) as an export of its own, from what was
        already found, without walking the disk again. Member names become relative to it."""
        sub = DirSource(self.path / folder, _walk=False)
        root = sub.path.resolve()
        prefix = folder + "/"
        sub.outside_links = [n[len(prefix):] for n in self.outside_links if n.startswith(prefix)]
        for m in self._members:
            if not m.name.startswith(prefix):
                continue
            rel = m.name[len(prefix):]
            target = self._links.get(m.name)
            if target is not None and not target.is_relative_to(root):
                sub.outside_links.append(rel)
                continue
            if target is not None:
                sub._links[rel] = target
            sub._members.append(Member(rel, m.size))
            sub._paths[rel] = self._paths[m.name]
        return sub

    def file(self, member: Member, head: bytes) -> FileSource:
        """A top-level file of the folder as an export of its own, with the bytes already read."""
        return FileSource(self._paths[member.name], head, member.size)

    def open(self, member: Member) -> BinaryIO:
        """Open a file read-only."""
        try:
            return open(self._paths[member.name], "rb")
        except OSError as e:
            raise ExportFormatError(f"cannot read {self._paths[member.name]}: {e.strerror}.") from None


class FileSource(Source):
    """A single file passed on its own (for example just ``Shares.csv``). ``head`` is its first
    bytes, read when the file was recognised, so that recognising it needs no second look."""

    def __init__(self, path: Path, head: bytes = b"", size: int | None = None):
        self.path = path
        self.head = head
        self._member = Member(file_name(path), path.stat().st_size if size is None else size)

    def members(self) -> list[Member]:
        """The one file."""
        return [self._member]

    def open(self, member: Member) -> BinaryIO:
        """Open it read-only (a file that was read whole when it was recognised is not read again)."""
        if len(self.head) >= self._member.size:
            return io.BytesIO(self.head)
        try:
            return open(self.path, "rb")
        except OSError as e:
            raise ExportFormatError(f"cannot read {self.path}: {e.strerror}.") from None


def streamed(source: Source, plan: list[tuple[Member, str]], read) -> Callable[[], Iterator]:
    """An ``Export.iter_posts``: reopen the export each time and yield ``read(source, member, kind)``
    for every (member, kind) in ``plan``, in order."""

    def iter_posts() -> Iterator:
        with source.reopen() as src:
            for member, kind in plan:
                yield from read(src, member, kind)

    return iter_posts


#: The most any importer looks at to recognise a file (a CSV's header may follow a preamble).
HEAD_BYTES = 64 * 1024


class Peek:
    """One member and its first bytes, read once and shown to every importer.

    ``head(n)`` gives the first ``n`` bytes (from what was read when it can, else by reading
    again); ``open()`` streams the whole member, for the rare file whose first bytes are not enough.
    """

    __slots__ = ("member", "_head", "_source")

    def __init__(self, member: Member, head: bytes, source: Source):
        self.member, self._head, self._source = member, head, source

    @property
    def complete(self) -> bool:
        """True when the bytes read are the whole member."""
        return len(self._head) >= self.member.size

    def head(self, n: int) -> bytes:
        """The member's first ``n`` bytes (fewer if it is shorter)."""
        if len(self._head) >= n or self.complete:
            return self._head[:n]
        self._head = self._source.read_bytes(self.member, n)
        return self._head

    @property
    def read(self) -> bytes:
        """The bytes read so far."""
        return self._head

    def moved(self, member: Member, source: Source) -> Peek:
        """The same bytes, for the same file seen as ``member`` of ``source``."""
        return Peek(member, self._head, source)

    def open(self) -> BinaryIO:
        """A stream over the whole member."""
        return self._source.open(self.member)


def open_source(path: str | os.PathLike[str]) -> Source:
    """Open an export path as a :class:`Source`, recognising ZIPs by content, not extension."""
    p = Path(path)
    if not p.exists():
        raise ExportFormatError(f"{p} does not exist. Pass the export ZIP or its unpacked folder.")
    if p.is_dir():
        src = DirSource(p)
        if not src.members():
            raise ExportFormatError(
                f"{p} is an empty folder. Pass the folder you unpacked the export into, or the ZIP."
            )
        return src
    try:
        fh = open(p, "rb")
    except OSError as e:
        raise ExportFormatError(f"cannot read {p}: {e.strerror}.") from None
    try:
        head = fh.read(HEAD_BYTES)
        size = os.fstat(fh.fileno()).st_size
    except OSError as e:
        fh.close()
        raise ExportFormatError(f"cannot read {p}: {e.strerror}.") from None
    if not head:
        fh.close()
        raise ExportFormatError(f"{p} is empty. Download the export again.")
    if head[:4] in ZIP_MAGIC or p.suffix.lower() == ".zip":
        fh.seek(0)
        return ZipSource(p, fh)  # the same handle: the archive is opened once
    fh.close()
    return FileSource(p, head, size)

