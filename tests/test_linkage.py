import json

import pytest
from conftest import LINKEDIN, MASTODON, REDDIT, TWITTER

from auditor.detect.linkage import level, link_accounts, mention_ties, says_works_for
from auditor.models import Account, Link, Post, WorkIdentity

WORK = WorkIdentity(True, "strong", 1.0, "Ministry for the Environment", "Senior Policy Advisor")
NONE = WorkIdentity(False, "none", 0.0)


def acc(platform, handle="", name="", links=(), url=""):
    return Account(platform, handle=handle, display_name=name, links=tuple(Link(u) for u in links), url=url)


# fmt: off
CASES = [
    # (work account, other account, expected tie kind on the other, level)
    (acc("linkedin", name="Ana Ruru", links=["https://twitter.com/ana_r"]), acc("twitter", "ana_r"), "linked-from-work", "linked"),
    (acc("linkedin", name="Ana Ruru", links=["www.anaruru.nz/blog"]), acc("website", "anaruru.nz"), "linked-from-work", "linked"),
    (acc("linkedin", name="Ana Ruru"), acc("mastodon", "ana@m.nz", links=["https://www.linkedin.com/in/ana"]), "links-to-work", "linked"),
    (acc("twitter", "ana_r"), acc("mastodon", "ana_r@m.nz"), "same-handle", "linked"),
    (acc("linkedin", name="Ana Ruru"), acc("bluesky", "did:plc:x", name="Ana Ruru"), "same-name", "same-name"),
    (acc("linkedin", name="Ana Ruru", links=["https://x.com/other"]), acc("twitter", "ana_r"), None, "none"),
    (acc("linkedin", name="Ana Ruru", links=["https://x.com/ana_r_2"]), acc("twitter", "ana_r"), None, "none"),
    (acc("linkedin", name="Ana Ruru"), acc("reddit", "tui", name="u/tui"), None, "none"),
]
# fmt: on


@pytest.mark.parametrize("work,other,kind,lvl", CASES)
def test_tie_table(work, other, kind, lvl):
    ties = link_accounts([(work, WORK), (other, NONE)])
    kinds = [t.kind for t in ties[other.key]]
    assert (kind in kinds) if kind else not kinds
    assert level(ties[other.key]) == lvl
    assert level(ties[work.key]) == "direct"


def test_all_fixtures_tell_the_linkage_story(all_report):
    data = json.loads((all_report / "findings.json").read_text())
    ties = {a["platform"]: a["tie"] for a in data["accounts"]}
    assert ties == {"linkedin": "direct", "twitter": "direct", "facebook": "direct", "mastodon": "linked",
                    "website": "linked", "reddit": "linked", "bluesky": "same-name", "instagram": "linked"}
    rules = {(f["platform"], f["rule"]) for f in data["findings"]}
    assert ("twitter", "NZ-CUT-EMPLOYER") in rules
    # the X bio names the employer, and LinkedIn links to X: cutting the bio alone would leave X
    # tied, so both cuts are listed (found reading the example reports)
    assert ("twitter", "NZ-CUT-LINK") in rules
    # and the tweet that says where she works would still tie it: the third cut
    x_says = next(f for f in data["findings"] if f["rule"] == "NZ-CUT-SAYS" and f["platform"] == "twitter")
    assert "\u201cWorking at MfE\u201d" in x_says["why"]
    assert ("mastodon", "NZ-CUT-LINK") in rules and ("website", "NZ-CUT-LINK") in rules
    assert ("reddit", "NZ-CUT-SAYS") in rules and ("bluesky", "NZ-CUT-NAME") in rules
    # The Reddit comment that says where she works is the tie to cut (the bare mention of it is
    # not listed again), and it makes her political comments there work-tied.
    assert ("reddit", "NZ-CUT-MENTION") not in rules
    says = next(f for f in data["findings"] if f["rule"] == "NZ-CUT-SAYS" and f["platform"] == "reddit")
    assert "\u201cAs a policy advisor at MfE\u201d" in says["why"] and says["severity"] == "high"
    reddit = next(a for a in data["accounts"] if a["platform"] == "reddit")
    assert "says where you work" in reddit["tie_summary"]
    political = {f["rule"] for f in data["findings"] if f["platform"] == "reddit" and f["category"] == "political"}
    assert political and "NZ-NEUTRAL-CARE" not in political
    # "keep this profile for work" is for the work profile; X and Facebook, which name the
    # employer, get the cut instead. A profile's link to an account in the audit is left to the
    # linkage findings (LinkedIn's and Facebook's links to the website), which say how to cut it.
    assert {f["platform"] for f in data["findings"] if f["rule"] == "NZ-SEP-PROFILE"} == {"linkedin"}
    assert not [f["excerpt"] for f in data["findings"] if f["rule"] == "NZ-LINK-PROFILE" and "mereanaclarke.nz" in f["excerpt"]]
    assert ("website", "NZ-MODERATE") in rules
    cuts = [f for f in data["findings"] if f["platform"] == "mastodon" and f["rule"] == "NZ-CUT-LINK"]
    cut = next(f for f in cuts if "linkedin.com/in/mereana-clarke-nz" in f["recommendation"])
    assert cut["action"] == "unlink"
    # Mastodon's link to the website, whose About page says where she works, is a cut too
    assert "https://mereanaclarke.nz" in cut["recommendation"]
    order = [a["platform"] for a in data["accounts"]]
    assert data["accounts"][0]["exposure"] == "critical" and order.index("mastodon") < order.index("bluesky")
    # Mastodon is linked to the work profile, so its political posts count as work-tied.
    masto = [f for f in data["findings"] if f["platform"] == "mastodon" and f["category"] == "political"]
    assert masto and {f["rule"] for f in masto} <= {"NZ-SEP-WORKROLE", "NZ-NEUTRAL-IDENTIFY"}


def test_alone_an_account_is_judged_without_ties(run, tmp_path):
    r = run("audit", MASTODON, "--out", tmp_path, "-q", "--format", "json")
    data = json.loads((tmp_path / "findings.json").read_text())
    assert r.exit_code == 0 and data["accounts"][0]["tie"] == "linked"  # its LinkedIn field still ties it
    r = run("audit", REDDIT, "--out", tmp_path / "r", "-q", "--format", "json")
    data = json.loads((tmp_path / "r/findings.json").read_text())
    assert data["accounts"][0]["tie"] == "none"
    # nothing names the employer: the report says what that leaves unchecked, and how to fix it
    assert any(w.startswith("No profile in this audit names your employer") and "--employer" in w
               for w in data["warnings"])


def test_the_employer_can_be_named_when_no_profile_does(run, tmp_path):
    """Audited alone, the Reddit account names no employer anywhere the tool can see; named with
    --employer (the pack adds "MfE" to "Ministry for the Environment"), the comment "As a policy
    advisor at MfE ..." says where she works, and ties the account."""
    r = run("audit", REDDIT, "--employer", "Ministry for the Environment", "--out", tmp_path / "r", "-q",
            "--format", "json")
    assert r.exit_code == 0
    data = json.loads((tmp_path / "r/findings.json").read_text())
    assert data["accounts"][0]["tie"] == "linked"
    rules = {f["rule"] for f in data["findings"]}
    assert "NZ-CUT-SAYS" in rules and "NZ-NEUTRAL-IDENTIFY" in rules and "NZ-NEUTRAL-CARE" not in rules
    says = next(f for f in data["findings"] if f["rule"] == "NZ-CUT-SAYS")
    assert "says you work for Ministry for the Environment" in says["why"]
    assert not any("names your employer" in w for w in data["warnings"])
    bad = run("audit", REDDIT, "--employer", " x ", "--out", tmp_path / "bad", "-q")
    assert bad.exit_code == 2 and "your employer must be a name of 2 to 120 characters" in bad.stderr and not (tmp_path / "bad").exists()


def test_the_named_employer_is_remembered_for_the_next_audit_into_the_folder(run, tmp_path):
    """Someone who cleaned their profiles and audits again into the same folder need not name
    the employer again: the report records it (findings.json employer_named), the next audit
    uses it and says so, and --employer "" leaves it out."""
    out = tmp_path / "r"
    assert run("audit", REDDIT, "--employer", "Ministry for the Environment", "--out", out, "-q").exit_code == 0
    first = json.loads((out / "findings.json").read_text())
    assert first["employer_named"] == "Ministry for the Environment"
    assert run("audit", REDDIT, "--out", out, "-q").exit_code == 0
    again = json.loads((out / "findings.json").read_text())
    assert again["employer_named"] == "Ministry for the Environment" and again["accounts"][0]["tie"] == "linked"
    assert again["warnings"][0].startswith("Your employer was taken to be \u201cMinistry for the Environment\u201d")
    assert "Your employer was taken to be" in (out / "report.md").read_text(encoding="utf-8")
    # another folder starts from nothing (with --since, the earlier report named there counts)
    assert run("audit", REDDIT, "--out", tmp_path / "other", "-q", "--format", "json").exit_code == 0
    assert json.loads((tmp_path / "other/findings.json").read_text())["employer_named"] is None
    # left out on purpose
    assert run("audit", REDDIT, "--employer", "", "--out", out, "-q", "--format", "json").exit_code == 0
    gone = json.loads((out / "findings.json").read_text())
    assert gone["employer_named"] is None and gone["accounts"][0]["tie"] == "none"
    assert not any(w.startswith("Your employer was taken") for w in gone["warnings"])
    assert any(w.startswith("No profile in this audit names your employer") for w in gone["warnings"])
    # an earlier report edited into nonsense is as good as none
    from auditor.runner import remembered_employer

    assert remembered_employer({"employer_named": "x"}) == remembered_employer({"employer_named": 3}) == ("", "")
    assert remembered_employer({"employer_named": "  MfE  "}) == ("MfE", "named")
    # without a name given, the employer the earlier audit found on the strongest profile
    accounts = [{"work_identity": {"strength": "moderate", "employer": "MfE"}},
                {"work_identity": {"strength": "strong", "employer": "Ministry for the Environment"}},
                {"work_identity": {"strength": "none", "employer": ""}}]
    assert remembered_employer({"employer_named": None, "accounts": accounts}) == (
        "Ministry for the Environment", "profile")
    assert remembered_employer({"employer_named": "DOC", "accounts": accounts}) == ("DOC", "named")
    assert remembered_employer({"accounts": 3}) == remembered_employer({"accounts": [None, {"work_identity": 1}]}) == (
        "", "")


def test_linkedin_links_out_only_when_the_target_is_not_audited(run, tmp_path):
    run("audit", LINKEDIN, "--out", tmp_path / "a", "-q", "--format", "json")
    run("audit", LINKEDIN, TWITTER, "--out", tmp_path / "b", "-q", "--format", "json")
    a = json.loads((tmp_path / "a/findings.json").read_text())
    b = json.loads((tmp_path / "b/findings.json").read_text())
    out = lambda d: {f["excerpt"] for f in d["findings"] if f["rule"] == "NZ-LINK-PROFILE"}
    assert "https://x.com/mereana_c" in out(a) and "https://x.com/mereana_c" not in out(b)
    # LinkedIn's "PERSONAL" and "BLOG" links to one website are one finding, not two; it quotes
    # the first link, so its key is the one that link's finding had, and keeps it when the blog
    # link goes (a finding's key holds what it quotes)
    site = [f for f in a["findings"] if f["rule"] == "NZ-LINK-PROFILE" and "mereanaclarke.nz" in f["excerpt"]]
    assert [f["excerpt"] for f in site] == ["https://mereanaclarke.nz"]
    assert "PERSONAL and BLOG (https://mereanaclarke.nz; https://mereanaclarke.nz/blog)" in site[0]["why"]


def test_links_to_one_site_are_one_thing_to_check():
    from auditor.detect.separation import _site

    assert _site("https://www.Example.nz/blog") == _site("http://example.nz") == "example.nz"
    assert _site("https://x.com/a") != _site("https://mastodon.nz/@a")
    assert _site("not a link") == "not a link"
    assert _site("http://[broken") == "http://[broken"  # malformed: no traceback, the link itself


# fmt: off
SAYS = [
    ("As a policy advisor at MfE I can tell you the advice was different.", "As a policy advisor at MfE"),
    ("Kia ora. By day I work on freshwater policy at MfE; here I write about rivers.",
     "I work on freshwater policy at MfE"),
    ("Six years at MfE and this is the worst it has been.", "Six years at MfE"),
    ("As an MfE analyst I see this every week.", "As an MfE"),
    ("My team at MfE shipped the rivers map today.", "My team at MfE"),
    ("I've just joined MfE!", "I've just joined MfE"),
    ("I\u2019m a senior analyst with the MfE.", "I\u2019m a senior analyst with the MfE"),
    ("We at MfE are proud of this.", "We at MfE"),
    ("Working at MfE this year has been grim.", "Working at MfE"),
    ("Great talk. Working at MfE means rivers every day.", "Working at MfE"),
    ("Je travaille au MfE depuis 2019.", "Je travaille au MfE"),
    # naming the employer is not saying you work there
    ("MfE released its report today.", ""),
    ("As a result, MfE will consult again.", ""),
    ("As a taxpayer I am appalled by MfE.", ""),
    ("I emailed MfE yesterday about the permit.", ""),
    ("My friend works at MfE.", ""),
    ("Thanks to everyone working at MfE on this.", ""),  # not a sentence of her own work
    ("I'm tired of MfE and its consultations.", ""),
    ("I work at home on Fridays. MfE is closed anyway.", ""),  # another sentence
]
# fmt: on


@pytest.mark.parametrize("text,said", SAYS)
def test_says_works_for(text, said):
    assert says_works_for(text, [(text.index("MfE"), text.index("MfE") + 3)]) == said


def test_a_post_that_says_where_you_work_links_the_account():
    a = acc("reddit", "tui")
    post = Post("reddit", "1", "comment", None, "As a policy advisor at MfE ...", source="comments.csv, row 41")
    ties = mention_ties(a, [post], [(post, "As a policy advisor at MfE")])
    # the post is not listed a second time as one that names the employer
    assert [t.kind for t in ties] == ["says-employer"]
    assert level(ties) == "linked" and "As a policy advisor at MfE" in ties[0].evidence
    assert level(mention_ties(a, [post])) == "mentions"  # naming the employer alone is weaker
    other = Post("reddit", "2", "comment", None, "MfE's report is out", source="comments.csv, row 42")
    ties = mention_ties(a, [post, other], [(post, "As a policy advisor at MfE")])
    assert [(t.kind, t.evidence) for t in ties][1] == ("mentions-employer", "comments.csv, row 42")


def test_a_link_to_an_account_that_says_where_you_work_ties_the_linking_account():
    from auditor.detect.linkage import via_says
    from auditor.models import Tie

    masto = acc("mastodon", "ana@m.nz", links=["https://anaruru.nz"])
    site = acc("website", "anaruru.nz")
    ties = link_accounts([(masto, NONE), (site, NONE)])
    assert level(ties[masto.key]) == "none"  # neither names the employer
    said = {site.key}  # the site's About page says where she works
    out = via_says(masto, ties[masto.key], said)
    assert [(t.kind, t.other, t.evidence) for t in out] == [("links-to-work", site.key, "https://anaruru.nz")]
    assert level(ties[masto.key] + out) == "linked"
    assert via_says(masto, ties[masto.key], set()) == []
    # the other way round: the site links to Mastodon, which is linked from the saying site
    back = Tie("links-to", masto.key, site.key, "https://m.nz/@ana", "links", "none")
    assert [t.kind for t in via_says(masto, [back], said)] == ["linked-from-work"]
