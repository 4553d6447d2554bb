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


def test_a_gate_entry_joined_by_plus_needs_every_group():
    from auditor.detect.textmodel import gate_open

    gate = ("disrespect.insult", "disrespect.profanity+disrespect.target")
    assert gate_open(gate, {"disrespect.insult"})
    assert not gate_open(gate, {"disrespect.profanity"})  # swearing at nobody in particular
    assert gate_open(gate, {"disrespect.profanity", "disrespect.target", "political.party"})
    assert gate_open((), set()) and not gate_open(gate, set())


def test_swearing_counts_only_when_aimed_at_someone():
    """The shipped English gate: a swear word alone opens it only beside a word that aims it
    (a pronoun, "this guy", "is a" ...); an insult opens it on its own."""
    from auditor.detect.textmodel import manifest

    gate = manifest()["models"]["disrespect_en"]["gate"]
    assert "disrespect.profanity" not in gate and "disrespect.profanity+disrespect.target" in gate
    assert detect(DisrespectDetector(), "What the fuck are robots?") is None
    assert detect(DisrespectDetector(), "Well shit, the bus is late again.") is None
