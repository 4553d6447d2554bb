"""Instagram "Download your information" in JSON (the same Meta exporter as Facebook).

Read: ``personal_information/personal_information.json`` (``profile_user[].string_map_data``:
Name, Username, Bio, Website) and your posts, ``posts_1.json`` (``your_instagram_activity/
content/`` or older ``content/``): a list of ``{"media": [{"uri", "creation_timestamp",
"title"}], "title", "creation_timestamp"}`` where the caption is the post's ``title`` (or, for a
single photo, the media's). Threads posts in the same download
(``threads/threads_and_replies.json``, ``text_post_app_text_posts``) are read the same way and
marked as Threads. Strings carry Facebook's mojibake, repaired. Messages, followers and ad data
are not read.

The posts format is confirmed by several independent parsers of real exports; the profile and
Threads key names are from Meta's documentation and secondary sources and are read defensively.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Peek, Source, streamed
from auditor.ingest._json import iter_items, load_small, obj, seq, text
from auditor.ingest._registry import Claim, register_platform
from auditor.ingest.facebook import fix_all, parse_ts
from auditor.models import Account, Export, Link, Post, PostKind, SkippedFile

PLATFORM = "instagram"
NOT_READ_DIRS = {"messages": "private messages: not read", "connections": "followers and following: not needed",
                 "followers_and_following": "followers and following: not needed",
                 "ads_information": "advertising data: not needed", "security_and_login_information": "login records: not needed"}


def _not_read(name: str) -> str | None:
    return next((r for d, r in NOT_READ_DIRS.items() if d in Path(name).parts), None)


def wants(member: Member) -> int:
    """JSON files are recognised by the keys near their start."""
    return 2048 if member.basename.lower().endswith(".json") else 0


def kind_of(peek: Peek) -> str | None:
    """``profile``, ``threads`` or ``posts`` (by keys and name); ``not_read`` (by folder); else None."""
    member = peek.member
    base = member.basename.lower()
    if _not_read(member.name):
        return "not_read"
    if not base.endswith(".json"):
        return None
    head = peek.head(2048).decode("utf-8", errors="replace").lstrip("\ufeff")
    if "string_map_data" in head and ("Username" in head or "Bio" in head) and "personal_information" in base:
        return "profile"
    if "text_post_app_text_posts" in head:
        return "threads"
    if head.lstrip().startswith("[") and "creation_timestamp" in head and base.startswith(("posts_", "archived_posts")):
        return "posts"
    return None


def detect(claim: Claim) -> bool:
    """True when the export has Instagram's profile or posts files."""
    return claim.has("profile", "posts", "threads")


def load(claim: Claim) -> Export:
    """Read the profile now; stream posts and Threads posts later."""
    source, path = claim.source, claim.path
    if not claim.has("profile", "posts", "threads"):
        raise ExportFormatError(f"{path} holds no Instagram JSON files. Download your information in JSON.")
    profile = next(iter(claim.of("profile")), None)
    account = _read_account(source, profile) if profile else Account(PLATFORM)
    skipped = [SkippedFile(m.name, _not_read(m.name)) for m in claim.of("not_read")]
    plan = [(m, k) for m, k in claim.kinds.items() if k in ("posts", "threads")]
    warnings: list[str] = []

    iter_posts = streamed(source, plan, lambda src, m, kind: _read_posts(src, m, kind, account, warnings))
    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings)


def _value(smd: dict, key: str) -> str:
    return text(obj(smd.get(key)).get("value"))


def _read_account(source: Source, member: Member) -> Account:
    data = fix_all(load_small(source.open(member), member.name))
    users = seq(obj(data).get("profile_user")) or [data]
    smd = obj(obj(users[0]).get("string_map_data")) if users else {}
    handle = _value(smd, "Username").lstrip("@")
    website = _value(smd, "Website")
    links = (Link(url=website, label=website, kind="linkedin" if "linkedin.com/" in website.lower() else "website"),) \
        if website else ()
    return Account(PLATFORM, handle=handle, display_name=_value(smd, "Name"), bio=_value(smd, "Bio"), links=links,
                   emails=tuple(e for e in (_value(smd, "Email"),) if "@" in e),
                   url=f"https://www.instagram.com/{handle}" if handle else "", source=member.name)


def _read_posts(source: Source, member: Member, kind: str, account: Account, warnings: list[str]) -> Iterator[Post]:
    prefix = "text_post_app_text_posts.item" if kind == "threads" else "item"
    for n, item in enumerate(iter_items(source.open(member), prefix, member.name, warnings), start=1):
        item = fix_all(obj(item))
        media = [obj(m) for m in seq(item.get("media"))]
        caption = text(item.get("title")) or next((text(m.get("title")) for m in media if text(m.get("title"))), "")
        ts = item.get("creation_timestamp") or next((m.get("creation_timestamp") for m in media), None)
        if not caption.strip():
            continue
        created: dt.datetime | None = parse_ts(ts)
        pid = hashlib.sha1(f"{member.name}\x1f{n}\x1f{ts}\x1f{caption[:40]}".encode()).hexdigest()[:12]
        yield Post(PLATFORM, f"{kind}:{pid}", PostKind.POST, created, caption.strip(), audience="PUBLIC",
                   title="Threads" if kind == "threads" else "", source=f"{member.name}, item {n}",
                   account_key=account.key)


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load, weak={"not_read"},
                  describes="Instagram / Threads 'Download your information' in JSON (personal_information.json, posts_1.json)")
