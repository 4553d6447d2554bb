"""Streaming JSON for the exports that use it (X/Twitter, Facebook, Mastodon).

Large files are never loaded whole: :func:`iter_items` walks one array with ijson (the yajl2 C
backend where it is installed) and yields one item at a time. Small files (profiles) are
loaded with :func:`load_small`, which refuses anything bigger than a profile can be.

X/Twitter's ``.js`` files start with ``window.YTD.<name>.partN = `` and may end with ``;``
(archives from 2012-2018: ``Grailbird.data.tweets_2013_02 = `` and ``var user_details = ``):
:class:`JsPrefixStream` hides both so the rest is plain JSON.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from auditor.errors import ExportFormatError, brief

#: Profiles, accounts and manifests are small; anything larger is not the file we think it is.
MAX_SMALL = 32 * 1024 * 1024
#: How X archive files start: ``window.YTD.`` (2019 on), ``Grailbird.data.`` and ``var `` (2012-2018).
_JS_PREFIXES = (b"window.", b"var ", b"Grailbird.")
_JSON_ERRORS = (ijson.JSONError, ijson.IncompleteJSONError, ValueError, RecursionError, UnicodeDecodeError)


class JsPrefixStream(io.RawIOBase):
    """A binary stream over ``window.YTD.x.part0 = [...];`` that yields only ``[...]`` (also
    ``Grailbird.data.tweets_2013_02 = [...]`` and ``var user_details = {...}``).

    The prefix is skipped up to the first ``=``; a trailing ``;`` and whitespace are dropped.
    """

    def __init__(self, inner: BinaryIO, name: str):
        self._inner = inner
        head = inner.read(4096)
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        stripped = head.lstrip()
        if stripped.startswith(_JS_PREFIXES):
            eq = head.find(b"=")
            if eq < 0:
                raise ExportFormatError(f"{name} starts like an X archive file but has no '=' after "
                                        "the 'window.YTD' name. Use the file as X exported it.")
            head = head[eq + 1 :]
        cut = len(head.rstrip(b" \t\r\n;"))
        self._pending, self._held = head[:cut], head[cut:]
        self._eof = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        """Make ``_pending`` non-empty unless the stream is done, holding back a trailing run of
        ';' and whitespace until it is known whether more data follows it."""
        while not self._pending and not self._eof:
            chunk = self._inner.read(256 * 1024)
            if not chunk:
                self._eof = True
                self._held = b""  # only ';' and whitespace are ever held back: drop them
                return
            data = self._held + chunk
            cut = len(data.rstrip(b" \t\r\n;"))
            self._pending, self._held = data[:cut], data[cut:]

    def readinto(self, b) -> int:  # type: ignore[override]
        self._fill()
        n = min(len(b), len(self._pending))
        b[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


#: How much deeper than it started a JSON file may nest. Real exports nest fewer than 20 levels;
#: ijson's cost grows with the square of the depth, so a crafted file 100,000 levels deep would
#: otherwise take minutes.
MAX_NESTING = 5_000


class _NestingGuard(io.RawIOBase):
    """Refuses absurdly deep JSON while it streams past.

    Counts opening minus closing brackets chunk by chunk (brackets inside strings count too, so
    the limit is far above anything real text produces).
    """

    def __init__(self, inner: BinaryIO, name: str):
        self._inner, self._name, self._depth = inner, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self._inner.read(len(b))
        self._depth += data.count(b"[") + data.count(b"{") - data.count(b"]") - data.count(b"}")
        if self._depth > MAX_NESTING:
            raise ExportFormatError(f"{self._name} nests more than {MAX_NESTING:,} levels deep, which no "
                                    "export does; refusing to read it. Use the file the platform sent you.")
        n = len(data)
        b[:n] = data
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


def iter_items(stream: BinaryIO, prefix: str, name: str, warnings: list[str] | None) -> Iterator[Any]:
    """Yield the items of the array at ``prefix`` (ijson syntax: ``item``, ``comments_v2.item``).

    A file that is damaged part-way adds a warning (when ``warnings`` is given) and stops: the
    items before the damage are kept. Without ``warnings`` the damage raises
    :class:`ExportFormatError`.
    """
    n = 0
    stream = _NestingGuard(stream, name)
    try:
        for item in ijson.items(stream, prefix, use_float=True):
            n += 1
            yield item
    except _JSON_ERRORS as e:
        msg = (f"{name} is damaged or not JSON after item {n} ({brief(e)}); the items before it "
               "were audited, the rest were not. Download the export again to audit everything.")
        if warnings is None or n == 0:
            raise ExportFormatError(msg if n else f"{name} is not readable JSON ({brief(e)}). "
                                    "Use the file exactly as the platform exported it.") from None
        warnings.append(msg)
    finally:
        stream.close()


def load_small(stream: BinaryIO, name: str) -> Any:
    """Parse a small JSON file (a profile); :class:`ExportFormatError` if it is broken or huge."""
    with stream:
        data = stream.read(MAX_SMALL + 1)
    if len(data) > MAX_SMALL:
        raise ExportFormatError(f"{name} is over {MAX_SMALL // 1024**2} MB, far larger than this "
                                "file ever is in an export; it is not the file the name says.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    stripped = text.lstrip()
    if stripped.startswith(tuple(p.decode() for p in _JS_PREFIXES)):
        if "=" not in stripped:
            raise ExportFormatError(f"{name} starts like an X archive file but has no '=' after the "
                                    "'window.YTD' name. Use the file as X exported it.")
        text = stripped.split("=", 1)[1].strip().rstrip(";")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:
        raise ExportFormatError(f"{name} is not readable JSON ({brief(e)}). "
                                "Use the file exactly as the platform exported it.") from None


def head_text(stream: BinaryIO, size: int = 4096) -> str:
    """The first ``size`` bytes of a member as text, for recognising a file by its content."""
    with stream:
        data = stream.read(size)
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def text(value: Any) -> str:
    """A JSON value as a string when it is one, else "" (exports put odd types in odd places)."""
    return value if isinstance(value, str) else ""


def obj(value: Any) -> dict:
    """A JSON value as a dict when it is one, else {}."""
    return value if isinstance(value, dict) else {}


def seq(value: Any) -> list:
    """A JSON value as a list when it is one, else []."""
    return value if isinstance(value, list) else []

