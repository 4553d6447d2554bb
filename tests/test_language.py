"""Each post's language decides which models read it; English word lists never judge other
languages, and te reo Māori words inside New Zealand English leave it English."""

import pytest
from helpers import detect, lexicon

from auditor.detect.base import FieldHit
from auditor.detect.disrespect import DisrespectDetector
from auditor.detect.language import UNDETERMINED, identify, looks_english, name_of
from auditor.detect.political import PoliticalDetector
from auditor.detect.textmodel import judge, supported


# fmt: off
@pytest.mark.parametrize("text, code", [
    ("Good discussion with regional council colleagues about the new plan. Kia ora.", "en"),
    ("Kia ora koutou, great hui with the whānau today", "en"),
    ("Ngā mihi nui to the whole team for the mahi this year!", "en"),
    ("Kia ora!", "en"),
    ("Die Regierung muss jetzt endlich handeln, das ist ein Skandal.", "de"),
    ("Le gouvernement doit agir maintenant sur le logement.", "fr"),
    ("El gobierno tiene que escuchar a la gente.", "es"),
    ("De regering moet nu eindelijk iets doen aan de woningnood.", "nl"),
    ("今日はとても良い天気ですね", "ja"),
    ("https://t.co/abc123", UNDETERMINED),
    ("🎉🎉🎉", UNDETERMINED),
])
# fmt: on
def test_identify(text, code):
    assert identify(text).code == code


@pytest.mark.parametrize("text, quick", [
    ("The new library in town is stunning. Stayed three hours.", True),
    ("Thanks everyone, great day with the team https://t.co/x #nzpol", True),
    ("Good discussion with regional council colleagues. Kia ora.", True),
    ("Council meeting tonight, submissions close Friday.", False),  # no marker: fastText says
    ("Great hui with the whānau today", False),            # a letter outside ASCII: fastText
    ("Die Regierung muss jetzt endlich handeln, das ist ein Skandal.", False),
    ("De regering moet nu eindelijk iets doen aan de woningnood.", False),
    ("Le gouvernement doit agir maintenant, in the end.", False),
    ("Rain again", False),                                  # under four words
])
def test_the_quick_english_test_takes_only_plain_english(text, quick):
    assert looks_english(text) is quick
    if quick:
        assert identify(text).code == "en"


def test_other_languages_get_no_english_model():
    # German "die" is an article, not a death wish: no English model reads German posts.
    lang, preds = judge("Die Kinder sind heute in der Schule, die Sonne scheint.")
    assert lang.code == "de" and "disrespect" not in preds and "grievance" not in preds


def test_a_german_political_post_is_found_by_the_german_model_and_read_by_names_only():
    # German "die" is an article: the German model reads German posts, for politics only
    lang, preds = judge("Die Kinder sind heute in der Schule, die Sonne scheint.")
    assert lang.code == "de" and set(preds) == {"political"} and not preds["political"].positive
    assert "de" not in supported("disrespect") and "de" not in supported("grievance")
    d = detect(PoliticalDetector(), "Merkel hat wieder nichts gegen die Vorratsdatenspeicherung getan, eine Schande.")
    assert d is not None and d.label == "partisan" and any(s.signal == "politician: Merkel" for s in d.spans)
    assert "the de political model" in d.explanation and "in German only names are read" in d.explanation
    assert detect(PoliticalDetector(), "Heute Kuchen gebacken mit den Kindern, sehr lecker.") is None


def test_spanish_posts_are_judged_for_politics_only():
    # Spanish has a political model of its own (issue 12) and no disrespect or grievance model
    lang, preds = judge("Qué vergüenza este gobierno, son unos ladrones.")
    assert lang.code == "es" and set(preds) == {"political"} and preds["political"].lang == "es"
    assert "es" not in supported("disrespect") and "es" not in supported("grievance")
    assert detect(DisrespectDetector(), "Qué vergüenza este gobierno, son unos ladrones.") is None


def test_a_spanish_political_post_is_found_by_the_spanish_model_and_read_by_names_only():
    d = detect(PoliticalDetector(), "Milei miente otra vez sobre la inflación y el ajuste a los jubilados.")
    assert d is not None and d.label == "partisan" and any(s.signal == "politician: Milei" for s in d.spans)
    assert "the es political model" in d.explanation and "in Spanish only names are read" in d.explanation
    d = detect(PoliticalDetector(), "La reforma judicial del gobierno es un ataque a la independencia de los jueces.")
    assert d is not None and d.label == "policy-commentary" and "names no party or politician" in d.explanation
    assert detect(PoliticalDetector(), "Hoy hice una torta de manzana con los chicos, quedó riquísima.") is None


def test_french_posts_are_never_judged_by_english_models():
    # French has a political model of its own (training/RESULTS.md) and no disrespect or
    # grievance model: a French post is judged for politics by the French model only, listed as
    # not checked for the rest, and never flagged through English look-alike words ("con",
    # "pour", "pain").
    lang, preds = judge("Tu es vraiment un gros con, ferme ta gueule.")
    assert lang.code == "fr" and set(preds) == {"political"} and preds["political"].lang == "fr"
    assert not preds["political"].positive
    assert "fr" not in supported("disrespect") and "fr" not in supported("grievance")
    assert supported("political") == ["de", "en", "es", "fr"]
    assert detect(DisrespectDetector(), "Tu es vraiment un gros con, ferme ta gueule.") is None


def test_a_french_political_post_is_found_by_the_french_model_and_read_by_names_only():
    text = "Macron a encore menti sur la réforme des retraites. Quelle honte."
    d = detect(PoliticalDetector(), text)
    assert d is not None and d.label == "partisan"
    assert "the fr political model" in d.explanation and '"Macron"' in d.explanation
    assert "only names are read" in d.explanation
    assert any(s.signal == "politician: Macron" for s in d.spans)
    # no party or politician named: policy commentary, never a "neutral mention" by English lists
    d = detect(PoliticalDetector(), "La loi Hadopi est une honte, le gouvernement veut censurer internet.")
    assert d is not None and d.label == "policy-commentary" and "names no party or politician" in d.explanation
    assert detect(PoliticalDetector(), "J'ai fait une tarte aux pommes avec les enfants ce week-end, un régal.") is None


def test_english_stance_and_tone_words_do_not_read_a_french_post():
    """The English word lists (stance, policy, tone) say nothing of a French post's kind: an
    English model reading "Trump" next to "shame" calls a post partisan, but the French post
    is read by the names it holds only."""
    from auditor.detect.political import lexicon_reading
    from auditor.models import Post, PostKind

    text = "Le gouvernement Macron fait passer la réforme des retraites en force avec le 49.3, shame."
    d = detect(PoliticalDetector(), text)
    assert d is not None and d.label == "partisan"
    assert not any(s.signal.split(":")[0] in ("stance", "tone", "judgement", "government", "policy") for s in d.spans)
    hits = [FieldHit("text", h) for h in lexicon().scan(text)[0]]
    assert lexicon_reading(Post("x", "1", PostKind.POST, None, text), hits) is not None  # English lists would read it


def test_names():
    assert name_of("es") == "Spanish" and name_of("xx") == "xx"


def test_posts_in_other_languages_are_listed_as_not_checked(run, tmp_path):
    import json

    from conftest import linkedin_export

    d = linkedin_export(tmp_path / "export",
                        '2024-01-01 10:00:00,,"Qué vergüenza este gobierno, son unos ladrones y unos corruptos.",,,PUBLIC\n'
                        '2024-01-02 10:00:00,,"De regering is een schande, de ministers zijn idioten.",,,PUBLIC\n'
                        '2024-01-03 10:00:00,,"Kia ora koutou, great hui with the whānau today. Ngā mihi!",,,PUBLIC\n'
                        '2024-01-04 10:00:00,,"Les gens qui doublent à droite sont vraiment des abrutis finis.",,,PUBLIC\n')
    r = run("audit", d, "--out", tmp_path / "o")
    assert r.exit_code == 0
    assert "Not checked (no model for the language or the task): 3 posts" in r.stdout
    assert "1 in French (not checked for disrespect or grievance)" in r.stdout
    assert "1 in Spanish (not checked for disrespect or grievance)" in r.stdout
    data = json.loads((tmp_path / "o/findings.json").read_text())
    langs = {lg["lang"]: lg for lg in data["not_checked"]["languages"]}
    assert set(langs) == {"es", "nl", "fr"} and langs["nl"]["not_checked_for"] == ["political", "disrespect", "grievance"]
    assert langs["fr"]["not_checked_for"] == langs["es"]["not_checked_for"] == ["disrespect", "grievance"]
    assert not [f for f in data["findings"] if f["subject"] == "post"]  # nothing flagged through look-alikes
    md = (tmp_path / "o/report.md").read_text()
    assert "Not checked for disrespect or grievance: 1 post in Spanish (es)." in md
    assert "Not checked: 1 post in Dutch (nl)." in md
    html = (tmp_path / "o/report.html").read_text()
    assert "De regering" in html  # listed as an example, for the person to read


def test_te_reo_words_carry_no_english_sentiment_or_model_weight():
    from auditor.detect.textmodel import features, judge
    from auditor.detect.tone import tone

    # VADER lists "kia" (killed in action) at -3.2: a greeting must not read as a grievance.
    assert tone("Kia ora koutou, ngā mihi nui").words == ()
    _, preds = judge("Kia ora koutou, ngā mihi nui")
    assert all(p.probability < p.threshold for p in preds.values())
    assert "kia" in features("Kia ora")  # the word exists as a feature; judge() hides it


@pytest.mark.parametrize("text", [
    "Kia ora koutou! Great hui with the whānau today, the mahi on the new policy is going well.",
    "Ka pai to the team. Labour Day hui at the marae, kia kaha everyone",
    "Nothing borrowed here, just a post about the election and the minister.",
])
def test_the_pack_pass_finds_the_loanwords_the_models_do_not_read(text):
    """An audit adds the loanwords to the pack's automaton, so the one pass over a post also
    gives their spans, and the models skip their own pass: the same predictions either way."""
    from auditor.detect.language import LOANWORD_GROUP, loanword_spans, loanword_terms
    from auditor.detect.lexicon import Lexicon
    from auditor.policy import load_policy

    lexicon = Lexicon(load_policy("nz").terms + loanword_terms())
    assert LOANWORD_GROUP in lexicon.groups
    hits, masked = lexicon.scan(text)
    assert not any(h.term.group == LOANWORD_GROUP for h in hits)  # no detector sees them
    covered = {i for a, b in masked for i in range(a, b)}
    assert all(i in covered for a, b in loanword_spans(text) for i in range(a, b))
    groups = {h.term.group for h in hits}
    _, own = judge(text, groups, masked=Lexicon(load_policy("nz").terms).scan(text)[1])
    _, merged = judge(text, groups, masked=masked, loanwords_masked=True)
    assert {t: p.probability for t, p in merged.items()} == {t: p.probability for t, p in own.items()}


def test_the_bilingual_example_checks_french_for_politics_and_lists_it_for_the_rest():
    """reports/bilingual-ca: a federal public servant posting in French and English. Her French
    partisan posts are findings of the French model, read by the names they hold; her French
    posts are listed as not checked for disrespect and grievance (her insult of other drivers
    and her complaint about her department are French: no model reads them)."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "reports" / "bilingual-ca"
    data = json.loads((root / "findings.json").read_text(encoding="utf-8"))
    posts = [f for f in data["findings"] if f["subject"] == "post"]
    french = [f for f in posts if "the fr political model" in f["explanation"]]
    assert french and all(f["category"] == "political" for f in french)
    bloc = next(f for f in french if f["excerpt"].startswith("Le Bloc québécois"))
    assert bloc["label"] == "partisan" and bloc["rule"] == "CA-PSEA-113" and '"Bloc québécois"' in bloc["explanation"]
    ei = next(f for f in french if "assurance-emploi" in f["excerpt"])
    # Employment Insurance is her own department's programme (the ca lexicon's [mandates])
    assert (ei["label"], ei["rule"], ei["severity"]) == ("policy-commentary", "CA-POLICY-CRITIQUE", "high")
    assert "your employer's own area of work (\"assurance-emploi\")" in ei["explanation"]
    assert any("the en political model" in f["explanation"] for f in posts)  # English posts: the English model
    langs = {lg["lang"]: lg for lg in data["not_checked"]["languages"]}
    assert langs["fr"]["checked_for"] == ["political"] and langs["fr"]["not_checked_for"] == ["disrespect", "grievance"]
    assert not [f for f in data["findings"] if f["category"] in ("disrespect", "grievance")]
    # the list to skim holds French posts only (her English pharmacare post is a finding), and how
    # far to trust it is said for French alone (tests/test_skim.py: a list in two languages)
    skim = data["to_skim"]["measured"]["sentence"]
    assert {e["lang"] for a in data["to_skim"]["accounts"] for e in a["entries"]} == {"fr"}
    assert skim.startswith("On 708 posts") and "In English" not in skim
    md = (root / "report.md").read_text(encoding="utf-8")
    assert "Not checked for disrespect or grievance: 29 posts in French (fr)." in md
    # the summary points at the list to skim and at what was left unchecked
    n = data["to_skim"]["posts"]
    assert f"Also {n} posts to skim (see *Posts to skim*)" in md
    assert "29 posts were left unchecked for some or all kinds of finding" in md
    html = (root / "report.html").read_text(encoding="utf-8")
    assert f'Also <a href="#skim">{n} posts to skim</a>' in html and 'href="#unchecked">left unchecked</a>' in html
    # "what is fine" does not say nothing else was found while posts wait in the list
    assert "Nothing political-adjacent was found outside the findings above and the posts to skim." in md
    # the posts not checked are given as examples in both formats
    ex = data["not_checked"]["examples"][0]["excerpt"]
    assert ex[:40] in md and "Examples of posts that were not checked:" in md
    # her LinkedIn profile is not among the exports: what it says is inferred, and said to be
    assert "a work profile that most likely identifies you with Emploi et Développement social Canada " \
           "(it is not among the exports audited)" in md
    # each post finding says the language it was read in, and the HTML marks French quotes so
    assert {f["lang"] for f in french} == {"fr"} and all(f["lang"] == "en" for f in posts if f not in french)
    assert not [f for f in data["findings"] if f["subject"] == "account" and f["lang"]]
    assert '<q lang="fr">' in html and '<q lang="en">' not in html
    # the worklist line says why it is closer to her work, not only findings.json
    assert "; about your employer's own area (assurance-emploi)." in md
    # her bio names the department in full: the evidence is where, not the same words again
    assert "identifies you with Emploi et Développement social Canada (named in the profile)" in md
