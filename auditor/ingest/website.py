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
from pathlib import PurePosixPath
from typing import Any

import feedparser
from bs4 import BeautifulSoup
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from auditor.errors import ExportFormatError
from auditor.ingest._archive import Member, Source, open_source, streamed
from auditor.ingest._dates import parse_iso
from auditor.ingest._json import head_text
from auditor.ingest._registry import register_platform
from auditor.ingest._text import decode_bytes
from auditor.models import Account, Export, Link, Post, PostKind, SkippedFile
from auditor.textutil import file_name, host_of

PLATFORM = "website"
MANIFEST = "site.json"
MAX_PAGE = 16 * 1024 * 1024
SOCIAL = {"linkedin.com": "linkedin", "x.com": "twitter", "twitter.com": "twitter",
          "facebook.com": "facebook", "reddit.com": "reddit", "bsky.app": "bluesky", "instagram.com": "instagram"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kind_of(source: Source, member: Member) -> str | None:
    base = member.basename.lower()
    if base == MANIFEST:
        head = head_text(source.open(member), 512)
        return "manifest" if "separation-auditor site" in head else None
    if base.endswith((".html", ".htm")):
        return "page"
    if base.endswith((".xml", ".rss", ".atom", ".wxr")) or base in ("feed", "index.xml"):
        head = head_text(source.open(member), 4096)
        if "wordpress.org/export/" in head:
            return "wxr"
        if "<rss" in head or "<feed" in head or "<rdf:RDF" in head:
            return "feed"
    return None


def detect(source: Source) -> bool:
    """A WXR file, a feed, a page folder saved by ``auditor site``, or a folder of only pages."""
    kinds = [_kind_of(source, m) for m in source.members()]
    if any(k in ("wxr", "feed", "manifest") for k in kinds):
        return True
    others = [m for m, k in zip(source.members(), kinds, strict=True)
              if k is None and not m.basename.lower().endswith((".css", ".js", ".png", ".jpg", ".jpeg",
                                                                 ".gif", ".svg", ".webp", ".ico", ".txt"))]
    return bool(kinds) and "page" in kinds and not others


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


def html_text(fragment: str) -> str:
    """Paragraph text of an HTML fragment (Gutenberg comments and scripts dropped)."""
    soup = BeautifulSoup(fragment or "", "html.parser")
    for t in soup(["script", "style", "noscript", "template"]):
        t.decompose()
    blocks = [b.get_text(" ", strip=True) for b in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "blockquote"])]
    blocks = [b for b in blocks if b]
    return "\n".join(blocks) if blocks else soup.get_text(" ", strip=True)


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


def _read_wxr_channel(source: Source, member: Member) -> dict[str, Any]:
    """Site title, tagline, address, authors, and profile links from published pages."""
    info: dict[str, Any] = {"title": "", "description": "", "link": "", "authors": [], "links": [],
                            "drafts": 0}
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
            elif f.get("post_type") == "page":
                info["links"] += _social_links(BeautifulSoup(f.get("encoded", ""), "html.parser"), info["link"])
            el.clear()
        elif name == "author" and depth == 2:
            info["authors"].append(_children(el))
        elif depth == 2 and name in ("title", "description", "link", "base_site_url"):
            info[name] = info.get(name) or (el.text or "").strip()
    return info


def _read_wxr_posts(source: Source, member: Member, account: Account, owner_emails: set[str]) -> Iterator[Post]:
    for event, el in _wxr_events(source, member):
        if event != "end" or _local(el.tag) != "item":
            continue
        f = _children(el)
        if f.get("status") not in ("publish", "private") or f.get("post_type") not in ("post", "page"):
            el.clear()
            continue
        title = f.get("title", "").strip()
        url = f.get("link", "").strip() or f.get("guid", "")
        created = parse_date(f.get("post_date_gmt", "")) or parse_date(f.get("pubDate", ""))
        pid = f.get("post_id", "") or url
        body = html_text(f.get("encoded", ""))
        tags = [c.text or "" for c in el if _local(c.tag) == "category"]
        if tags:
            body += "\n" + " ".join(f"#{t.replace(' ', '')}" for t in tags if t.strip())
        yield Post(PLATFORM, f"wp:{pid}", PostKind.ARTICLE, created, f"{title}\n\n{body}".strip(),
                   url=url, audience="PUBLIC" if f.get("status") == "publish" else "PRIVATE",
                   title=title, source=f"{member.name}, post {pid}", account_key=account.key)
        for c in el:
            if _local(c.tag) != "comment":
                continue
            cf = _children(c)
            approved = cf.get("comment_approved", "").strip()
            if approved in ("spam", "trash") or cf.get("comment_type", "") in ("pingback", "trackback"):
                continue
            content = html_text(cf.get("comment_content", ""))
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
        el.clear()


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
                          created, f"{title}\n\n{html_text(content)}".strip(), url=e.get("link", ""),
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
    text = html_text(str(main))
    if text:
        posts.insert(0, Post(PLATFORM, f"page:{url or slug}", PostKind.ARTICLE, created,
                             f"{title}\n\n{text}".strip() if title and not text.startswith(title) else text,
                             url=url, audience="PUBLIC", title=title, source=name, account_key=account_key))
    facts = {"title": meta("og:site_name"), "description": desc_tag.get("content", "") if desc_tag else "", "url": url}
    return posts, links, facts


def _manifest(source: Source) -> dict[str, Any]:
    for m in source.members():
        if m.basename == MANIFEST:
            try:
                data = json.loads(decode_bytes(source.read_bytes(m, 4 * 1024 * 1024)))
            except ValueError:
                raise ExportFormatError(f"{m.name} is damaged; fetch the site again with auditor site.") from None
            return data if isinstance(data, dict) else {}
    return {}


# --- load ------------------------------------------------------------------------------------

def load(path: str) -> Export:
    """Read the site's identity now (a first pass over WXR pages); stream posts later."""
    with open_source(path) as source:
        kinds = {m.name: _kind_of(source, m) for m in source.members()}
        manifest = _manifest(source)
        urls = {p.get("file"): p.get("url", "") for p in manifest.get("pages", []) if isinstance(p, dict)}
        info: dict[str, Any] = {"title": manifest.get("title", ""), "description": "",
                                "link": manifest.get("start_url", ""), "authors": [], "links": [], "drafts": 0}
        for m in source.members():
            k = kinds[m.name]
            if k == "wxr":
                w = _read_wxr_channel(source, m)
                for key in ("title", "description", "link"):
                    info[key] = info[key] or w[key] or (w.get("base_site_url", "") if key == "link" else "")
                info["authors"] += w["authors"]
                info["links"] += w["links"]
                info["drafts"] += w["drafts"]
            elif k == "feed":
                meta, _ = _read_feed(source, m, "")
                for key in ("title", "description", "link"):
                    info[key] = info[key] or meta[key]
            elif k == "page":
                _, links, facts = parse_page(decode_bytes(source.read_bytes(m, MAX_PAGE)), m.name,
                                             urls.get(m.name, ""))
                info["links"] += links
                info["title"] = info["title"] or facts["title"]
                info["description"] = info["description"] or facts["description"]
                info["link"] = info["link"] or facts["url"]
        if not any(k in ("wxr", "feed", "page") for k in kinds.values()):
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
        source=next((n for n, k in kinds.items() if k in ("wxr", "feed", "manifest")), ""),
    )
    skipped = [SkippedFile(n, "not used by this audit") for n, k in kinds.items()
               if k is None and not n.lower().endswith((".css", ".js", ".png", ".jpg", ".jpeg", ".gif",
                                                          ".svg", ".webp", ".ico"))]
    warnings = []
    if info["drafts"]:
        warnings.append(f"{file_name(path)}: {info['drafts']} draft, pending or trashed item(s) are not public and "
                        "were not audited.")
    plan = [(n, k) for n, k in kinds.items() if k in ("wxr", "feed", "page")]

    def read(src: Source, m: Member, k: str) -> Iterator[Post]:
        if k == "wxr":
            return _read_wxr_posts(src, m, account, owner_emails)
        if k == "feed":
            return iter(_read_feed(src, m, account.key, warnings)[1])
        return iter(parse_page(decode_bytes(src.read_bytes(m, MAX_PAGE)), m.name, urls.get(m.name, ""), account.key)[0])

    iter_posts = streamed(path, plan, read)
    return Export(PLATFORM, str(path), account, iter_posts, skipped, warnings)


register_platform(PLATFORM, detect, load,
                  "your website (WordPress export .xml, an RSS/Atom feed, or pages saved by auditor site)")
