"""Disrespect: the model decides on the person's own words, gated by the pack's abuse words in
English. Sentences written here pin behaviour; quality is measured on real text."""

import pytest
from helpers import detect

from auditor.detect.disrespect import DisrespectDetector


# fmt: off
@pytest.mark.parametrize("text", [
    "You are a complete idiot and a disgrace, shut up.",
    "Shut up you pathetic moron, nobody asked you.",
])
# fmt: on
def test_direct_abuse_is_found(text):
    d = detect(DisrespectDetector(), text)
    assert d is not None and d.label == "disrespect"
    assert "disrespect model gives" in d.explanation


# fmt: off
@pytest.mark.parametrize("text", [
    "Power BI is a software tool I use every day.",      # "tool" is not an insult here (issue 12)
    "Crazy busy week but we shipped it.",
    "The rat race in Auckland traffic is real.",
    "You're a legend, thanks for helping me move!",
    "Lovely walk on the beach with the dogs this morning.",
    "This policy is badly designed and will hurt renters.",  # criticism without insult
])
# fmt: on
def test_not_disrespect(text):
    assert detect(DisrespectDetector(), text) is None


def test_no_abuse_word_no_finding_in_english():
    # The English model is gated by the pack's abuse words: heated talk without one is not
    # reported, whatever the model's score.
    from auditor.detect.base import PostContext
    from auditor.detect.textmodel import Prediction
    from auditor.models import Post, PostKind

    pred = Prediction("disrespect", "en", 0.99, 0.5, (), ("disrespect.insult",))
    post = Post("x", "1", PostKind.POST, None, "They are ruining everything")
    assert DisrespectDetector().detect(post, [], PostContext(predictions={"disrespect": pred})) is None
