"""Workplace grievance: a complaint about one's employer, manager, colleagues, pay or a
restructure. Needs both a reference to work (generic words such as "my manager" or "HR", or the
account's own employer) and negative language in the same post."""

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
        own = [h for h in mine(hits, NAME) if h.field == "text"]
        roles = by_role(own)
        work = roles.get("work_ref", []) + roles.get("work_ref_exact", [])
        employer = [h for h in ctx.employer_hits if h.field == "text"]
        negative = roles.get("negative", [])
        if not negative or not (work or employer):
            return None
        points = 1.5 * min(len(negative), 3) + min(len(work), 2) + (2.0 if employer else 0.0)
        used = work + negative + employer
        names = {**SIGNAL_NAMES}
        explanation = (f"Reads as a workplace grievance: it refers to work ({quote_list(work + employer)}) "
                       f"in negative terms ({quote_list(negative)}).")
        return Detection(NAME, "grievance", squash(points), spans(used, names), explanation)
