"""Fetch the person's own website into a folder the audit reads (``auditor site URL --out DIR``).

The only part of the tool that uses the network, and only when asked. It stays on the start
address's origin (scheme, host and port; if the start address itself redirects to https or to
the www. name, the site is followed there), honours robots.txt (for its own user agent and
``*``), fetches at most ``max_pages`` HTML pages, waits ``delay`` seconds between requests,
times every request out, refuses pages larger than ``MAX_BYTES``, and follows links found in
pages breadth first. Pages are saved as ``pages/NNNN.html`` with a ``site.json`` manifest
(address of every page, the time, what was skipped); files are user-only, written whole.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.robotparser
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import requests
from bs4 import BeautifulSoup

from auditor import __version__
from auditor.errors import AuditorError
from auditor.output import write_files

USER_AGENT = f"SeparationAuditor/{__version__} (+self-audit of the owner's own site)"
MAX_BYTES = 5 * 1024 * 1024
SKIP_EXT = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".zip", ".mp3", ".mp4", ".css", ".js",
            ".ico", ".xml", ".json", ".woff", ".woff2", ".ttf", ".docx", ".xlsx")


class SiteError(AuditorError):
    """The site could not be fetched (bad address, unreachable, refused)."""


@dataclass
class FetchResult:
    """What a crawl fetched and what it left out, with reasons."""

    start_url: str
    pages: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urlparse(url)
    port = p.port or (443 if p.scheme == "https" else 80 if p.scheme == "http" else None)
    return p.scheme, (p.hostname or "").lower(), port


def _robots(session: requests.Session, start: str, timeout: float) -> urllib.robotparser.RobotFileParser:
    rp = urllib.robotparser.RobotFileParser()
    url = urljoin(start, "/robots.txt")
    try:
        r = session.get(url, timeout=timeout, allow_redirects=False)
    except requests.RequestException:
        rp.parse([])  # no robots.txt reachable: everything is allowed
        return rp
    if r.status_code in (401, 403):
        rp.disallow_all = True
    elif r.status_code >= 400:
        rp.allow_all = True
    else:
        rp.parse(r.text.splitlines())
    return rp


def fetch_site(start_url: str, max_pages: int = 200, delay: float = 1.0, timeout: float = 10.0,
               session: requests.Session | None = None,
               progress: Callable[[str], None] | None = None) -> tuple[FetchResult, dict[str, str]]:
    """Crawl the site; return the result and {file name: page HTML}."""
    p = urlparse(start_url)
    if p.scheme not in ("http", "https") or not p.hostname:
        raise SiteError(f"{start_url!r} is not a web address; give one like https://example.nz/")
    origin = _origin(start_url)
    session = session or requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    robots = _robots(session, start_url, timeout)
    result = FetchResult(start_url)
    files: dict[str, str] = {}
    queue, seen = deque([urldefrag(start_url)[0]]), {urldefrag(start_url)[0]}
    last = 0.0
    first_error = ""
    while queue and len(result.pages) < max_pages:
        url = queue.popleft()
        if not robots.can_fetch(USER_AGENT, url):
            result.skipped.append({"url": url, "reason": "disallowed by robots.txt"})
            continue
        wait = delay - (time.monotonic() - last)
        if wait > 0:
            time.sleep(wait)
        last = time.monotonic()
        try:
            r = session.get(url, timeout=timeout, stream=True, allow_redirects=True)
        except requests.RequestException as e:
            first_error = first_error or f"{type(e).__name__}"
            result.skipped.append({"url": url, "reason": f"could not fetch ({type(e).__name__})"})
            continue
        with r:
            if _origin(r.url) != origin:
                final = _origin(r.url)
                if not result.pages and final[1].removeprefix("www.") == origin[1].removeprefix("www."):
                    # The start address moved (http to https, or to www.): follow the site there.
                    origin = final
                    robots = _robots(session, r.url, timeout)
                else:
                    result.skipped.append({"url": url, "reason": "redirects to another site"})
                    continue
            ctype = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if r.status_code != 200:
                result.skipped.append({"url": url, "reason": f"HTTP {r.status_code}"})
                continue
            if ctype not in ("text/html", "application/xhtml+xml"):
                result.skipped.append({"url": url, "reason": f"not a web page ({ctype or 'no type'})"})
                continue
            body = b""
            for chunk in r.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    break
            if len(body) > MAX_BYTES:
                result.skipped.append({"url": url, "reason": f"larger than {MAX_BYTES // 1024**2} MB"})
                continue
            html = body.decode(r.encoding or "utf-8", errors="replace")
        name = f"pages/{len(result.pages) + 1:04d}.html"
        files[name] = html
        result.pages.append({"url": r.url, "file": name})
        if progress:
            progress(r.url)
        for a in BeautifulSoup(html, "html.parser").find_all("a", href=True):
            try:
                nxt = urldefrag(urljoin(r.url, a["href"]))[0]
                same = _origin(nxt) == origin
            except ValueError:
                continue  # a malformed address in the page
            if (same and nxt not in seen
                    and not urlparse(nxt).path.lower().endswith(SKIP_EXT)):
                seen.add(nxt)
                queue.append(nxt)
    if queue:
        result.skipped.append({"url": queue[0], "reason": f"page cap of {max_pages} reached; "
                                                          f"{len(queue)} page(s) not fetched"})
    if not result.pages:
        why = first_error or (result.skipped[0]["reason"] if result.skipped else "no pages")
        raise SiteError(f"could not fetch any page of {start_url} ({why}). Check the address, "
                        "that the site is up, and that robots.txt allows it.")
    return result, files


def save_site(result: FetchResult, files: dict[str, str], out: Path, now: dt.datetime) -> list[Path]:
    """Write the pages and ``site.json`` into ``out`` (user-only, atomically per file)."""
    manifest = {"generator": f"separation-auditor site {__version__}", "start_url": result.start_url,
                "fetched_at": now.isoformat().replace("+00:00", "Z"), "pages": result.pages,
                "skipped": result.skipped}
    files = dict(files)
    files["site.json"] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return write_files(out, files)
