"""What a detector is: a named thing that turns lexicon hits on a post into a Detection."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from auditor.detect.lexicon import Hit
from auditor.detect.textmodel import Prediction
from auditor.models import Detection, Post, Span


@dataclass(frozen=True)
class FieldHit:
    """A lexicon hit and the field of the post it was found in (``text`` or ``link``)."""

    field: str
    hit: Hit


@dataclass(frozen=True)
class PostContext:
    """What a post detector may know beyond the post's lexicon hits.

    ``predictions`` holds each task's model prediction for the post's language (empty when the
    language has no model: the post is then listed as not checked, never judged by word lists).
    ``link_text`` is the words of the shared link when the post itself has no text.
    """

    employer_hits: tuple[FieldHit, ...] = ()
    predictions: dict[str, Prediction] = field(default_factory=dict)
    link_text: str = ""
    #: the policy pack's thresholds (``[pack] thresholds``): the models' (read when the models
    #: predict) and the detectors' own, such as ``political_kind``
    thresholds: dict[str, float] = field(default_factory=dict)
    #: the words in which the post says the person works for their employer ("As a policy
    #: advisor at MfE"; see :func:`auditor.detect.linkage.says_works_for`), or ""
    says_employer: str = ""


class Detector:
    """Base class. Subclasses set ``name`` and implement :meth:`detect`.

    ``detect`` receives every lexicon hit in the post (all detectors' groups, found in one pass)
    and picks the groups it understands, so adding a detector does not add a pass over the text.
    """

    name: str = ""
    autoload: bool = True

    def detect(self, post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> Detection | None:
        """A detection for the post, or None when there is nothing to report."""
        raise NotImplementedError


def mine(hits: Sequence[FieldHit], detector: str) -> list[FieldHit]:
    """The hits of one detector's groups."""
    return [h for h in hits if h.hit.term.detector == detector]


def by_role(hits: Sequence[FieldHit]) -> dict[str, list[FieldHit]]:
    """Hits grouped by role (the part of the group name after the detector)."""
    out: dict[str, list[FieldHit]] = {}
    for h in hits:
        out.setdefault(h.hit.role, []).append(h)
    return out


def by_group(hits: Sequence[FieldHit]) -> dict[str, list[FieldHit]]:
    """Hits grouped by lexicon group (``political.party``), groups in the order first met."""
    out: dict[str, list[FieldHit]] = {}
    for h in hits:
        out.setdefault(h.hit.term.group, []).append(h)
    return out


def spans(hits: Sequence[FieldHit], signal_names: dict[str, str]) -> tuple[Span, ...]:
    """Evidence spans, labelled ``<signal>: <matched text>`` for the report."""
    out = []
    for h in sorted(hits, key=lambda x: (x.field != "text", x.hit.start)):
        name = signal_names.get(h.hit.role, h.hit.role.replace("_", " "))
        out.append(Span(h.hit.start, h.hit.end, h.hit.text, f"{name}: {h.hit.text}", h.field))
    return tuple(out)


def squash(points: float, scale: float = 4.0) -> float:
    """Map unbounded evidence points to a 0..1 score (more evidence, diminishing returns)."""
    return round(1 - math.exp(-max(points, 0.0) / scale), 3)


def quote_list(hits: Sequence[FieldHit], limit: int = 3) -> str:
    """'"a", "b" and "c"' from the distinct matched words."""
    words = list(dict.fromkeys(h.hit.text for h in hits))[:limit]
    quoted = [f'"{w}"' for w in words]
    if not quoted:
        return "its overall tone"
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def model_spans(pred: Prediction, text: str, field: str = "text") -> tuple[Span, ...]:
    """Evidence spans for the words that pushed a model's score up ("model: tax cuts (+0.41)")."""
    return tuple(Span(c.start, c.end, text[c.start:c.end], f"model: {c.label} (+{c.weight:.2f})", field)
                 for c in pred.contributions if c.start >= 0)
