"""The shipped models: files match the manifest, inference matches the file's arithmetic, and
every positive explains itself with the words that pushed it over."""

import hashlib
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.detect.textmodel import (
    FEATURE_VERSION,
    MANIFEST,
    MODELS_DIR,
    TASKS,
    feature_spans,
    features,
    load_language,
    manifest,
)

MAN = json.loads(MANIFEST.read_text(encoding="utf-8"))


def test_every_shipped_file_matches_the_manifest():
    semantic = MAN.get("semantic", {})
    listed = {e["file"] for e in [*MAN["models"].values(), *semantic.values()]}
    on_disk = {p.name for p in MODELS_DIR.glob("*.npz")}
    assert listed == on_disk
    for name, e in [*MAN["models"].items(), *semantic.items()]:
        data = (MODELS_DIR / e["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"], f"{name} was changed after training"
        assert len(data) == e["bytes"]
    # the semantic head blends with one word model: the one shipped beside it
    for name, e in semantic.items():
        assert MAN["models"][name]["sha256"] == e["word_model_sha256"], f"rebuild the semantic head of {name}"


def test_the_build_scripts_check_agrees(tmp_path):
    import shutil
    import sys

    sys.path.insert(0, str(MODELS_DIR.parents[2] / "training"))
    import build_models

    assert build_models.check(MODELS_DIR) == []
    copy = tmp_path / "models"
    shutil.copytree(MODELS_DIR, copy)
    (copy / "semantic_political_en.npz").write_bytes(b"changed")
    (copy / "stray.npz").write_bytes(b"")
    problems = build_models.check(copy)
    assert any("semantic political_en" in p and "checksum" in p for p in problems)
    assert "stray.npz is not in the manifest" in problems
    # the features split hashtags with the word list: another list needs other models
    (copy / "words_en.txt").write_text("vote\t1\n", encoding="utf-8")
    assert any("words_en.txt is not the word list" in p for p in build_models.check(copy))


def test_models_are_small_and_every_unshipped_one_says_why():
    assert MAN["feature_version"] == FEATURE_VERSION
    total = sum(p.stat().st_size for p in MODELS_DIR.iterdir())
    assert total <= 25 * 1024 * 1024
    langs = {(e["task"], e["lang"]) for e in MAN["models"].values()}
    assert {("political", "en"), ("disrespect", "en"), ("grievance", "en")} <= langs
    for name, e in MAN.get("not_shipped", {}).items():
        assert e["why_not_shipped"] and name not in MAN["models"]


def test_manifest_records_sources_thresholds_and_figures():
    for name, e in MAN["models"].items():
        assert e["trained_on"], name
        assert 0 < e["threshold"] < 1
        assert e["figures"]["held_out"] or e["figures"]["left_out_source"], name
    assert MAN["sources"] == "training/SOURCES.md"


def _reference_probability(name: str, text: str, roles=()) -> float:
    """The score computed straight from the .npz arrays with numpy, independently of the
    merged table the audit uses."""
    e = MAN["models"][name]
    with np.load(MODELS_DIR / e["file"]) as z:
        feats = bytes(z["features"]).decode().split("\n")
        w, idf, params = z["weights"].astype(float), z["idf"].astype(float), z["params"]
    index = {f: i for i, f in enumerate(feats)}
    rows = [index[f] for f in features(text, roles) if f in index]
    x = idf[rows]
    norm = math.sqrt(float((x ** 2).sum())) or 1.0
    return 1 / (1 + math.exp(-(float((w[rows] * x).sum()) / norm + params[0])))


@pytest.mark.parametrize("text", [
    "The government must stop these cuts to public health funding. Vote them out!",
    "Lovely walk on the beach with the dogs this morning.",
    "",
    "My manager cancelled my leave again, this place is a joke.",
])
def test_inference_matches_the_model_file(text):
    lm = load_language("en")
    preds = lm.predict(text, {"political.politician"})
    for task in TASKS:
        name = f"{task}_en"
        assert preds[task].probability == pytest.approx(
            _reference_probability(name, text, {"political.politician"}), abs=1e-4)


def test_contributions_are_exact_shares_of_the_score():
    lm = load_language("en")
    text = "Tax cuts for landlords while hospitals close. This government is a disgrace. #nzpol"
    p = lm.predict(text, {"political.hashtag"}, thresholds={"political": 0.01})["political"]
    assert p.positive and p.contributions
    for c in p.contributions:
        assert c.weight > 0
        if c.start >= 0:
            words = text[c.start:c.end].lower()
            assert all(part in words for part in c.feature.split())


def test_explanations_are_worked_out_when_read_and_travel_pickled():
    import pickle

    lm = load_language("en")
    text = "Tax cuts for landlords while hospitals close. This government is a disgrace. #nzpol"
    p = lm.predict(text, {"political.hashtag"}, thresholds={"political": 0.01})["political"]
    assert p._contributions is None  # not yet worked out
    sent = pickle.loads(pickle.dumps(p))
    assert sent == p and sent.contributions == p.contributions and sent.contributions
    assert sent._explain is None  # nothing of the models travels with it
    # a blend (the semantic mode) is explained by the same words
    assert p.replace(probability=0.99, sentence=0.9).contributions == p.contributions
    # a score under both thresholds explains nothing
    low = lm.predict("Lovely walk on the beach with the dogs this morning.")["political"]
    assert not low.positive and not low.to_skim and low.contributions == ()


def test_a_word_of_a_hashtag_is_explained_with_its_hashtag():
    lm = load_language("en")
    text = "Go #VoteRemain today, the referendum matters #EUref"
    p = lm.predict(text, thresholds={"political": 0.01})["political"]
    by = {c.feature: c for c in p.contributions}
    assert by["vote"].tag == "#VoteRemain" and by["vote"].label == "vote (in #VoteRemain)"
    assert '"vote (in #VoteRemain)"' in p.because()
    # a word written as a word, or a whole hashtag, needs no pointer
    assert by["referendum"].tag == "" and by["referendum"].label == "referendum"
    assert all(c.tag == "" for c in p.contributions if c.feature in ("euref", "voteremain"))


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=120))
def test_spans_cover_exactly_the_features(text):
    assert set(feature_spans(text)) == set(features(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="#@_ abcdefghilmnoprRTstuvwxyzāé019'\u2019", min_size=0, max_size=80))
def test_spans_cover_exactly_the_features_of_hashtags_and_handles(text):
    assert set(feature_spans(text)) == set(features(text))
    assert set(feature_spans(text, lang="fr")) == set(features(text, lang="fr"))


def test_links_handles_and_numbers_are_not_features():
    assert features("@someone https://example.org/politics 2024 www.vote.nz") == []


def test_the_retweet_marker_is_not_a_word():
    """X writes a retweet as "RT @user: ..."; the marker says whose post it is, not what it is
    about (read as a word, it made the German model call retweets political). Elsewhere "RT" is a
    word like any other."""
    assert features("RT @neingeist: Kondome aus LaTeX!") == features("Kondome aus LaTeX!")
    assert "rt" in features("RT: a word here") and "sort" in features("Sort @me")
    assert set(feature_spans("RT @a: RT @b: hello")) == {"hello"}


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_hashtags_are_split_into_words_in_english_only(lang):
    """The word list that splits hashtags is English: in another language a hashtag is itself,
    one feature ("#GPN12" once gave the German model a piece "n")."""
    assert features("Auf zur #GPN12 #Piraten", lang=lang) == ["auf", "zur", "auf zur", "gpn12", "zur gpn12", "piraten",
                                                             "gpn12 piraten"]
    assert "n" in features("Auf zur #GPN12") and "pirate" in features("#Piraten")
    assert set(feature_spans("Auf zur #GPN12 #Piraten", lang=lang)) == set(features("Auf zur #GPN12 #Piraten", lang=lang))


def test_a_hashtag_gives_its_words_as_well_as_itself():
    assert features("#NZPol rocks") == ["nzpol", "nz", "pol", "nz pol", "rocks", "pol rocks"]
    assert features("Phew. #IowaCaucus #ClintonforPresident") == [
        "phew", "iowacaucus", "iowa", "phew iowa", "caucus", "iowa caucus", "clintonforpresident",
        "clinton", "caucus clinton", "for", "clinton for", "president", "for president"]
    # a one-word hashtag is that word, as before; a tag of digits is a number's feature
    assert features("#brexit #2020") == ["brexit", "2020", "brexit 2020"]
    # a tag with no letters or digits gives nothing, and breaks the chain of bigrams
    assert features("vote #_ now") == ["vote", "now"]
    spans = feature_spans("Go #VoteRemain")
    assert spans["vote"] == spans["remain"] == spans["voteremain"] == (3, 14)
    assert spans["go vote"] == (0, 14)


def test_a_huge_field_is_read_only_up_to_a_bound():
    lm = load_language("en")
    preds = lm.predict("vote " * 4_000_000)
    assert set(preds) == set(TASKS)


def test_manifest_is_read_once():
    assert manifest() is manifest()


#: roles whose lexicon groups the models read as a feature ("names a party", "call to vote" ...)
_FEATURE_ROLES = {"party", "party_ambiguous", "politician", "hashtag", "vote_call", "party_vote", "fundraising"}


@pytest.mark.parametrize("pack", ["nz", "au", "uk", "us", "ca"])
def test_every_group_that_names_a_party_or_calls_to_vote_is_read_by_the_models(pack):
    """A pack's group that plays a feature's role gives that feature, in training and in the audit
    alike. The NZ calls to vote ("party vote Green") sat in a group of their own name, which the
    models never read; and since the lexicon keeps the longest match, "Party vote Green" also hid
    the party's name, so the post gave neither "call to vote" nor "names a party"."""
    from auditor.detect.lexicon import Lexicon
    from auditor.detect.textmodel import LEXICON_FEATURES
    from auditor.policy import load_policy

    terms = load_policy(pack).terms
    read_as = {t.model_group for t in terms if t.detector == "political" and t.role in _FEATURE_ROLES}
    # a party's own handle plays "party" for the detector, but handles are never model features
    assert read_as - set(LEXICON_FEATURES) <= {""}
    assert {t.model_group for t in terms if t.phrase.startswith("@")} <= {""}
    if pack == "nz":
        found, _ = Lexicon(terms).scan("Party vote Green on Saturday. Our rivers can't wait. #nzpol")
        groups = {h.term.model_group for h in found}
        assert {"political.party", "political.party_vote", "political.hashtag"} <= groups
        assert {LEXICON_FEATURES[g] for g in groups if g in LEXICON_FEATURES} == {"@party", "@vote_call", "@hashtag"}


def test_a_term_gives_the_models_the_same_features_in_one_pack_as_in_training():
    """Training reads every pack's lexicon together (training/build_models.py, _all_terms), an
    audit one pack's: each term of a pack must give the same lexicon features either way, or the
    models would meet a feature set in the audit that they never learned from (a call to vote
    that names a party, say, without "names a party")."""
    import sys

    sys.path.insert(0, str(MODELS_DIR.parents[2] / "training"))
    from build_models import _all_terms

    from auditor.detect.lexicon import Lexicon
    from auditor.detect.textmodel import LEXICON_FEATURES
    from auditor.policy import load_policy

    def given_by(lex, text):
        found, _ = lex.scan(text)
        return {LEXICON_FEATURES[g] for h in found for g in (h.term.group, h.term.model_group) if g in LEXICON_FEATURES}

    together = Lexicon(_all_terms())
    for pack in ("nz", "au", "uk", "us", "ca"):
        terms = load_policy(pack).terms
        alone = Lexicon(terms)
        differ = [t.phrase for t in terms if t.model_group in LEXICON_FEATURES and not t.suppressor
                  and given_by(alone, t.phrase) != given_by(together, t.phrase)]
        assert not differ, (pack, differ[:5])
    assert given_by(Lexicon(load_policy("uk").terms), "vote Labour") == {"@party", "@vote_call"}


def test_the_partisan_model_is_asked_only_of_political_posts_and_travels_with_them():
    """partisan_en is a kind model (KIND_TASKS): not in the table every post is looked up in, asked
    lazily of a political prediction at its threshold or list, and pickled with it once asked (the
    second detection process sends predictions back)."""
    import pickle

    from auditor.detect.textmodel import KIND_TASKS, judge

    assert MAN["models"]["partisan_en"]["task"] == "partisan" and KIND_TASKS == {"partisan": "political"}
    en = load_language("en")
    assert en.tasks == TASKS and "partisan" not in en.tasks
    assert en.kind is not None and en.kind.tasks == ("partisan",) and en.kind.asked_of == {"political"}
    assert load_language("fr").kind is None  # no French partisan model: French posts keep the lexicon's kind
    _, preds = judge("Dems and their big government spending again. Typical.")
    pol = preds["political"]
    assert set(pol.kinds) == {"partisan"} and preds["disrespect"].kinds == {}
    side = pol.kinds["partisan"]
    assert side.positive and side.threshold == MAN["models"]["partisan_en"]["threshold"]
    assert side.probability == pytest.approx(_reference_probability(
        "partisan_en", "Dems and their big government spending again. Typical."), abs=1e-4)
    back = pickle.loads(pickle.dumps(pol))
    assert back.kinds["partisan"].probability == side.probability and back == pol
    # kinds not yet asked for are not worked out to be sent: a post to skim never needs them
    _, unread = judge("Dems and their big government spending again. Typical.")
    assert pickle.loads(pickle.dumps(unread["political"])).kinds == {}
    assert pol.replace(probability=0.5).kinds["partisan"].probability == side.probability


@pytest.mark.parametrize("text", [
    "Dems and their big government spending again. Typical.",
    "Vote them out! #VoteThemOut #nzpol the Greens and Labour's plan",
    "Made pancakes with the kids, kia ora whānau",
    "RT @someone: tax cuts for landlords https://example.com/x 2024",
    "Good piece https://example.com/labour-vows-to-cut-emissions-tax",
])
def test_the_kind_model_reads_the_features_the_main_table_found_as_it_would_read_the_text(text):
    """The main table holds every feature of the kind models (with no weight), so the partisan
    model scores a post from the features already found, without reading it again: the same
    score as reading it."""
    from auditor.detect.textmodel import _features

    en = load_language("en")
    roles = ("political.party",)
    masked = ((0, 4),)
    found = _features(text, roles, masked, en.table, "en")
    assert set(en.kind.table) <= set(en.table)
    direct = en.kind.predict(text, roles, None, masked)["partisan"]
    reused = en.kind.predict_features(tuple(found), text, roles, None, masked)["partisan"]
    assert reused.probability == direct.probability


def test_a_link_gives_the_words_of_its_slugs():
    """A link's address often says what a post shares ("Fascinating (https://...us-ukraine-war)"):
    the words of its slugs are features, chained into bigrams among themselves only."""
    text = "Fascinating (https://www.nytimes.com/2025/03/29/world/us-ukraine-military-war.html?utm_source=share) indeed"
    assert features(text) == ["fascinating", "us", "ukraine", "us ukraine", "military", "ukraine military", "war",
                              "military war", "indeed"]
    # no slug, no words: short links, bare paths, query strings, handles
    assert features("see http://t.co/rssJGWXYvi https://example.org/politics?topic=vote-now www.vote.nz") == ["see"]
    # a link written without its scheme reads the same
    assert features("www.webworm.co/groyper-wars/ lol") == ["groyper", "wars", "groyper wars", "lol"]


def test_a_word_of_a_link_is_explained_with_its_link():
    text = "Read this https://www.stuff.co.nz/politics/tax-cuts-for-landlords now"
    tags: dict[str, str] = {}
    spans = feature_spans(text, tags=tags)
    # each word is marked where the link writes it; a bigram from its first word to its second
    assert text[slice(*spans["landlords"])] == "landlords" and text[slice(*spans["tax cuts"])] == "tax-cuts"
    assert tags["landlords"] == tags["tax cuts"] == "the link to stuff.co.nz" and "read" not in tags
    # a word the link does not write as it is read (percent-encoded) is marked on the whole link
    odd = "see https://a.nz/caf%C3%A9-society"
    assert feature_spans(odd)["café"] == (4, len(odd))
    assert "this tax" not in spans and "landlords now" not in spans
    lm = load_language("en")
    p = lm.predict(text, thresholds={"political": 0.01})["political"]
    by = {c.feature: c for c in p.contributions}
    assert by["tax"].label == "tax (in the link to stuff.co.nz)"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["vote", "tax-cuts", "https://a.nz/x-y_z/", "www.b.org/no-more-war", "#nzpol",
                                 "http://t.co/ab1", "@me", "2024", "ok", "/a-b"]), max_size=8))
def test_spans_cover_exactly_the_features_of_links(words):
    text = " ".join(words)
    assert set(feature_spans(text)) == set(features(text))


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_links_give_words_in_english_only(lang):
    """Link words were measured on English posts only: the other languages' models read a link
    as nothing, as they learned to."""
    text = "Lisez https://www.lemonde.fr/politique/article/la-reforme-des-retraites.html"
    assert features(text, lang=lang) == ["lisez"]
    assert set(feature_spans(text, lang=lang)) == {"lisez"}
    assert "retraites" in features(text)
