"""One post read once: its lexicon hits (in its text and in the words of its link) and the
learned models' predictions, which every post detector then reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from auditor.detect.base import FieldHit
from auditor.detect.language import UNDETERMINED, Language
from auditor.detect.lexicon import Lexicon
from auditor.detect.textmodel import judge
from auditor.models import Post
from auditor.textutil import link_words


def post_hits(post: Post, lexicon: Lexicon) -> tuple[list[FieldHit], str, list[tuple[int, int]]]:
    """The lexicon hits of a post's text and of its link's words, the link's words, and the
    spans of the text the lexicon masked (loanwords) for the models."""
    found, masked = lexicon.scan(post.text)
    hits = [FieldHit("text", h) for h in found]
    words = link_words(post.target_url) if post.target_url else ""
    if words:
        # Links are lower case: title-case them so "labour-vows-..." can match the party, which
        # as an ambiguous name still needs other political words beside it to count.
        titled = words.title()
        if len(titled) != len(words):
            titled = words
        hits += [FieldHit("link", replace(h, text=words[h.start:h.end])) for h in lexicon.find(titled)
                 if h.term.case == "any" or not _in_text(words[h.start:h.end], post.text)]
    return hits, words, masked


def _in_text(word: str, text: str) -> bool:
    """Whether ``word`` is also in the post's own text, whose case then tells what it is: a link
    is lower case and is title-cased to find "Labour" in "labour-vows-to-...", but "reform" in
    "the_governments_plan_to_scrap_three_waters_reform" is the word the post writes in lower case,
    not the Reform party."""
    if not text:
        return False
    return re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", _LINKS.sub(" ", text), re.IGNORECASE) is not None


#: Links written in a post's text (the link's own words are not the post's)
_LINKS = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def judge_post(text: str, words: str, hits: list[FieldHit], thresholds: Mapping[str, float], masked=(),
               loanwords_masked: bool = False):
    """(language, model predictions) for a post. A post without words of its own (a bare
    reaction or repost) is judged on the words of its link, which are English slugs.

    ``thresholds`` are the policy pack's overrides of the shipped model thresholds;
    ``loanwords_masked``: ``masked`` holds the loanwords' spans (see :func:`judge`).
    """
    groups = {h.hit.term.model_group for h in hits}
    if text:
        # The kind models (partisan) learned from posts whose party and politician features came
        # from their own words, never from a link's, so they read only the post's own: "Good
        # piece" above a link to "labour-vows-to-..." passes on a story about a party, it does not
        # take a side. The political model reads the link's too (it is what the post is about).
        own = {h.hit.term.model_group for h in hits if h.field == "text"} if words else None
        language, preds = judge(text, groups, thresholds, masked=masked, loanwords_masked=loanwords_masked,
                                kind_groups=own if own != groups else None)
        if language.code != UNDETERMINED or not words:
            return language, preds
    if words:
        return judge(words, groups, thresholds, lang="en")
    return Language(UNDETERMINED, 0.0), {}
