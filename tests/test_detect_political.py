import pytest
from helpers import detect

from auditor.detect.political import PoliticalDetector


@pytest.fixture(scope="module")
def det():
    return PoliticalDetector()


def label(det, text):
    d = detect(det, text)
    return d.label if d else None


# fmt: off
@pytest.mark.parametrize("text, expected", [
    # partisan: parties, politicians, calls to vote, campaigning
    ("Proud to support Chlöe Swarbrick and the Greens this election. Party vote Green!", "partisan"),
    ("Vote them out in 2026! This government is a disgrace. #nzpol", "partisan"),
    ("Luxon is out of touch and has to go.", "partisan"),
    ("Chris Hipkins has my vote. Labour will protect public services.", "partisan"),
    ("Ridiculous that ACT wants to scrap the freshwater rules. David Seymour should try drinking from the Waikato.", "partisan"),
    ("Chip in $10 to the campaign before the election deadline!", "partisan"),
    ("Don't vote for National, they will sell everything.", "partisan"),
    # policy commentary: opinion on government or policy without a party being the point
    ("The Fast-track Approvals Bill is reckless and the Minister hasn't read the evidence.", "policy-commentary"),
    ("Tax cuts paid for by cutting public services. Shameful priorities from this government.", "policy-commentary"),
    ("Signed the petition against the Treaty Principles Bill today.", "policy-commentary"),
    ("#nzpol thoughts on today's select committee", "policy-commentary"),
    # civic: neutral
    ("Reminder: advance voting opens Monday. Check your enrolment at vote.nz. Whoever you vote for, make your vote count!", "civic"),
    ("Make sure you're enrolled to vote before election day.", "civic"),
    # mentions: a politician named without a stance
    ("Today Nicola Willis opened the new science hub in Lower Hutt.", "mention"),
    # tricky negatives: not political at all
    ("Spent Labour Weekend tramping the Tongariro circuit.", None),
    ("Took the kids to Abel Tasman National Park for the holidays.", None),
    ("Great turnout at my niece's birthday party on Saturday.", None),
    ("Green hydrogen pilots are popping up around the Bay of Plenty.", None),
    ("We need to act now on data quality in our team.", None),
    ("The labour market data for Q3 is out; wages grew 4%.", None),
    ("Our national programme for farm plans reached 5,000 farms.", None),
    ("Please read our privacy policy before signing up.", None),
    ("Quick poll: tabs or spaces?", None),
    ("Three years at the Ministry for the Environment today. Grateful for a great team.", None),
    ("Lovely to be at the national conference of hydrologists.", None),
])
# fmt: on
def test_labels(det, text, expected):
    assert label(det, text) == expected


def test_evidence_spans_point_at_the_words(det):
    text = "Shame on Nicola Willis. Vote them out! #nzpol"
    d = detect(det, text)
    assert d.label == "partisan"
    assert {text[s.start:s.end] for s in d.spans} >= {"Shame on", "Nicola Willis", "Vote them out", "#nzpol"}
    assert all(s.signal.split(": ", 1)[1] == text[s.start:s.end] for s in d.spans)
    assert "partisan" in d.explanation and "Nicola Willis" in d.explanation


def test_scores_grow_with_evidence(det):
    weak = detect(det, "Luxon is wrong about this.")
    strong = detect(det, "Luxon is a disgrace and a liar. Vote National out! #nzpol")
    assert 0 < weak.score < strong.score <= 1


# fmt: off
@pytest.mark.parametrize("text, expected", [
    # a named politician or party plus evaluative tone (VADER) or a judgement word
    ("Peter Dutton would be a disaster for this country.", "partisan"),
    ("Nicola Willis couldn't balance a chequebook.", "partisan"),
    ("Chlöe Swarbrick for PM.", "partisan"),
    ("Hands up who else is voting ACT this time?", "partisan"),
    ("Make them a one-term government.", "partisan"),
    # government, ministers or named policies with an opinion or clearly negative tone
    ("The Reserve Bank should be independent of political meddling by the Finance Minister.", "policy-commentary"),
    ("The government's response to the floods has been a disgrace and an insult to victims.", "policy-commentary"),
    ("The Treaty Principles Bill threatens everything we have built together.", "policy-commentary"),
    # not political: the same words without a political object
    ("The government building on Bowen St has the best lunchtime views.", None),
    ("Minister of our running club, that's me, finally organised the Sunday route.", None),
    ("Voting for the office's best Halloween costume is now open.", None),
    ("I'm voting for pineapple on pizza, fight me.", None),
    ("Our team budget should be approved next week.", None),
    ("The new tax return form is so much easier this year.", None),
])
# fmt: on
def test_tone_opinion_and_judgement_rules(det, text, expected):
    assert label(det, text) == expected


def test_tone_words_are_evidence():
    d = detect(PoliticalDetector(), "Peter Dutton would be a disaster for this country.")
    assert "tone: disaster" in d.signals and "disaster" in d.explanation


# fmt: off
@pytest.mark.parametrize("text, expected", [
    # a minister's visit, opening or announcement reported as work news is not partisan ...
    ("Great to welcome Minister Bishop to our office today to launch the new housing data dashboard.", "mention"),
    ("Thanks to Hon Nicola Willis for opening the new Treasury building this morning.", "mention"),
    ("Honoured to host Erica Stanford at our school for the launch of the new maths resources.", "mention"),
    # ... unless it also judges, campaigns or praises the politics itself
    ("Luxon announced more cuts today. Disgraceful.", "partisan"),
    ("Great to see the government announced tax cuts. Finally!", "policy-commentary"),
    ("Proud to host Chlöe Swarbrick at our campaign launch. Party vote Green!", "partisan"),
])
# fmt: on
def test_official_engagements_are_work_news(det, text, expected):
    assert label(det, text) == expected
