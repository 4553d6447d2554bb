"""Reddit data request export (reddit.com/settings/data-request): a flat ZIP of CSV files.

Read here: ``posts.csv`` (``id,permalink,date,ip,subreddit,gildings,title,url,body``),
``comments.csv`` (``id,permalink,date,ip,subreddit,gildings,link,parent,body,media``; some
exports add ``gildings_silver``/``gildings_supergold``) and ``statistics.csv`` for the account
name. Files are recognised by their header; split files (``posts_1.csv``) are read in turn.
The ``ip`` column is never read into the report. Messages, votes and chat are not read.
Reddit has no employer field: ties to work come from the username and what posts say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from auditor.errors import ExportFormatError
from auditor.ingest._archive import HEAD_BYTES, Member, Peek, Source, streamed
from auditor.ingest._dates import parse_iso
from auditor.ingest._registry import Claim, register_platform
from auditor.ingest._text import read_csv, sniff_csv
from auditor.models import Account, Export, Post, PostKind, SkippedFile

PLATFORM = "reddit"

SIGNATURES = {
    "posts": frozenset({"id", "permalink", "date", "subreddit", "title", "body"}),
    "comments": frozenset({"id", "permalink", "date", "subreddit", "link", "body"}),
    "statistics": frozenset({"statistic", "value"}),
}
NOT_READ = ("messages", "chat_history", "post_votes", "comment_votes", "ip_logs", "payouts",
            "hidden_posts", "saved_posts", "saved_comments", "subscribed_subreddits", "friends",
            "linked_identities", "linked_phone_number", "sensitive_ads_preferences", "drafts",
            "approved_submitter_subreddits", "moderated_subreddits", "multireddits", "gilded_content",
            "gold_received", "purchases", "subscriptions", "persona", "poll_votes", "twitter",
            "checkfile", "user_preferences", "announcements", "account_gender", "birthdate",
            "scheduled_posts", "stripe", "message_headers", "messages_archive")


_PRIVATE = ("messages", "chat_history", "message_headers")


def _open(source: Source, member: Member, sigs, warnings=None):
    fh = source.open(member)
    return read_csv(fh, member.name, sigs, warnings=warnings, max_preamble_rows=2), fh


def wants(member: Member) -> int:
    """CSV files are recognised by their header; private messages are never opened."""
    base = member.basename.lower()
    return HEAD_BYTES if base.endswith(".csv") and not base.startswith(_PRIVATE) else 0


def kind_of(peek: Peek) -> str | None:
    """``posts``, ``comments`` or ``statistics`` by header; ``not_read`` for the files Reddit's
    export holds that are not read on purpose (by name); else None."""
    base = peek.member.basename.lower()
    if not base.endswith(".csv"):
        return None
    if not base.startswith(_PRIVATE):
        try:
            header = sniff_csv(peek, SIGNATURES.values(), max_preamble_rows=2)
        except ExportFormatError:
            header = None
        cols = {c.strip().strip("\ufeff").lower() for c in header or ()}
        for kind, sig in SIGNATURES.items():
            if sig <= cols:
                return kind
    return "not_read" if base.startswith(NOT_READ) else None


def detect(claim: Claim) -> bool:
    """True when the export has Reddit's posts.csv or comments.csv headers."""
    return claim.has("posts", "comments")


def parse_date(value: str) -> dt.datetime | None:
    """``2023-01-15 12:34:56 UTC`` (or ISO)."""
    return parse_iso(value.strip().removesuffix(" UTC"))


def load(claim: Claim) -> Export:
    """Read the account name now; stream posts and comments later."""
    source, path = claim.source, claim.path
    if not claim.has("posts", "comments"):
        raise ExportFormatError(f"{path} holds no Reddit posts.csv or comments.csv with Reddit's columns.")
    username = ""
    for m in claim.of("statistics"):
        table, fh = _open(source, m, [SIGNATURES["statistics"]])
        try:
            for r in table.rows if table else ():
                if r.get("statistic", "").strip().lower() in ("account name", "username"):
                    username = r.get("value", "").strip()
        finally:
            fh.close()
    members = sorted(claim.of("posts", "comments"), key=lambda m: (claim.kinds[m] != "posts", m.name))
    skipped = [SkippedFile(m.name, _why_not(m.name)) for m, k in claim.kinds.items()
               if k in (None, "not_read") and m.name.lower().endswith(".csv")]
    account = Account(PLATFORM, handle=username, display_name=username and f"u/{username}",
                      url=f"https://www.reddit.com/user/{username}" if username else "",
                      source="statistics.csv" if username else "")
    warnings: list[str] = []
    plan = [(m, claim.kinds[m]) for m in members]

    iter_posts = streamed(source, plan, lambda src, m, kind: _read(src, m, kind, account, warnings))
    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings)


def _why_not(name: str) -> str:
    base = name.rsplit("/", 1)[-1].lower()
    if base.startswith(("messages", "chat_history", "message_headers")):
        return "private messages: not read"
    if base.startswith(NOT_READ):
        return "not needed for this audit"
    return "not used by this audit"


def _read(source: Source, member: Member, kind: str, account: Account, warnings: list[str]) -> Iterator[Post]:
    table, fh = _open(source, member, [SIGNATURES[kind]], warnings)
    try:
        for n, r in enumerate(table.rows if table else (), start=1):
            body = r.get("body", "").strip()
            if body in ("[deleted]", "[removed]"):
                body = ""
            title = r.get("title", "").strip() if kind == "posts" else ""
            words = "\n\n".join(x for x in (title, body) if x)
            link = r.get("url", "").strip() if kind == "posts" else ""
            if not words and not link:
                continue
            permalink = r.get("permalink", "").strip()
            if permalink.startswith("/"):
                permalink = "https://www.reddit.com" + permalink
            sub = r.get("subreddit", "").strip()
            pk = PostKind.POST if kind == "posts" else PostKind.COMMENT
            if kind == "posts" and link and "reddit.com" not in link and not body:
                pk = PostKind.SHARE
            yield Post(
                platform=PLATFORM,
                id=r.get("id", "").strip() or f"{member.name}:{n}",
                kind=pk,
                created_at=parse_date(r.get("date", "")),
                text=words,
                url=permalink,
                audience="PUBLIC",
                target_url=permalink if kind == "comments" else (link or permalink),
                title=f"r/{sub}" if sub else "",
                source=f"{member.name}, row {n}",
                account_key=account.key,
            )
    finally:
        fh.close()


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load, weak={"not_read"},
                  describes="Reddit data request export (posts.csv, comments.csv)")
