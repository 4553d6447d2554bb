"""Disrespect: insults, slurs and abuse aimed at people.

* Strong insults ("idiot", "scumbag") and directed abuse ("shut up", "go to hell") count on
  their own.
* Milder words ("stupid", "liar", "lazy") and profanity count when aimed at someone ("you",
  "he's", "what a", "the mayor", a named politician) within a few words.
* Self-deprecation and affection ("I'm such an idiot", "my lovable idiot of a dog", a film's
  villain) are not abuse: when such a frame is present, nothing is addressed to "you" and no
  politician is named, or when the whole post is clearly warm (VADER tone >= 0.4), the insult
  words are not reported.
"""

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
from auditor.detect.tone import tone
from auditor.models import Detection, Post

NAME = "disrespect"
SIGNAL_NAMES = {"insult": "insult", "mild": "insult", "profanity": "profanity", "target": "aimed at",
                "directed": "abuse"}
_ABUSE = {"insult", "mild", "profanity", "directed"}
_SECOND_PERSON = {"you", "you're", "youre", "you are", "your", "like you", "you clearly"}


class DisrespectDetector(Detector):
    """Insult lexicon with a target requirement for the milder terms."""

    name = NAME

    def detect(self, post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> Detection | None:
        """Classify one post's own words."""
        if not post.text:
            return None
        if not any(h.hit.term.detector == NAME and h.hit.term.role in _ABUSE for h in hits):
            return None
        text_hits = [h for h in hits if h.field == "text"]
        roles = by_role(mine(text_hits, NAME))
        strong = roles.get("insult", []) + roles.get("directed", [])
        mild = roles.get("mild", []) + roles.get("profanity", [])
        targets = roles.get("target", [])
        people = [h for h in text_hits if h.hit.group in ("political.politician", "political.party")]
        aimed = _near(mild, targets + people, 40)
        if not strong and not aimed:
            return None
        addressed = any(h.hit.text.lower() in _SECOND_PERSON for h in targets) or bool(people)
        if not addressed and not roles.get("directed"):
            if roles.get("self") or tone(post.text).compound >= 0.4:
                return None  # self-deprecating, affectionate or fictional: not abuse of anyone
        used = strong + aimed + _near(targets + people, strong + aimed, 40)
        points = 2.5 * len(strong) + 1.5 * len(aimed)
        return Detection(NAME, "disrespect", squash(points), spans(used, SIGNAL_NAMES),
                         f"Reads as disrespectful: it uses insulting language ({quote_list(strong + aimed)}) "
                         "about people.")


def _near(a: list[FieldHit], b: list[FieldHit], chars: int) -> list[FieldHit]:
    """Hits of ``a`` within ``chars`` characters of some hit of ``b``."""
    return [x for x in a if any(abs(x.hit.start - y.hit.start) <= chars and x is not y for y in b)]
