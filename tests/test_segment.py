"""Hashtags split into words (auditor/detect/segment.py)."""

import pytest

from auditor.detect.segment import MAX_TAG, split


@pytest.mark.parametrize("tag, words", [
    ("voteremain", ("vote", "remain")),
    ("clintonforpresident", ("clinton", "for", "president")),
    ("stopputin", ("stop", "putin")),
    ("gopdebate", ("gop", "debate")),
    ("jacindaardern", ("jacinda", "ardern")),
    ("labourparty", ("labour", "party")),
    ("brexit", ("brexit",)),
    ("potus", ("potus",)),
    ("nz_pol", ("nz", "pol")),          # an underscore separates, as a digit does
    ("glamslam2018", ("glam", "slam")),
    ("x", ("x",)),
    ("2020", ()),
])
def test_split(tag, words):
    assert split(tag) == words


def test_an_unknown_single_letter_is_never_a_word_of_a_longer_tag():
    assert all(len(w) > 1 or w in ("a", "i") for w in split("qzxjkvbnmwq"))


def test_a_long_tag_is_read_only_up_to_a_bound():
    words = split("vote" * 1000)
    assert "".join(words) == ("vote" * 1000)[:MAX_TAG]
