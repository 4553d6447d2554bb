"""X/Twitter archive (Settings > Your account > Download an archive of your data).

The archive is a ZIP with ``data/*.js`` files, each ``window.YTD.<name>.partN = [ ... ]``.
Read here: ``account.js`` (handle, display name), ``profile.js`` (bio, website, location),
``tweets.js`` / ``tweet.js`` / ``tweets-partN.js`` (own posts, replies, quotes and retweets),
``note-tweet.js`` (the full text of long posts) and ``like.js`` (likes, with the liked text).
Tweets are streamed; text has its HTML entities decoded and its t.co links expanded from
``entities.urls``. Retweets are recognised by the ``RT @`` prefix, as ``retweeted`` is not
reliable in archives. Direct messages, followers and following are not read.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Peek, Source, streamed
from auditor.ingest._dates import parse_iso
from auditor.ingest._json import JsPrefixStream, iter_items, load_small, obj, seq, text
from auditor.ingest._registry import Claim, register_platform
from auditor.models import Account, Export, Link, Post, PostKind, SkippedFile
from auditor.textutil import file_name

PLATFORM = "twitter"

_YTD = re.compile(r"window\.YTD\.([a-z_]+)\.part(\d+)\s*=")
_TWEETS = {"tweets", "tweet"}
NOT_READ = {
    "direct_messages": "private messages: not read",
    "direct_messages_group": "private messages: not read",
    "direct_message_headers": "private messages: not read",
    "direct_messages_media": "private messages: not read",
    "follower": "other people's accounts: not needed",
    "following": "other people's accounts: not needed",
    "block": "other people's accounts: not needed",
    "mute": "other people's accounts: not needed",
    "contact": "your address book: not read",
    "phone_number": "phone numbers: not needed",
    "ip_audit": "login records: not needed",
    "deleted_tweets": "tweets you already deleted: not public, not audited",
    "deleted_tweet_headers": "tweets you already deleted: not public, not audited",
}
_STATUS = re.compile(r"https?://(?:mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]+)/status(?:es)?/(\d+)")


def wants(member: Member) -> int:
    """Only ``.js`` files can be X archive data files; their first line names them."""
    return 256 if member.basename.endswith(".js") else 0


def kind_of(peek: Peek) -> str | None:
    """The ``window.YTD.<name>`` a member declares (``tweets`` for ``tweet`` too), or None."""
    if not peek.member.basename.endswith(".js"):
        return None
    m = _YTD.search(peek.head(256).decode("utf-8", errors="replace").lstrip("\ufeff"))
    if not m:
        return None
    return "tweets" if m.group(1) in _TWEETS else m.group(1)


def detect(claim: Claim) -> bool:
    """True when a member is an X archive data file (``window.YTD.tweets`` or ``account``)."""
    return claim.has("tweets", "account", "profile", "note_tweet", "like")


_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                       "Nov", "Dec"), start=1)}


def parse_created(value: str) -> dt.datetime | None:
    """X's ``Sat Feb 18 12:33:11 +0000 2023`` (tweets), ISO 8601 (account, notes) or the
    ``2013-02-25 18:04:10 +0000`` of archives from 2013-2018.

    The fixed tweet formats are split by hand: ``strptime`` was 40% of the time it takes to read
    a 200,000-tweet archive. Anything unusual falls back to ``strptime`` and ISO parsing.
    """
    v = value.strip()
    parts = v.split(" ")
    try:
        if len(parts) == 6 and parts[4] == "+0000" and parts[1] in _MONTHS:
            hh, mm, ss = parts[3].split(":")
            return dt.datetime(int(parts[5]), _MONTHS[parts[1]], int(parts[2]), int(hh), int(mm), int(ss),
                               tzinfo=dt.UTC)
        if len(parts) == 3 and parts[2] == "+0000":
            y, mo, d = parts[0].split("-")
            hh, mm, ss = parts[1].split(":")
            return dt.datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss), tzinfo=dt.UTC)
    except ValueError:
        pass
    for fmt in ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%d %H:%M:%S %z"):
        try:
            return dt.datetime.strptime(v, fmt).astimezone(dt.UTC)
        except ValueError:
            pass
    return parse_iso(v)


def load(claim: Claim) -> Export:
    """Read the account and profile now; stream tweets and likes later."""
    source, path = claim.source, claim.path
    groups = claim.groups()
    for ms in groups.values():
        ms.sort(key=lambda m: m.name)
    if not any(groups.get(k) for k in ("tweets", "account", "profile", "note_tweet", "like")):
        raise ExportFormatError(f"{path} holds no X archive data files (data/tweets.js, "
                                "data/account.js). Pass the archive ZIP X sent you, or its folder.")
    account = _read_account(source, groups)
    notes = _read_notes(source, groups.get("note_tweet", []))
    skipped = [SkippedFile(m.name, reason) for name, reason in NOT_READ.items() for m in groups.get(name, [])]
    skipped += [SkippedFile(m.name, "not used by this audit")
                for name, ms in groups.items() if name not in NOT_READ and name not in _READ
                for m in ms if m.name.endswith(".js")]
    warnings: list[str] = []
    if not groups.get("tweets"):
        warnings.append(f"{file_name(path)}: the archive has no tweets file (data/tweets.js); only the profile "
                        "was audited.")
    plan = [(m, "tweets") for m in groups.get("tweets", [])] + [(m, "like") for m in groups.get("like", [])]

    def read(src: Source, m: Member, kind: str) -> Iterator[Post]:
        if kind == "tweets":
            return _read_tweets(src, m, account, notes, warnings)
        return _read_likes(src, m, account, warnings)

    iter_posts = streamed(source, plan, read)
    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings)


_READ = {"tweets", "account", "profile", "note_tweet", "like", "other"}


def _first(source: Source, groups: dict[str, list[Member]], name: str) -> dict:
    for m in groups.get(name, [])[:1]:
        data = load_small(JsPrefixStream(source.open(m), m.name), m.name)
        for item in seq(data):
            return obj(obj(item).get(name))
    return {}


def _read_account(source: Source, groups: dict[str, list[Member]]) -> Account:
    acc = _first(source, groups, "account")
    prof = _first(source, groups, "profile")
    desc = obj(prof.get("description"))
    handle = text(acc.get("username")).lstrip("@")
    bio = html.unescape(text(desc.get("bio")))
    email = text(acc.get("email"))
    src = groups["account"][0].name if groups.get("account") else ""
    return Account(
        platform=PLATFORM,
        handle=handle,
        display_name=text(acc.get("accountDisplayName")),
        bio=bio,
        links=profile_links(text(desc.get("website")), bio),
        emails=(email,) if "@" in email else (),
        location=text(desc.get("location")),
        url=f"https://x.com/{handle}" if handle else "",
        source=src,
    )


def profile_links(website: str, bio: str) -> tuple[Link, ...]:
    """The profile's website and the links in its bio (the archives of 2012-2018 too)."""
    website = website.strip()
    links = [Link(url=website, label=website, kind=_link_kind(website))] if website else []
    links += [Link(url=url.rstrip(".,);"), label="link in bio", kind=_link_kind(url))
              for url in re.findall(r"https?://\S+", bio)]
    return tuple(links)


def _link_kind(url: str) -> str:
    """``linkedin``, ``shortened`` (t.co) or ``website``, for a link on the profile."""
    u = url.lower()
    if "linkedin.com/" in u:
        return "linkedin"
    if "t.co/" in u:
        return "shortened"
    return "website"


def _read_notes(source: Source, members: list[Member]) -> dict[str, str]:
    """Long posts by tweet id (where the archive gives it) and by the start of their text."""
    notes: dict[str, str] = {}
    for m in members:
        for item in iter_items(JsPrefixStream(source.open(m), m.name), "item", m.name, []):
            nt = obj(obj(item).get("noteTweet"))
            core = obj(nt.get("core")) or obj(nt.get("noteTweetResults"))
            body = text(core.get("text"))
            if not body:
                continue
            if text(nt.get("tweetId")):
                notes[text(nt.get("tweetId"))] = body
            notes["prefix:" + _key(body)] = body
    return notes


def _key(s: str) -> str:
    return re.sub(r"\W+", "", html.unescape(s).lower())[:60]


def expand(full_text: str, entities: dict) -> str:
    """``full_text`` with entities decoded and t.co links replaced by their targets."""
    out = html.unescape(full_text)
    for u in seq(entities.get("urls")):
        u = obj(u)
        short, long = text(u.get("url")), text(u.get("expanded_url"))
        if short and long:
            out = out.replace(short, long)
    for m in seq(entities.get("media")):
        short = text(obj(m).get("url"))
        if short:
            out = out.replace(short, "").rstrip()
    return out


def classify(t: dict, entities: dict, body: str) -> tuple[PostKind, str, str]:
    """What a tweet is (repost, reply, quote or post), the post it points at, and its text (a
    quote without the quoted post's link). The archives of 2012-2018 use this too, so a tweet
    in both an old and a new archive of the account is the same post and is audited once."""
    if body.startswith("RT @"):
        return PostKind.REPOST, "", body
    if text(t.get("in_reply_to_status_id_str")) or text(t.get("in_reply_to_status_id")):
        to = text(t.get("in_reply_to_screen_name"))
        return PostKind.REPLY, f"https://x.com/{to or 'i/web'}/status/{text(t.get('in_reply_to_status_id_str'))}", body
    links = [text(obj(u).get("expanded_url")) for u in seq(entities.get("urls"))]
    quoted = [q for q in links if _STATUS.match(q)]
    if quoted:
        return PostKind.SHARE, quoted[0], body.replace(quoted[0], "").strip()
    return PostKind.POST, next((u for u in links if u), ""), body


def _read_tweets(source: Source, member: Member, account: Account, notes: dict[str, str],
                 warnings: list[str]) -> Iterator[Post]:
    handle = account.handle or "i/web"
    for n, item in enumerate(iter_items(JsPrefixStream(source.open(member), member.name), "item",
                                        member.name, warnings), start=1):
        t = obj(obj(item).get("tweet")) or obj(item)
        tid = text(t.get("id_str")) or text(t.get("id")) or str(t.get("id", ""))
        raw = text(t.get("full_text")) or text(t.get("text"))
        if not tid or not raw:
            continue
        entities = obj(t.get("entities"))
        body = expand(raw, entities)
        if tid in notes:
            body = notes[tid]
        elif len(raw) >= 200:
            body = notes.get("prefix:" + _key(body), body)
        kind, target, body = classify(t, entities, body)
        yield Post(
            platform=PLATFORM,
            id=tid,
            kind=kind,
            created_at=parse_created(text(t.get("created_at"))),
            text=body,
            url=f"https://x.com/{handle}/status/{tid}",
            audience="PUBLIC",
            target_url=target,
            source=f"{member.name}, item {n}",
            account_key=account.key,
        )


def _read_likes(source: Source, member: Member, account: Account, warnings: list[str]) -> Iterator[Post]:
    for n, item in enumerate(iter_items(JsPrefixStream(source.open(member), member.name), "item",
                                        member.name, warnings), start=1):
        like = obj(obj(item).get("like"))
        tid = text(like.get("tweetId"))
        body = html.unescape(text(like.get("fullText")))
        if not tid or not body:
            continue
        yield Post(
            platform=PLATFORM,
            id=f"like:{tid}",
            kind=PostKind.REACTION,
            created_at=None,
            text=body,
            url=text(like.get("expandedUrl")) or f"https://x.com/i/web/status/{tid}",
            title="LIKE",
            source=f"{member.name}, item {n}",
            account_key=account.key,
        )


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load,
                  describes="X/Twitter archive (ZIP or folder with data/tweets.js)")
