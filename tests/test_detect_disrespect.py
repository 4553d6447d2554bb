import pytest
from helpers import detect

from auditor.detect.disrespect import DisrespectDetector


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("Luxon is an absolute clown.", True),
    ("What a bunch of idiots running this show.", True),
    ("You are so stupid it hurts.", True),
    ("Shut up, nobody asked you.", True),
    ("That was a stupid question from me, sorry team!", False),
    ("Crazy busy week but we shipped it.", False),
    ("The rat race in Auckland traffic is real.", False),
    ("Snake oil products are everywhere on this platform.", False),
    ("Fucking brilliant result from the team.", False),
])
# fmt: on
def test_disrespect(text, expected):
    d = detect(DisrespectDetector(), text)
    assert (d is not None) is expected


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("Go to hell.", True),                                   # directed abuse on its own
    ("Shut your mouth, nobody asked you.", True),
    ("The mayor is a pompous, arrogant fool.", True),        # mild words aimed at a role
    ("Fool. Liar. Coward. That's our premier.", True),
    ("I'm such an idiot, I locked my keys in the car again.", False),   # self-deprecation
    ("My dog is a lovable idiot.", False),                   # affection
    ("The villain in the show is a total psycho, amazing acting.", False),  # fiction
    ("You're a legend, thanks for helping me move!", False),
    ("I'm a total muppet, forgot my lunch again.", False),
    ("You're a total muppet, read the article before commenting.", True),  # addressed: still abuse
])
# fmt: on
def test_directed_abuse_and_self_frames(text, expected):
    from auditor.detect.disrespect import DisrespectDetector
    assert (detect(DisrespectDetector(), text) is not None) == expected
