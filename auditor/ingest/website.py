"""The person's own website: a WordPress export (WXR), an RSS/Atom feed, or a folder of pages.

* **WXR** (WordPress Tools > Export): RSS 2.0 with the ``wp:`` namespace. Published posts and
  pages are the person's own words; ``wp:comment`` children are visitors' comments (with their
  approval state: approved comments are on show, pending ones await the owner) unless
  ``wp:comment_user_id`` or the e-mail shows the owner wrote them. Parsed with defusedxml's
  streaming ``iterparse`` (no entities, no DTD), elements matched by local name so WXR 1.0-1.2
  all read. Drafts and trashed items are counted, not audited.
* **RSS / Atom** feeds: parsed with feedparser.
* **A folder of HTML pages** (what ``auditor site`` saves, or a static site): the text of each
  page with its title, canonical address and date; comment lists rendered by WordPress themes
  (``li.comment``) are read as visitors' comments.

Links from the site to a LinkedIn, X or Mastodon profile (``rel="me"`` or a profile address)
become the site's profile links, which the linkage step follows.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

import feedparser
from bs4 import BeautifulSoup
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Peek, Source
from auditor.ingest._dates import parse_iso
from auditor.ingest._html import html_to_text
from auditor.ingest._registry import Claim, register_platform
from auditor.ingest._text import decode_bytes
from auditor.models import Account, Export, Link, Post, PostKind, SkippedFile
from auditor.textutil import file_name, host_of, plural

PLATFORM = "website"
MANIFEST = "site.json"
MAX_PAGE = 16 * 1024 * 1024
SOCIAL = {"linkedin.com": "linkedin", "x.com": "twitter", "twitter.com": "twitter",
          "facebook.com": "facebook", "reddit.com": "reddit", "bsky.app": "bluesky", "instagram.com": "instagram"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


_FEED_NAMES = (".xml", ".rss", ".atom", ".wxr")
_ASSETS = (".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico")


def wants(member: Member) -> int:
    """The manifest and feed-like files are recognised by their first bytes; pages by name."""
    base = member.basename.lower()
    if base == MANIFEST:
        return 512
    return 4096 if base.endswith(_FEED_NAMES) or base in ("feed", "index.xml") else 0


def kind_of(peek: Peek) -> str | None:
    """``manifest``, ``wxr`` or ``feed`` by content; ``page`` for an HTML file; else None."""
    base = peek.member.basename.lower()
    if base == MANIFEST:
        head = peek.head(512).decode("utf-8", errors="replace").lstrip("\ufeff")
        return "manifest" if "separation-auditor site" in head else None
    if base.endswith((".html", ".htm")):
        return "page"
    if base.endswith(_FEED_NAMES) or base in ("feed", "index.xml"):
        head = peek.head(4096).decode("utf-8", errors="replace").lstrip("\ufeff")
        if "wordpress.org/export/" in head:
            return "wxr"
        if "<rss" in head or "<feed" in head or "<rdf:RDF" in head:
            return "feed"
    return None


def detect(claim: Claim) -> bool:
    """A WXR file, a feed, a page folder saved by ``auditor site``, or a folder of only pages."""
    if claim.has("wxr", "feed", "manifest"):
        return True
    others = [m for m, k in claim.kinds.items()
              if k is None and not m.basename.lower().endswith(_ASSETS + (".txt",))]
    return claim.has("page") and not others


def parse_date(value: str) -> dt.datetime | None:
    """RFC 822 (RSS), ISO 8601 (Atom, HTML) or WordPress's ``YYYY-MM-DD HH:MM:SS`` (GMT)."""
    v = (value or "").strip()
    if not v or v.startswith("0000"):
        return None
    try:
        d = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return parse_iso(v)
    return d.astimezone(dt.UTC) if d.tzinfo else d.replace(tzinfo=dt.UTC)


def _text(fragment: str) -> str:
    return html_to_text(fragment, "blocks")


def _social_links(soup: BeautifulSoup, base: str) -> list[Link]:
    out = []
    for a in soup.find_all("a", href=True):
        href, host = host_of(a["href"], base)
        if not href:
            continue
        host = host.removeprefix("www.")
        rel = " ".join(a.get("rel") or []).lower()
        kind = next((k for d, k in SOCIAL.items() if host == d or host.endswith("." + d)), "")
        if kind or "me" in rel.split():
            out.append(Link(url=href, label=a.get_text(" ", strip=True)[:60], kind=kind or "mastodon"))
    return out


# --- WXR -------------------------------------------------------------------------------------

def _wxr_events(source: Source, member: Member):
    fh = source.open(member)
    try:
        for event, el in iterparse(fh, events=("start", "end"), forbid_dtd=True):
            yield event, el
    except DefusedXmlException as e:
        raise ExportFormatError(f"{member.name} uses XML features a WordPress export never has "
                                f"({type(e).__name__}); refusing to read it.") from None
    except SyntaxError as e:  # ParseError subclasses SyntaxError
        raise ExportFormatError(f"{member.name} is not well-formed XML ({e}). Export it from "
                                "WordPress again.") from None
    except (LookupError, ValueError) as e:  # an XML declaration with an encoding nobody knows
        raise ExportFormatError(f"{member.name} cannot be decoded ({e}). Export it from WordPress "
                                "again.") from None
    finally:
        fh.close()


def _children(el) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in el:
        name = _local(c.tag)
        if name not in out:
            out[name] = c.text or ""
    return out


def _read_wxr(source: Source, member: Member) -> tuple[dict[str, Any], list[tuple[dict, list[str], list[dict]]]]:
    """One pass over a WXR file: the site's title, tagline, address, authors, profile links from
    published pages and the count of drafts; and each published post or page as (fields,
    categories, comments' fields), kept as plain strings to be turned into posts later."""
    info: dict[str, Any] = {"title": "", "description": "", "link": "", "authors": [], "links": [],
                            "drafts": 0}
    items: list[tuple[dict, list[str], list[dict]]] = []
    depth = 0
    for event, el in _wxr_events(source, member):
        name = _local(el.tag)
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if name == "item":
            f = _children(el)
            if f.get("status") not in ("publish", "private"):
                info["drafts"] += 1
            else:
                if f.get("post_type") == "page":
                    info["links"] += _social_links(BeautifulSoup(f.get("encoded", ""), "html.parser"), info["link"])
                if f.get("post_type") in ("post", "page"):
                    items.append((f, [c.text or "" for c in el if _local(c.tag) == "category"],
                                  [_children(c) for c in el if _local(c.tag) == "comment"]))
            el.clear()
        elif name == "author" and depth == 2:
            info["authors"].append(_children(el))
        elif depth == 2 and name in ("title", "description", "link", "base_site_url"):
            info[name] = info.get(name) or (el.text or "").strip()
    return info, items


def _wxr_posts(member: Member, items: list[tuple[dict, list[str], list[dict]]], account: Account,
               owner_emails: set[str]) -> Iterator[Post]:
    for f, tags, comments in items:
        title = f.get("title", "").strip()
        url = f.get("link", "").strip() or f.get("guid", "")
        created = parse_date(f.get("post_date_gmt", "")) or parse_date(f.get("pubDate", ""))
        pid = f.get("post_id", "") or url
        body = _text(f.get("encoded", ""))
        if tags:
            body += "\n" + " ".join(f"#{t.replace(' ', '')}" for t in tags if t.strip())
        yield Post(PLATFORM, f"wp:{pid}", PostKind.ARTICLE, created, f"{title}\n\n{body}".strip(),
                   url=url, audience="PUBLIC" if f.get("status") == "publish" else "PRIVATE",
                   title=title, source=f"{member.name}, post {pid}", account_key=account.key)
        for cf in comments:
            approved = cf.get("comment_approved", "").strip()
            if approved in ("spam", "trash") or cf.get("comment_type", "") in ("pingback", "trackback"):
                continue
            content = _text(cf.get("comment_content", ""))
            if not content:
                continue
            own = cf.get("comment_user_id", "0").strip() not in ("", "0") or \
                cf.get("comment_author_email", "").strip().lower() in owner_emails
            cid = cf.get("comment_id", "")
            state = "approved" if approved == "1" else "pending"
            yield Post(PLATFORM, f"wp:{pid}/comment:{cid}",
                       PostKind.COMMENT if own else PostKind.VISITOR_COMMENT,
                       parse_date(cf.get("comment_date_gmt", "")), content,
                       url=f"{url}#comment-{cid}" if url else "", audience=state, target_url=url,
                       title=f"comment by {cf.get('comment_author', '').strip() or 'a visitor'} ({state})",
                       source=f"{member.name}, post {pid}, comment {cid}", account_key=account.key)


# --- feeds and pages -------------------------------------------------------------------------

def _read_feed(source: Source, member: Member, account_key: str,
               warnings: list[str] | None = None) -> tuple[dict, list[Post]]:
    data = source.read_bytes(member, MAX_PAGE)
    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except (ValueError, UnicodeError, LookupError) as e:  # feedparser lets a few decoding errors out
        raise ExportFormatError(f"{member.name} is not a readable RSS or Atom feed ({type(e).__name__}).") from None
    if parsed.bozo and not parsed.entries:
        raise ExportFormatError(f"{member.name} is not a readable RSS or Atom feed "
                                f"({parsed.get('bozo_exception', 'parse error')}).")
    if parsed.bozo and warnings is not None:
        warnings.append(f"{member.name} is not well-formed ({parsed.get('bozo_exception', 'parse error')}); "
                        f"the {len(parsed.entries)} entries that could be read were audited.")
    feed = parsed.feed
    posts = []
    for n, e in enumerate(parsed.entries, start=1):
        content = ""
        if e.get("content"):
            content = e["content"][0].get("value", "")
        content = content or e.get("summary", "")
        title = e.get("title", "")
        created = parse_date(e.get("published", "") or e.get("updated", ""))
        posts.append(Post(PLATFORM, e.get("id") or e.get("link") or f"{member.name}:{n}", PostKind.ARTICLE,
                          created, f"{title}\n\n{_text(content)}".strip(), url=e.get("link", ""),
                          audience="PUBLIC", title=title, source=f"{member.name}, entry {n}",
                          account_key=account_key))
    return {"title": feed.get("title", ""), "description": feed.get("subtitle", ""),
            "link": feed.get("link", "")}, posts


def parse_page(html: str, name: str, url: str = "", account_key: str = "") -> tuple[list[Post], list[Link], dict]:
    """One HTML page: the article as a post, visitors' comments, profile links and page facts."""
    soup = BeautifulSoup(html, "html.parser")
    for t in soup(["script", "style", "noscript", "template"]):
        t.decompose()
    def meta(prop: str) -> str:
        tag = soup.find("meta", property=prop)
        return tag.get("content", "") if tag else ""

    canon = soup.find("link", rel="canonical")
    url = url or (canon.get("href", "") if canon else "") or meta("og:url")
    title = meta("og:title") or (soup.title.get_text(strip=True) if soup.title else "")
    desc_tag = soup.find("meta", attrs={"name": "description"})
    t = soup.find("time", datetime=True)
    created = parse_date(meta("article:published_time")) or (parse_date(t.get("datetime", "")) if t else None)
    links = _social_links(soup, url)
    posts: list[Post] = []
    slug = PurePosixPath(name).stem
    for n, li in enumerate(soup.select("li.comment, article.comment, div.comment"), start=1):
        body_el = li.select_one(".comment-content") or li
        content = body_el.get_text(" ", strip=True)
        author_el = li.select_one(".fn, .comment-author")
        author = author_el.get_text(" ", strip=True) if author_el else "a visitor"
        own = "bypostauthor" in (li.get("class") or [])
        cid = (li.get("id") or f"{n}").removeprefix("li-comment-").removeprefix("comment-")
        ctime = li.find("time", datetime=True)
        if content:
            posts.append(Post(PLATFORM, f"page:{slug}/comment:{cid}",
                              PostKind.COMMENT if own else PostKind.VISITOR_COMMENT,
                              parse_date(ctime.get("datetime", "")) if ctime else None, content,
                              url=f"{url}#comment-{cid}" if url else "", audience="approved",
                              target_url=url, title=f"comment by {author} (approved)",
                              source=f"{name}, comment {n}", account_key=account_key))
        li.decompose()
    for t in soup.select("nav, header, footer, aside, form, .comments-area, #comments"):
        t.decompose()
    main = soup.find("article") or soup.find("main") or soup.body or soup
    text = _text(str(main))
    if text:
        posts.insert(0, Post(PLATFORM, f"page:{url or slug}", PostKind.ARTICLE, created,
                             f"{title}\n\n{text}".strip() if title and not text.startswith(title) else text,
                             url=url, audience="PUBLIC", title=title, source=name, account_key=account_key))
    facts = {"title": meta("og:site_name"), "description": desc_tag.get("content", "") if desc_tag else "", "url": url}
    return posts, links, facts


def _manifest(source: Source, members: list[Member]) -> dict[str, Any]:
    for m in members:
        if m.basename == MANIFEST:
            try:
                data = json.loads(decode_bytes(source.read_bytes(m, 4 * 1024 * 1024)))
            except ValueError:
                raise ExportFormatError(f"{m.name} is damaged; fetch the site again with auditor site.") from None
            return data if isinstance(data, dict) else {}
    return {}


# --- load ------------------------------------------------------------------------------------

def load(claim: Claim) -> Export:
    """Read every file once: the site's identity from all of them, the posts kept for later.

    Feeds and pages are parsed here and their posts kept (a site is small); a WordPress export
    is read in one streaming pass that keeps each published item's fields, and its HTML is
    turned into text only when the posts are read.
    """
    source, path = claim.source, claim.path
    kinds = claim.kinds
    manifest = _manifest(source, claim.members())
    urls = {p.get("file"): p.get("url", "") for p in manifest.get("pages", []) if isinstance(p, dict)}
    info: dict[str, Any] = {"title": manifest.get("title", ""), "description": "",
                            "link": manifest.get("start_url", ""), "authors": [], "links": [], "drafts": 0}
    warnings: list[str] = []
    read: list[tuple[Member, str, Any]] = []  # (file, kind, its posts or WXR items), in order
    for m, k in kinds.items():
        if k == "wxr":
            w, items = _read_wxr(source, m)
            for key in ("title", "description", "link"):
                info[key] = info[key] or w[key] or (w.get("base_site_url", "") if key == "link" else "")
            info["authors"] += w["authors"]
            info["links"] += w["links"]
            info["drafts"] += w["drafts"]
            read.append((m, k, items))
        elif k == "feed":
            meta, posts = _read_feed(source, m, "", warnings)
            for key in ("title", "description", "link"):
                info[key] = info[key] or meta[key]
            read.append((m, k, posts))
        elif k == "page":
            posts, links, facts = parse_page(decode_bytes(source.read_bytes(m, MAX_PAGE)), m.name,
                                             urls.get(m.name, ""))
            info["links"] += links
            info["title"] = info["title"] or facts["title"]
            info["description"] = info["description"] or facts["description"]
            info["link"] = info["link"] or facts["url"]
            read.append((m, k, posts))
    if not read:
        raise ExportFormatError(f"{path} holds no WordPress export, feed or HTML pages.")
    host = host_of(info["link"])[1].removeprefix("www.")
    authors = info["authors"]
    owner_emails = {a.get("author_email", "").strip().lower() for a in authors if a.get("author_email")}
    author_names = [a.get("author_display_name", "").strip() for a in authors if a.get("author_display_name")]
    links = tuple(dict.fromkeys(info["links"]))
    account = Account(
        platform=PLATFORM,
        handle=host,
        display_name=info["title"] or host,
        bio="\n".join(x for x in [info["description"], *(f"Author: {a}" for a in author_names)] if x),
        links=links,
        emails=tuple(sorted(owner_emails)),
        url=info["link"],
        source=next((m.name for m, k in kinds.items() if k in ("wxr", "feed", "manifest")), ""),
    )
    skipped = [SkippedFile(m.name, "not used by this audit") for m, k in kinds.items()
               if k is None and not m.name.lower().endswith(_ASSETS)]
    if info["drafts"]:
        warnings.append(f"{file_name(path)}: {plural(info['drafts'], 'draft, pending or trashed item')} {'is' if info['drafts'] == 1 else 'are'} not public and "
                        "were not audited.")

    def iter_posts() -> Iterator[Post]:
        for m, k, got in read:
            if k == "wxr":
                yield from _wxr_posts(m, got, account, owner_emails)
            else:
                yield from (replace(p, account_key=account.key) for p in got)

    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings)


register_platform(PLATFORM, wants=wants, kind_of=kind_of, detect=detect, load=load, weak={"page"},
                  describes="your website (WordPress export .xml, an RSS/Atom feed, or pages saved by auditor site)")
