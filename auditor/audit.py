"""Run an audit: load exports, detect, apply the policy pack, and collect an AuditResult.

Posts are streamed from each export and dropped once scanned; only findings (and the short
list of "fine" political-adjacent posts shown in the report) are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from auditor.detect import default_detectors
from auditor.detect.base import FieldHit, PostContext
from auditor.detect.lexicon import Lexicon, Term
from auditor.detect.political import PoliticalDetector
from auditor.detect.work_identity import WorkIdentityDetector
from auditor.errors import AuditorError
from auditor.ingest import load_export
from auditor.models import (
    PLATFORM_NAMES,
    Account,
    AccountReport,
    AuditResult,
    Detection,
    Export,
    Finding,
    Post,
    Severity,
    Span,
    WorkIdentity,
    finding_sort_key,
    iter_unique,
)
from auditor.policy import MatchContext, Policy
from auditor.textutil import excerpt, link_words

FINE_LABELS = {"civic", "mention"}
MAX_FINE = 25

WHAT = {
    "post": "this post", "share": "this post", "comment": "this comment", "reply": "this reply",
    "repost": "this repost", "reaction": "this reaction", "article": "this article",
}


def run_audit(
    paths: Sequence[str],
    policy: Policy,
    role: str | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> AuditResult:
    """Audit one person's exports together against a policy pack."""
    if role and role not in policy.roles:
        raise AuditorError(
            f"the {policy.id} policy has no role {role!r}; roles: {', '.join(policy.roles) or 'none'}"
        )
    exports = [load_export(p) for p in paths]
    lexicon = Lexicon(policy.terms)
    identity = WorkIdentityDetector(lexicon, policy.public_sector_domains)
    detectors = default_detectors()
    merged = _merge_accounts(exports)
    reports: list[AccountReport] = []
    for account, parts in merged:
        wi = identity.assess(account)
        rep = AccountReport(account=account, work_identity=wi)
        employer_lex = _employer_lexicon(account, wi, policy)
        posts = iter_unique(p for e in parts for p in e.posts())
        for post in posts:
            _scan_post(post, rep, lexicon, employer_lex, detectors, policy, role)
            if progress:
                progress(1)
        _account_findings(rep, lexicon, policy, role)
        rep.findings.sort(key=finding_sort_key)
        rep.exposure = _exposure(rep)
        reports.append(rep)
    reports.sort(key=lambda r: (-_EXPOSURE_RANK[r.exposure], r.account.platform))
    return AuditResult(
        accounts=reports,
        policy_id=policy.id,
        policy_name=policy.name,
        inputs=[str(p) for p in paths],
        skipped=[(e.path, s) for e in exports for s in e.skipped],
        warnings=[w for e in exports for w in e.warnings],
        generated_at=now or dt.datetime.now(dt.UTC),
        role=role or "",
    )


def _merge_accounts(exports: list[Export]) -> list[tuple[Account, list[Export]]]:
    """Exports of the same account (LinkedIn's basic and complete parts) are audited together."""
    out: dict[str, tuple[Account, list[Export]]] = {}
    for e in exports:
        key = e.account.key
        if key in out:
            acc, parts = out[key]
            richer = e.account if len(e.account.positions) > len(acc.positions) else acc
            out[key] = (richer, parts + [e])
        else:
            out[key] = (e.account, [e])
    return list(out.values())


def _employer_lexicon(account: Account, wi: WorkIdentity, policy: Policy) -> Lexicon:
    """Terms that name this person's own employer or role, for grievance and neutrality rules."""
    terms: list[Term] = []
    employers = {p.employer for p in account.positions if p.current} | ({wi.employer} if wi.employer else set())
    for emp in employers:
        terms.append(Term(emp, "employer.name"))
        for agency, aliases in policy.agency_aliases.items():
            if agency.lower() == emp.lower() or emp in aliases:
                terms += [Term(a, "employer.name", case="exact" if a.isupper() or len(a) <= 4 else "any")
                          for a in [agency, *aliases]]
    if wi.title and len(wi.title) > 6:
        terms.append(Term(wi.title, "employer.title"))
    return Lexicon(terms)


def _post_hits(post: Post, lexicon: Lexicon) -> tuple[list[FieldHit], str]:
    hits = [FieldHit("text", h) for h in lexicon.find(post.text)]
    words = link_words(post.target_url)
    if words:
        # Links are lower case: title-case them so "labour-vows-..." can match the party, which
        # as an ambiguous name still needs other political words beside it to count.
        titled = words.title()
        if len(titled) != len(words):
            titled = words
        hits += [FieldHit("link", replace(h, text=words[h.start:h.end])) for h in lexicon.find(titled)]
    return hits, words


def _scan_post(post: Post, rep: AccountReport, lexicon: Lexicon, employer_lex: Lexicon,
               detectors, policy: Policy, role: str | None) -> None:
    rep.posts_scanned += 1
    rep.counts_by_kind[post.kind] = rep.counts_by_kind.get(post.kind, 0) + 1
    if post.created_at:
        rep.first_post = min(rep.first_post or post.created_at, post.created_at)
        rep.last_post = max(rep.last_post or post.created_at, post.created_at)
    hits, words = _post_hits(post, lexicon)
    if not hits:
        return
    employer_hits = tuple(FieldHit("text", h) for h in employer_lex.find(post.text))
    ctx = PostContext(employer_hits=employer_hits)
    for det in detectors:
        d = det.detect(post, hits, ctx)
        if d is None:
            continue
        if d.label in FINE_LABELS:
            if len(rep.fine) < MAX_FINE:
                rep.fine.append((post, d))
            continue
        f = _finding_for_post(post, d, rep, bool(employer_hits), words, policy, role)
        if f:
            rep.findings.append(f)


def _finding_for_post(post: Post, d: Detection, rep: AccountReport, names_employer: bool,
                      words: str, policy: Policy, role: str | None) -> Finding | None:
    acc, wi = rep.account, rep.work_identity
    ctx = MatchContext(platform=post.platform, kind=post.kind, work_identified=wi.identified,
                       names_employer=names_employer)
    matched = policy.match(d.detector, d.label, ctx)
    if matched is None:
        return None
    rule, clause = matched
    severity, notes = _adjust(clause.severity, rule.category, post.kind, policy, role)
    text_spans = tuple(s for s in d.spans if s.field == "text")
    if post.text:
        body, shifted = excerpt(post.text, text_spans)
        link_spans = tuple(Span(-1, -1, s.text, s.signal, s.field) for s in d.spans if s.field != "text")
        spans = shifted + link_spans
        if link_spans:
            notes = (f"The link you shared reads: \u201c{words}\u201d; part of the evidence is in those words.",) + notes
    else:
        body, spans = excerpt(words, tuple(s for s in d.spans if s.field == "link"))
        verb = f"You reacted ({post.title.lower()}) to" if post.kind == "reaction" else "You reposted"
        notes = (f"{verb} a post whose link reads: \u201c{words}\u201d. The export holds only the link, "
                 "so this is judged from its words.",) + notes
    fill = _fill(post.kind, acc, wi)
    return Finding(
        category=rule.category, rule=rule.id, title=rule.title, severity=severity,
        platform=post.platform, account_key=acc.key, subject="post", label=d.label, score=d.score,
        excerpt=body, spans=spans, explanation=d.explanation, why=rule.why.format_map(fill),
        recommendation=rule.recommendation.format_map(fill), action=rule.action,
        citation=rule.citation, post_id=post.id, post_kind=post.kind, created_at=post.created_at,
        url=post.url or post.target_url, source=post.source, notes=notes,
    )


def _fill(kind: str, acc: Account, wi: WorkIdentity) -> dict[str, str]:
    return {"what": WHAT.get(kind, "this post"), "platform": PLATFORM_NAMES.get(acc.platform, acc.platform),
            "employer": wi.employer or "your employer"}


def _adjust(sev: Severity, category: str, kind: str, policy: Policy,
            role: str | None) -> tuple[Severity, tuple[str, ...]]:
    notes: list[str] = []
    steps = policy.weaker_kinds.get(kind, 0)
    if steps and sev.rank > 1:
        sev = sev.lowered(steps)
        notes.append(f"A {kind} is a weaker signal than words you wrote yourself, so this finding is "
                     f"one level lower than the same content in a post.")
    if role:
        r = policy.roles[role]
        if category in r.categories and r.raise_by:
            raised = min(sev.rank + r.raise_by, Severity.CRITICAL.rank)
            if raised != sev.rank:
                notes.append(f"Raised for your role ({role}: {r.description}; {r.rule}).")
                sev = list(Severity)[raised]
    return sev, tuple(notes)


def _account_findings(rep: AccountReport, lexicon: Lexicon, policy: Policy, role: str | None) -> None:
    """Findings about the profile itself: political headline, work profile with politics, links."""
    acc, wi = rep.account, rep.work_identity
    political = [f for f in rep.findings if f.category == "political"]
    fill = {"platform": PLATFORM_NAMES.get(acc.platform, acc.platform),
            "employer": wi.employer or "your employer"}
    dets: list[tuple[Detection, str, str, str]] = []
    pol = PoliticalDetector()
    for field, text in (("headline", acc.headline), ("bio", acc.bio)):
        if not text:
            continue
        fake = Post(acc.platform, f"profile:{field}", "post", None, text)  # type: ignore[arg-type]
        d = pol.detect(fake, [FieldHit("text", h) for h in lexicon.find(text)], PostContext())
        if d and d.label in ("partisan", "policy-commentary"):
            dets.append((Detection("separation", "profile-political", d.score, d.spans,
                                   f"Your {field} {d.explanation[0].lower()}{d.explanation[1:]}"),
                         text, f"your {field}", field))
    if political:
        n = len(political)
        dets.append((Detection("separation", "work-profile-political", 1.0, (),
                               f"This profile names {wi.employer or 'a public-sector employer'} and carries "
                               f"{n} political item{'s' if n != 1 else ''} (listed below)."),
                     acc.headline or (wi.evidence[0].text if wi.evidence else ""), "this profile", "profile"))
    for link in acc.links:
        dets.append((Detection("separation", "links-out", 0.5, (),
                               f"The profile links to {link.label or link.url} ({link.kind})."),
                     link.url, f"{link.label or link.url} ({link.url})", "links"))
    for d, text, what, field in dets:
        ctx = MatchContext(platform=acc.platform, work_identified=wi.identified, subject="account")
        matched = policy.match("separation", d.label, ctx)
        if not matched:
            continue
        rule, clause = matched
        sev, notes = _adjust(clause.severity, rule.category, "", policy, role)
        body, spans = excerpt(text, d.spans)
        f = {**fill, "what": what}
        rep.findings.append(Finding(
            category=rule.category, rule=rule.id, title=rule.title, severity=sev,
            platform=acc.platform, account_key=acc.key, subject="account", label=d.label,
            score=d.score, excerpt=body, spans=spans, explanation=d.explanation,
            why=rule.why.format_map(f), recommendation=rule.recommendation.format_map(f),
            action=rule.action, citation=rule.citation, post_id=f"profile:{field}",
            source=acc.source, notes=notes,
        ))


_EXPOSURE_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def _exposure(rep: AccountReport) -> str:
    """An account's exposure: the highest severity among its findings ("none" without any)."""
    worst = max((f.severity.rank for f in rep.findings), default=-1)
    if worst < 0:
        return "none"
    return ["low", "low", "medium", "high", "critical"][worst]


__all__ = ["run_audit"]
