"""Twitter archives downloaded between late 2012 and 2018 (the "Grailbird" archive).

Before X's ``window.YTD`` archive (2019 on), *Download your Twitter archive* sent a ZIP that
opens as a web page. Checked against real public archives (see the README):

* ``data/js/tweets/YYYY_MM.js``, one file a month, each ``Grailbird.data.tweets_2013_02 =``
  followed by a JSON array of API v1.1 tweets: ``id_str``, ``text`` (HTML entities such as
  ``&amp;``), ``created_at`` (``2013-02-25 18:04:10 +0000``; ``Mon Feb 25 18:04:10 +0000 2013``
  in the first archives), ``entities.urls[].expanded_url``, ``in_reply_to_status_id_str``,
  ``in_reply_to_screen_name``, ``retweeted_status`` (the whole original tweet) and ``user``.
* ``data/js/user_details.js``: ``var user_details = {screen_name, full_name, bio, location,
  url, expanded_url, id, created_at}``; ``tweet_index.js`` (the month files) and
  ``payload_details.js`` (tweet count, date).
* ``tweets.csv`` (``"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp",
  "source","text","retweeted_status_id","retweeted_status_user_id",
  "retweeted_status_timestamp","expanded_urls"``); the first archives (2012-2013) had one CSV a
  month instead, ``data/csv/YYYY_MM.csv``, with the columns in another order and no
  ``retweeted_status_timestamp``.
* ``index.html``, ``css/``, ``js/``, ``lib/``, ``img/``: the archive's own viewer, not read.

The month files are read (one at a time, streamed) when they are there, since they carry the
links behind t.co, the full text of retweeted posts and the account. Without them the CSV is
read: links are expanded from ``expanded_urls`` where the count of t.co links in the text lets
them be matched. Posts and the account are X's (platform ``twitter``), so an old and a new
archive of one account are audited as one account, each tweet once.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Peek, Source, streamed
from auditor.ingest._json import JsPrefixStream, iter_items, load_small, obj, seq, text
from auditor.ingest._registry import Claim, register_platform
from auditor.ingest._text import peek_header, read_csv
from auditor.ingest.twitter import PLATFORM, classify, expand, parse_created, profile_links
from auditor.models import Account, Export, Post, PostKind, SkippedFile
from auditor.textutil import file_name

NAME = "twitter-grailbird"

#: The first bytes of each kind of .js file (after a BOM and blank space).
_JS_KINDS = {b"Grailbird.data.tweets_": "month", b"var user_details": "user_details",
             b"var tweet_index": "tweet_index", b"var payload_details": "payload_details"}
#: Columns every tweets CSV has, in both the monthly (2012-2013) and the single-file layout.
CSV_HEADER = ("tweet_id", "in_reply_to_status_id", "in_reply_to_user_id", "timestamp", "source", "text")
CSV_COLUMNS = frozenset(CSV_HEADER)
_MONTH_CSV = re.compile(r"\d{4}_\d{2}\.csv")
_TCO = re.compile(r"https?://t\.co/[A-Za-z0-9]+")
_MEDIA = re.compile(r"/status/\d+/(?:photo|video)/\d+$")
_RT = re.compile(r"RT @(\w{1,20}):")


def wants(member: Member) -> int:
    """``.js`` files name themselves in their first bytes. Of CSV files only those the archive
    names so (``tweets.csv``, ``tweets (1).csv``, ``2013_02.csv``) are opened, to be recognised
    by their header: other exports' ``messages.csv`` must stay unopened."""
    base = member.basename.lower()
    return 256 if base.endswith(".js") else 4096 if _csv_name(base) else 0


def _csv_name(base: str) -> bool:
    return base.endswith(".csv") and (base.startswith("tweets") or bool(_MONTH_CSV.fullmatch(base)))


def kind_of(peek: Peek) -> str | None:
    """``month``, ``user_details``, ``tweet_index``, ``payload_details``, ``csv`` (a tweets CSV
    by its header), ``bad_csv`` (a file named like one, with other columns) or None."""
    base = peek.member.basename.lower()
    if base.endswith(".js"):
        head = peek.head(256).lstrip(b"\xef\xbb\xbf").lstrip()
        return next((k for prefix, k in _JS_KINDS.items() if head.startswith(prefix)), None)
    if _csv_name(base):
        cols = {c.strip().lower() for c in peek_header(peek.head(4096))}
        if CSV_COLUMNS <= cols:
            return "csv"
        return "bad_csv"
    return None


def detect(claim: Claim) -> bool:
    """True when the export holds month files, a tweets CSV or ``user_details.js``; or is one
    file named ``tweets.csv`` with other columns (so that ``load`` can say what is wrong)."""
    if claim.has("month", "csv", "user_details"):
        return True
    return claim.has("bad_csv") and len(claim.members()) == 1


def load(claim: Claim) -> Export:
    """Read the account now; stream the tweets (month files, else the CSV) later."""
    source, path = claim.source, claim.path
    groups = claim.groups()
    for ms in groups.values():
        ms.sort(key=lambda m: m.name)
    months, csvs = groups.get("month", []), groups.get("csv", [])
    if not (months or csvs or groups.get("user_details")):
        if not groups.get("bad_csv"):
            raise ExportFormatError(f"{path} holds no files of an old Twitter archive (data/js/tweets/*.js, "
                                    "tweets.csv). Pass the archive ZIP Twitter sent you, or its folder.")
        bad = groups["bad_csv"][0]
        found = peek_header(source.read_bytes(bad, 4096))
        raise ExportFormatError(
            f"{bad.name} does not have the columns of a Twitter archive's tweets.csv (found: "
            f"{', '.join(found[:8]) or 'nothing'}; expected: {', '.join(CSV_HEADER)}, ...). "
            "Use the file exactly as Twitter exported it.")
    warnings: list[str] = []
    account = _read_account(source, groups, months, warnings, path)
    skipped = [SkippedFile(m.name, "not a Twitter archive tweets file (other columns): not read")
               for m in groups.get("bad_csv", [])]
    skipped += [SkippedFile(m.name, "the archive's date and tweet count: not needed")
                for m in groups.get("payload_details", [])]
    if months:
        plan = [(m, "month") for m in months]
        skipped += [SkippedFile(m.name, "the same tweets as data/js/tweets/, which were read instead") for m in csvs]
        warnings += _missing_months(source, groups.get("tweet_index", []), months)
    else:
        whole = [m for m in csvs if m.basename.lower() == "tweets.csv"]
        plan = [(m, "csv") for m in (whole[:1] or csvs)]
        skipped += [SkippedFile(m.name, f"the same tweets as {whole[0].name}, which was read instead")
                    for m in csvs if whole and m != whole[0]]
        if plan:
            warnings.append(
                f"{file_name(path)}: this old Twitter archive has no data/js/tweets folder, so its tweets were "
                "read from the CSV: t.co links are expanded from its expanded_urls column only where they can be "
                "matched, and retweets keep the shortened text Twitter wrote there.")
    if not plan:
        warnings.append(f"{file_name(path)}: the archive has no tweets (data/js/tweets/*.js or tweets.csv); only "
                        "the profile was audited.")

    def read(src: Source, m: Member, kind: str) -> Iterator[Post]:
        if kind == "month":
            return _read_month(src, m, account, warnings)
        return _read_csv(src, m, account, warnings)

    return Export(PLATFORM, str(path), account, streamed(source, plan, read), skipped, warnings, "2012-2018")


def _read_account(source: Source, groups: dict[str, list[Member]], months: list[Member], warnings: list[str],
                  path: str) -> Account:
    details = groups.get("user_details", [])
    if details:
        m = details[0]
        ud = obj(load_small(source.open(m), m.name))
        handle = text(ud.get("screen_name")).lstrip("@")
        bio = html.unescape(text(ud.get("bio")))
        website = text(ud.get("expanded_url")) or text(ud.get("url"))
        return Account(platform=PLATFORM, handle=handle, display_name=text(ud.get("full_name")), bio=bio,
                       links=profile_links(website, bio), location=text(ud.get("location")),
                       url=f"https://x.com/{handle}" if handle else "", source=m.name)
    user = _first_user(source, months)
    handle = text(user.get("screen_name"))
    if handle:
        warnings.append(f"{file_name(path)}: the archive has no data/js/user_details.js; the account's handle and "
                        "name were taken from its tweets, and its bio and website are unknown.")
    else:
        warnings.append(f"{file_name(path)}: the archive has no data/js/user_details.js, so the account's handle, "
                        "name and bio are unknown and the tweets' addresses use x.com/i/web. Pass the whole "
                        "archive folder or ZIP to have them.")
    return Account(platform=PLATFORM, handle=handle, display_name=text(user.get("name")),
                   url=f"https://x.com/{handle}" if handle else "", source=months[0].name if handle else "")


def _first_user(source: Source, months: list[Member]) -> dict:
    """The ``user`` of the first tweet that has one (an archive without ``user_details.js``)."""
    for m in months[-1:]:  # the newest month: the handle as it was when the archive was made
        try:
            with contextlib.closing(iter_items(JsPrefixStream(source.open(m), m.name), "item", m.name, None)) as items:
                for item in items:
                    user = obj(obj(item).get("user"))
                    if text(user.get("screen_name")):
                        return user
        except ExportFormatError:
            pass  # said when the month is read
    return {}


def _missing_months(source: Source, index: list[Member], months: list[Member]) -> list[str]:
    """A warning when ``tweet_index.js`` lists month files that are not in the archive."""
    if not index:
        return []
    try:
        listed = [text(obj(e).get("file_name")) for e in seq(load_small(source.open(index[0]), index[0].name))]
    except ExportFormatError:
        return []
    have = {m.basename for m in months}
    missing = sorted({PurePosixPath(f).name for f in listed if f} - have)
    if not missing:
        return []
    shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return [f"{index[0].name} lists {len(missing)} month file(s) that are not in the archive ({shown}); the tweets "
            "of those months were not audited. Unpack the whole archive again to audit them."]


def _post(tid: str, body: str, created: str, t: dict, entities: dict, rt_id: str, rt_user: str,
          account: Account, source: str) -> Post:
    if rt_id or body.startswith("RT @"):
        m = _RT.match(body)
        who = rt_user or (m.group(1) if m else "")
        kind, target = PostKind.REPOST, (f"https://x.com/{who or 'i/web'}/status/{rt_id}" if rt_id else "")
    else:
        kind, target, body = classify(t, entities, body)
    return Post(
        platform=PLATFORM,
        id=tid,
        kind=kind,
        created_at=parse_created(created),
        text=body,
        url=f"https://x.com/{account.handle or 'i/web'}/status/{tid}",
        audience="PUBLIC",
        target_url=target,
        source=source,
        account_key=account.key,
    )


def _read_month(source: Source, member: Member, account: Account, warnings: list[str]) -> Iterator[Post]:
    for n, item in enumerate(iter_items(JsPrefixStream(source.open(member), member.name), "item",
                                        member.name, warnings), start=1):
        t = obj(item)
        tid = text(t.get("id_str"))
        raw = text(t.get("text"))
        if not tid or not raw:
            continue
        entities = obj(t.get("entities"))
        rt = obj(t.get("retweeted_status"))
        rt_user = text(obj(rt.get("user")).get("screen_name"))
        if rt_user and text(rt.get("text")):
            # the retweeted post whole: the retweet's own text is cut to 140 characters
            body = f"RT @{rt_user}: " + expand(text(rt.get("text")), obj(rt.get("entities")))
        else:
            body = expand(raw, entities)
        yield _post(tid, body, text(t.get("created_at")), t, entities, text(rt.get("id_str")), rt_user, account,
                    f"{member.name}, item {n}")


def _read_csv(source: Source, member: Member, account: Account, warnings: list[str]) -> Iterator[Post]:
    fh = source.open(member)
    try:
        table = read_csv(fh, member.name, [CSV_COLUMNS], max_preamble_rows=1, warnings=warnings)
        if table is None:
            raise ExportFormatError(f"{member.name} lost its tweet_id, timestamp and text header while it was "
                                    "read. Use the file exactly as Twitter exported it.")
        for n, row in enumerate(table.rows, start=1):
            tid, raw = row.get("tweet_id", "").strip(), row.get("text", "")
            if not tid.isdigit() or not raw:
                continue
            body, entities = _expand_csv(raw, row.get("expanded_urls", ""))
            t = {"in_reply_to_status_id_str": row.get("in_reply_to_status_id", "").strip()}
            yield _post(tid, body, row.get("timestamp", ""), t, entities, row.get("retweeted_status_id", "").strip(),
                        "", account, f"{member.name}, row {n}")
    finally:
        fh.close()


def _expand_csv(raw: str, expanded: str) -> tuple[str, dict]:
    """The text with HTML entities decoded and its t.co links replaced, and entities as the
    month files would give them.

    ``expanded_urls`` joins the targets with commas, repeats them (a retweet lists its own and
    the original's) and gives every photo its own ``/photo/N`` address, while the text has one
    t.co link for all the photos. Links are swapped only when the count of distinct targets
    matches the count of t.co links; otherwise the text is left as written and the targets
    still say what the tweet links to.
    """
    urls: list[str] = []
    for u in re.split(r",(?=https?://)", expanded.strip()):
        if u and u not in urls:
            urls.append(u)
    media = [u for u in urls if _MEDIA.search(u)]
    links = [u for u in urls if u not in media]
    targets = links + media[:1]
    shorts = _TCO.findall(raw)
    entities: dict = {"urls": [], "media": []}
    if shorts and len(shorts) == len(targets):
        for short, long in zip(shorts, targets, strict=True):
            if long in links:
                entities["urls"].append({"url": short, "expanded_url": long})
            else:
                entities["media"].append({"url": short, "expanded_url": long})
        return expand(raw, entities), entities
    entities["urls"] = [{"url": "", "expanded_url": u} for u in links]
    return html.unescape(raw), entities


register_platform(NAME, wants=wants, kind_of=kind_of, detect=detect, load=load,
                  describes="X/Twitter archive from 2012-2018 (ZIP or folder with data/js/tweets/*.js or tweets.csv)")
