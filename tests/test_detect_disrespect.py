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
