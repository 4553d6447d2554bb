"""Disrespect: insults, slurs and abuse aimed at people. Strong insults count on their own;
milder words ("stupid", "liar") and profanity count when aimed at someone ("you", "he's",
"what a", a named politician)."""

from __future__ import annotations

from collections.abc import Sequence

from auditor.detect.base import (
    Detector,
    FieldHit,
    PostContext,
    by_role,
    mine,
    quote_list,
    spans,
    squash,
)
from auditor.models import Detection, Post

NAME = "disrespect"
SIGNAL_NAMES = {"insult": "insult", "mild": "insult", "profanity": "profanity", "target": "aimed at"}


class DisrespectDetector(Detector):
    """Insult lexicon with a target requirement for the milder terms."""

    name = NAME

    def detect(self, post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> Detection | None:
        """Classify one post's own words."""
        if not post.text:
            return None
        text_hits = [h for h in hits if h.field == "text"]
        roles = by_role(mine(text_hits, NAME))
        strong = roles.get("insult", [])
        mild = roles.get("mild", []) + roles.get("profanity", [])
        targets = roles.get("target", [])
        people = [h for h in text_hits if h.hit.group in ("political.politician", "political.party")]
        aimed = _near(mild, targets + people, 40)
        if not strong and not aimed:
            return None
        used = strong + aimed + _near(targets + people, strong + aimed, 40)
        points = 2.5 * len(strong) + 1.5 * len(aimed)
        return Detection(NAME, "disrespect", squash(points), spans(used, SIGNAL_NAMES),
                         f"Reads as disrespectful: it uses insulting language ({quote_list(strong + aimed)}) "
                         "about people.")


def _near(a: list[FieldHit], b: list[FieldHit], chars: int) -> list[FieldHit]:
    """Hits of ``a`` within ``chars`` characters of some hit of ``b``."""
    return [x for x in a if any(abs(x.hit.start - y.hit.start) <= chars and x is not y for y in b)]
