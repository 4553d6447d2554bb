"""Mastodon account archive (Preferences > Import and export > Request your archive).

``actor.json`` is an ActivityStreams ``Person``: handle, display name, bio (``summary``, HTML)
and profile fields (``attachment`` PropertyValues, where people put "Work: ..." or a link to
their LinkedIn). ``outbox.json`` is an ``OrderedCollection`` of ``Create`` (a post or reply,
HTML ``content`` turned into text by :mod:`auditor.ingest._html`, content warning kept) and ``Announce``
(a boost: only the boosted post's address). Visibility comes from ``to``/``cc``; direct
messages are private and are not read. The outbox is streamed; its real files repeat the
``orderedItems`` key, which is handled.
"""

from __future__ import annotations

from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Peek, Source
from auditor.ingest._dates import parse_iso
from auditor.ingest._html import html_to_text
from auditor.ingest._json import iter_items, load_small, obj, seq, text
from auditor.ingest._registry import Claim, register_platform
from auditor.models import Account, Export, Link, Post, PostKind, SkippedFile
from auditor.textutil import file_name, host_of

PLATFORM = "mastodon"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_PUBLIC_ALIASES = {PUBLIC, "as:Public", "Public"}
_DM_REASON = "direct messages: private, not read"


_MEDIA = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4", ".webm", ".mp3", ".ogg", ".m4a", ".mov", ".avif")


#: Files that cannot be ActivityStreams JSON, whatever their content: never opened.
_NOT_JSON = _MEDIA + (".csv", ".html", ".htm", ".xml", ".car", ".css", ".zip")


def wants(member: Member) -> int:
    """Any file but media and other formats may be an actor or outbox (they are renamed)."""
    return 0 if member.basename.lower().endswith(_NOT_JSON) or member.size < 20 else 4096


def kind_of(peek: Peek) -> str | None:
    """``actor``, ``outbox`` or ``collection`` (likes, bookmarks) by content, else None."""
    member = peek.member
    if not wants(member):
        return None
    head = peek.head(4096).decode("utf-8", errors="replace").lstrip("\ufeff")
    if "activitystreams" not in head and "\"orderedItems\"" not in head:
        return None
    if "\"preferredUsername\"" in head or '"type":"Person"' in head.replace(" ", ""):
        return "actor"
    if "\"orderedItems\"" in head or "OrderedCollection" in head:
        base = member.basename.lower()
        if base.startswith("outbox") or "\"Create\"" in head or "\"Announce\"" in head:
            return "outbox"
        return "collection"
    return None


def detect(claim: Claim) -> bool:
    """True when the export has an ActivityStreams actor or outbox."""
    return claim.has("actor", "outbox")


def visibility(activity: dict, note: dict) -> str:
    """public / unlisted / followers / direct, from the addressing of the activity or note."""
    to = [x for x in seq(note.get("to")) + seq(activity.get("to")) if isinstance(x, str)]
    cc = [x for x in seq(note.get("cc")) + seq(activity.get("cc")) if isinstance(x, str)]
    if isinstance(activity.get("to"), str):
        to.append(activity["to"])
    if any(x in _PUBLIC_ALIASES for x in to):
        return "public"
    if any(x in _PUBLIC_ALIASES for x in cc):
        return "unlisted"
    if any(x.endswith("/followers") for x in to + cc):
        return "followers"
    return "direct"


def load(claim: Claim) -> Export:
    """Read the actor now; stream the outbox later."""
    source, path = claim.source, claim.path
    actors = claim.of("actor")
    outboxes = claim.of("outbox")
    if not actors and not outboxes:
        raise ExportFormatError(f"{path} holds no Mastodon archive files (actor.json, outbox.json).")
    account = _read_account(source, actors[0]) if actors else Account(PLATFORM)
    warnings: list[str] = []
    skipped = [SkippedFile(m.name, _collection_reason(source, m, account)) for m in claim.of("collection")]
    if not outboxes:
        warnings.append(f"{file_name(path)}: no outbox.json; only the profile was audited.")
    counter = {"direct": 0}

    def iter_posts() -> Iterator[Post]:
        counter["direct"] = 0
        with source.reopen() as src:
            for member in outboxes:
                yield from _read_outbox(src, member, account, warnings, counter)
        skipped[:] = [s for s in skipped if s.reason != _DM_REASON]
        if counter["direct"]:
            skipped.append(SkippedFile(f"outbox.json ({counter['direct']} direct messages)", _DM_REASON))

    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings)


def _collection_reason(source: Source, member: Member, account: Account) -> str:
    """Why a collection (likes, bookmarks) is not audited, with how many items it holds. The
    export keeps only the addresses of the posts, never their words, so nothing offline can read
    them; favourites are public (a post's "favourited by" list), so the person is told where to
    review them, while bookmarks are seen by no one else."""
    try:
        n = sum(1 for _ in iter_items(source.open(member), "orderedItems.item", member.name, None))
    except ExportFormatError:
        return "likes and bookmarks of other people's posts: not audited"
    base = member.basename.lower()
    if n == 0:
        return "empty: nothing to audit"
    if base.startswith("bookmark"):
        return f"{n} bookmark(s): only you see them, so there is nothing to change"
    if not base.startswith("like"):
        return f"{n} item(s) of other people's posts: not audited"
    where = f" at {account.url.split('/@', 1)[0]}/favourites" if "/@" in account.url else ""
    return (f"{n} favourite(s) of other people's posts: the export keeps only their addresses, not their words, "
            f"so they are not audited. Favourites are public (a post's \"favourited by\" list): review them{where}")


def _read_account(source: Source, member: Member) -> Account:
    actor = obj(load_small(source.open(member), member.name))
    username = text(actor.get("preferredUsername"))
    actor_url = text(actor.get("url")) or text(actor.get("id"))
    host = host_of(actor_url)[1]
    links, bio_fields = [], []
    for f in seq(actor.get("attachment")):
        f = obj(f)
        name, value = text(f.get("name")), text(f.get("value"))
        if not (name or value):
            continue
        tree = LexborHTMLParser(value)
        shown = tree.body.text(separator="").strip() if tree.body else ""
        bio_fields.append(f"{name}: {shown}")
        anchors = tree.css("a")
        for a in anchors:
            href = a.attributes.get("href")
            if href is None:
                continue
            kind = "linkedin" if "linkedin.com/" in href.lower() else "website"
            links.append(Link(url=href, label=name or shown, kind=kind))
        if not anchors and shown.startswith(("http://", "https://")):
            links.append(Link(url=shown, label=name, kind="linkedin" if "linkedin.com/" in shown else "website"))
    bio = html_to_text(text(actor.get("summary")), "paragraphs")
    if bio_fields:
        bio = (bio + "\n" + "\n".join(bio_fields)).strip()
    for aka in seq(actor.get("alsoKnownAs")):
        if isinstance(aka, str):
            links.append(Link(url=aka, label="also known as", kind="mastodon"))
    return Account(
        platform=PLATFORM,
        handle=f"{username}@{host}" if username and host else username,
        display_name=text(actor.get("name")),
        bio=bio,
        links=tuple(links),
        url=actor_url,
        source=member.name,
    )


def _read_outbox(source: Source, member: Member, account: Account, warnings: list[str],
                 counter: dict[str, int]) -> Iterator[Post]:
    for n, act in enumerate(iter_items(source.open(member), "orderedItems.item", member.name, warnings), start=1):
        act = obj(act)
        typ = text(act.get("type"))
        where = f"{member.name}, item {n}"
        if typ == "Announce":
            target = text(act.get("object")) or text(obj(act.get("object")).get("id"))
            if target:
                yield Post(PLATFORM, text(act.get("id")) or f"announce:{n}", PostKind.REPOST,
                           parse_iso(text(act.get("published"))), "", url=target,
                           audience=visibility(act, {}), target_url=target, source=where,
                           account_key=account.key)
            continue
        if typ != "Create":
            continue
        note = obj(act.get("object"))
        if text(note.get("type")) not in ("Note", "Article", "Question", "Page"):
            continue
        audience = visibility(act, note)
        if audience == "direct":
            counter["direct"] += 1
            continue
        content = text(note.get("content"))
        if not content:
            cmap = obj(note.get("contentMap"))
            content = next((v for v in cmap.values() if isinstance(v, str)), "")
        body = html_to_text(content, "paragraphs")
        cw = text(note.get("summary"))
        if cw:
            body = f"CW: {cw}\n\n{body}"
        for opt in seq(note.get("oneOf")) + seq(note.get("anyOf")):
            label = text(obj(opt).get("name"))
            if label:
                body += f"\n- {label}"
        if not body.strip():
            continue
        reply_to = note.get("inReplyTo")
        reply_to = reply_to if isinstance(reply_to, str) else text(obj(reply_to).get("id"))
        yield Post(
            platform=PLATFORM,
            id=text(note.get("id")) or text(act.get("id")) or f"item:{n}",
            kind=PostKind.REPLY if reply_to else PostKind.POST,
            created_at=parse_iso(text(note.get("published")) or text(act.get("published"))),
            text=body,
            url=text(note.get("url")) or text(note.get("id")),
            audience=audience,
            target_url=reply_to or "",
            source=where,
            account_key=account.key,
        )


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load,
                  describes="Mastodon account archive (actor.json, outbox.json)")
