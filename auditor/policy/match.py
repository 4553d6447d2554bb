"""Rule matching and severity: a detection becomes a finding when a rule of the pack matches it,
at the severity the rule's clause gives, moved for weaker kinds of post and raised for the role.

The words a finding's rule sentences are filled with come from the caller (the report's
wording, :mod:`auditor.report.wording`), as plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auditor.models import (
    NOT_OWN_WORDS,
    Category,
    Detection,
    Exposure,
    Finding,
    Post,
    PostKind,
    Severity,
    Span,
    TieLevel,
)
from auditor.policy.pack import MatchContext, Policy
from auditor.textutil import excerpt, fill_template

#: Categories whose findings make a tie to work matter.
EXPOSED = frozenset({Category.POLITICAL, Category.GRIEVANCE, Category.DISRESPECT})


def adjust(sev: Severity, category: str, kind: str, policy: Policy,
           role: str | None) -> tuple[Severity, tuple[str, ...]]:
    """A clause's severity moved down for a weaker kind of post (``[pack] weaker_kinds``) and
    up for the role (``[roles]``), with a note for each move."""
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


def post_finding(post: Post, d: Detection, account_key: str, tie: str, names_employer: bool,
                 words: str, fill: Mapping[str, str], lead_notes: tuple[str, ...], policy: Policy,
                 role: str | None) -> Finding | None:
    """The finding a post's detection gives under the pack, or None when no rule matches.

    ``tie`` is the account's tie level (direct and linked accounts are work-identified);
    ``words`` are the words of the post's link; ``fill`` fills the rule's sentences and
    ``lead_notes`` come before the severity notes.
    """
    ctx = MatchContext(platform=post.platform, kind=post.kind, tie=tie,
                       work_identified=tie in (TieLevel.DIRECT, TieLevel.LINKED),
                       names_employer=names_employer and post.kind not in NOT_OWN_WORDS,
                       signals=frozenset(s.signal.split(":", 1)[0] for s in d.spans), role=role or "",
                       audience=post.audience)
    matched = policy.match(d.detector, d.label, ctx)
    if matched is None:
        return None
    rule, clause = matched
    severity, notes = adjust(clause.severity, rule.category, post.kind, policy, role)
    if post.text:
        body, shifted = excerpt(post.text, tuple(s for s in d.spans if s.field == "text"))
        spans = shifted + tuple(Span(-1, -1, s.text, s.signal, s.field) for s in d.spans if s.field != "text")
    else:
        body, spans = excerpt(words, tuple(s for s in d.spans if s.field == "link"))
    return Finding(
        category=rule.category, rule=rule.id, title=rule.title, severity=severity,
        platform=post.platform, account_key=account_key, subject="post", label=d.label, score=d.score,
        excerpt=body, spans=spans, explanation=d.explanation, why=fill_template(rule.why, fill),
        recommendation=fill_template(rule.recommendation, fill), action=rule.action,
        citation=rule.citation, post_id=post.id, post_kind=post.kind, created_at=post.created_at,
        url=post.url or post.target_url, source=post.source, notes=lead_notes + notes,
    )


def account_finding(platform: str, account_key: str, source: str, d: Detection, text: str,
                    fill: Mapping[str, str], work_identified: bool, post_id: str, policy: Policy,
                    role: str | None, url: str = "") -> Finding | None:
    """The finding an account-level detection (separation or linkage) gives, or None."""
    matched = policy.match(d.detector, d.label, MatchContext(platform=platform, work_identified=work_identified,
                                                            subject="account"))
    if not matched:
        return None
    rule, clause = matched
    sev, notes = adjust(clause.severity, rule.category, "", policy, role)
    body, spans = excerpt(text, d.spans)
    return Finding(
        category=rule.category, rule=rule.id, title=rule.title, severity=sev,
        platform=platform, account_key=account_key, subject="account", label=d.label,
        score=d.score, excerpt=body, spans=spans, explanation=d.explanation,
        why=fill_template(rule.why, fill), recommendation=fill_template(rule.recommendation, fill),
        action=rule.action, citation=rule.citation, post_id=post_id, url=url, source=source, notes=notes,
    )


def exposed(findings: Iterable[Finding]) -> list[Finding]:
    """The findings on the person's own posts that make a tie to work matter."""
    return [f for f in findings if f.category in EXPOSED and f.subject == "post"
            and f.post_kind not in NOT_OWN_WORDS]


def weight(findings: Iterable[Finding]) -> float:
    """How much exposed content an account carries, severity-weighted, for ranking."""
    return sum(2 ** f.severity.rank for f in findings if f.category in EXPOSED)


def exposure(findings: Iterable[Finding]) -> Exposure:
    """An account's exposure: the highest severity among its findings (``none`` without any)."""
    worst = max((f.severity.rank for f in findings), default=-1)
    if worst < 0:
        return Exposure.NONE
    return [Exposure.LOW, Exposure.LOW, Exposure.MEDIUM, Exposure.HIGH, Exposure.CRITICAL][worst]


__all__ = ["EXPOSED", "PostKind", "account_finding", "adjust", "exposed", "exposure", "post_finding", "weight"]
