"""Workplace grievance: the author complaining about their own employer, manager, colleagues, pay
or conditions.

The grievance model for the post's language (learned from employees' reviews, employment
questions, customer complaints and everyday posts; see :mod:`auditor.detect.textmodel`) must
score the post at or above its threshold, and the post must refer to work: a generic reference
from the lexicon ("my manager", "HR", "at work") or the account's own employer. A complaint
about a shop, an airline or someone else's job is not the person's grievance.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.detect.base import (
    Detector,
    FieldHit,
    PostContext,
    by_role,
    mine,
    model_spans,
    quote_list,
    spans,
)
from auditor.models import Detection, Post

NAME = "grievance"
SIGNAL_NAMES = {"work_ref": "work reference", "work_ref_exact": "work reference", "employer": "your employer"}


class GrievanceDetector(Detector):
    """Model verdict plus a reference to the person's work, in one post of their own words."""

    name = NAME

    def detect(self, post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> Detection | None:
        """Classify one post (reactions and bare reposts carry no grievance of the person's own)."""
        pred = ctx.predictions.get(NAME)
        if not post.text or pred is None or not pred.positive:
            return None
        text_hits = [h for h in hits if h.field == "text"]
        roles = by_role(mine(text_hits, NAME))
        work = roles.get("work_ref", []) + roles.get("work_ref_exact", [])
        employer = [h for h in ctx.employer_hits if h.field == "text"]
        if not (employer or pred.gate_open(h.hit.group for h in text_hits)):
            return None
        evidence = tuple(sorted(spans(work + employer, SIGNAL_NAMES) + model_spans(pred, post.text),
                                key=lambda x: (x.start, x.end, x.signal)))
        explanation = (f"Reads as a workplace grievance: it refers to your work ({quote_list(work + employer)}) "
                       f"and the {pred.lang} grievance model gives {pred.probability:.2f} against a threshold of "
                       f"{pred.threshold:.2f}, pushed most by {pred.because()}.")
        return Detection(NAME, "grievance", pred.probability, evidence, explanation)
