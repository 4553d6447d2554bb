"""Disrespect: insults, abuse or contempt aimed at people or groups.

The disrespect model for the post's language decides (learned from labelled hate-speech,
offensive-language and insult corpora against everyday posts; see
:mod:`auditor.detect.textmodel`). Where the model was trained with a gate (English: a word of
the pack's insult, abuse or profanity lists must be in the post, because on everyday posts the
model alone mistakes heated talk for abuse), the gate applies here too; the threshold was chosen
with it. The lexicon hits are shown as evidence; they never decide alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.detect.base import Detector, FieldHit, PostContext, mine, model_spans, spans
from auditor.models import Detection, Post

NAME = "disrespect"
SIGNAL_NAMES = {"insult": "insult", "mild": "insult", "profanity": "profanity", "target": "aimed at",
                "directed": "abuse"}


class DisrespectDetector(Detector):
    """Model verdict on the person's own words, with the lexicon's insult words as evidence."""

    name = NAME

    def detect(self, post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> Detection | None:
        """Classify one post's own words."""
        pred = ctx.predictions.get(NAME)
        if not post.text or pred is None or not pred.positive:
            return None
        text_hits = [h for h in hits if h.field == "text"]
        if not pred.gate_open(h.hit.group for h in text_hits):
            return None
        lex = [h for h in mine(text_hits, NAME) if h.hit.role in SIGNAL_NAMES]
        evidence = tuple(sorted(set(spans(lex, SIGNAL_NAMES) + model_spans(pred, post.text)),
                                key=lambda x: (x.start, x.end, x.signal)))
        return Detection(NAME, "disrespect", pred.probability, evidence,
                         f"Reads as disrespectful: the {pred.lang} disrespect model gives {pred.probability:.2f} "
                         f"against a threshold of {pred.threshold:.2f}, pushed most by {pred.because()}.")
