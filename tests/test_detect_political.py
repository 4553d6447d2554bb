"""Political detector: the learned model decides, the lexicon names the kind.

These sentences were written here: they pin behaviour and explanations, they are not the
measure of quality (see bench/quality.py and training/RESULTS.md for that).
"""

import pytest
from helpers import detect, lexicon

from auditor.detect.base import FieldHit
from auditor.detect.political import PoliticalDetector, lexicon_reading
from auditor.models import Post, PostKind


@pytest.fixture(scope="module")
def det():
    return PoliticalDetector()


def label(det, text, kind=PostKind.POST):
    d = detect(det, text, kind)
    return d.label if d else None


# fmt: off
@pytest.mark.parametrize("text", [
    "Vote them out in 2026! This government is a disgrace. #nzpol",
    "The Republicans voted against the healthcare bill again. Shameful.",
    "Tax cuts for landlords paid for by cutting hospitals. This government has no shame.",
    "Write to your MP today and tell them to vote against the immigration bill.",
])
# fmt: on
def test_clearly_political_posts_are_found(det, text):
    assert label(det, text) in ("partisan", "policy-commentary")


# fmt: off
@pytest.mark.parametrize("text", [
    # everyday words that word lists used to mistake for politics (issue 12)
    "Finally got the right amount of crust on the sourdough.",
    "I woke up dreaming about the beach again.",
    "Honestly the state of things in my inbox this morning.",
    "Power BI is a software tool I use every day.",
    "Good discussion with regional council colleagues about the new plan. Kia ora.",
    # ambiguous names and phrases in everyday use
    "Spent Labour Weekend tramping the Tongariro circuit.",
    "Took the kids to Abel Tasman National Park for the holidays.",
    "Great turnout at my niece's birthday party on Saturday.",
    "Quick poll: tabs or spaces?",
    "Lovely walk on the beach with the dogs this morning.",
    "Congrats on the new role, well deserved!",
    "Our team shipped the new release today, proud of everyone.",
])
# fmt: on
def test_everyday_posts_are_not_political(det, text):
    assert label(det, text) is None


def test_the_kind_comes_from_the_lexicon(det):
    assert label(det, "Vote them out in 2026! This government is a disgrace. #nzpol") == "partisan"
    d = detect(det, "Tax cuts for landlords paid for by cutting hospitals. This government has no shame.")
    assert d.label == "policy-commentary"


def test_a_retweet_of_a_party_account_is_partisan(det):
    """A party's own account (the NZ lexicon's party_account group) counts as naming the party:
    amplifying its attack on the government is partisan, not policy commentary. The handle is
    no model feature, so the model's verdict is the same; a chatty reply stays unflagged."""
    text = "RT @nzgreens: This government's cuts to climate funding are short-sighted and wrong. Thoughts?"
    d = detect(det, text, PostKind.REPOST)
    assert d.label == "partisan" and "@nzgreens" in d.explanation
    assert "\"names a party\" (+" not in d.explanation  # from the lexicon reading, not a model feature
    assert detect(det, "@nzgreens thanks, see you at the river clean-up on Saturday") is None


def test_a_reaction_to_a_partys_or_politicians_own_post_is_partisan(det):
    """Facebook's export names only whose post a reaction was to: a like of Chris Hipkins's post
    is support for it, as a like of the Green Party's post is (they used to differ: "Party"
    counted as a positive word, and a politician's name alone read as a mention)."""
    for text in ("Mereana Clarke reacted to Chris Hipkins's post.",
                 "Mereana Clarke reacted to Green Party of Aotearoa's post."):
        d = detect(det, text, PostKind.REACTION)
        assert d.label == "partisan" and "reaction to a party's or politician's own post" in d.explanation
    # a news outlet's post about a politician stays a mention (the partisan model does not read
    # the export's words for a reaction), and so does the lexicon's reading of a comment on his
    # post (the partisan model, which reads a comment as the person's own words, may add a side)
    assert label(det, "Mereana Clarke reacted to RNZ's post about Chris Hipkins.", PostKind.REACTION) == "mention"
    comment = Post("facebook", "c1", PostKind.COMMENT, None, "Mereana Clarke commented on Chris Hipkins's post.")
    assert lexicon_reading(comment, [FieldHit("text", h) for h in lexicon().find(comment.text)]).label == "mention"


def test_names_of_parties_are_not_sentiment_words():
    from auditor.detect.tone import tone

    text = "Mereana Clarke reacted to Green Party of Aotearoa's post."
    start = text.index("Green")
    assert [w for _, _, w, _ in tone(text).words] == ["Party"]  # VADER: "party" is fun
    assert tone(text, ((start, start + len("Green Party of Aotearoa")),)).words == ()


def test_explanation_names_the_model_the_words_and_the_threshold(det):
    text = "Vote them out in 2026! This government is a disgrace. #nzpol"
    d = detect(det, text)
    assert "political model gives" in d.explanation and "threshold" in d.explanation
    model = [s for s in d.spans if s.signal.startswith("model: ")]
    assert model, d.spans
    for s in model:
        assert text[s.start:s.end] == s.text
        assert s.signal.endswith(")") and "(+" in s.signal
    assert 0 < d.score <= 1


def test_lexicon_alone_never_decides(det):
    # Names and hashtags are features and evidence: on their own, in an everyday post, they do
    # not make it political.
    assert label(det, "Had a coffee near the Labour party office this morning, lovely barista.") is None


def test_link_only_reposts_are_read_from_the_link_words():
    from auditor.detect.base import PostContext
    from auditor.detect.textmodel import judge
    from auditor.models import Post, PostKind

    words = "government cuts hospital funding again opposition calls vote of no confidence"
    _, preds = judge(words, lang="en")
    post = Post("linkedin", "r1", PostKind.REPOST, None, "")
    d = PoliticalDetector().detect(post, [], PostContext(predictions=preds, link_text=words))
    if d is not None:
        assert all(s.field == "link" for s in d.spans)
        assert "Seen only in the words of the link" in d.explanation
    assert preds["political"].probability > 0.5


def test_a_party_written_in_capitals_is_not_a_law_or_a_word(det):
    """"ACT" the party, not "the ... Act" (a law), and "TOP", not "Top tips": an acronym term of
    the ambiguous party names must be in capitals (found reading the example reports)."""
    from auditor.detect.lexicon import Lexicon
    from auditor.policy import load_policy

    lex = Lexicon(load_policy("nz").terms)

    def parties(text):
        return sorted({h.text for h in lex.scan(text)[0] if h.term.role in ("party", "party_ambiguous")})

    assert parties("Repealing the Natural and Built Environment Act without a replacement is a shambles.") == []
    assert parties("Top tips for the weekend") == []
    assert parties("The ACT Party should be ashamed.") == ["ACT Party"]
    assert parties("ACT announced its list today.") == ["ACT"]
    assert parties("Labour and TOP announced a deal") == ["Labour", "TOP"]
    assert parties("Labour and Top announced a deal") == ["Labour"]
    d = detect(det, "Repealing the Natural and Built Environment Act without a replacement is a shambles.")
    assert d is None or d.label != "partisan"


def test_a_link_word_the_post_writes_in_lower_case_is_not_a_party():
    """A link is lower case, so it is title-cased to find "Labour" in "labour-vows-...": but
    "reform" in ".../the_governments_plan_to_scrap_three_waters_reform/" is the word the post
    itself writes in lower case, not the Reform party (found reading the example reports, where
    it made a policy opinion "partisan")."""
    from auditor.detect.lexicon import Lexicon
    from auditor.detect.political import lexicon_reading
    from auditor.detect.scan import post_hits
    from auditor.models import Post
    from auditor.policy import load_policy

    lex = Lexicon(load_policy("nz").terms)

    def reading(text, url):
        post = Post("reddit", "1", "post", None, text, target_url=url)
        hits = post_hits(post, lex)[0]
        return lexicon_reading(post, hits).label, {h.hit.text for h in hits if h.hit.term.role == "party_ambiguous"}

    url = "https://www.reddit.com/r/newzealand/comments/vdoh24/the_governments_plan_to_scrap_three_waters_reform/"
    assert reading("The government's plan to scrap Three Waters reform is reckless.", url) == ("policy-commentary", set())
    headline = "https://www.rnz.co.nz/news/political/labour-vows-to-restore-public-service-jobs-if-elected"
    assert reading("", headline) == ("partisan", {"labour"})  # a bare link: its words are all there is
    assert reading("Worth a read.", headline) == ("partisan", {"labour"})
    # the link written out in the text is not the post's own word
    assert reading(f"Worth a read {headline}", headline) == ("partisan", {"labour"})


@pytest.mark.parametrize("text,kind", [
    ("That MP is an absolute moron. How do these idiots get elected?", "partisan"),
    ("What a pathetic, spineless excuse for a minister. Loser.", "partisan"),
    ("Luxon is an absolute clown.", "partisan"),
    ("The minister's plan is stupid.", "policy-commentary"),  # a milder word, at a plan
    ("Parliament is a joke today.", "policy-commentary"),  # an institution, not a politician
])
def test_an_insult_aimed_at_an_office_holder_attacks_a_politician(text, kind):
    """Partisan includes attacking a politician: an insult aimed at "that MP" or "a minister" is
    one, as it is when the politician is named (found reading the example reports)."""
    from auditor.detect.lexicon import Lexicon
    from auditor.detect.political import lexicon_reading
    from auditor.detect.scan import post_hits
    from auditor.models import Post
    from auditor.policy import load_policy

    post = Post("twitter", "1", "post", None, text)
    assert lexicon_reading(post, post_hits(post, Lexicon(load_policy("nz").terms))[0]).label == kind


def test_a_post_that_says_where_you_work_is_judged_at_the_threshold_of_the_list(det):
    from auditor.detect.base import PostContext
    from auditor.detect.textmodel import Prediction
    from auditor.models import Post

    post = Post("reddit", "1", "comment", None, "As a policy advisor at MfE I can tell you the minister is wrong.")

    def found(p, says):
        pred = Prediction("political", "en", p, 0.82, review=0.51)
        return det.detect(post, [], PostContext(predictions={"political": pred}, says_employer=says))

    assert found(0.80, "") is None  # under the threshold: listed to skim, not a finding
    d = found(0.80, "As a policy advisor at MfE")
    assert d is not None and "against a threshold of 0.51" in d.explanation and "not the usual 0.82" in d.explanation
    assert found(0.40, "As a policy advisor at MfE") is None  # under the list's threshold too
    assert "not the usual" not in found(0.90, "As a policy advisor at MfE").explanation


def test_the_reason_says_what_the_post_does(det):
    """Found reading the example reports: "You have my vote" declares the person's own vote
    (no call on anybody), and a party named beside a judgement word ("Couldn't agree more.
    National's cuts ...") is no electoral context."""
    mine = detect(det, "Thank you Marama Davidson and the Greens for standing up for the rivers. You have my vote.")
    assert mine.label == "partisan" and "it says how you vote" in mine.explanation
    call = detect(det, "Get out and vote for Marama Davidson and the Greens on Saturday!")
    assert call.label == "partisan" and "it calls on people to vote" in call.explanation
    judged = detect(det, "Couldn't agree more. National's cuts to environmental monitoring will cost us for decades.")
    assert judged.label == "partisan" and "passes judgement on them" in judged.explanation
    assert "electoral or campaign context" not in judged.explanation
    election = detect(det, "National's campaign launch today promised tax cuts before the election. #nzpol")
    assert election.label == "partisan" and "electoral or campaign context" in election.explanation


# --- the partisan model (issue 12): which political posts take a side --------------------------

def _thresholds(**extra):
    from auditor.policy import load_policy

    return {**load_policy("nz").thresholds, **extra}


def _read(text, thresholds):
    return detect(PoliticalDetector(), text, thresholds=thresholds)


def test_the_partisan_model_reads_a_side_where_the_lexicon_reads_no_stance():
    """The lexicon finds the party and "government spending" but no stance word, so it reads
    policy commentary; the partisan model reads the side the post takes, and the finding says
    so, with the words that pushed it."""
    text = "Dems and their big government spending again. Typical."
    alone = _read(text, _thresholds(partisan=1.01))  # the partisan model switched off
    assert alone.label == "policy-commentary"
    d = _read(text, _thresholds())
    assert d.label == "partisan"
    assert "the partisan model, which reads the political posts only, gives" in d.explanation
    assert "Reads as policy commentary" not in d.explanation  # the reading it overrules is not repeated
    side = [s for s in d.spans if s.signal.startswith("partisan model: ")]
    assert side and all(text[s.start:s.end] == s.text for s in side)
    assert any(s.text.lower() == "dems" for s in side)


def test_the_partisan_model_never_makes_a_post_political_or_less_partisan():
    from auditor.detect.textmodel import judge

    # an everyday post: not political, so the partisan model is not even asked
    _, preds = judge("Made pancakes with the kids this morning.")
    assert preds["political"].kinds == {}
    # the lexicon's partisan reading stands whatever the partisan model says
    text = "Vote them out in 2026! This government is a disgrace. #nzpol"
    assert _read(text, _thresholds(partisan=0.99)).label == "partisan"
    # a post the partisan model reads as policy stays policy commentary
    d = _read("Tax cuts for landlords paid for by cutting hospitals. This government has no shame.", _thresholds())
    assert d.label == "policy-commentary" and "partisan model" not in d.explanation


def test_a_pack_sets_the_partisan_models_threshold(tmp_path):
    from auditor.policy import load_policy
    from auditor.policy.pack import PACKS_DIR

    text = (PACKS_DIR / "nz.toml").read_text(encoding="utf-8")
    (tmp_path / "strict.toml").write_text(text.replace("[pack]\n", "[pack]\nthresholds = { partisan = 0.99 }\n", 1))
    strict = load_policy(str(tmp_path / "strict.toml")).thresholds
    assert strict == {"partisan": 0.99}
    post = "Dems and their big government spending again. Typical."
    assert _read(post, {**_thresholds(), **strict}).label == "policy-commentary"  # 0.91 < 0.99


def test_an_everyday_judgement_word_is_evidence_only_where_it_decided_the_reading():
    """"can't" beside a call to vote says nothing (it was quoted as evidence in the example
    reports); beside a party with nothing else it is what makes the reading partisan."""
    def reading(text):
        post = Post("x", "1", PostKind.POST, None, text)
        return lexicon_reading(post, [FieldHit("text", h) for h in lexicon().find(text)])

    vote = reading("Party vote Green on Saturday. Our rivers can't wait another three years. #nzpol")
    assert vote.label == "partisan" and "asks people to vote for a party" in vote.explanation
    assert "can't" not in vote.explanation and all(s.signal != "judgement: can't" for s in vote.spans)
    judged = reading("Couldn't agree more. National's cuts to environmental monitoring will cost us for decades.")
    assert "passes judgement on them" in judged.explanation and '"Couldn\'t"' in judged.explanation


def test_the_partisan_model_does_not_read_a_link_passed_on_without_a_word():
    """A bare share of a news story: the labelling guide counts news passed on without comment
    by its headline's subject, and an announcement passed on without comment as civic, so the
    partisan model (which would give this link's words 0.85) does not make it partisan; the
    lexicon's reading of the link stands."""
    from auditor.detect.base import PostContext
    from auditor.detect.scan import judge_post, post_hits

    post = Post("linkedin", "s1", PostKind.REPOST, None, "",
                target_url="https://www.stuff.co.nz/national/politics/greens-slam-government-over-climate-cuts")
    hits, words, masked = post_hits(post, lexicon())
    _, preds = judge_post("", words, hits, _thresholds(), masked)
    assert preds["political"].kinds["partisan"].positive  # what the partisan model would say
    d = PoliticalDetector().detect(post, hits, PostContext(predictions=preds, link_text=words,
                                                           thresholds=_thresholds()))
    assert d.label == "policy-commentary" and "partisan model" not in d.explanation


def test_the_partisan_model_reads_the_party_in_the_posts_own_words_not_in_its_link():
    """The partisan model learned "names a party" from posts whose own words named one. A
    comment on a policy above a link whose address names a party passes on a story about the
    party; read with the link's party it scored 0.82 (partisan), read as trained 0.30. The
    political model still reads the link, and a party in the post's own words still counts."""
    from auditor.detect.base import PostContext
    from auditor.detect.scan import judge_post, post_hits
    from auditor.detect.textmodel import judge

    url = "https://www.stuff.co.nz/national/politics/labour-vows-to-cut-emissions-tax"

    def read(text):
        post = Post("linkedin", "s1", PostKind.POST, None, text, target_url=url)
        hits, words, masked = post_hits(post, lexicon())
        _, preds = judge_post(text, words, hits, _thresholds(), masked)
        return hits, masked, preds, PoliticalDetector().detect(
            post, hits, PostContext(predictions=preds, link_text=words, thresholds=_thresholds()))

    text = "The tax plan will hit renters hardest."
    hits, masked, preds, d = read(text)
    assert any(h.field == "link" and h.hit.term.model_group.startswith("political.party") for h in hits)
    _, as_before = judge(text, {h.hit.term.model_group for h in hits}, _thresholds(), masked=masked)
    assert as_before["political"].kinds["partisan"].positive  # the link's party made it partisan
    assert preds["political"].positive and not preds["political"].kinds["partisan"].positive
    assert d.label == "policy-commentary" and "partisan model" not in d.explanation
    # the same words naming the party themselves: the party feature counts as it was trained
    own = "Labour's tax plan will hit renters hardest."
    _, _, preds, _ = read(own)
    _, alone = judge(own, {h.term.model_group for h in lexicon().find(own)}, _thresholds())
    assert preds["political"].kinds["partisan"].probability == alone["political"].kinds["partisan"].probability


def test_the_worklist_line_says_when_the_partisan_model_named_the_kind():
    from auditor.report.worklist import reason

    text = "Dems and their big government spending again. Typical."
    d = _read(text, _thresholds())
    finding = {"subject": "post", "category": "political", "label": d.label, "score": d.score,
               "explanation": d.explanation,
               "spans": [{"text": s.text, "signal": s.signal} for s in d.spans]}
    from auditor.detect.textmodel import manifest

    models = manifest()["models"]
    line = reason(finding)
    assert line.startswith(f"political (partisan), model {d.score:.2f} \u2265 {models['political_en']['threshold']:.2f}, "
                           "partisan model ")
    assert f"\u2265 {models['partisan_en']['threshold']:.2f}: " in line and "Dems" in line
    alone = _read(text, _thresholds(partisan=0.99))
    assert "partisan model" not in reason({**finding, "label": alone.label, "explanation": alone.explanation})
