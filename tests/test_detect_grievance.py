import pytest
from helpers import detect

from auditor.detect.grievance import GrievanceDetector


# fmt: off
@pytest.mark.parametrize("text, employer, expected", [
    ("Honestly the restructure at our ministry has been a shambles. Senior leadership is clueless.", "", True),
    ("HR lost my pay equity paperwork AGAIN. Fed up.", "", True),
    ("My manager takes credit for everything. So demoralising.", "", True),
    ("Ministry for the Environment is a joke of a place to work right now.", "Ministry for the Environment", True),
    ("Grateful to my manager for the mentoring this year.", "", False),
    ("Our team launched the new guidance today!", "", False),
    ("This traffic is a nightmare.", "", False),
    ("Great change management workshop with our leadership team.", "", False),
])
# fmt: on
def test_grievance(text, employer, expected):
    d = detect(GrievanceDetector(), text, employer=employer)
    assert (d is not None) is expected
    if d:
        assert d.label == "grievance" and any(s.signal.startswith("negative") for s in d.spans)


def test_reactions_carry_no_grievance():
    from auditor.models import PostKind
    assert detect(GrievanceDetector(), "", kind=PostKind.REACTION) is None


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("My manager hasn't had a one-on-one with me in six months.", True),     # persistence marker
    ("Being told to do more with less by my manager. Awful, awful week.", True),  # tone only
    ("HR closed my complaint without even interviewing anyone. Again.", True),
    ("My manager backed me in a tough meeting today. Appreciated.", False),   # work ref, warm tone
    ("Starting a new job is scary but exciting.", False),
    ("The traffic on the way home was horrendous tonight.", False),          # negative, not work
])
# fmt: on
def test_grievance_tone_and_persistence(text, expected):
    from auditor.detect.grievance import GrievanceDetector
    assert (detect(GrievanceDetector(), text) is not None) == expected
