"""Bluesky repository export (Settings > Account > Export my data): one ``repo.car`` file.

A CAR file holds the account's whole repository as DAG-CBOR blocks. It is decoded with
libipld (the well-kept Rust decoder the ``atproto`` SDK itself uses); the repository's Merkle
Search Tree is walked from the signed commit so that every record gets its real key
(``app.bsky.feed.post/<rkey>``), which gives each post its bsky.app address.

Read: the profile (``app.bsky.actor.profile/self``: display name and description), posts
(``app.bsky.feed.post``: text, replies, quotes, link cards) and reposts. Likes, follows and
blocks hold only references to other people's records and are counted, not audited. The
repository does not carry the handle, so accounts are named by their DID and display name.
All Bluesky posts are public.
"""

from __future__ import annotations

from typing import Any

import libipld

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Peek
from auditor.ingest._dates import parse_iso
from auditor.ingest._json import obj, seq, text
from auditor.ingest._registry import Claim, register_platform
from auditor.models import Account, Export, Link, Post, PostKind, SkippedFile

PLATFORM = "bluesky"
MAX_CAR = 1024 * 1024 * 1024


def _varint(data: bytes) -> tuple[int, int]:
    n = shift = 0
    for i, b in enumerate(data[:10]):
        n |= (b & 0x7F) << shift
        if not b & 0x80:
            return n, i + 1
        shift += 7
    return -1, 0


#: Files that are something else whatever their content: never opened.
_NOT_CAR = (".csv", ".json", ".js", ".html", ".htm", ".xml", ".txt", ".css", ".zip", ".jpg", ".jpeg", ".png",
            ".gif", ".webp", ".mp4", ".webm", ".mp3", ".ogg", ".m4a", ".mov", ".avif", ".svg", ".ico")


def _is_car(head: bytes) -> bool:
    length, used = _varint(head)
    return 0 < length < 4096 and b"roots" in head[used : used + length] and b"version" in head[used : used + length]


def wants(member: Member) -> int:
    """A CAR file is recognised by its header block, whatever its name."""
    return 0 if member.basename.lower().endswith(_NOT_CAR) else 128


def kind_of(peek: Peek) -> str | None:
    """``car`` for a CAR repository file, else None."""
    return "car" if wants(peek.member) and _is_car(peek.head(128)) else None


def detect(claim: Claim) -> bool:
    """True when the export is (or holds) a CAR repository file."""
    return claim.has("car")


def read_repo(data: bytes, name: str) -> tuple[str, list[tuple[str, dict]]]:
    """(DID, [(collection/rkey, record)]) from a CAR file, in key order."""
    try:
        header, blocks = libipld.decode_car(data)
    except (ValueError, TypeError, OverflowError) as e:
        raise ExportFormatError(f"{name} is not a readable Bluesky repository (CAR) file ({e}). "
                                "Export your data from Bluesky again.") from None
    roots = seq(obj(header).get("roots"))
    commit = obj(blocks.get(roots[0])) if roots else {}
    if "data" not in commit:
        raise ExportFormatError(f"{name} has no repository commit at its root; it is not a Bluesky "
                                "repository export.")
    records: list[tuple[str, dict]] = []
    stack: list[Any] = [("node", commit["data"], b"")]
    seen = 0
    while stack:  # iterative in-order walk of the Merkle Search Tree
        item = stack.pop()
        if item[0] == "rec":
            records.append(item[1:])
            continue
        node = obj(blocks.get(item[1]))
        seen += 1
        if seen > 10_000_000:
            raise ExportFormatError(f"{name}: the repository tree does not end; refusing to read it.")
        entries = seq(node.get("e"))
        todo: list[Any] = []
        if node.get("l"):
            todo.append(("node", node["l"], b""))
        prev = b""
        for e in entries:
            e = obj(e)
            k = e.get("k") if isinstance(e.get("k"), bytes) else b""
            p = e.get("p") if isinstance(e.get("p"), int) else 0
            key = prev[:p] + k
            prev = key
            rec = blocks.get(e.get("v"))
            if isinstance(rec, dict):
                todo.append(("rec", key.decode("utf-8", "replace"), rec))
            if e.get("t"):
                todo.append(("node", e["t"], b""))
        stack.extend(reversed(todo))
    return text(commit.get("did")), records


def load(claim: Claim) -> Export:
    """Decode the repository once: the profile, the counts of what is not audited, and the posts.

    The whole file is in memory while it is decoded anyway; the posts are kept (likes and
    follows, most of a repository, are not) rather than decoding the file a second time.
    """
    source, path = claim.source, claim.path
    cars = claim.of("car")
    if not cars:
        raise ExportFormatError(f"{path} holds no Bluesky repository (.car) file.")
    member = cars[0]
    if member.size > MAX_CAR:
        raise ExportFormatError(f"{member.name} is larger than {MAX_CAR // 1024**3} GB; not a "
                                "personal Bluesky repository.")
    did, records = read_repo(source.read_bytes(member), member.name)
    profile = next((r for k, r in records if k == "app.bsky.actor.profile/self"), {})
    counts: dict[str, int] = {}
    for k, _ in records:
        coll = k.split("/", 1)[0]
        counts[coll] = counts.get(coll, 0) + 1
    desc = text(profile.get("description"))
    links = [Link(url=w, label="link in bio", kind="linkedin" if "linkedin.com/" in w else "website")
             for w in desc.split() if w.startswith(("http://", "https://")) or w.startswith("linkedin.com/")]
    account = Account(PLATFORM, handle=did, display_name=text(profile.get("displayName")), bio=desc,
                      links=tuple(links), url=f"https://bsky.app/profile/{did}" if did else "",
                      source=member.name)
    skipped = [SkippedFile(f"{member.name}: {n} {coll.rsplit('.', 1)[-1]} record(s)",
                           "references to other people's records: not audited")
               for coll, n in sorted(counts.items())
               if coll in ("app.bsky.feed.like", "app.bsky.graph.follow", "app.bsky.graph.block")]
    posts = [p for p in (_post(key, rec, did, account.key, member.name) for key, rec in records) if p]
    del records
    return Export(PLATFORM, str(path), account, lambda: iter(posts), skipped, [])


def _at_to_web(uri: str) -> str:
    """``at://did/app.bsky.feed.post/rkey`` -> its bsky.app address."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) == 3 and parts[1] == "app.bsky.feed.post":
        return f"https://bsky.app/profile/{parts[0]}/post/{parts[2]}"
    return uri


def _post(key: str, rec: dict, did: str, account_key: str, name: str) -> Post | None:
    coll, _, rkey = key.partition("/")
    created = parse_iso(text(rec.get("createdAt")))
    url = f"https://bsky.app/profile/{did}/post/{rkey}"
    if coll == "app.bsky.feed.repost":
        target = _at_to_web(text(obj(rec.get("subject")).get("uri")))
        return Post(PLATFORM, key, PostKind.REPOST, created, "", url=target, audience="PUBLIC",
                    target_url=target, source=f"{name}, {key}", account_key=account_key)
    if coll != "app.bsky.feed.post":
        return None
    body = text(rec.get("text"))
    embed = obj(rec.get("embed"))
    etype = text(embed.get("$type"))
    target, kind = "", PostKind.POST
    if "external" in etype:
        ext = obj(embed.get("external"))
        target = text(ext.get("uri"))
        kind = PostKind.SHARE
    elif "record" in etype:
        inner = obj(embed.get("record"))
        target = _at_to_web(text(inner.get("uri")) or text(obj(inner.get("record")).get("uri")))
        kind = PostKind.SHARE
    for facet in seq(rec.get("facets")):
        for feat in seq(obj(facet).get("features")):
            uri = text(obj(feat).get("uri"))
            target = target or uri
    reply = obj(rec.get("reply"))
    if reply:
        kind = PostKind.REPLY
        target = _at_to_web(text(obj(reply.get("parent")).get("uri")))
    if not body and not target:
        return None
    return Post(PLATFORM, key, kind, created, body, url=url, audience="PUBLIC", target_url=target,
                source=f"{name}, {key}", account_key=account_key)


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load,
                  describes="Bluesky repository export (repo.car)")
