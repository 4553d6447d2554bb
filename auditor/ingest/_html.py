"""HTML to plain text, for every importer that meets HTML (Mastodon posts, website pages and
WordPress posts, LinkedIn articles).

Parsed with selectolax's Lexbor engine, an HTML5 parser: it reads broken markup the way
browsers do, and is many times faster than BeautifulSoup's ``html.parser`` on the thousands of
small fragments a Mastodon outbox holds (``bench/html_text.py`` measures both). Pages whose
structure is read too (titles, dates, comment lists) are still walked with BeautifulSoup by
their importers; only their text comes from here.

Two layouts, because the sources differ:

* ``paragraphs`` (Mastodon): text kept exactly as written inside a paragraph (a link split
  across ``<span>`` elements joins up again), ``<br>`` a line break, paragraphs separated by a
  blank line.
* ``blocks`` (articles and pages): each paragraph, list item, heading (``h1``-``h4``) or quote on
  a line of its own, its words joined by single spaces; a fragment without blocks is one line.

Scripts, styles and templates are never text (nor ``<noscript>`` in ``blocks``).
"""

from __future__ import annotations

from typing import Literal

from selectolax.lexbor import LexborHTMLParser, LexborNode

_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "blockquote"})
_NOT_TEXT = {"paragraphs": ("script", "style", "template"),
             "blocks": ("script", "style", "noscript", "template")}
_SEP = "\x00"  # the parser turns NUL in the input into U+FFFD, so it cannot occur in text


def html_to_text(html: str, layout: Literal["paragraphs", "blocks"] = "blocks") -> str:
    """The text of an HTML fragment or page, laid out as described in the module docstring."""
    if not html:
        return ""
    if layout == "paragraphs" and "<" not in html and "&" not in html:
        return html
    # tags() and traverse(), not css(): a CSS query sets up a selector engine for each document,
    # which costs more than parsing a status.
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    for tag in _NOT_TEXT[layout]:
        for node in tree.tags(tag):
            node.decompose()
    if layout == "paragraphs":
        for br in tree.tags("br"):
            br.replace_with("\n")
        paras = [p.text(deep=True, separator="").strip() for p in tree.tags("p")]
        if paras:
            return "\n\n".join(p for p in paras if p)
        return root.text(deep=True, separator="").strip()
    blocks = [b for b in (words(n) for n in root.traverse() if n.tag in _BLOCKS) if b]
    return "\n".join(blocks) if blocks else words(root)


def words(node: LexborNode) -> str:
    """A node's text pieces, each stripped, joined by single spaces (empty pieces dropped)."""
    return " ".join(s for s in (t.strip() for t in node.text(deep=True, separator=_SEP).split(_SEP)) if s)
