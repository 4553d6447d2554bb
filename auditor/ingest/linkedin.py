"""LinkedIn "Get a copy of your data" export (ZIP of CSV files plus HTML articles).

Files are recognised by their header row, not only their name: localised exports rename files
but keep English headers, and activity files may carry a member-id suffix (``Shares_123.csv``).
Files that hold other people's data or private messages (connections, invitations, messages)
are deliberately not read, and the report says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import unquote

from bs4 import BeautifulSoup

from auditor.errors import ExportFormatError
from auditor.ingest._archive import HEAD_BYTES, Member, Peek, Source, streamed
from auditor.ingest._dates import parse_iso
from auditor.ingest._html import html_to_text
from auditor.ingest._registry import Claim, register_platform
from auditor.ingest._text import decode_bytes, peek_header, read_csv, sniff_csv
from auditor.models import Account, Export, Link, Position, Post, PostKind, SkippedFile

PLATFORM = "linkedin"

#: Column sets that identify each file, most specific first. Matching needs every column.
SIGNATURES: dict[str, frozenset[str]] = {
    "profile": frozenset({"first name", "last name", "headline"}),
    "profile_summary": frozenset({"profile summary"}),
    "positions": frozenset({"company name", "title", "started on", "finished on"}),
    "emails": frozenset({"email address", "primary"}),
    "shares": frozenset({"date", "sharelink", "sharecommentary"}),
    "votes": frozenset({"date", "link", "optiontext"}),
    "reactions": frozenset({"date", "type", "link"}),
    "comments": frozenset({"date", "link", "message"}),
    "reposts": frozenset({"date", "link"}),
}

#: File-name prefixes that must carry the matching header (a wrong header is an error).
NAMED: dict[str, str] = {
    "profile.csv": "profile",
    "positions.csv": "positions",
    "email addresses.csv": "emails",
    "shares": "shares",
    "comments": "comments",
    "reactions": "reactions",
    "instantreposts": "reposts",
    "votes": "votes",
}

#: Files not read on purpose, with the reason shown in the report.
NOT_READ = {
    "connections": "other people's details: not needed for this audit",
    "invitations": "other people's messages: not read",
    "messages": "private messages: not read",
    "guide_messages": "private messages: not read",
    "learning_role_play_messages": "private messages: not read",
    "phonenumbers": "phone numbers: not needed",
    "whatsapp phone numbers": "phone numbers: not needed",
    "ad_targeting": "advertising data: not needed",
    "receipts": "purchase records: not needed",
    "registration": "sign-up details: not needed",
}

DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d %H:%M", "%Y-%m-%d")
POSITION_DATE_FORMATS = ("%b %Y", "%d %b %Y", "%B %Y", "%Y", "%m/%Y", "%Y-%m", "%Y-%m-%d")


def _expected_kind(base: str) -> str | None:
    """The kind a file's name promises (``Shares_123.csv`` -> shares), if any."""
    for prefix, kind in NAMED.items():
        if base == prefix or (not prefix.endswith(".csv") and base.startswith(prefix)):
            return kind
    return None


def _not_read(base: str) -> bool:
    return base.endswith(".csv") and any(base.startswith(p) for p in NOT_READ)


def _kind_of_member(peek: Peek) -> str | None:
    """Which LinkedIn file this is, by header; raise if a known name has a foreign header."""
    member = peek.member
    base = member.basename.lower()
    if not base.endswith(".csv"):
        return None
    expected = _expected_kind(base)
    header = sniff_csv(peek, SIGNATURES.values())
    if header is None:
        if expected:
            got = peek_header(peek.head(8192))
            want = ", ".join(sorted(SIGNATURES[expected]))
            raise ExportFormatError(
                f"{member.name} does not have LinkedIn's columns (found: {', '.join(got[:8]) or 'nothing'}; "
                f"expected: {want}). Use the file exactly as LinkedIn exported it."
            )
        return None
    cols = {c.strip().strip("\ufeff").lower() for c in header}
    matches = [k for k, sig in SIGNATURES.items() if sig <= cols]
    if expected and expected in matches:
        return expected
    matches = [m for m in matches if m != "reposts" or base.startswith("instantrepost")]
    if expected and not matches:
        raise ExportFormatError(
            f"{member.name} does not have LinkedIn's columns for that file "
            f"(found: {', '.join(header[:8])}). Use the file exactly as LinkedIn exported it."
        )
    return matches[0] if matches else None


def _open_table(source: Source, member: Member, sigs, warnings: list[str] | None = None):
    fh = source.open(member)
    table = read_csv(fh, member.name, sigs, warnings=warnings)
    if table is None:
        fh.close()
        return None
    table.rows = _closing(table.rows, fh)
    return table


def _closing(rows: Iterator[dict[str, str]], fh) -> Iterator[dict[str, str]]:
    try:
        yield from rows
    finally:
        fh.close()


def _is_article(member: Member) -> bool:
    parts = [p.lower() for p in member.parts]
    return "articles" in parts[:-1] and parts[-1].endswith((".html", ".htm"))


def wants(member: Member) -> int:
    """CSV files are recognised by their header; files not read on purpose are never opened."""
    base = member.basename.lower()
    return HEAD_BYTES if base.endswith(".csv") and not _not_read(base) and not _is_article(member) else 0


def kind_of(peek: Peek) -> str | None:
    """``articles``, ``not_read``, a kind from :data:`SIGNATURES`, ``error`` (a CSV that cannot be
    read, or a LinkedIn file name with foreign columns) or None."""
    m = peek.member
    if _is_article(m):
        return "articles"
    base = m.basename.lower()
    if not base.endswith(".csv"):
        return None
    if _not_read(base):
        return "not_read"
    try:
        return _kind_of_member(peek)
    except ExportFormatError:
        return "error"


def detect(claim: Claim) -> bool:
    """True when the export holds at least one file with LinkedIn's headers."""
    if claim.has(*SIGNATURES):
        return True
    csvs = [m for m in claim.members() if m.basename.lower().endswith(".csv") and not _is_article(m)]
    misnamed = {_expected_kind(m.basename.lower()) for m in claim.of("error")}
    # LinkedIn's file names with foreign headers: claim the export (so load() can explain) only
    # when it is a lone file or several LinkedIn names appear; other platforms have a comments.csv too.
    return len(misnamed) >= 2 or (len(csvs) == 1 and bool(misnamed))


def load(claim: Claim) -> Export:
    """Read the profile now; stream posts later through :attr:`Export.iter_posts`."""
    source, path = claim.source, claim.path
    groups = claim.groups()
    for m in groups.get("error", []):
        if _expected_kind(m.basename.lower()):
            _kind_of_member(Peek(m, b"", source))  # a file the audit needs: say what is wrong with it
    groups["unreadable"] = groups.pop("error", [])  # a file the audit does not need: skipped, never fatal
    account = _read_account(source, groups, path)
    variant = _variant(path, claim.members(), groups)
    outside = list(getattr(source, "outside_links", []))
    skipped = [SkippedFile(m.name, NOT_READ[next(p for p in NOT_READ if m.basename.lower().startswith(p))])
               for m in groups.get("not_read", [])]
    skipped += [SkippedFile(m.name, "not used by this audit") for m in groups.get("other", [])]
    skipped += [SkippedFile(m.name, "not readable as a CSV file, and not used by this audit")
                for m in groups.get("unreadable", [])]
    skipped += [SkippedFile(n, "a link to a file outside the export folder: not followed") for n in outside]
    warnings = []
    if variant == "basic":
        warnings.append(
            "This is LinkedIn's basic archive: it has your profile but no posts, comments or "
            "reactions. Request the complete archive (Settings > Data privacy > Get a copy of "
            "your data > the larger archive) to audit your activity."
        )
    post_kinds = ("shares", "comments", "reactions", "reposts", "votes", "articles")
    plan = [(m, k) for k in post_kinds for m in groups.get(k, [])]
    iter_posts = streamed(source, plan, lambda src, m, kind: _READERS[kind](src, m, account.key, warnings))
    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings, variant)


def _variant(path: str, members: list[Member], groups: dict[str, list[Member]]) -> str:
    """``complete`` when the export holds activity (what the basic archive never has), or when
    it has none but is named as the complete archive; ``basic`` otherwise. Content first: a
    folder's name, or its first few file names, can say "basic" about a complete archive."""
    if any(groups.get(k) for k in ("shares", "comments", "reactions", "reposts", "articles")):
        return "complete"
    names = [str(path)] + [m.name for m in members]
    return "complete" if any("complete_linkedin" in n.lower() for n in names) else "basic"


# --- profile ---------------------------------------------------------------------------------

def _read_account(source: Source, groups: dict[str, list[Member]], path: str) -> Account:
    first = last = headline = summary = location = ""
    links: list[Link] = []
    for m in groups.get("profile", [])[:1]:
        table = _open_table(source, m, [SIGNATURES["profile"]])
        row = next(table.rows, None) if table else None
        if table:
            for _ in table.rows:  # drain so the file is closed
                pass
        if row:
            first, last = row.get("first name", "").strip(), row.get("last name", "").strip()
            headline = row.get("headline", "").strip()
            summary = row.get("summary", "").strip()
            location = row.get("geo location", "").strip()
            links += [Link(url=f"https://x.com/{h.lstrip('@')}", label=f"@{h.lstrip('@')}", kind="twitter")
                      for h in _bracket_list(row.get("twitter handles", ""))]
            for item in _bracket_list(row.get("websites", "")):
                label, url = _split_labelled_url(item)
                links.append(Link(url=url, label=label, kind="website"))
    if not summary:
        for m in groups.get("profile_summary", [])[:1]:
            table = _open_table(source, m, [SIGNATURES["profile_summary"]])
            if table:
                summary = "\n".join(r.get("profile summary", "") for r in table.rows).strip()
    positions: list[Position] = []
    for m in groups.get("positions", []):
        table = _open_table(source, m, [SIGNATURES["positions"]])
        for r in table.rows if table else ():
            employer = r.get("company name", "").strip()
            if not employer:
                continue
            positions.append(Position(
                employer=employer,
                title=r.get("title", "").strip(),
                description=r.get("description", "").strip(),
                location=r.get("location", "").strip(),
                started=_position_date(r.get("started on", "")),
                finished=_position_date(r.get("finished on", "")),
            ))
    positions.sort(key=lambda p: (p.current, p.started or dt.date.min), reverse=True)
    emails: list[str] = []
    for m in groups.get("emails", []):
        table = _open_table(source, m, [SIGNATURES["emails"]])
        for r in table.rows if table else ():
            e = r.get("email address", "").strip()
            if "@" in e:
                emails.append(e)
    name = " ".join(x for x in (first, last) if x)
    return Account(
        platform=PLATFORM,
        handle="",
        display_name=name,
        headline=headline,
        bio=summary,
        links=tuple(links),
        emails=tuple(emails),
        positions=tuple(positions),
        location=location,
        source=groups["profile"][0].name if groups.get("profile") else "",
    )


def _bracket_list(value: str) -> list[str]:
    """Parse LinkedIn's ``[a,b]`` list cells (Twitter Handles, Websites)."""
    v = value.strip()
    if not v:
        return []
    if v.startswith("[") and v.endswith("]"):
        v = v[1:-1]
    out, depth, cur = [], 0, ""
    for ch in v:  # split on commas that are not inside a URL's own brackets
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += ch == "["
        depth -= ch == "]"
        cur += ch
    out.append(cur)
    return [x.strip() for x in out if x.strip()]


def _split_labelled_url(item: str) -> tuple[str, str]:
    """``PORTFOLIO:https://x`` -> ("PORTFOLIO", "https://x"); a bare URL keeps an empty label."""
    m = re.match(r"^([A-Z_ ]{2,30}):(.+)$", item)
    if m and "//" in m.group(2):
        return m.group(1).strip(), m.group(2).strip()
    return "", item


def _position_date(value: str) -> dt.date | None:
    v = value.strip()
    if not v:
        return None
    for fmt in POSITION_DATE_FORMATS:
        try:
            return dt.datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    return None


# --- activity --------------------------------------------------------------------------------

def parse_timestamp(value: str) -> dt.datetime | None:
    """LinkedIn activity dates are UTC without a zone (some exports append `` UTC``)."""
    v = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(v, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return parse_iso(v)


_URN = re.compile(r"urn:li:(share|activity|ugcPost|comment|article):\(?([A-Za-z0-9:,]+)\)?")


def urn_id(url: str) -> str:
    """The most specific LinkedIn URN id in a URL (comment beats activity), or ""."""
    text = unquote(unquote(url or ""))
    found = _URN.findall(text)
    if not found:
        m = re.search(r"activity[-:](\d{10,})", text)
        return f"activity:{m.group(1)}" if m else ""
    kind, value = found[-1]
    if kind == "comment":
        return "comment:" + value.split(",")[-1].strip(")")
    return f"{kind}:{value}"


def _fallback_id(member: Member, n: int, *parts: str) -> str:
    h = hashlib.sha1("\x1f".join((member.name, str(n), *parts)).encode()).hexdigest()[:12]
    return f"row:{h}"


def _read_shares(source: Source, member: Member, account_key: str, warnings: list[str]) -> Iterator[Post]:
    table = _open_table(source, member, [SIGNATURES["shares"]], warnings)
    for n, r in enumerate(table.rows if table else (), start=1):
        text = r.get("sharecommentary", "").strip()
        shared = r.get("sharedurl", "").strip()
        link = r.get("sharelink", "").strip()
        if not text and not shared and not r.get("mediaurl", "").strip():
            continue
        kind = PostKind.POST if not shared else (PostKind.SHARE if text else PostKind.REPOST)
        yield Post(
            platform=PLATFORM,
            id=urn_id(link) or _fallback_id(member, n, r.get("date", ""), text[:50]),
            kind=kind,
            created_at=parse_timestamp(r.get("date", "")),
            text=text,
            url=link,
            audience=r.get("visibility", "").strip(),
            target_url=shared,
            source=f"{member.name}, row {n}",
            account_key=account_key,
        )


def _read_comments(source: Source, member: Member, account_key: str, warnings: list[str]) -> Iterator[Post]:
    table = _open_table(source, member, [SIGNATURES["comments"]], warnings)
    for n, r in enumerate(table.rows if table else (), start=1):
        text = r.get("message", "").strip()
        if "__extra__" in r:  # an unescaped comma split the message: put it back together
            text = f"{text},{r['__extra__']}".strip()
        link = r.get("link", "").strip()
        if not text:
            continue
        yield Post(
            platform=PLATFORM,
            id=urn_id(link) or _fallback_id(member, n, r.get("date", ""), text[:50]),
            kind=PostKind.COMMENT,
            created_at=parse_timestamp(r.get("date", "")),
            text=text,
            url=link,
            target_url=link,
            source=f"{member.name}, row {n}",
            account_key=account_key,
        )


def _link_rows(kind: str, suffix, title, text):
    """A reader for the files whose rows are a date and a link (reactions, reposts, poll votes).

    ``suffix``, ``title`` and ``text`` take a row and give the id suffix, the post's title (the
    reaction type) and its text (a poll vote's option).
    """

    def read(source: Source, member: Member, account_key: str, warnings: list[str]) -> Iterator[Post]:
        table = _open_table(source, member, [SIGNATURES[kind]], warnings)
        for n, r in enumerate(table.rows if table else (), start=1):
            link = r.get("link", "").strip()
            base = urn_id(link) or _fallback_id(member, n, r.get("date", ""), link)
            yield Post(
                platform=PLATFORM,
                id=f"{base}/{suffix(r)}",
                kind=PostKind.REPOST if kind == "reposts" else PostKind.REACTION,
                created_at=parse_timestamp(r.get("date", "")),
                text=text(r),
                url=link,
                target_url=link,
                title=title(r),
                source=f"{member.name}, row {n}",
                account_key=account_key,
            )

    return read


def _reaction_type(r: dict[str, str]) -> str:
    return r.get("type", "").strip().upper() or "LIKE"


_read_reactions = _link_rows("reactions", lambda r: _reaction_type(r).lower(), _reaction_type, lambda r: "")
_read_reposts = _link_rows("reposts", lambda r: "repost", lambda r: "", lambda r: "")
_read_votes = _link_rows("votes", lambda r: "vote", lambda r: "POLL VOTE",
                         lambda r: r.get("optiontext", "").strip())


_ARTICLE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?)")


def parse_article(html: str, name: str, account_key: str = "") -> Post:
    """One ``Articles/Articles/<slug>.html`` file: title, canonical URL, dates and body text."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    h1 = soup.find("h1")
    a = h1.find("a") if h1 else None
    title = (h1.get_text(" ", strip=True) if h1 else "") or (
        soup.title.get_text(strip=True) if soup.title else PurePosixPath(name).stem.replace("-", " "))
    url = a.get("href", "") if a else ""
    created = None
    for cls in ("published", "created"):
        p = soup.find("p", class_=cls)
        m = _ARTICLE_DATE.search(p.get_text()) if p else None
        if m:
            created = parse_timestamp(m.group(1))
            break
    for tag in soup.find_all(["h1", "title"]) + soup.find_all("p", class_=["created", "published"]):
        tag.decompose()
    text = html_to_text(str(soup.body or soup), "blocks")
    slug = PurePosixPath(name).stem
    return Post(
        platform=PLATFORM,
        id=f"article:{slug}",
        kind=PostKind.ARTICLE,
        created_at=created,
        text=f"{title}\n\n{text}".strip(),
        url=url,
        title=title,
        audience="PUBLIC",
        source=name,
        account_key=account_key,
    )


def _read_article(source: Source, member: Member, account_key: str, warnings: list[str]) -> Iterator[Post]:
    data = source.read_bytes(member, 16 * 1024 * 1024)
    yield parse_article(decode_bytes(data), member.name, account_key)


_READERS = {
    "shares": _read_shares,
    "comments": _read_comments,
    "reactions": _read_reactions,
    "reposts": _read_reposts,
    "votes": _read_votes,
    "articles": _read_article,
}


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load, weak={"not_read", "error"},
                  describes="LinkedIn data export (ZIP or folder with Profile.csv, Shares.csv ...)")
