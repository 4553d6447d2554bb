"""Grievance: the model's verdict plus a reference to the person's own work. Sentences written
here pin behaviour; quality is measured on real text (bench/quality.py)."""

import pytest
from helpers import detect

from auditor.detect.grievance import GrievanceDetector
from auditor.models import PostKind


# fmt: off
@pytest.mark.parametrize("text", [
    "Grateful to my manager for the mentoring this year.",
    "Our team launched the new guidance today!",
    "This traffic is a nightmare.",
    "Great change management workshop with our leadership team.",
    "Starting a new job is scary but exciting.",
    "The airline lost my bag again, worst customer service ever.",
    "Good discussion with regional council colleagues about the new plan. Kia ora.",
])
# fmt: on
def test_not_grievances(text):
    assert detect(GrievanceDetector(), text) is None


def test_a_complaint_needs_a_reference_to_work():
    # Negative words about something other than work are never a workplace grievance.
    assert detect(GrievanceDetector(), "Absolutely sick of this weather, third week of rain.") is None


def test_reactions_carry_no_grievance():
    assert detect(GrievanceDetector(), "", kind=PostKind.REACTION) is None


def test_a_found_grievance_explains_itself():
    text = "My manager cancelled my leave again and HR won't answer. Underpaid and overworked at this place."
    d = detect(GrievanceDetector(), text)
    if d is None:
        pytest.skip("the shipped model does not find this one (its threshold is set for precision)")
    assert d.label == "grievance" and "refers to your work" in d.explanation
    assert any(s.signal.startswith("work reference") for s in d.spans)
