"""Text decoding and CSV reading that copes with what real exports (and Excel) do to files.

* UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), and bytes that are
  not UTF-8 decoded one by one as Windows-1252, so a file re-saved by Excel still reads.
* CSV files whose header is not on the first line (LinkedIn's ``Connections.csv`` starts with a
  "Notes:" paragraph): the header is found by scanning for a known signature.
* Multi-line quoted fields (the csv module, never line splitting), and the backslash-escaped
  quotes that some LinkedIn ``Comments.csv`` files use.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from auditor.errors import ExportFormatError
from auditor.ingest._archive import HEAD_BYTES

# Allow very long fields (a long article pasted into one cell) without csv's 128 KiB limit,
# but not unbounded ones.
csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))

_fallbacks = threading.local()


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode undecodable bytes as Windows-1252 (Latin-1 where 1252 has a hole)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    _fallbacks.count = getattr(_fallbacks, "count", 0) + len(bad)
    return bad.decode("cp1252", errors="replace").replace("\ufffd", "") or bad.decode("latin-1"), err.end


codecs.register_error("auditor-cp1252", _cp1252_fallback)


def sniff_encoding(head: bytes) -> str:
    """The codec to read a file with, from its first bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # UTF-16 without BOM: every other byte is NUL in ASCII-heavy text.
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return "utf-16-be"
    return "utf-8-sig"


@dataclass
class DecodeStats:
    """How many bytes needed the Windows-1252 fallback while reading one file."""

    fallback_bytes: int = 0


def open_text(stream: BinaryIO, stats: DecodeStats | None = None) -> io.TextIOBase:
    """Wrap a binary stream as text with the right codec, tolerant of mixed encodings."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(4096)[:4096]
    enc = sniff_encoding(head)
    errors = "auditor-cp1252" if enc.startswith("utf-8") else "replace"
    text = io.TextIOWrapper(buffered, encoding=enc, errors=errors, newline="")
    return _CountingText(text, stats) if stats is not None else text


class _CountingText(io.TextIOBase):
    def __init__(self, inner: io.TextIOWrapper, stats: DecodeStats):
        self._inner, self._stats = inner, stats

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        before = getattr(_fallbacks, "count", 0)
        out = self._inner.read(size)
        self._stats.fallback_bytes += getattr(_fallbacks, "count", 0) - before
        return out

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        before = getattr(_fallbacks, "count", 0)
        out = self._inner.readline(size)
        self._stats.fallback_bytes += getattr(_fallbacks, "count", 0) - before
        return out

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def close(self) -> None:
        self._inner.close()


def decode_bytes(data: bytes) -> str:
    """Decode a whole small file the same way :func:`open_text` would."""
    enc = sniff_encoding(data[:4096])
    errors = "auditor-cp1252" if enc.startswith("utf-8") else "replace"
    return data.decode(enc, errors=errors)


def _norm_header(cell: str) -> str:
    return cell.strip().strip("\ufeff").strip('"').strip().lower()


@dataclass
class CsvTable:
    """A CSV file positioned after its header: ``header`` (as written) and ``rows`` (dicts)."""

    header: list[str]
    rows: Iterator[dict[str, str]]
    header_line: int


def read_csv(
    stream: BinaryIO,
    name: str,
    signatures: Iterable[frozenset[str]],
    *,
    max_preamble_rows: int = 12,
    stats: DecodeStats | None = None,
    warnings: list[str] | None = None,
) -> CsvTable | None:
    """Find the header row (one that contains every column of a signature) and stream rows.

    Returns None when no signature matches in the first ``max_preamble_rows`` rows. Column names
    are matched case-insensitively; the row dicts are keyed by the lower-cased header names.
    A file that is damaged after the header (it ends inside a quoted field, say, because the
    download was cut short) yields the rows before the damage and adds a line to ``warnings``;
    without a ``warnings`` list it raises :class:`ExportFormatError`.
    """
    if stats is None and warnings is not None:
        stats = DecodeStats()
    text = open_text(stream, stats)
    sigs = [frozenset(c.lower() for c in s) for s in signatures]
    head = text.read(64 * 1024)
    backslash = '\\"' in head
    rest = _chain(head, text)
    dialect = {"escapechar": "\\", "doublequote": True} if backslash else {}
    dialect["delimiter"] = sniff_delimiter(head)
    reader = csv.reader(rest, strict=True, **dialect)
    header: list[str] | None = None
    line = 0
    try:
        for line, row in enumerate(reader, start=1):
            cells = {_norm_header(c) for c in row}
            if any(s <= cells for s in sigs):
                header = row
                break
            if line >= max_preamble_rows:
                break
    except csv.Error as e:
        raise ExportFormatError(f"{name} is not a readable CSV file ({e}).") from None
    if header is None:
        return None
    keys = [_norm_header(c) for c in header]

    def rows() -> Iterator[dict[str, str]]:
        n = 0
        try:
            for row in reader:
                n += 1
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) < len(keys):
                    row = row + [""] * (len(keys) - len(row))
                d = dict(zip(keys, row, strict=False))
                if len(row) > len(keys):
                    d["__extra__"] = ",".join(row[len(keys) :])
                yield d
        except csv.Error as e:
            msg = (f"{name} is damaged after row {n} ({e}); the rows before it were audited, the rest "
                   "were not. Download the export again to audit everything.")
            if warnings is None:
                raise ExportFormatError(msg) from None
            warnings.append(msg)
        if stats is not None and stats.fallback_bytes and warnings is not None:
            warnings.append(f"{name} is not valid UTF-8 (re-saved by a spreadsheet program?); "
                            f"{stats.fallback_bytes} byte(s) were read as Windows-1252.")

    return CsvTable(header=header, rows=rows(), header_line=line)


def _chain(head: str, rest: io.TextIOBase) -> Iterator[str]:
    """Yield lines from an already-read head followed by the rest of the stream."""
    buf = io.StringIO(head, newline="")
    pending = ""
    for chunk_line in buf:
        pending = chunk_line
        if chunk_line.endswith(("\n", "\r")):
            yield chunk_line
            pending = ""
    first = rest.readline() if pending else ""
    if pending:
        yield pending + first
    yield from rest


def sniff_delimiter(head: str) -> str:
    """The field separator, from the first line: a comma, or the tab or semicolon that some
    exports and spreadsheet programs write instead (LinkedIn's 2018 exports: UTF-16 with tabs)."""
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def peek_header(data: bytes) -> list[str]:
    """The first non-empty CSV row of a small sample, for error messages."""
    text = decode_bytes(data)
    for row in csv.reader(io.StringIO(text, newline=""), strict=False, delimiter=sniff_delimiter(text[:4096])):
        if any(c.strip() for c in row):
            return [c.strip().strip("\ufeff") for c in row]
    return []


def sniff_csv(peek, signatures: Iterable[frozenset[str]], *, max_preamble_rows: int = 12) -> list[str] | None:
    """The header row of a CSV member (see :func:`read_csv`), found in the bytes already read
    when recognising it (an :class:`auditor.ingest._archive.Peek`); the member is read again
    only when those bytes end before a header is found."""
    sigs = list(signatures)
    data = peek.head(HEAD_BYTES)
    if not peek.complete:
        data = data[: data.rfind(b"\n") + 1]  # never a header cut in two
    try:
        table = read_csv(io.BytesIO(data), peek.member.name, sigs, max_preamble_rows=max_preamble_rows)
        if table is not None or peek.complete:
            return table.header if table else None
    except ExportFormatError:
        if peek.complete:
            raise
    with peek.open() as fh:
        table = read_csv(fh, peek.member.name, sigs, max_preamble_rows=max_preamble_rows)
        return table.header if table else None
