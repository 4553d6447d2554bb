"""Workplace grievance: a complaint about one's employer, manager, colleagues, pay or a
restructure. Needs both a reference to work (generic words such as "my manager" or "HR", or the
account's own employer) and negative language in the same post: a word from the grievance
lexicon, or a clearly negative tone (VADER compound <= -0.3, see :mod:`auditor.detect.tone`)."""

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
from auditor.models import Detection, Post, Span

NAME = "grievance"
SIGNAL_NAMES = {"work_ref": "work reference", "work_ref_exact": "work reference",
                "negative": "negative", "employer": "your employer"}


class GrievanceDetector(Detector):
    """Work reference + negative language in one authored post."""

    name = NAME

    def detect(self, post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> Detection | None:
        """Classify one post (reactions and bare reposts carry no grievance of the person's own)."""
        if not post.text:
            return None
        if not ctx.employer_hits and not any(h.hit.term.detector == NAME and h.hit.term.role.startswith("work_ref")
                                             for h in hits):
            return None
        own = [h for h in mine(hits, NAME) if h.field == "text"]
        roles = by_role(own)
        work = roles.get("work_ref", []) + roles.get("work_ref_exact", [])
        employer = [h for h in ctx.employer_hits if h.field == "text"]
        negative = roles.get("negative", [])
        if not (work or employer):
            return None
        toned: tuple = ()
        if not negative:
            t = tone(post.text)
            first_person = any(h.hit.text.lower().startswith(("my ", "our ", "at work", "i work", "where i"))
                               for h in work)
            # A post about *my* manager or *our* employer needs only a mildly negative tone.
            if not (t.negative or (first_person and t.compound <= -0.1)):
                return None
            toned = tuple(Span(a, b, w, f"tone: {w}") for a, b, w, v in t.words if v < 0)
        points = 1.5 * min(len(negative), 3) + min(len(work), 2) + (2.0 if employer else 0.0)
        used = work + negative + employer
        names = {**SIGNAL_NAMES}
        if toned:
            points += 1.5
            words = ", ".join(f'"{s.text}"' for s in toned[:3]) or "its overall tone"
            explanation = (f"Reads as a workplace grievance: it refers to work ({quote_list(work + employer)}) "
                           f"in clearly negative terms ({words}).")
        else:
            explanation = (f"Reads as a workplace grievance: it refers to work ({quote_list(work + employer)}) "
                           f"in negative terms ({quote_list(negative)}).")
        evidence = tuple(sorted(spans(used, names) + toned, key=lambda x: (x.field != "text", x.start)))
        return Detection(NAME, "grievance", squash(points), evidence, explanation)
