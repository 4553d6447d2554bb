"""HTML to text: BeautifulSoup's html.parser (the three routines the importers had) against the
one selectolax (Lexbor) helper they share now, on real-sized inputs, in one run.

    .venv/bin/python bench/html_text.py            # prints both timings and whether the text agrees

Inputs: every Mastodon status in the fixture outbox (repeated to 20,000 statuses, the size of
a busy account's archive), every post and comment body in the WordPress fixture, the two
LinkedIn fixture articles (each repeated), and a large page. The reference routines below are
the bs4 code the importers used before (issue 14), kept here to compare against.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.ingest._html import html_to_text  # noqa: E402


def bs4_paragraphs(fragment: str) -> str:
    """mastodon.html_to_text before issue 14."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    soup = BeautifulSoup(fragment, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    paras = soup.find_all("p")
    if paras:
        return "\n\n".join(p.get_text("").strip() for p in paras if p.get_text("").strip())
    return soup.get_text("").strip()


def bs4_blocks(fragment: str) -> str:
    """website.html_text before issue 14 (LinkedIn articles used the same blocks)."""
    soup = BeautifulSoup(fragment or "", "html.parser")
    for t in soup(["script", "style", "noscript", "template"]):
        t.decompose()
    blocks = [b.get_text(" ", strip=True) for b in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "blockquote"])]
    blocks = [b for b in blocks if b]
    return "\n".join(blocks) if blocks else soup.get_text(" ", strip=True)


def inputs() -> dict[str, tuple[str, list[str]]]:
    outbox = next((ROOT / "fixtures/mastodon").glob("*/outbox.json"))
    text = outbox.read_text(encoding="utf-8")
    statuses = [o["object"]["content"] for o in json.loads(text.replace('"orderedItems":[],', "", 1))["orderedItems"]
                if isinstance(o.get("object"), dict)]
    from defusedxml.ElementTree import parse

    wxr = parse(next((ROOT / "fixtures/website").glob("*.xml")))
    bodies = [el.text or "" for el in wxr.iter() if el.tag.endswith("}encoded") or el.tag.endswith("comment_content")]
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures/linkedin").rglob("Articles/*/*.html"))]
    page = "<html><body><article>" + "".join(f"<h2>Part {i}</h2><p>Para <b>{i}</b> with <a href='#'>a link</a>.</p>"
                                             "<ul><li>one</li><li>two</li></ul>" for i in range(2000)) + "</article></body></html>"
    return {
        "mastodon statuses": ("paragraphs", (statuses * (20_000 // len(statuses) + 1))[:20_000]),
        "wordpress posts and comments": ("blocks", bodies * 50),
        "linkedin articles": ("blocks", articles * 200),
        "one 300 KB page": ("blocks", [page] * 5),
    }


def timed(fn, items: list[str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    out = [fn(x) for x in items]
    return time.perf_counter() - start, out


def main() -> int:
    differ = 0
    print(f"{'input':30} {'items':>7} {'bs4 html.parser':>16} {'selectolax':>11} {'speed-up':>9}  same text")
    for name, (layout, items) in inputs().items():
        old = bs4_paragraphs if layout == "paragraphs" else bs4_blocks
        t_old, a = timed(old, items)
        t_new, b = timed(lambda x: html_to_text(x, layout), items)
        same = sum(x == y for x, y in zip(a, b, strict=True))
        differ += len(items) - same
        print(f"{name:30} {len(items):7} {t_old:15.3f}s {t_new:10.3f}s {t_old / t_new:8.1f}x  {same}/{len(items)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
