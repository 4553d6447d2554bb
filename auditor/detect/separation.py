"""Separation: what an account's profile itself says, read against the work identity.

* ``profile-political``: the headline or bio reads as partisan or policy commentary (the
  political detector reads the field as if it were a post).
* ``work-profile-political``: a work-identified profile carries political items.
* ``links-out``: the profile links to somewhere else (a link to an account in the same audit,
  on any platform, is left to the linkage findings, which say more).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from auditor.detect.base import FieldHit, PostContext
from auditor.detect.lexicon import Lexicon
from auditor.detect.linkage import norm_url
from auditor.detect.political import PoliticalDetector
from auditor.detect.scan import judge_post
from auditor.models import Account, Detection, Link, Post, WorkIdentity

NAME = "separation"
#: tie kinds that already cover a link on the profile
LINK_TIES = ("linked-from-work", "links-to-work", "links-to")


@dataclass(frozen=True)
class ProfileSignal:
    """A separation detection on a profile: the words it is about and where they sit.

    :param field: ``headline``, ``bio``, ``profile`` or ``links``; :param link: the link, for
        ``links-out``.
    """

    detection: Detection
    text: str
    field: str
    link: Link | None = None


def profile_signals(account: Account, wi: WorkIdentity, covered: set[str], political_items: int,
                    lexicon: Lexicon, thresholds: Mapping[str, float]) -> list[ProfileSignal]:
    """The separation detections of one account's profile, in the order the report lists them.

    ``covered`` holds the profile's links that lead to another account in the audit (the ties
    between the two say more than a "links-out" would); ``political_items`` is how many
    political findings the account's posts gave; ``thresholds`` are the policy pack's model
    thresholds.
    """
    out: list[ProfileSignal] = []
    pol = PoliticalDetector()
    for field, text in (("headline", account.headline), ("bio", account.bio)):
        if not text:
            continue
        # the field read as a post of its own, so the political detector can judge it
        fake = Post(account.platform, f"profile:{field}", "post", None, text)  # type: ignore[arg-type]
        found, masked = lexicon.scan(text)
        hits = [FieldHit("text", h) for h in found]
        _, preds = judge_post(text, "", hits, thresholds, masked)
        d = pol.detect(fake, hits, PostContext(predictions=preds, thresholds=dict(thresholds or {})))
        if d and d.label in ("partisan", "policy-commentary"):
            out.append(ProfileSignal(Detection(NAME, "profile-political", d.score, d.spans,
                                               f"Your {field} {d.explanation[0].lower()}{d.explanation[1:]}"),
                                     text, field))
    if political_items and wi.identified:
        n = political_items
        out.append(ProfileSignal(Detection(NAME, "work-profile-political", 1.0, (),
                                           f"This profile names {wi.employer or 'a public-sector employer'} and "
                                           f"carries {n} political item{'s' if n != 1 else ''} (listed below)."),
                                 account.headline or (wi.evidence[0].text if wi.evidence else ""), "profile"))
    # one finding per site: LinkedIn's "PERSONAL" and "BLOG" links to one website are one thing to check
    sites: dict[str, list[Link]] = {}
    for link in account.links:
        if link.url in covered:
            continue  # the linked account is in this audit: the linkage findings there say more
        sites.setdefault(_site(link.url), []).append(link)
    for links in sites.values():
        link = links[0]
        if len(links) > 1:
            link = Link("; ".join(x.url for x in links), " and ".join(dict.fromkeys(x.label or x.url for x in links)),
                        link.kind)
        more = ", on one site" if len(links) > 1 else ""
        # quoted by its first link: a finding's key holds what it quotes, and it stays the same when
        # the profile drops the site's other links (or, before they were one finding, had only that one)
        out.append(ProfileSignal(Detection(NAME, "links-out", 0.5, (),
                                           f"The profile links to {link.label or link.url} ({link.kind}{more})."),
                                 links[0].url, "links", link))
    return out


def _site(url: str) -> str:
    """The site a link leads to: its host as linkage compares hosts (lower case, without "www."),
    or the link itself when it has none or is malformed."""
    return norm_url(url)[0] or url
