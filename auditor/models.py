"""The normalized model every importer produces and every detector and renderer consumes.

An importer turns one platform's export into an :class:`Export`: one :class:`Account` (the
person's profile on that platform, with its positions, links and emails) and a stream of
:class:`Post` objects. Detectors read accounts and posts and return :class:`Detection` objects;
the policy engine turns detections into :class:`Finding` objects that cite a rule. Everything is
a frozen dataclass so findings can be hashed, compared and serialised with ``dataclasses.asdict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class PostKind(StrEnum):
    """What kind of activity a :class:`Post` is. Weaker kinds (reaction, repost) carry less weight.

    ``visitor-comment`` is a comment someone else left on the person's own website: not their
    words, but theirs to moderate.
    """

    POST = "post"
    COMMENT = "comment"
    SHARE = "share"
    REPOST = "repost"
    REPLY = "reply"
    ARTICLE = "article"
    REACTION = "reaction"
    VISITOR_COMMENT = "visitor-comment"


class Severity(StrEnum):
    """Finding severity, ordered: ``Severity.rank`` gives 0 (info) to 4 (critical)."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in the scale, for comparisons."""
        return _SEVERITY_ORDER.index(self)

    def lowered(self, steps: int) -> Severity:
        """This severity moved down ``steps`` levels, never below ``low``."""
        return _SEVERITY_ORDER[max(1, self.rank - steps)] if self.rank > 0 else self


_SEVERITY_ORDER = [Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


#: Kinds whose text is someone else's words (a liked post, a visitor's comment).
NOT_OWN_WORDS = frozenset({PostKind.REACTION, PostKind.VISITOR_COMMENT})


class Category(StrEnum):
    """What a finding is about; a policy pack's rules each belong to one."""

    POLITICAL = "political"
    GRIEVANCE = "grievance"
    DISRESPECT = "disrespect"
    LINKAGE = "linkage"
    SEPARATION = "separation"
    MODERATION = "moderation"


class Exposure(StrEnum):
    """An account's exposure: the highest severity among its findings, ``none`` without any.
    Listed from lowest to highest; ``Exposure.rank`` gives 0 (none) to 4 (critical)."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in the scale, for comparisons."""
        return list(Exposure).index(self)


class TieLevel(StrEnum):
    """How strongly an account is tied to the work identity, strongest first (see
    :mod:`auditor.detect.linkage`); ``TieLevel.rank`` gives 4 (direct) to 0 (none)."""

    DIRECT = "direct"
    LINKED = "linked"
    SAME_NAME = "same-name"
    MENTIONS = "mentions"
    NONE = "none"

    @property
    def rank(self) -> int:
        """Strength, for comparisons: higher is stronger."""
        return len(TieLevel) - 1 - list(TieLevel).index(self)


@dataclass(frozen=True, slots=True)
class Link:
    """A link on a profile: a website or another account (``kind`` is "website" or a platform)."""

    url: str
    label: str = ""
    kind: str = "website"


@dataclass(frozen=True, slots=True)
class Position:
    """A job on a profile. ``finished`` is None for a current position."""

    employer: str
    title: str = ""
    description: str = ""
    location: str = ""
    started: dt.date | None = None
    finished: dt.date | None = None

    @property
    def current(self) -> bool:
        """True when the position has no end date."""
        return self.finished is None


@dataclass(frozen=True, slots=True)
class Account:
    """A person's account on one platform, as their export describes it.

    :param platform: importer name, e.g. ``linkedin``.
    :param handle: the account's handle or vanity name where the export has one.
    :param display_name: the name shown on the profile.
    :param headline: a one-line description (LinkedIn headline).
    :param bio: the longer about/summary text.
    :param links: websites and other accounts the profile links to.
    :param emails: e-mail addresses on the account (used for employer domains, never printed).
    :param positions: jobs, most recent first where the export says.
    :param source: where in the export the profile came from.
    """

    platform: str
    handle: str = ""
    display_name: str = ""
    headline: str = ""
    bio: str = ""
    links: tuple[Link, ...] = ()
    emails: tuple[str, ...] = ()
    positions: tuple[Position, ...] = ()
    location: str = ""
    url: str = ""
    source: str = ""

    @property
    def key(self) -> str:
        """A stable identifier for the account within one audit."""
        return f"{self.platform}:{self.handle or self.display_name or 'unknown'}"

    @property
    def label(self) -> str:
        """How the report names the account."""
        handle = self.handle if not self.handle.startswith("did:") else ""
        who = f"@{handle}" if handle and self.platform != "linkedin" else self.display_name
        return f"{PLATFORM_NAMES.get(self.platform, self.platform)} ({who or 'unnamed'})"


PLATFORM_NAMES = {
    "linkedin": "LinkedIn",
    "twitter": "X/Twitter",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "mastodon": "Mastodon",
    "reddit": "Reddit",
    "bluesky": "Bluesky",
    "website": "Website",
}


@dataclass(frozen=True, slots=True)
class Post:
    """One piece of activity: something the person wrote, shared, or reacted to.

    :param id: the platform's id where it has one, else a stable id derived from the file and row.
    :param text: the person's own words (for a reaction or a bare repost: words describing the
        target, such as the slug of the linked post, which is all the export holds).
    :param audience: visibility where the export says (``PUBLIC``, ``CONNECTIONS`` ...), else "".
    :param target_url: the post that was commented on, reacted to or shared.
    :param source: file and row in the export, so the person can find it.
    """

    platform: str
    id: str
    kind: PostKind
    created_at: dt.datetime | None
    text: str
    url: str = ""
    audience: str = ""
    target_url: str = ""
    title: str = ""
    source: str = ""
    account_key: str = ""

    def __reduce__(self):
        # Posts go to the second detection process in batches of thousands: pickled as the
        # arguments of the constructor they take half the time the dataclass's own state takes.
        return (Post, (self.platform, self.id, self.kind, self.created_at, self.text, self.url, self.audience,
                       self.target_url, self.title, self.source, self.account_key))


@dataclass(frozen=True, slots=True)
class Span:
    """A matched piece of text: ``text[start:end]`` in the field named ``field``."""

    start: int
    end: int
    text: str
    signal: str
    field: str = "text"


@dataclass(frozen=True, slots=True)
class Detection:
    """What a detector saw in one post or account, before policy is applied.

    :param detector: detector name (``political``, ``grievance`` ...).
    :param label: the detector's class for the subject (``partisan``, ``policy-commentary`` ...).
    :param score: 0..1 confidence.
    :param spans: the evidence in the text.
    :param explanation: one sentence saying why.
    """

    detector: str
    label: str
    score: float
    spans: tuple[Span, ...] = ()
    explanation: str = ""

    @property
    def signals(self) -> tuple[str, ...]:
        """The distinct signals behind the detection, in order of appearance."""
        return tuple(dict.fromkeys(s.signal for s in self.spans))


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: a public guidance document and the part of it that applies."""

    title: str
    publisher: str
    url: str
    section: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired on a post or an account, with everything needed to act on it.

    :param category: ``political``, ``grievance``, ``disrespect``, ``linkage`` or ``separation``.
    :param rule: the policy rule id, e.g. ``NZ-NEUTRAL-LINK``.
    :param subject: ``post`` or ``account``.
    :param excerpt: the text the finding is about (possibly shortened around the evidence).
    :param spans: evidence positions relative to ``excerpt``.
    :param action: one of delete / edit / hide / move / unlink / moderate / review.
    """

    category: str
    rule: str
    title: str
    severity: Severity
    platform: str
    account_key: str
    subject: str
    label: str
    score: float
    excerpt: str
    spans: tuple[Span, ...]
    explanation: str
    why: str
    recommendation: str
    action: str
    citation: Citation
    post_id: str = ""
    post_kind: str = ""
    created_at: dt.datetime | None = None
    url: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()
    #: the language the post's words were read in (``en``, ``fr``); empty for a profile finding
    lang: str = ""

    @property
    def signals(self) -> tuple[str, ...]:
        """The distinct signals behind the finding."""
        return tuple(dict.fromkeys(s.signal for s in self.spans))

    @property
    def key(self) -> str:
        """The finding's stable key across audits (see :func:`finding_key`)."""
        return finding_key(self.platform, self.account_key, self.subject, self.post_id, self.rule, self.excerpt)


#: The rule part of a post-to-skim's key: a listed post is decided about like a finding.
SKIM_RULE = "to-skim"


def skim_key(post: Post) -> str:
    """The stable key of a post on the list to skim (``twitter:1234567890:to-skim``), under which
    the person's decision about it is kept."""
    return f"{post.platform}:{post.id}:{SKIM_RULE}"


def finding_key(platform: str, account_key: str, subject: str, post_id: str, rule: str, excerpt: str = "") -> str:
    """A finding's stable key: the same post or profile field under the same rule gets the same key
    in every audit, so decisions and progress can follow it (the short ``F001`` ids are per report).

    A post: ``twitter:1234567890:NZ-NEUTRAL-LINK``. A profile finding:
    ``linkedin:account:<handle or name>:<what>:RULE``, where ``<what>`` is the field (``headline``,
    ``bio``, ``profile``), ``links:<the link>`` for a link on the profile, or ``tie:<kind>:<other
    account>`` for a tie between accounts.
    """
    if subject != "account":
        return f"{platform}:{post_id}:{rule}"
    who = account_key.split(":", 1)[1] if ":" in account_key else account_key
    what = post_id.removeprefix("profile:").rstrip(":")
    if what == "links":  # one finding per link: the link itself tells them apart
        what = f"links:{excerpt}"
    return f"{platform}:account:{who}:{what}:{rule}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason an account is tied to an employer."""

    field: str
    text: str
    signal: str
    weight: float


@dataclass(frozen=True, slots=True)
class WorkIdentity:
    """Whether an account identifies the person with a public-sector employer, and how strongly.

    ``strength`` is ``strong``, ``moderate``, ``weak`` or ``none``; ``identified`` is True for
    strong and moderate.
    """

    identified: bool
    strength: str
    score: float
    employer: str = ""
    title: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Tie:
    """One way an account is tied to the person's work identity (or to another of their accounts).

    :param kind: ``names-employer`` (the profile itself names the employer or role),
        ``links-to-work`` (it links to a work-identified profile), ``linked-from-work`` (a
        work-identified profile links to it), ``same-handle``, ``same-name``,
        ``says-employer`` (a post on it says the person works there), ``mentions-employer``
        (its posts name the employer or role), ``links-to`` (a link
        between two accounts neither of which names the employer).
    :param other: the key of the other account, or "" (for ``names-employer``, or a link to a
        LinkedIn profile whose export is not in the audit).
    :param evidence: what was matched, e.g. the link or the handle.
    :param field: where on the account the evidence sits (bio, links, handle, posts ...).
    """

    kind: str
    account_key: str
    other: str
    evidence: str
    field: str
    strength: str


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file in an export that was not audited, and why."""

    name: str
    reason: str


@dataclass
class Export:
    """One platform export: the account, a way to stream its posts, and what was not read.

    ``iter_posts`` is a callable so that large exports can be streamed more than once without
    holding every post in memory.
    """

    platform: str
    path: str
    account: Account
    iter_posts: Callable[[], Iterator[Post]]
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    variant: str = ""

    def posts(self) -> Iterator[Post]:
        """Iterate over the export's posts (re-reads the export each time)."""
        return self.iter_posts()


@dataclass
class AccountReport:
    """Per-account results: identity, counts and findings, as the renderers need them."""

    account: Account
    work_identity: WorkIdentity
    posts_scanned: int = 0
    counts_by_kind: dict[str, int] = field(default_factory=dict)
    first_post: dt.datetime | None = None
    last_post: dt.datetime | None = None
    findings: list[Finding] = field(default_factory=list)
    fine: list[tuple[Post, Detection]] = field(default_factory=list)
    exposure: str = Exposure.NONE
    ties: list[Tie] = field(default_factory=list)
    tie: str = TieLevel.NONE
    employer_mentions: list[Post] = field(default_factory=list)
    #: posts in which the person says they work for the employer, with those words (the first
    #: few; see :func:`auditor.detect.linkage.says_works_for`)
    says_employer: list[tuple[Post, str]] = field(default_factory=list)
    #: while an untied account is scanned: each detection's finding as made, with what makes the
    #: finding it would be were the account tied to the work identity (the post, the detection,
    #: whether the post names the employer, its link's words and its language), made only when a
    #: post on it says where the person works (see ``auditor.audit._retie``); then emptied
    if_tied: list[tuple[Finding | None, tuple]] = field(default_factory=list)
    #: posts the models judged: language code -> count (the report quotes how far to trust the
    #: models of these languages only)
    judged: dict[str, int] = field(default_factory=dict)
    #: posts no model could judge: language code -> count, and the first few as examples
    not_checked: dict[str, int] = field(default_factory=dict)
    not_checked_examples: list[tuple[Post, str]] = field(default_factory=list)
    #: posts read only up to the audit's length limit
    cut: int = 0
    #: items that appeared twice in the exports (same id) and were read once
    repeats: int = 0
    #: reactions (likes) whose post reads as political: other people's words, so never a
    #: finding each; summed up in one line per account (see ``platforms.toml``)
    reactions_political: int = 0
    #: the strongest few of them, as the findings they would have been
    reaction_examples: list[Finding] = field(default_factory=list)
    #: the one line about them where the platform does not show reactions to others
    reactions_note: str = ""
    #: reactions whose post the political model scored from the "posts to skim" threshold up
    #: to its threshold: counted in that line, never listed (a like is a weak signal)
    reactions_unsure: int = 0
    #: the highest-scored few of them: (score, their words, date)
    reactions_unsure_examples: list[tuple[float, str, dt.datetime | None]] = field(default_factory=list)
    #: posts the political model scored under its threshold but at or above its "posts to skim"
    #: one (no finding of their own): the first few (see ``audit._trim_to_skim``), as (post,
    #: detect.textmodel.Prediction, whether the person's own words name the employer or role),
    #: and how many
    to_skim: list[tuple[Post, object, bool]] = field(default_factory=list)
    to_skim_count: int = 0
    #: keys (:func:`skim_key`) of posts the person said need not be listed again (their decisions
    #: file), and how many such posts this audit would have listed
    not_to_list: frozenset[str] = frozenset()
    to_skim_hidden: int = 0

    @property
    def tied_to_work(self) -> bool:
        """True when the account names the employer or is linked to an account that does."""
        return self.tie in (TieLevel.DIRECT, TieLevel.LINKED)


@dataclass
class AuditResult:
    """Everything one audit found, ready to render."""

    accounts: list[AccountReport]
    policy_id: str
    policy_name: str
    inputs: list[str]
    skipped: list[tuple[str, SkippedFile]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generated_at: dt.datetime | None = None
    role: str = ""
    #: the optional semantic mode read the English posts (it changes the political model's figures)
    semantic: bool = False
    #: the employer the person named (``--employer``, the app's field, or remembered from the
    #: earlier audit in the report folder), whether or not a profile's employer came first; ""
    employer_named: str = ""

    @property
    def findings(self) -> list[Finding]:
        """All findings, most severe first."""
        out = [f for a in self.accounts for f in a.findings]
        return sorted(out, key=finding_sort_key)

    @property
    def repeats(self) -> int:
        """Items that appeared more than once in the exports and were read once."""
        return sum(a.repeats for a in self.accounts)

    @property
    def posts_scanned(self) -> int:
        """Total posts read across all accounts."""
        return sum(a.posts_scanned for a in self.accounts)


def finding_sort_key(f: Finding) -> tuple:
    """Most severe first, then newest first, then by rule for a stable order."""
    ts = f.created_at.timestamp() if f.created_at else 0.0
    return (-f.severity.rank, f.subject != "account", -ts, f.rule, f.post_id)


def iter_unique(posts: Iterable[Post], repeats: list[int] | None = None) -> Iterator[Post]:
    """Drop repeated posts (same platform and id), e.g. from overlapping export instalments;
    ``repeats[0]`` counts the ones dropped, so every item read is accounted for."""
    seen: set[tuple[str, str, str]] = set()
    for p in posts:
        k = (p.platform, p.kind, p.id)
        if k in seen:
            if repeats is not None:
                repeats[0] += 1
            continue
        seen.add(k)
        yield p
