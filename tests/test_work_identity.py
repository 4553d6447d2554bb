import datetime as dt

import pytest
from conftest import LINKEDIN

from auditor.detect.lexicon import Lexicon
from auditor.detect.work_identity import WorkIdentityDetector, gov_domain
from auditor.ingest import load_export
from auditor.models import Account, Link, Position
from auditor.policy import load_policy


@pytest.fixture(scope="module")
def wid():
    p = load_policy("nz")
    return WorkIdentityDetector(Lexicon(p.terms), p.public_sector_domains)


def acc(**kw):
    return Account(platform="linkedin", display_name="Test Person", **kw)


def test_fixture_is_strongly_identified(wid):
    wi = wid.assess(load_export(LINKEDIN).account)
    assert wi.identified and wi.strength == "strong"
    assert wi.employer == "Ministry for the Environment" and wi.title == "Senior Policy Advisor"
    assert {e.field for e in wi.evidence} >= {"current position", "headline", "e-mail address"}


# fmt: off
@pytest.mark.parametrize("account, strength", [
    (acc(positions=(Position("Ministry of Health", "Analyst"),)), "moderate"),
    (acc(positions=(Position("Ministry of Health", "Senior Policy Analyst"),), headline="Analyst at Ministry of Health"), "strong"),
    (acc(positions=(Position("Ministry of Transport and Widgets", "Engineer"),)), "moderate"),   # pattern, not gazetteer
    (acc(emails=("jo@treasury.govt.nz",)), "moderate"),
    (acc(positions=(Position("Acme Ltd", "Engineer"),)), "none"),
    (acc(positions=(Position("Acme Ltd", "Engineer"), Position("Inland Revenue", "Analyst", finished=dt.date(2019, 1, 1)))), "weak"),
    (acc(links=(Link("https://www.health.govt.nz/about"),)), "moderate"),
])
# fmt: on
def test_strength(wid, account, strength):
    assert wid.assess(account).strength == strength


# fmt: off
@pytest.mark.parametrize("value, suffix", [
    ("a@mfe.govt.nz", "govt.nz"), ("https://www.gov.uk/x", "gov.uk"), ("x@agency.gov", "gov"),
    ("x@canada.ca", "canada.ca"), ("x@example.com", ""), ("https://notgovt.nz", ""), ("x@gov.example.com", ""),
])
# fmt: on
def test_gov_domain(value, suffix):
    assert gov_domain(value, load_policy("nz").public_sector_domains) == suffix
