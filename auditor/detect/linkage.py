"""Linkage: how each of a person's accounts is tied to their work identity.

Signals, strongest first (``Tie.kind``):

* ``names-employer``: the account itself identifies the employer (work identity strong or
  moderate: a position, a headline or bio naming the agency, a government e-mail domain).
* ``linked-from-work`` / ``links-to-work``: a work-identified profile links to this account
  (LinkedIn's Twitter Handles and Websites fields, a website's About page), or this account
  links to one (a Mastodon profile field with the LinkedIn address, a bio link).
* ``same-handle``: the same handle as a work-identified account (``mereana_c`` on X and
  Mastodon), so a search for one finds the other.
* ``same-name``: the same display name as a work-identified account.
* ``says-employer``: a post on the account says the person works for the employer ("As a policy
  advisor at MfE ...", "By day I work on freshwater policy at the Ministry for the Environment",
  "Six years at MfE"; :func:`says_works_for`). Whoever reads the account can tie it to the role,
  so the account counts as linked to the work identity, as a link to the work profile does.
* ``mentions-employer``: posts on the account name the employer or the role (found while
  scanning, added by :func:`mention_ties`).

An account's tie level is ``direct`` (it names the employer), ``linked`` (linked to or sharing
a handle with a direct account), ``same-name``, ``mentions`` or ``none``. Exports cannot show
everything: a shared profile photo, a t.co link in an X bio, or what search engines connect
are listed as unchecked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

from auditor.models import Account, Post, Tie, TieLevel, WorkIdentity

LEVEL_RANK = {t.value: t.rank for t in TieLevel}


def norm_url(url: str) -> tuple[str, str]:
    """(host without www, path lower-cased without trailing slash) of a URL or bare address."""
    u = url.strip()
    if "//" not in u:
        u = "https://" + u
    try:
        p = urlparse(u)
    except ValueError:
        return "", ""
    host = (p.hostname or "").lower().removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    return host, p.path.rstrip("/").lower()


def addresses(acc: Account) -> list[tuple[str, str]]:
    """The (host, path) pairs under which the account can be linked to."""
    out = []
    h = acc.handle.lower().lstrip("@")
    if acc.url:
        out.append(norm_url(acc.url))
    if acc.platform == "twitter" and h:
        out += [("x.com", f"/{h}"), ("twitter.com", f"/{h}")]
    elif acc.platform == "mastodon" and "@" in h:
        user, host = h.split("@", 1)
        out += [(host, f"/@{user}"), (host, f"/users/{user}")]
    elif acc.platform == "reddit" and h:
        out += [("reddit.com", f"/user/{h}"), ("reddit.com", f"/u/{h}")]
    elif acc.platform in ("facebook", "instagram") and h:
        out.append((f"{acc.platform}.com", f"/{h}"))
    elif acc.platform == "bluesky" and h:
        out.append(("bsky.app", f"/profile/{h}"))
    elif acc.platform == "website" and h:
        out.append((h.removeprefix("www."), ""))
    return [a for a in out if a[0]]


def _link_hits(link_url: str, target: Account) -> bool:
    host, path = norm_url(link_url)
    if not host:
        return False
    if target.platform == "linkedin":
        return host == "linkedin.com" and path.startswith("/in/")
    for ahost, apath in addresses(target):
        if target.platform == "website":
            if host == ahost or host.endswith("." + ahost):
                return True
        elif host == ahost and (path == apath or path.startswith(apath + "/")):
            return True
    return False


def _handle_key(acc: Account) -> str:
    h = acc.handle.lower().lstrip("@").split("@", 1)[0]
    if acc.platform in ("website", "bluesky") or len(h) < 4:
        return ""
    return re.sub(r"[^a-z0-9]", "", h)


def _name_key(acc: Account) -> str:
    name = unicodedata.normalize("NFKD", acc.display_name)
    name = "".join(c for c in name if c.isalnum() or c == " ").lower()
    words = name.split()
    return " ".join(words) if len(words) >= 2 else ""


def link_accounts(accounts: list[tuple[Account, WorkIdentity]]) -> dict[str, list[Tie]]:
    """Every tie between the accounts (and to LinkedIn profiles outside the audit), by account key."""
    ties: dict[str, list[Tie]] = {a.key: [] for a, _ in accounts}
    work = {a.key for a, wi in accounts if wi.identified}
    for a, wi in accounts:
        if wi.identified:
            ev = wi.evidence[0] if wi.evidence else None
            ties[a.key].append(Tie("names-employer", a.key, "", ev.text if ev else wi.employer,
                                   ev.field if ev else "profile", "direct"))
    for a, _ in accounts:
        for link in a.links:
            targets = [b for b, _ in accounts if b.key != a.key and _link_hits(link.url, b)]
            if not targets and "linkedin.com/in/" in link.url.lower() and a.platform != "linkedin":
                # A link to a LinkedIn profile whose export is not in the audit: in a self-audit it
                # is almost always the person's own, and a LinkedIn profile names the employer.
                ties[a.key].append(Tie("links-to-work", a.key, "", link.url, "links", "linked"))
            for b in targets:
                if b.key in work:
                    ties[a.key].append(Tie("links-to-work", a.key, b.key, link.url, "links", "linked"))
                if a.key in work:
                    ties[b.key].append(Tie("linked-from-work", b.key, a.key, link.url, "links", "linked"))
                if a.key not in work and b.key not in work:
                    ties[a.key].append(Tie("links-to", a.key, b.key, link.url, "links", "none"))
                    ties[b.key].append(Tie("links-to", b.key, a.key, link.url, "links", "none"))
    for a, _ in accounts:
        hk, nk = _handle_key(a), _name_key(a)
        for b, _ in accounts:
            if b.key == a.key or b.key not in work:
                continue
            if hk and hk == _handle_key(b):
                ties[a.key].append(Tie("same-handle", a.key, b.key, a.handle, "handle", "linked"))
            elif nk and nk == _name_key(b):
                ties[a.key].append(Tie("same-name", a.key, b.key, a.display_name, "display name", "same-name"))
    return ties


def level(ties: list[Tie]) -> str:
    """The strongest tie level among ``ties``."""
    return max((t.strength for t in ties), key=lambda s: LEVEL_RANK.get(s, 0), default="none")


def exposing_ties(platform: str, ties: list[Tie], tie_level: str) -> dict[str, list[Tie]]:
    """The ties of an account carrying exposed content that are worth cutting, grouped by kind
    (each piece of evidence once): the signals of the linkage findings."""
    grouped: dict[str, list[Tie]] = {}
    for tie in ties:
        if tie.kind == "links-to" or platform == "linkedin":
            continue  # LinkedIn is the work profile: its own findings say what to delete
        if tie_level == "direct" and tie.kind == "mentions-employer":
            continue  # the profile names the employer itself: a post naming it adds nothing to cut
        # (links, a shared handle and a post that says where you work stay: with the employer
        # gone from the profile they would still tie the account to the work identity)
        if tie.kind == "same-name" and tie_level != "same-name":
            continue  # a stronger tie already explains the exposure
        if tie.kind == "mentions-employer" and any(t.kind == "says-employer" for t in ties):
            continue  # the post that says where the person works is the one to edit first
        if all(t.evidence != tie.evidence or t.other != tie.other for t in grouped.get(tie.kind, [])):
            grouped.setdefault(tie.kind, []).append(tie)
    return grouped


def merged(group: list[Tie]) -> Tie:
    """One tie standing for a group of ties of one kind (their evidence joined)."""
    tie = group[0]
    if len(group) > 1:
        tie = Tie(tie.kind, tie.account_key, tie.other, "; ".join(dict.fromkeys(t.evidence for t in group)),
                  tie.field, tie.strength)
    return tie


#: What a person writes just before their employer's name when they say they work there (English
#: and French). Matched against the words between the start of the sentence and the name, so the
#: name must follow the cue: "I work on freshwater policy at [MfE]", "As a policy advisor at
#: [MfE]", "As an [MfE] analyst", "my team at [MfE]", "Six years at [MfE]", "je travaille au
#: [ministère]". Naming the employer without saying so ("MfE released its report") is a
#: mention, not this.
_SAYS = re.compile(
    r"(?:\b(?:i|we)(?:'m|\u2019m|\s+am|\s+are|'re|\u2019re)?\s+(?:work|worked|working|employed)\b[^.!?;:,]{0,40}?\s(?:at|for|in|with|by)"
    r"|\b(?:i|we)(?:'m|\u2019m|\s+am|\s+are|'re|\u2019re)\s+(?:a|an|the|one\s+of\s+the)\s[^.!?;:,]{0,40}?\s(?:at|for|in|with)"
    r"|\bas\s+(?:a|an)(?:\s[^.!?;:,]{0,40}?\s(?:at|for|in|with))?"
    r"|\bmy\s+(?:job|role|position|team|colleagues|co-?workers|manager|boss|first\s+(?:day|week|year))\s+(?:here\s+)?(?:at|in|with)"
    r"|\b(?:we|us|here)\s+at"
    r"|\bi(?:'ve|\u2019ve|\s+have)?\s+(?:just\s+)?(?:joined|started\s+(?:at|with|work\s+at))"
    r"|\b(?:[\w-]+\s+)?(?:years?|months?)\s+(?:now\s+)?(?:at|with)"
    r"|^\s*(?:working|worked)\s+(?:at|for|in)"  # "Working at MfE this year has been grim"
    r"|\bje\s+(?:travaille|suis\s+employée?)\b[^.!?;:,]{0,40}?\s(?:à|au|aux|pour|chez|avec|dans)"
    r"|\ben\s+tant\s+que\s[^.!?;:,]{0,40}?\s(?:à|au|aux|chez|de|du)"
    r")\s+(?:the\s+|la\s+|le\s+|les\s+|l['\u2019]\s*)?$",
    re.IGNORECASE,
)
#: How far before the employer's name the cue may start.
_SAYS_WINDOW = 90


def says_works_for(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The words of ``text`` in which the person says they work for the employer whose name is
    at one of ``spans`` ("As a policy advisor at MfE"), or "" when no name is introduced so."""
    for start, end in spans:
        before = text[max(0, start - _SAYS_WINDOW):start]
        cut = max(before.rfind(c) for c in ".!?\n")
        before = before[cut + 1:]
        m = _SAYS.search(before)
        if m:
            return text[start - len(before) + m.start():end].strip()
    return ""


def mention_ties(account: Account, mentions: list[Post], says: Sequence[tuple[Post, str]] = ()) -> list[Tie]:
    """A ``says-employer`` tie when a post on the account says the person works for the
    employer (``says``: each such post with its words), and a ``mentions-employer`` tie when
    other posts name the employer or role (a post that says it is not listed again as naming it)."""
    ties = []
    saying = {(p.platform, p.id) for p, _ in says}
    mentions = [p for p in mentions if (p.platform, p.id) not in saying]
    if says:
        post, words = says[0]
        more = f" (and {len(says) - 1} more)" if len(says) > 1 else ""
        ties.append(Tie("says-employer", account.key, "", f"\u201c{words}\u201d ({post.source}){more}", "posts",
                        "linked"))
    if mentions:
        first = mentions[0]
        more = f" (and {len(mentions) - 1} more)" if len(mentions) > 1 else ""
        ties.append(Tie("mentions-employer", account.key, "", f"{first.source}{more}", "posts", "mentions"))
    return ties


def via_says(account: Account, ties: list[Tie], saying: set[str]) -> list[Tie]:
    """Links between this account and an account that is tied to the work identity by a post
    saying where the person works (``saying``: such accounts' keys), as ties to the work identity:
    the website whose About page says "I work on freshwater policy at the Ministry for the
    Environment" ties the Mastodon account that links to it as surely as a work profile would.
    ``ties`` are the account's own; a ``links-to`` tie holds the link as its evidence."""
    out = []
    own = {link.url for link in account.links}
    for t in ties:
        if t.kind == "links-to" and t.other in saying:
            kind = "links-to-work" if t.evidence in own else "linked-from-work"
            out.append(Tie(kind, account.key, t.other, t.evidence, "links", "linked"))
    return out


UNCHECKED = (
    "Whether the accounts share a profile photo or a banner: exports do not include enough to compare them.",
    "Where a bio link is a t.co short link (X archives store only the short form), where it leads.",
    "What a web search for your name or handle brings up: search engines link accounts that do not link to each other.",
)
