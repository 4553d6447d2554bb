import json

import pytest
from conftest import LINKEDIN, MASTODON, REDDIT, TWITTER

from auditor.detect.linkage import level, link_accounts
from auditor.models import Account, Link, WorkIdentity

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
                    "website": "linked", "reddit": "mentions", "bluesky": "same-name", "instagram": "linked"}
    rules = {(f["platform"], f["rule"]) for f in data["findings"]}
    assert ("twitter", "NZ-CUT-EMPLOYER") in rules
    assert ("mastodon", "NZ-CUT-LINK") in rules and ("website", "NZ-CUT-LINK") in rules
    assert ("reddit", "NZ-CUT-MENTION") in rules and ("bluesky", "NZ-CUT-NAME") in rules
    assert ("website", "NZ-MODERATE") in rules
    cut = next(f for f in data["findings"] if f["platform"] == "mastodon" and f["rule"] == "NZ-CUT-LINK")
    assert "linkedin.com/in/mereana-clarke-nz" in cut["recommendation"] and cut["action"] == "unlink"
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


def test_linkedin_links_out_only_when_the_target_is_not_audited(run, tmp_path):
    run("audit", LINKEDIN, "--out", tmp_path / "a", "-q", "--format", "json")
    run("audit", LINKEDIN, TWITTER, "--out", tmp_path / "b", "-q", "--format", "json")
    a = json.loads((tmp_path / "a/findings.json").read_text())
    b = json.loads((tmp_path / "b/findings.json").read_text())
    out = lambda d: {f["excerpt"] for f in d["findings"] if f["rule"] == "NZ-LINK-PROFILE"}
    assert "https://x.com/mereana_c" in out(a) and "https://x.com/mereana_c" not in out(b)
