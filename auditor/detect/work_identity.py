"""Work identity: does an account identify the person with a public-sector employer?

Evidence, each with a weight (the sum decides the strength):

* the current position's employer is a known agency (gazetteer in the policy pack's lexicons)
  or looks like one ("Ministry of ...", "... City Council")              3 (known) / 2 (pattern)
* the headline or bio names a known agency or a public-sector employer    3 / 2
* the current job title is a public-sector title ("Senior Policy Advisor") 1
* an e-mail address or website on the account is on a government domain   2
* only past positions are public-sector                                    1 (weak)

``strong`` >= 4, ``moderate`` >= 2, ``weak`` > 0. Strong and moderate count as identified.
"""

from __future__ import annotations

from urllib.parse import urlparse

from auditor.detect.lexicon import Lexicon
from auditor.models import Account, Evidence, WorkIdentity


def _domain_of(value: str) -> str:
    value = value.strip().lower()
    if "@" in value and "//" not in value:
        return value.rsplit("@", 1)[-1]
    try:
        return (urlparse(value if "//" in value else "//" + value).hostname or "").lower()
    except ValueError:
        return ""


def gov_domain(value: str, suffixes: tuple[str, ...]) -> str:
    """The public-sector suffix ``value``'s domain ends with, or ""."""
    host = _domain_of(value)
    for s in sorted(suffixes, key=len, reverse=True):
        if host == s or host.endswith("." + s):
            return s
    return ""


class WorkIdentityDetector:
    """Scores an :class:`Account` against the policy pack's agencies, patterns and domains."""

    name = "work_identity"

    def __init__(self, lexicon: Lexicon, domains: tuple[str, ...]):
        self.lexicon = lexicon
        self.domains = domains

    def _employer_hits(self, text: str) -> tuple[str, float, str]:
        """(matched text, weight, signal) for the strongest employer mention in ``text``."""
        best = ("", 0.0, "")
        for h in self.lexicon.find(text):
            if h.group in ("work.agency", "work.agency_abbrev"):
                cand = (h.text, 3.0, "known public-sector agency")
            elif h.group == "work.government_employer":
                cand = (h.text, 2.0, "public-sector employer")
            else:
                continue
            if cand[1] > best[1]:
                best = cand
        return best

    def _title_hit(self, text: str) -> str:
        return next((h.text for h in self.lexicon.find(text) if h.group == "work.public_sector_title"), "")

    def assess(self, account: Account) -> WorkIdentity:
        """Decide whether and how strongly the account is tied to a public-sector employer."""
        ev: list[Evidence] = []
        employer = title = ""
        current = [p for p in account.positions if p.current]
        for p in current:
            text, w, sig = self._employer_hits(p.employer)
            if w:
                ev.append(Evidence("current position", f"{p.title} at {p.employer}".strip(), sig, w))
                employer, title = employer or p.employer, title or p.title
            t = self._title_hit(p.title)
            if t:
                ev.append(Evidence("current job title", p.title, "public-sector job title", 1.0))
                title = title or p.title
                employer = employer or p.employer
        for field, text in (("headline", account.headline), ("bio", account.bio)):
            if not text:
                continue
            found, w, sig = self._employer_hits(text)
            if w:
                ev.append(Evidence(field, found, f"{field} names a {sig}", w))
                employer = employer or found
            elif field == "headline" and self._title_hit(text):
                ev.append(Evidence(field, self._title_hit(text), "headline gives a public-sector title", 1.0))
        for e in account.emails:
            s = gov_domain(e, self.domains)
            if s:
                ev.append(Evidence("e-mail address", "@" + _domain_of(e), f"e-mail on a government domain (.{s})", 2.0))
        for link in account.links:
            s = gov_domain(link.url, self.domains)
            if s:
                ev.append(Evidence("website", link.url, f"links a government website (.{s})", 2.0))
        if not ev:
            past = [p for p in account.positions if not p.current and self._employer_hits(p.employer)[1]]
            if past:
                p = past[0]
                ev.append(Evidence("past position", f"{p.title} at {p.employer}".strip(),
                                   "former public-sector employer", 1.0))
                employer = p.employer
        score = sum(e.weight for e in ev)
        strength = "strong" if score >= 4 else "moderate" if score >= 2 else "weak" if score > 0 else "none"
        return WorkIdentity(
            identified=strength in ("strong", "moderate"),
            strength=strength,
            score=round(min(score / 8.0, 1.0), 3),
            employer=employer,
            title=title,
            evidence=tuple(ev),
        )
