from pathlib import Path

import pytest

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
