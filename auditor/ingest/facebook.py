"""Facebook "Download your information" in JSON (both the pre-2023 and the 2023+ layouts).

Files are recognised by their top-level keys, not their paths: ``profile_v2`` (profile),
a list of ``{"timestamp", "data": [{"post": ...}]}`` (your posts), ``comments_v2``,
``group_posts_v2``, and reactions (``reactions_v2`` or a list of ``label_values``). Facebook
writes UTF-8 bytes as separate ``\\u00XX`` escapes ("mojibake"); every string is repaired.
Messages, friends and ad data are not read. Large files are streamed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Peek, Source, streamed
from auditor.ingest._json import iter_items, load_small, obj, seq, text
from auditor.ingest._registry import Claim, register_platform
from auditor.models import Account, Export, Link, Position, Post, PostKind, SkippedFile
from auditor.textutil import file_name

PLATFORM = "facebook"

NOT_READ_DIRS = {
    "messages": "private messages: not read",
    "friends": "other people's details: not needed",
    "friends_and_followers": "other people's details: not needed",
    "connections": "other people's details: not needed",
    "ads_information": "advertising data: not needed",
    "security_and_login_information": "login records: not needed",
    "logged_information": "activity logs: not needed",
}


def fix_mojibake(s: str) -> str:
    """Undo Facebook's encoding bug: UTF-8 bytes written as Latin-1 code points.

    Text that is already right (it has characters above U+00FF, or is not valid UTF-8 when
    re-encoded) is returned unchanged.
    """
    if not s or s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def fix_all(value: Any) -> Any:
    """:func:`fix_mojibake` applied to every string in a JSON value (iteratively, no recursion limit)."""
    if isinstance(value, str):
        return fix_mojibake(value)
    if not isinstance(value, (dict, list)):
        return value
    root = [value]
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in list(items):
            if isinstance(v, str):
                node[k] = fix_mojibake(v)
            elif isinstance(v, (dict, list)):
                stack.append(v)
    return root[0]


def _not_read(member: Member) -> str | None:
    parts = [p.lower() for p in member.parts[:-1]]
    return next((r for d, r in NOT_READ_DIRS.items() if d in parts), None)


def wants(member: Member) -> int:
    """JSON files are recognised by the keys near their start; folders not read are never opened."""
    return 2048 if member.basename.endswith(".json") and not _not_read(member) else 0


def kind_of(peek: Peek) -> str | None:
    """``not_read`` (by folder), else which Facebook file a JSON member is, by the keys near its start."""
    member = peek.member
    if _not_read(member):
        return "not_read"
    if not member.basename.endswith(".json"):
        return None
    head = peek.head(2048).decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = head.lstrip()
    for key, kind in (("\"profile_v2\"", "profile"), ("\"comments_v2\"", "comments"),
                      ("\"group_posts_v2\"", "group_posts"), ("\"reactions_v2\"", "reactions_old"),
                      ("\"profile_v3\"", "profile")):
        if key in head:
            return kind
    if stripped.startswith("[") and "\"timestamp\"" in head:
        base = member.basename.lower()
        if "\"label_values\"" in head and ("reaction" in head.lower() or "likes" in base):
            return "reactions"
        if "your_posts" in base or "\"post\"" in head or "\"attachments\"" in head:
            return "posts"
    return None


def detect(claim: Claim) -> bool:
    """True when the export has a Facebook profile, posts or comments file."""
    return claim.has("profile", "comments", "group_posts") or \
        any("your_posts" in m.basename for m in claim.of("posts"))


def parse_ts(value: Any) -> dt.datetime | None:
    """Unix seconds; a few exports hold milli- or microseconds, so scale those down."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    while value > 1e11:
        value /= 1000
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def load(claim: Claim) -> Export:
    """Read the profile now; stream posts, comments, group posts and reactions later."""
    source, path = claim.source, claim.path
    groups = claim.groups()
    if not any(groups.get(k) for k in ("profile", "posts", "comments", "group_posts")):
        raise ExportFormatError(f"{path} holds no Facebook JSON files. Download your information "
                                "from Facebook in JSON format (not HTML) and pass the ZIP.")
    account = _read_account(source, groups)
    skipped = [SkippedFile(m.name, next(r for d, r in NOT_READ_DIRS.items() if d in [p.lower() for p in m.parts]))
               for m in groups.get("not_read", [])]
    skipped += [SkippedFile(m.name, "not used by this audit") for m in groups.get("other", [])
                if m.name.endswith((".json", ".html"))]
    warnings: list[str] = []
    if any(m.name.endswith(".html") for m in groups.get("other", [])) and not groups.get("posts"):
        warnings.append(f"{file_name(path)} looks like Facebook's HTML download. Request the JSON format "
                        "instead: only JSON can be audited.")
    plan = [(m, k) for k in ("posts", "group_posts", "comments", "reactions", "reactions_old")
            for m in groups.get(k, [])]
    iter_posts = streamed(source, plan, lambda src, m, kind: _read(kind, src, m, account, warnings))
    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings)


def _read_account(source: Source, groups: dict[str, list[Member]]) -> Account:
    prof: dict = {}
    src = ""
    for m in groups.get("profile", [])[:1]:
        data = fix_all(load_small(source.open(m), m.name))
        prof = obj(obj(data).get("profile_v2")) or obj(obj(data).get("profile_v3"))
        src = m.name
    name = obj(prof.get("name"))
    emails = tuple(e for e in seq(obj(prof.get("emails")).get("emails")) if isinstance(e, str) and "@" in e)
    positions = []
    for w in seq(prof.get("work_experiences")) + seq(prof.get("work")):
        w = obj(w)
        employer = text(w.get("employer")) or text(obj(w.get("employer")).get("name"))
        if not employer:
            continue
        start, end = parse_ts(w.get("start_timestamp")), parse_ts(w.get("end_timestamp"))
        positions.append(Position(employer=employer, title=text(w.get("title")),
                                  description=text(w.get("description")), location=text(w.get("location")),
                                  started=start.date() if start else None,
                                  finished=end.date() if end else None))
    links = []
    for site in seq(prof.get("websites")):
        url = text(site) or text(obj(site).get("address"))
        if url:
            links.append(Link(url=url, label=url, kind="linkedin" if "linkedin.com/" in url.lower() else "website"))
    bio_parts = []
    for key in ("about_me", "intro_bio", "bio"):
        v = prof.get(key)
        bio_parts.append(text(v) or text(obj(v).get("text")))
    pv = prof.get("political_view")
    political_view = text(pv) or text(obj(pv).get("name"))
    if political_view:
        bio_parts.append(f"Political views: {political_view}")
    city = text(obj(prof.get("current_city")).get("name"))
    username = text(prof.get("username"))
    return Account(
        platform=PLATFORM,
        handle=username,
        display_name=text(name.get("full_name")),
        bio="\n".join(b for b in bio_parts if b),
        links=tuple(links),
        emails=emails,
        positions=tuple(sorted(positions, key=lambda p: (p.current, p.started or dt.date.min), reverse=True)),
        location=city,
        url=f"https://www.facebook.com/{username}" if username else "",
        source=src,
    )


def _post_text(item: dict) -> tuple[str, str]:
    """(the person's words, a shared link) from a post, group post or comment item."""
    words, link = [], ""
    for d in seq(item.get("data")):
        d = obj(d)
        words.append(text(d.get("post")) or text(obj(d.get("comment")).get("comment")))
    for lv in seq(item.get("label_values")):
        lv = obj(lv)
        if text(lv.get("label")).lower() in ("post", "text", "comment", "caption"):
            words.append(text(lv.get("value")))
        if text(lv.get("label")).lower() in ("url", "link"):
            link = link or text(lv.get("value"))
    for a in seq(item.get("attachments")):
        for d in seq(obj(a).get("data")):
            d = obj(d)
            ext = obj(d.get("external_context"))
            link = link or text(ext.get("url"))
            desc = text(obj(d.get("media")).get("description"))
            if desc and desc not in words:
                words.append(desc)
    return "\n".join(w.strip() for w in words if w and w.strip()), link


def _id(member: Member, n: int, *parts: str) -> str:
    return "fb:" + hashlib.sha1("\x1f".join((member.name, str(n), *parts)).encode()).hexdigest()[:12]


_PREFIX = {"posts": "item", "group_posts": "group_posts_v2.item", "comments": "comments_v2.item",
           "reactions": "item", "reactions_old": "reactions_v2.item"}


def _read(kind: str, source: Source, member: Member, account: Account, warnings: list[str]) -> Iterator[Post]:
    items = iter_items(source.open(member), _PREFIX[kind], member.name, warnings)
    for n, item in enumerate(items, start=1):
        item = fix_all(obj(item))
        ts = item.get("timestamp")
        title = text(item.get("title"))
        if kind in ("reactions", "reactions_old"):
            reaction = ""
            for d in seq(item.get("data")):
                reaction = reaction or text(obj(obj(d).get("reaction")).get("reaction"))
            for lv in seq(item.get("label_values")):
                lv = obj(lv)
                if text(lv.get("label")).lower() in ("reaction", "réaction", "reaktion"):
                    reaction = reaction or text(lv.get("value"))
            if not title:
                continue
            yield Post(PLATFORM, _id(member, n, str(ts), title), PostKind.REACTION, parse_ts(ts),
                       title, title=(reaction or "LIKE").upper(), source=f"{member.name}, item {n}",
                       account_key=account.key)
            continue
        body, link = _post_text(item)
        if kind == "comments":
            c = {}
            for d in seq(item.get("data")):
                c = c or obj(obj(d).get("comment"))
            ts = ts or c.get("timestamp")
            if not body:
                continue
            yield Post(PLATFORM, _id(member, n, str(ts), body[:40]), PostKind.COMMENT, parse_ts(ts), body,
                       title=title, target_url=link, source=f"{member.name}, item {n}",
                       account_key=account.key)
            continue
        if not body and not link:
            continue
        pk = PostKind.POST if not link else (PostKind.SHARE if body else PostKind.REPOST)
        yield Post(PLATFORM, _id(member, n, str(ts), body[:40], link), pk, parse_ts(ts), body,
                   target_url=link, title=title, source=f"{member.name}, item {n}",
                   account_key=account.key)


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load, weak={"not_read"},
                  describes="Facebook 'Download your information' in JSON (profile_information.json, your_posts_1.json)")
