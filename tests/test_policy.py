from pathlib import Path

import pytest
from conftest import ROOT

from auditor.errors import PolicyError
from auditor.models import Severity
from auditor.policy import MatchContext, available_policies, load_policy

CONF = Path(__file__).parent / "conf"


def test_nz_pack_loads_and_validates():
    p = load_policy("nz")
    assert p.id == "nz" and "nz" in available_policies()
    assert all(r.citation.url.startswith("https://www.publicservice.govt.nz/") for r in p.rules)
    assert len({r.id for r in p.rules}) == len(p.rules)
    assert p.terms and "govt.nz" in p.public_sector_domains


def test_first_matching_clause_wins():
    p = load_policy("nz")
    li = MatchContext(platform="linkedin", kind="post", work_identified=True)
    rule, clause = p.match("political", "partisan", li)
    assert (rule.id, clause.severity) == ("NZ-NEUTRAL-LINK", Severity.CRITICAL)
    named = MatchContext(platform="linkedin", kind="post", work_identified=True, names_employer=True)
    assert p.match("political", "partisan", named)[0].id == "NZ-NEUTRAL-IDENTIFY"
    personal = MatchContext(platform="reddit", kind="post", work_identified=False)
    assert p.match("political", "partisan", personal)[1].severity == Severity.LOW
    assert p.match("political", "civic", li) is None


def test_political_comment_beside_your_role_using_work_information_is_critical():
    """'As a policy advisor at MfE I can tell you the officials' advice ...' names the role and
    uses information from work: the guidance's most serious case (NZ-NEUTRAL-IDENTIFY critical,
    for policy commentary too, which is otherwise high there)."""
    from helpers import detect

    from auditor.detect.political import PoliticalDetector

    p = load_policy("nz")
    d = detect(PoliticalDetector(), "The officials' advice on the Three Waters repeal was ignored by the minister. "
                                    "This government is a disgrace.")
    assert d.label == "policy-commentary" and "information you have through work (\"officials' advice\")" in d.explanation
    signals = frozenset(s.signal.split(":", 1)[0] for s in d.spans)
    assert "work information" in signals
    ctx = MatchContext(platform="reddit", kind="comment", names_employer=True, signals=signals)
    assert (p.match("political", d.label, ctx)[0].id, p.match("political", d.label, ctx)[1].severity) == (
        "NZ-NEUTRAL-IDENTIFY", Severity.CRITICAL)
    plain = MatchContext(platform="reddit", kind="comment", names_employer=True, signals=signals - {"work information"})
    assert p.match("political", d.label, plain)[1].severity == Severity.HIGH
    # the words alone are no finding: an everyday post that mentions a Cabinet paper is not political
    assert detect(PoliticalDetector(), "Reading a Cabinet paper from 1985 for my history essay, fascinating stuff.") is None


def test_a_pending_abusive_visitor_comment_is_a_level_under_one_on_show():
    p = load_policy("nz")
    shown = MatchContext(platform="website", kind="visitor-comment", audience="approved")
    pending = MatchContext(platform="website", kind="visitor-comment", audience="pending")
    assert p.match("disrespect", "disrespect", shown)[1].severity == Severity.HIGH
    assert p.match("disrespect", "disrespect", pending)[1].severity == Severity.MEDIUM
    assert p.match("political", "partisan", pending)[1].severity == Severity.MEDIUM  # as before


# fmt: off
@pytest.mark.parametrize("name, message", [
    ("bad_severity.toml", r"bad_severity.toml: rules\[0\].when\[0\].severity: 'severe' is not one of"),
    ("unknown_citation.toml", r"unknown_citation.toml: rules\[0\].citation: 'NOPE' is not defined"),
    ("typo_key.toml", r"typo_key.toml: rules\[0\].when\[0\].platfroms: unknown key"),
    ("not_toml.toml", r"not_toml.toml: not valid TOML"),
])
# fmt: on
def test_broken_packs_name_file_and_key(name, message):
    with pytest.raises(PolicyError, match=message):
        load_policy(str(CONF / name))


def test_unknown_pack_name_lists_the_available_ones():
    with pytest.raises(PolicyError, match="available: .*nz"):
        load_policy("atlantis")


def test_unknown_rule():
    with pytest.raises(PolicyError, match="no rule 'NZ-NOPE'"):
        load_policy("nz").rule("NZ-NOPE")


@pytest.mark.parametrize("name, message", [
    ("unknown_role.toml", r"unknown_role.toml: rules\[0\].when\[0\].roles: 'ses' is not defined under \[roles\]"),
    ("missing_include.toml", r"missing_include.toml: pack.include: 'nosuch': no shared rules file"),
    ("include_without_citations.toml",
     r"linkage.toml \(included by include_without_citations.toml\): rules\[0\].citation: 'CONDUCT' is not defined"),
    ("bad_raise.toml", r"bad_raise.toml: roles.boss.raise: must be a whole number"),
    ("bad_placeholder.toml", r"bad_placeholder.toml: rules\[0\].why: unknown placeholder \{employers\}"),
    ("bad_tie.toml", r"bad_tie.toml: rules\[0\].when\[0\].ties: 'tied' is not one of direct, linked, mentions"),
])
def test_more_broken_packs(name, message):
    with pytest.raises(PolicyError, match=message):
        load_policy(str(CONF / name))


@pytest.mark.parametrize("pack", ["nz", "au", "uk", "us", "ca"])
def test_every_pack_loads_with_citations_and_linkage_rules(pack):
    p = load_policy(pack)
    assert p.id == pack and len(p.rules) >= 10
    assert all(r.citation.url.startswith("https://") for r in p.rules)
    assert {"political", "grievance", "disrespect", "linkage", "moderation"} <= {r.category for r in p.rules}
    assert all(r.id.startswith(pack.upper() + "-") for r in p.rules)
    ctx = MatchContext(platform="mastodon", subject="account", work_identified=True)
    assert p.match("linkage", "links-to-work", ctx) is not None
    # a visitor's comment on the person's own site is moderated, never read as their own conduct,
    # though the shared moderation rule comes after the pack's own rules
    for detector, label in (("political", "partisan"), ("disrespect", "disrespect")):
        for work in (True, False):
            visitor = MatchContext(platform="website", kind="visitor-comment", work_identified=work)
            rule, _ = p.match(detector, label, visitor)
            assert rule.category == "moderation", (detector, work, rule.id)


def test_us_pack_is_the_hatch_act():
    us = load_policy("us")
    personal = MatchContext(platform="twitter", kind="post")
    money = MatchContext(platform="twitter", kind="repost", signals=frozenset({"fundraising", "party"}))
    assert us.match("political", "partisan", money)[0].id == "US-HATCH-SOLICIT"
    assert us.match("political", "partisan", personal)[0].id == "US-HATCH-DUTY"
    assert us.match("political", "policy-commentary", personal) is None  # issue advocacy is not partisan
    further = MatchContext(platform="twitter", kind="repost", role="further-restricted")
    assert us.match("political", "partisan", further)[0].id == "US-HATCH-FURTHER"
    work = MatchContext(platform="linkedin", kind="post", work_identified=True, tie="direct")
    assert us.match("separation", "work-profile-political", MatchContext("linkedin", subject="account")) is None
    assert us.match("political", "partisan", work)[0].id == "US-OGE-ENDORSE"
    # policy opinion is no political activity, but on an account that looks official it can
    # read as the agency's view: a low reminder there, nothing on a personal account (above)
    rule, when = us.match("political", "policy-commentary", work)
    assert rule.id == "US-OGE-ENDORSE" and when.severity == "low"
    # "an account that looks official": one whose profile names the agency, not one that only
    # links to such a profile or shares its handle (found reading the example reports)
    linked = MatchContext(platform="mastodon", kind="post", work_identified=True, tie="linked")
    assert us.match("political", "partisan", linked)[0].id == "US-HATCH-DUTY"


def test_a_pack_replaces_a_shared_rule_by_its_id():
    """The US pack's own US-MODERATE replaces the shared CC-MODERATE: a visitor's partisan
    comment is low there, as the person's own partisan post off duty is (US-HATCH-DUTY)."""
    us, au = load_policy("us"), load_policy("au")
    assert [r.id for r in us.rules].count("US-MODERATE") == 1
    visitor = MatchContext(platform="website", kind="visitor-comment", work_identified=True, tie="linked")
    assert us.match("political", "partisan", visitor)[1].severity == "low"
    assert us.match("disrespect", "disrespect", visitor)[1].severity == "medium"  # as her own (US-CONDUCT-RESPECT)
    assert au.match("political", "partisan", visitor)[1].severity == "medium"  # the shared rule


def test_policy_us_changes_which_rules_fire(run, tmp_path, all_report):
    import json

    from conftest import ALL
    out = {}
    for pack in ("nz", "us"):
        if pack == "nz":  # the default pack: the shared audit
            data = json.loads((all_report / "findings.json").read_text())
        else:
            r = run("audit", *ALL, "--out", tmp_path / pack, "--policy", pack, "-q", "--format", "json")
            assert r.exit_code == 0
            data = json.loads((tmp_path / pack / "findings.json").read_text())
        out[pack] = {f["rule"] for f in data["findings"]}
        assert data["policy"]["id"] == pack
    assert all(r.startswith("NZ-") for r in out["nz"]) and all(r.startswith("US-") for r in out["us"])
    assert "US-HATCH-SOLICIT" in out["us"] and "US-HATCH-TITLE" in out["us"]
    assert "US-MODERATE" in out["us"]  # the visitors' comments on her own site


@pytest.mark.parametrize("pack", ["nz", "au", "uk", "us", "ca"])
def test_every_rule_can_be_listed_and_shown_without_naming_the_pack(run, pack):
    listing = run("rules", "list", "--policy", pack)
    assert listing.exit_code == 0
    for rule in load_policy(pack).rules:
        assert rule.id in listing.stdout
        shown = run("rules", "show", rule.id.lower())
        assert shown.exit_code == 0 and shown.stdout.startswith(rule.id) and rule.citation.url in shown.stdout


def _pack_with_own_names(tmp_path, roles: bool):
    """The NZ pack with its lexicon's jurisdiction groups renamed (``policy_nz`` -> ``policy_zz``),
    with or without the ``role`` keys that say which role each plays."""
    import re

    from auditor.policy import LEXICONS_DIR, PACKS_DIR

    lex = (LEXICONS_DIR / "nz.toml").read_text(encoding="utf-8").replace("_nz]", "_zz]")
    if not roles:
        lex = re.sub(r"(?m)^role = .*\n", "", lex)
    (tmp_path / "zz.toml").write_text(lex, encoding="utf-8")
    pack = (PACKS_DIR / "nz.toml").read_text(encoding="utf-8")
    pack = re.sub(r"(?m)^lexicons = .*$", 'lexicons = ["common", "zz"]', pack).replace('id = "nz"', 'id = "zz"')
    (tmp_path / "zz-pack.toml").write_text(pack, encoding="utf-8")
    return load_policy(str(tmp_path / "zz-pack.toml"))


# fmt: off
KINDS = [
    ("Party vote Labour on Saturday!", "partisan", "call to vote"),
    ("Party vote Te Pāti Māori!", "partisan", "call to vote"),
    ("Three Waters and the Fast-track Approvals Bill must be scrapped.", "policy-commentary", "policy"),
]
# fmt: on


@pytest.mark.parametrize("text,kind,signal", KINDS)
def test_a_pack_without_nz_names_gets_the_political_kinds_from_its_lexicon_roles(tmp_path, text, kind, signal):
    from auditor.detect.base import FieldHit
    from auditor.detect.lexicon import Lexicon
    from auditor.detect.political import lexicon_reading
    from auditor.models import Post

    def reading(policy):
        found, _ = Lexicon(policy.terms).scan(text)
        d = lexicon_reading(Post("x", "1", "post", None, text), [FieldHit("text", h) for h in found])
        return d and (d.label, {s.signal.split(":")[0] for s in d.spans})

    policy = _pack_with_own_names(tmp_path, roles=True)
    assert not any(t.group.endswith("_nz") for t in policy.terms)
    label, signals = reading(policy)
    assert (label, signal in signals) == (kind, True)
    assert reading(load_policy("nz")) == (label, signals)  # the same as the NZ pack's own reading
    # the role key is what counts: without it the group is read as nothing of its kind (a party
    # call to vote still names the party, which the party group holds too)
    without = reading(_pack_with_own_names(tmp_path, roles=False))
    assert without is None or signal not in without[1]


def test_a_lexicon_role_must_be_a_name(tmp_path):
    (tmp_path / "bad.toml").write_text('[political.policy_zz]\nrole = "not a role!"\nterms = ["x"]\n')
    with pytest.raises(PolicyError, match=r"bad.toml: political.policy_zz.role: 'not a role!' is not a role name"):
        from auditor.policy import load_lexicon
        load_lexicon("bad", tmp_path)


def test_pack_thresholds_tune_the_political_model():
    from auditor.detect.base import FieldHit
    from auditor.detect.lexicon import Lexicon
    from auditor.detect.scan import judge_post

    text = "This government has no shame: tax cuts for landlords paid for by cutting hospitals."
    nz = load_policy("nz")
    found, masked = Lexicon(nz.terms).scan(text)
    hits = [FieldHit("text", h) for h in found]
    _, shipped = judge_post(text, "", hits, nz.thresholds, masked)
    assert shipped["political"].positive
    _, strict = judge_post(text, "", hits, {"political": 0.999}, masked)
    assert strict["political"].threshold == 0.999 and not strict["political"].positive


def test_pack_thresholds_tune_how_the_lexicon_names_the_political_kind(tmp_path):
    from auditor.detect.base import FieldHit, PostContext
    from auditor.detect.lexicon import Lexicon
    from auditor.detect.political import PoliticalDetector
    from auditor.detect.scan import judge_post
    from auditor.models import Post

    text = "Shame on National for the tax cuts. Vote them out!"
    nz = load_policy("nz")
    found, masked = Lexicon(nz.terms).scan(text)
    hits = [FieldHit("text", h) for h in found]
    _, preds = judge_post(text, "", hits, nz.thresholds, masked)
    post = Post("x", "1", "post", None, text)

    def label(thresholds):
        return PoliticalDetector().detect(post, hits, PostContext(predictions=preds, thresholds=thresholds)).label

    assert label({}) == "partisan"
    assert label({"political_kind": 0.99}) == "mention"  # the pack asks for more before "partisan"
    pack = (ROOT / "auditor/policy/packs/nz.toml").read_text().replace(
        "[pack]\n", "[pack]\nthresholds = { political_kind = 0.99 }\n", 1)
    (tmp_path / "strict.toml").write_text(pack)
    assert load_policy(str(tmp_path / "strict.toml")).thresholds == {"political_kind": 0.99}
    (tmp_path / "bad.toml").write_text(pack.replace("political_kind = 0.99", "political_kind = 2"))
    with pytest.raises(PolicyError, match="political_kind"):
        load_policy(str(tmp_path / "bad.toml"))


def test_the_canadian_lexicon_knows_the_french_names_of_parties_and_departments():
    """Canada's public service is bilingual: a French post or bio names the same parties and
    departments by their French names (names, read in French posts too)."""
    from auditor.detect.lexicon import Lexicon

    policy = load_policy("ca")
    lex = Lexicon(policy.terms)
    found = {(h.text, h.term.group) for h in lex.scan(
        "Le NPD et Québec solidaire; analyste à Emploi et Développement social Canada (EDSC), avant à la GRC.")[0]}
    assert {("Le NPD", "political.party"), ("Québec solidaire", "political.party"),
            ("Emploi et Développement social Canada", "work.agency"), ("EDSC", "work.agency_abbrev"),
            ("GRC", "work.agency_abbrev")} <= found
    # an employer named in English is also named by its French name and abbreviation
    assert {"Emploi et Développement social Canada", "EDSC"} <= set(policy.agency_aliases["Employment and Social Development Canada"])
    # English everyday abbreviations are left out ("AMC", "BCP": a cinema, a business continuity plan)
    assert not lex.scan("Our BCP review at AMC went fine.")[0]


def test_a_political_post_about_the_employers_own_programme_is_rated_higher():
    """[mandates] in a lexicon names what each agency runs. Only the person's own employer's
    programmes are looked for, and a policy comment about one, on an account tied to the work,
    is CA-POLICY-CRITIQUE high instead of medium, saying why."""
    from auditor.audit import _employer_terms
    from auditor.detect.political import MANDATE_GROUP, MANDATE_SIGNAL
    from auditor.models import Account, Detection, Post, PostKind, Span, WorkIdentity

    policy = load_policy("ca")
    assert "assurance-emploi" in policy.agency_mandates["Employment and Social Development Canada"]
    # named in French, the employer still brings its programmes, and only its own
    wi = WorkIdentity(True, "moderate", 3.0, employer="Emploi et Développement social Canada")
    account = Account("mastodon", "x")
    terms = [t.phrase for t in _employer_terms(account, wi, policy, ("", "")) if t.group == MANDATE_GROUP]
    assert "assurance-emploi" in terms and "Employment Insurance" in terms and "carbon tax" not in terms
    # once: the lexicon matches either apostrophe (phones type "d\u2019assurance", see
    # test_lexicon_longest.test_a_term_matches_either_apostrophe)
    assert "numéro d'assurance sociale" in terms and "numéro d\u2019assurance sociale" not in terms
    assert not [t for t in _employer_terms(account, WorkIdentity(False, "none", 0.0), policy, ("", ""))
                if t.group == MANDATE_GROUP]

    post = Post("mastodon", "1", PostKind.POST, None, "La réforme de l'assurance-emploi se fait attendre.")
    about = Detection("political", "policy-commentary", 0.95, (Span(15, 31, "assurance-emploi", f"{MANDATE_SIGNAL}: assurance-emploi"),), "")
    plain = Detection("political", "policy-commentary", 0.95, (), "")
    from auditor.policy.match import post_finding

    fill = {"what": "this post", "platform": "Mastodon", "employer": "ESDC"}
    high = post_finding(post, about, "mastodon:x", "direct", False, "", fill, (), policy, None)
    medium = post_finding(post, plain, "mastodon:x", "direct", False, "", fill, (), policy, None)
    assert (high.rule, high.severity.value, medium.severity.value) == ("CA-POLICY-CRITIQUE", "high", "medium")
    # not on an account tied to the work: the mandate alone does not raise it
    loose = post_finding(post, about, "mastodon:x", "none", False, "", fill, (), policy, None)
    assert loose.severity.value == "low"
