"""Small text helpers shared by importers, detectors and renderers."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlparse

from auditor.models import Span

_EXT = re.compile(r"\.(html?|php|aspx?)$")
_ACTIVITY = re.compile(r"[-_]?(activity|ugcpost|share)[-_:]\d+.*$", re.IGNORECASE)
_NOT_WORDS = re.compile(r"[\d\-_]+|urn:li:.*|[A-Za-z0-9]{20,}")
_SEP = re.compile(r"[-_]+")
_PATH_SEP = re.compile(r"[\\/]")


def file_name(path: object) -> str:
    """The last part of a local path, whichever separator it uses: ``C:\\Users\\ana\\Shares.csv``
    and ``/home/ana/Shares.csv`` both give ``Shares.csv``. Reports show local files this way, so
    they never reveal the folders of the machine the audit ran on, nor a backslash."""
    text = str(path)
    return _PATH_SEP.split(text.rstrip("\\/"))[-1] or text


class _Values(dict):
    """Values for :func:`fill_template`; a missing key gives the ``missing`` text."""

    def __init__(self, values: dict[str, str], missing: str):
        super().__init__(values)
        self.missing = missing

    def __missing__(self, key: str) -> str:
        # "{What}" is "{what}" at the start of a sentence: "This post", not "this post"
        lower = key[:1].lower() + key[1:]
        if lower != key and lower in self:
            value = self[lower]
            return value[:1].upper() + value[1:]
        return self.missing.format(key=key)


def fill_template(template: str, values: dict[str, str], missing: str = "") -> str:
    """``template.format_map(values)`` where a placeholder without a value becomes ``missing``
    (a pack's rule text may use placeholders that some findings have no value for)."""
    return template.format_map(_Values(values, missing))


#: Plurals that adding "s" gets wrong, and the kinds whose name is not the word a person uses.
_PLURALS = {"reply": "replies", "repost": "reposts", "visitor-comment": "visitors' comments",
            "article": "articles", "reaction": "reactions"}
_WORDS = {"visitor-comment": "visitor's comment"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1,780 replies', '1 reply': a count in plain words."""
    word = str(word)
    if n == 1:
        return f"{n:,} {_WORDS.get(word, word)}"
    if many:
        return f"{n:,} {many}"
    if word in _PLURALS:
        return f"{n:,} {_PLURALS[word]}"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{n:,} {word[:-1]}ies"
    return f"{n:,} {word}s"


def host_of(url: str, base: str = "") -> tuple[str, str]:
    """(absolute URL, lower-case host) of a link, resolved against ``base``; ("", "") when the
    address is malformed (urllib raises on things like an unbalanced "[" in the host)."""
    try:
        full = urljoin(base, url) if base else url
        return full, (urlparse(full).hostname or "").lower()
    except ValueError:
        return "", ""


def link_words(url: str) -> str:
    """Readable words from a link's path: post slugs, article slugs, news headlines.

    A LinkedIn reaction row holds only the link of the post reacted to; its slug
    (``/posts/jane-doe_vote-labour-activity-...``) is the only text there is to check.
    """
    if not url:
        return ""
    try:
        parsed = urlparse(unquote(url))
    except ValueError:
        return ""
    words = []
    for seg in (s for s in parsed.path.split("/") if s):
        seg = _EXT.sub("", seg)
        seg = _ACTIVITY.sub("", seg)
        if not seg or _NOT_WORDS.fullmatch(seg):
            continue
        if "-" in seg or "_" in seg:
            words.append(_SEP.sub(" ", seg).strip())
    return " ".join(w for w in words if w)


def excerpt(text: str, spans: tuple[Span, ...], width: int = 420) -> tuple[str, tuple[Span, ...]]:
    """Shorten ``text`` to about ``width`` characters around its first span; shift spans to match.

    Spans that fall outside the excerpt are kept with offsets of -1 so the signal list stays
    complete while highlighting skips them.
    """
    if len(text) <= width:
        return text, spans
    first = min((s.start for s in spans), default=0)
    start = max(0, min(first - width // 4, len(text) - width))
    while start > 0 and not text[start - 1].isspace() and first - start < width // 3:
        start -= 1
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = prefix + text[start:end].strip() + suffix
    offset = len(prefix) - start - (len(text[start:end]) - len(text[start:end].lstrip()))
    shifted = []
    for s in spans:
        if start <= s.start and s.end <= end:
            shifted.append(Span(s.start + offset, s.end + offset, s.text, s.signal, s.field))
        else:
            shifted.append(Span(-1, -1, s.text, s.signal, s.field))
    return body, tuple(shifted)
