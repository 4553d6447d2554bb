"""Run an audit: load exports, detect, apply the policy pack, and collect an AuditResult.

Posts are streamed from each export and dropped once scanned; only findings (and the short
list of "fine" political-adjacent posts shown in the report) are kept.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

from auditor.detect import default_detectors
from auditor.detect.base import FieldHit, PostContext
from auditor.detect.language import UNDETERMINED, Language
from auditor.detect.lexicon import Lexicon, Term
from auditor.detect.linkage import LEVEL_RANK, level, link_accounts, mention_ties
from auditor.detect.political import PoliticalDetector
from auditor.detect.textmodel import TASKS, judge
from auditor.detect.work_identity import WorkIdentityDetector
from auditor.errors import AuditorError
from auditor.ingest import read_exports
from auditor.models import (
    PLATFORM_NAMES,
    Account,
    AccountReport,
    AuditResult,
    Detection,
    Export,
    Finding,
    Post,
    PostKind,
    Severity,
    Span,
    Tie,
    WorkIdentity,
    finding_sort_key,
    iter_unique,
)
from auditor.policy import MatchContext, Policy, edit_places, reaction_visibility
from auditor.report.wording import WHAT
from auditor.textutil import excerpt, fill_template, link_words

FINE_LABELS = {"civic", "mention"}
#: Kinds whose text is someone else's words (a liked post, a visitor's comment).
_NOT_OWN_WORDS = {PostKind.REACTION, PostKind.VISITOR_COMMENT}
#: Categories whose findings make a tie to work matter.
_EXPOSED = {"political", "grievance", "disrespect"}
MAX_FINE = 25
#: posts in a language without a model, listed as examples per account (all are counted)
MAX_UNCHECKED = 20
#: longest text read of one post: detection stays fast on a pathological field (a 20 MB CSV cell)
MAX_TEXT = 20_000


def run_audit(
    paths: Sequence[str],
    policy: Policy,
    role: str | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
    semantic: bool = False,
) -> AuditResult:
    """Audit one person's exports together against a policy pack.

    With ``semantic`` the optional sentence-embedding detector (:mod:`auditor.detect.semantic`)
    also reads every post of the person's own words that the lexicon found nothing political in.
    """
    if role and role not in policy.roles:
        raise AuditorError(
            f"the {policy.id} policy has no role {role!r}; roles: {', '.join(policy.roles) or 'none'}"
        )
    exports, notes = read_exports([str(p) for p in paths])
    paths = list(dict.fromkeys(e.path for e in exports))
    lexicon = Lexicon(policy.terms)
    identity = WorkIdentityDetector(lexicon, policy.public_sector_domains)
    detectors = default_detectors()
    merged = _merge_accounts(exports)
    identities = {acc.key: identity.assess(acc) for acc, _ in merged}
    ties = link_accounts([(acc, identities[acc.key]) for acc, _ in merged])
    work_employer = _work_employer(identities.values())
    model = None
    if semantic:
        from auditor.detect.semantic import load_semantic

        model = load_semantic()
    with _fewer_gc_passes():
        reports = [_scan_account(account, parts, identities[account.key], ties[account.key], detectors, policy,
                                 role, work_employer, model, progress) for account, parts in merged]
    by_key = {r.account.key: r for r in reports}
    for rep in reports:
        rep.ties += mention_ties(rep.account, rep.employer_mentions)
        rep.tie = level(rep.ties)
        _reaction_summary(rep, policy, role)
        _account_findings(rep, lexicon, policy, role, work_employer)
        _linkage_findings(rep, by_key, policy, role, work_employer)
        rep.findings.sort(key=finding_sort_key)
        rep.exposure = _exposure(rep)
    reports.sort(key=lambda r: (-_EXPOSURE_RANK[r.exposure], -LEVEL_RANK[r.tie], -_weight(r), r.account.platform))
    return AuditResult(
        accounts=reports,
        policy_id=policy.id,
        policy_name=policy.name,
        inputs=[str(p) for p in paths],
        skipped=[(e.path, s) for e in exports for s in e.skipped],
        warnings=notes + [w for e in exports for w in e.warnings if not _superseded(e, merged)] + [
            f"{r.account.label}: {r.cut} post(s) longer than {MAX_TEXT:,} characters were read only up to that "
            "length; read the rest yourself." for r in reports if r.cut],
        generated_at=now or dt.datetime.now(dt.UTC),
        role=role or "",
    )


@contextlib.contextmanager
def _fewer_gc_passes():
    """Run the scan with the cyclic garbage collector rarely triggered.

    The scan creates hundreds of thousands of short-lived objects and keeps the findings; with
    the default thresholds the collector walks the growing set of findings again and again
    (about a fifth of the audit time on a 200,000-tweet archive). The scan creates no reference
    cycles that need collecting, so the collector runs every 200,000 allocations instead.
    """
    old = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


#: Posts read on one process before a second one joins in for detection (small audits never fork).
PARALLEL_AFTER = 4_000
BATCH = 2_000
#: What the detection worker needs: set in this process, and in the second one by its first
#: task, :func:`_init_worker` (pickled once).
_WORKER: dict = {}


def _scan_account(account: Account, parts: list[Export], wi: WorkIdentity, account_ties: list[Tie], detectors,
                  policy: Policy, role: str | None, work_employer: tuple[str, str], model,
                  progress: Callable[[int], None] | None) -> AccountReport:
    """Stream one account's posts (all its exports) through the detectors.

    A long stream (more than :data:`PARALLEL_AFTER` posts) is split: this process goes on reading
    and parsing while a second process (see :func:`_start_method`) runs the detectors on batches
    of posts, and while that process is busy this one scans the next batch itself, so both cores
    detect. Results are merged in the order the posts were read, so the report is the same either
    way, and if the second process cannot start or dies, this one scans its batches instead.
    ``AUDITOR_WORKERS=1`` keeps everything in one process.
    """
    rep = AccountReport(account=account, work_identity=wi, ties=account_ties, tie=level(account_ties))
    # One automaton per account: the pack's terms plus this person's employer and role, so each
    # post is scanned once.
    employer_lex = Lexicon(policy.terms + _employer_terms(account, wi, policy, work_employer))
    pending: list[Post] = []
    method = None if model else _start_method()
    pool = None
    batch: list[Post] = []
    futures: collections.deque = collections.deque()
    try:
        repeats = [0]
        for n, post in enumerate(iter_unique((p for e in parts for p in e.posts()), repeats)):
            if pool is not None:
                batch.append(post)
                if len(batch) >= BATCH:
                    if any(isinstance(f, concurrent.futures.Future) and not f.done() for f in futures):
                        # The worker is still busy: this process scans the batch itself, so
                        # both cores detect (reading is the smaller part of the work).
                        futures.append(_worker_scan(batch))
                    else:
                        futures.append(_submit(pool, batch))
                    batch = []
                    while futures and (not isinstance(futures[0], concurrent.futures.Future) or futures[0].done()):
                        _merge(rep, _part(futures.popleft()))
                    while len(futures) > 3:  # bound the posts in flight
                        _merge(rep, _part(futures.popleft()))
            else:
                seen = _scan_post(post, rep, employer_lex, detectors, policy, role, work_employer)
                # seen: the political detector spoke, or the post is not English (the semantic
                # model is English too: other languages stay as the language gate left them)
                if model and not seen and post.text and post.kind not in _NOT_OWN_WORDS:
                    pending.append(post)
                    if len(pending) >= 64:
                        _semantic_findings(model, pending, rep, employer_lex, policy, role, work_employer)
                if method and n + 1 == PARALLEL_AFTER:
                    _WORKER.update(account=account, wi=wi, ties=account_ties, tie=rep.tie, lex=employer_lex,
                                   detectors=detectors, policy=policy, role=role, work=work_employer)
                    pool = concurrent.futures.ProcessPoolExecutor(
                        max_workers=1, mp_context=multiprocessing.get_context(method))
                    # The first task sets the process up. Not an initializer: under spawn its
                    # arguments go down a pipe that this thread would block on if the new
                    # process died starting; tasks are sent by a thread that gives up then.
                    pool.submit(_init_worker, dict(_WORKER), gc.get_threshold())
            if progress:
                progress(1)
        if pool is not None:
            if batch:
                futures.append(_submit(pool, batch))
            while futures:
                _merge(rep, _part(futures.popleft()))
        rep.repeats = repeats[0]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        _WORKER.clear()
    if model and pending:
        _semantic_findings(model, pending, rep, employer_lex, policy, role, work_employer)
    return rep


def _part(item) -> AccountReport:
    """A batch's results, whether the worker process or this one scanned it (this one also
    scans it when the second process could not: it failed to start or died)."""
    if not isinstance(item, concurrent.futures.Future):
        return item
    try:
        return item.result()
    except Exception:  # scanned again here: a real bug in detection raises again, here
        return _worker_scan(item.batch)  # type: ignore[attr-defined]


def _submit(pool: concurrent.futures.ProcessPoolExecutor, batch: list[Post]):
    """Send a batch to the second process (a Future that remembers its batch), or scan it here
    when that process is gone."""
    try:
        future = pool.submit(_worker_scan, batch)
    except concurrent.futures.BrokenExecutor:
        return _worker_scan(batch)
    future.batch = batch  # type: ignore[attr-defined]
    return future


def _start_method() -> str | None:
    """How to start the second detection process, or None to detect in this one.

    Linux forks (the process starts at once and shares what this one has loaded). macOS and
    Windows spawn a fresh interpreter, the only safe way there (Windows has no fork; on macOS
    some system libraries break in a forked child): it imports the tool again and receives the
    detectors, lexicon and policy pickled once, by :func:`_init_worker`. ``AUDITOR_WORKERS=1``,
    or a single core, keeps detection in this process.
    """
    if os.environ.get("AUDITOR_WORKERS", "2") == "1" or (os.cpu_count() or 1) < 2:
        return None
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return "fork"
    return "spawn" if "spawn" in methods else None


def _init_worker(state: dict, gc_threshold: tuple[int, ...]) -> None:
    """Set up the second process: what :func:`_worker_scan` needs to scan a batch, and the
    collector as rarely triggered as in this one (a forked process inherits that; a spawned
    one starts with the defaults)."""
    _WORKER.clear()
    _WORKER.update(state)
    gc.set_threshold(*gc_threshold)


def _worker_scan(batch: list[Post]) -> AccountReport:
    """Scan a batch into a scratch AccountReport (in the detection process, or in this one while
    that one is busy)."""
    w = _WORKER
    part = AccountReport(account=w["account"], work_identity=w["wi"], ties=w["ties"], tie=w["tie"])
    for post in batch:
        _scan_post(post, part, w["lex"], w["detectors"], w["policy"], w["role"], w["work"])
    part.account = None  # type: ignore[assignment]  # the parent has it; no need to send it back
    part.ties = []
    return part


def _merge(rep: AccountReport, part: AccountReport) -> None:
    """Fold a batch's results into the account's report, as if scanned here in order."""
    rep.posts_scanned += part.posts_scanned
    for kind, count in part.counts_by_kind.items():
        rep.counts_by_kind[kind] = rep.counts_by_kind.get(kind, 0) + count
    for when in (part.first_post, part.last_post):
        if when:
            rep.first_post = min(rep.first_post or when, when)
            rep.last_post = max(rep.last_post or when, when)
    rep.findings.extend(part.findings)
    rep.fine.extend(part.fine[: max(0, MAX_FINE - len(rep.fine))])
    rep.employer_mentions.extend(part.employer_mentions[: max(0, 20 - len(rep.employer_mentions))])
    rep.reactions_political += part.reactions_political
    rep.reaction_examples.extend(part.reaction_examples)
    rep.cut += part.cut
    for lang, n in part.not_checked.items():
        rep.not_checked[lang] = rep.not_checked.get(lang, 0) + n
    rep.not_checked_examples.extend(part.not_checked_examples[: max(0, MAX_UNCHECKED - len(rep.not_checked_examples))])


def _superseded(e: Export, merged: list[tuple[Account, list[Export]]]) -> bool:
    """A basic LinkedIn archive's warning is moot when the complete one is audited with it."""
    return e.variant == "basic" and any(
        e in parts and any(p.variant == "complete" for p in parts) for _, parts in merged)


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


def _work_employer(identities) -> tuple[str, str]:
    """(employer, title) of the strongest work identity across the person's accounts."""
    best = max(identities, key=lambda w: w.score, default=None)
    return (best.employer, best.title) if best and best.identified else ("", "")


def _employer_terms(account: Account, wi: WorkIdentity, policy: Policy, work: tuple[str, str]) -> list[Term]:
    """Terms that name this person's own employer or role, for grievance and neutrality rules.

    The employer comes from this account, or from the person's work-identified accounts: a
    post on an anonymous account that names the employer found on LinkedIn still names it.
    """
    terms: list[Term] = []
    employers = {p.employer for p in account.positions if p.current} | ({wi.employer} if wi.employer else set())
    employers |= {work[0]} if work[0] else set()
    for emp in employers:
        terms.append(Term(emp, "employer.name"))
        for agency, aliases in policy.agency_aliases.items():
            if agency.lower() == emp.lower() or emp in aliases:
                terms += [Term(a, "employer.name", case="exact" if a.isupper() or len(a) <= 4 else "any")
                          for a in [agency, *aliases]]
    for title in {wi.title, work[1]}:
        if title and len(title) > 6:
            terms.append(Term(title, "employer.title"))
    return terms


def _post_hits(post: Post, lexicon: Lexicon) -> tuple[list[FieldHit], str, list[tuple[int, int]]]:
    found, masked = lexicon.scan(post.text)
    hits = [FieldHit("text", h) for h in found]
    words = link_words(post.target_url) if post.target_url else ""
    if words:
        # Links are lower case: title-case them so "labour-vows-..." can match the party, which
        # as an ambiguous name still needs other political words beside it to count.
        titled = words.title()
        if len(titled) != len(words):
            titled = words
        hits += [FieldHit("link", replace(h, text=words[h.start:h.end])) for h in lexicon.find(titled)]
    return hits, words, masked


def _semantic_findings(model, pending: list[Post], rep: AccountReport, employer_lex: Lexicon,
                       policy: Policy, role: str | None, work: tuple[str, str]) -> None:
    """Run the semantic detector on a batch of posts and add its findings; empties ``pending``."""
    for post, d in zip(pending, model.detect_many([p.text for p in pending]), strict=True):
        if d is None:
            continue
        names_employer = any(h.term.detector == "employer" for h in employer_lex.find(post.text))
        f = _finding_for_post(post, d, rep, names_employer, link_words(post.target_url), policy, role, work)
        if f:
            rep.findings.append(f)
    pending.clear()


def _judge(text: str, words: str, hits: list[FieldHit], policy: Policy, masked=()):
    """(language, model predictions) for a post. A post without words of its own (a bare
    reaction or repost) is judged on the words of its link, which are English slugs."""
    groups = {h.hit.term.group for h in hits}
    if text:
        language, preds = judge(text, groups, policy.thresholds, masked=masked)
        if language.code != UNDETERMINED or not words:
            return language, preds
    if words:
        return judge(words, groups, policy.thresholds, lang="en")
    return Language(UNDETERMINED, 0.0), {}


def _scan_post(post: Post, rep: AccountReport, lexicon: Lexicon,
               detectors, policy: Policy, role: str | None, work: tuple[str, str]) -> bool:
    """Scan one post; True when the semantic mode has nothing to add: the political detector
    already had something to say about it, or the post is not in English."""
    rep.posts_scanned += 1
    rep.counts_by_kind[post.kind] = rep.counts_by_kind.get(post.kind, 0) + 1
    if len(post.text) > MAX_TEXT:
        post = replace(post, text=post.text[:MAX_TEXT])
        rep.cut += 1
    if post.created_at:
        rep.first_post = min(rep.first_post or post.created_at, post.created_at)
        rep.last_post = max(rep.last_post or post.created_at, post.created_at)
    hits, words, masked = _post_hits(post, lexicon)
    political_seen = False
    employer_hits = tuple(h for h in hits if h.hit.term.detector == "employer" and h.field == "text")
    if employer_hits and post.kind not in _NOT_OWN_WORDS and len(rep.employer_mentions) < 20:
        rep.employer_mentions.append(post)
    language, preds = _judge(post.text, words, hits, policy, masked)
    if len(preds) < len(TASKS):
        if language.code != UNDETERMINED:
            rep.not_checked[language.code] = rep.not_checked.get(language.code, 0) + 1
            if len(rep.not_checked_examples) < MAX_UNCHECKED:
                rep.not_checked_examples.append((post, language.code))
        if not preds:
            return True
    ctx = PostContext(employer_hits=employer_hits, predictions=preds, link_text=words)
    for det in detectors:
        if post.kind in _NOT_OWN_WORDS and det.name == "grievance":
            continue  # someone else's complaint about their own job is not the person's grievance
        if post.kind == PostKind.REACTION and det.name == "disrespect":
            continue  # a liked post's insult is the other person's words (a visitor's abuse on
            # the person's own site is still judged: it is theirs to moderate)
        d = det.detect(post, hits, ctx)
        if d is None:
            continue
        political_seen |= d.detector == "political"
        if d.label in FINE_LABELS:
            if len(rep.fine) < MAX_FINE:
                rep.fine.append((post, d))
            continue
        f = _finding_for_post(post, d, rep, bool(employer_hits), words, policy, role, work)
        if f and post.kind == PostKind.REACTION:
            _keep_reaction(rep, f)
        elif f:
            rep.findings.append(f)
    return political_seen or language.code != "en"


#: Reactions kept as examples for the one line that sums them up.
MAX_REACTION_EXAMPLES = 5


def _keep_reaction(rep: AccountReport, f: Finding) -> None:
    """Count a reaction whose post reads as political, keeping the strongest few as examples."""
    rep.reactions_political += 1
    rep.reaction_examples.append(f)
    if len(rep.reaction_examples) > 4 * MAX_REACTION_EXAMPLES:
        rep.reaction_examples.sort(key=lambda x: (-x.severity.rank, -x.score, x.post_id))
        del rep.reaction_examples[MAX_REACTION_EXAMPLES:]


def _reaction_summary(rep: AccountReport, policy: Policy, role: str | None) -> None:
    """One line for the account's political reactions: a weak-signal finding where the platform
    shows reactions to others, a note saying nobody else sees them where it does not."""
    n = rep.reactions_political
    examples = sorted(rep.reaction_examples, key=lambda x: (-x.severity.rank, -x.score, x.post_id))
    del examples[MAX_REACTION_EXAMPLES:]
    rep.reaction_examples = examples
    if not n:
        return
    vis = reaction_visibility().get(rep.account.platform)
    noun = vis.noun if vis else "reacted to"
    total = rep.counts_by_kind.get(PostKind.REACTION, 0)
    what = f"You {noun} {n:,} {'post' if n == 1 else 'posts'} that {'reads' if n == 1 else 'read'} as political"
    if vis is None or not vis.visible:
        fact = vis.fact if vis else "The export does not say who can see your reactions."
        rep.reactions_note = (f"{what} (of {total:,} in the export). {fact} Nobody else sees them, so there is "
                              "nothing to change.")
        return
    best = examples[0]
    examples = list({f.excerpt: f for f in reversed(examples)}.values())[::-1]  # one line per distinct text
    listed = "; ".join(f"\u201c{_short(f.excerpt)}\u201d{f' ({f.created_at:%Y-%m-%d})' if f.created_at else ''}"
                       for f in examples)
    rep.findings.append(replace(
        best, subject="account", post_id="reactions", severity=best.severity.lowered(1), post_kind=PostKind.REACTION, created_at=None,
        title=f"{what} on {PLATFORM_NAMES.get(rep.account.platform, rep.account.platform)}",
        excerpt=f"{what}, out of {total:,} reactions in the export. The strongest: {listed}.", spans=(),
        explanation=(f"A reaction is someone else's words, so it is a weak signal and the audit sums them up "
                     f"here instead of listing each. {vis.fact}"),
        recommendation=(f"Look through the posts you {noun} (your activity on "
                        f"{PLATFORM_NAMES.get(rep.account.platform, rep.account.platform)}) and take back the "
                        "reactions you would not want read as your political view."),
        action="review",
        notes=(f"Who can see reactions: {vis.fact} Source: {vis.source} (checked {vis.checked}).",),
    ))


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _finding_for_post(post: Post, d: Detection, rep: AccountReport, names_employer: bool,
                      words: str, policy: Policy, role: str | None, work: tuple[str, str]) -> Finding | None:
    acc, wi = rep.account, rep.work_identity
    ctx = MatchContext(platform=post.platform, kind=post.kind, work_identified=rep.tied_to_work,
                       names_employer=names_employer and post.kind not in _NOT_OWN_WORDS,
                       signals=frozenset(s.signal.split(":", 1)[0] for s in d.spans), role=role or "")
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
    fill = _fill(post.kind, acc, wi, work)
    if post.kind == PostKind.REACTION and post.text:
        notes = (f"You reacted ({post.title.lower() or 'like'}) to this; the words are the other person's, "
                 "but your reaction shows on it.",) + notes
    elif post.kind == PostKind.VISITOR_COMMENT:
        notes = (f"Written by a visitor, not you: {post.title}.",) + notes
    return Finding(
        category=rule.category, rule=rule.id, title=rule.title, severity=severity,
        platform=post.platform, account_key=acc.key, subject="post", label=d.label, score=d.score,
        excerpt=body, spans=spans, explanation=d.explanation, why=fill_template(rule.why, fill),
        recommendation=fill_template(rule.recommendation, fill), action=rule.action,
        citation=rule.citation, post_id=post.id, post_kind=post.kind, created_at=post.created_at,
        url=post.url or post.target_url, source=post.source, notes=notes,
    )


def _fill(kind: str, acc: Account, wi: WorkIdentity, work: tuple[str, str]) -> dict[str, str]:
    return {"what": WHAT.get(kind, "this post"), "platform": PLATFORM_NAMES.get(acc.platform, acc.platform),
            "employer": wi.employer or work[0] or "your employer"}


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


def _account_findings(rep: AccountReport, lexicon: Lexicon, policy: Policy, role: str | None,
                      work: tuple[str, str]) -> None:
    """Findings about the profile itself: political headline, work profile with politics, links."""
    acc, wi = rep.account, rep.work_identity
    political = [f for f in rep.findings if f.category == "political"]
    fill = {"platform": PLATFORM_NAMES.get(acc.platform, acc.platform),
            "employer": wi.employer or work[0] or "your employer"}
    dets: list[tuple[Detection, str, str, str]] = []
    pol = PoliticalDetector()
    for field, text in (("headline", acc.headline), ("bio", acc.bio)):
        if not text:
            continue
        fake = Post(acc.platform, f"profile:{field}", "post", None, text)  # type: ignore[arg-type]
        found, masked = lexicon.scan(text)
        hits = [FieldHit("text", h) for h in found]
        _, preds = _judge(text, "", hits, policy, masked)
        d = pol.detect(fake, hits, PostContext(predictions=preds))
        if d and d.label in ("partisan", "policy-commentary"):
            dets.append((Detection("separation", "profile-political", d.score, d.spans,
                                   f"Your {field} {d.explanation[0].lower()}{d.explanation[1:]}"),
                         text, f"your {field}", field))
    if political and wi.identified:
        n = len(political)
        dets.append((Detection("separation", "work-profile-political", 1.0, (),
                               f"This profile names {wi.employer or 'a public-sector employer'} and carries "
                               f"{n} political item{'s' if n != 1 else ''} (listed below)."),
                     acc.headline or (wi.evidence[0].text if wi.evidence else ""), "this profile", "profile"))
    linked = {t.evidence for t in rep.ties if t.kind in ("linked-from-work", "links-to-work", "links-to")}
    for link in acc.links:
        if link.url in linked and acc.platform == "linkedin":
            continue  # the linked account is in this audit: the linkage findings there say more
        dets.append((Detection("separation", "links-out", 0.5, (),
                               f"The profile links to {link.label or link.url} ({link.kind})."),
                     link.url, f"{link.label or link.url} ({link.url})", "links"))
    for d, text, what, field in dets:
        _add_account_finding(rep, d, text, {**fill, "what": what}, wi.identified, f"profile:{field}", policy, role)


def _add_account_finding(rep: AccountReport, d: Detection, text: str, fill: dict[str, str], work_identified: bool,
                         post_id: str, policy: Policy, role: str | None, url: str = "") -> None:
    """Match an account-level detection (separation or linkage) to a rule and record the finding."""
    acc = rep.account
    matched = policy.match(d.detector, d.label, MatchContext(platform=acc.platform, work_identified=work_identified,
                                                            subject="account"))
    if not matched:
        return
    rule, clause = matched
    sev, notes = _adjust(clause.severity, rule.category, "", policy, role)
    body, spans = excerpt(text, d.spans)
    rep.findings.append(Finding(
        category=rule.category, rule=rule.id, title=rule.title, severity=sev,
        platform=acc.platform, account_key=acc.key, subject="account", label=d.label,
        score=d.score, excerpt=body, spans=spans, explanation=d.explanation,
        why=fill_template(rule.why, fill), recommendation=fill_template(rule.recommendation, fill),
        action=rule.action, citation=rule.citation, post_id=post_id, url=url, source=acc.source, notes=notes,
    ))


def _linkage_findings(rep: AccountReport, by_key: dict[str, AccountReport], policy: Policy,
                      role: str | None, work: tuple[str, str]) -> None:
    """For an account that carries political content, grievances or insults: each tie to the
    work identity as a finding, with the specific cut that would separate it."""
    acc = rep.account
    exposed = [f for f in rep.findings if f.category in _EXPOSED and f.subject == "post"
               and f.post_kind not in _NOT_OWN_WORDS]
    if not exposed:
        return
    places = edit_places()
    here = places.get(acc.platform, {})
    counts: dict[str, int] = {}
    for f in exposed:
        counts[f.category] = counts.get(f.category, 0) + 1
    count = " and ".join(f"{n} {_CATEGORY_NOUN[c][n != 1]}" for c, n in sorted(counts.items()))
    grouped: dict[str, list[Tie]] = {}
    for tie in rep.ties:
        if tie.kind == "links-to" or acc.platform == "linkedin":
            continue  # LinkedIn is the work profile: its own findings say what to delete
        if rep.tie == "direct" and tie.kind != "names-employer":
            continue  # the profile names the employer itself: that is the tie to cut
        if tie.kind == "same-name" and rep.tie != "same-name":
            continue  # a stronger tie already explains the exposure
        if all(t.evidence != tie.evidence or t.other != tie.other for t in grouped.get(tie.kind, [])):
            grouped.setdefault(tie.kind, []).append(tie)
    for kind, group in grouped.items():
        tie = group[0]
        others = [by_key[t.other] for t in group if t.other in by_key]
        other_label = " and ".join(dict.fromkeys(o.account.label for o in others)) or "a LinkedIn profile"
        if len(group) > 1:
            tie = Tie(tie.kind, tie.account_key, tie.other, "; ".join(dict.fromkeys(t.evidence for t in group)),
                      tie.field, tie.strength)
        fill = {"platform": PLATFORM_NAMES.get(acc.platform, acc.platform), "employer": work[0] or "your employer",
                "evidence": tie.evidence, "other": other_label, "count": count,
                "where": here.get("handle" if tie.kind == "same-handle" else "links" if tie.kind.startswith("links") else "bio", ""),
                "what": "this account"}
        if tie.kind == "links-to-work":
            fill["evidence_sentence"] = (f"This account links to {other_label} ({tie.evidence}), which "
                                         f"identifies you with {fill['employer']}.")
            fill["fix"] = f"delete {tie.evidence} from this profile ({fill['where']})"
        elif tie.kind == "linked-from-work":
            fill["evidence_sentence"] = (f"Your work-identified profile {other_label} links to this account "
                                         f"({tie.evidence}).")
            fill["fix"] = "; ".join(
                f"delete {t.evidence} from {by_key[t.other].account.label} "
                f"({places.get(by_key[t.other].account.platform, {}).get('links', 'its profile')})"
                for t in group if t.other in by_key)
        text = {"names-employer": f"{tie.field}: {tie.evidence}", "same-handle": f"handle: {tie.evidence}",
                "same-name": f"name: {tie.evidence}"}.get(tie.kind, tie.evidence)
        d = Detection("linkage", kind, 1.0, (), _TIE_EXPLAIN[kind].format(**fill))
        _add_account_finding(rep, d, text, fill, rep.tied_to_work, f"tie:{tie.kind}:{tie.other}", policy, role,
                             url=tie.evidence if "//" in tie.evidence else "")


_CATEGORY_NOUN = {"political": ("political item", "political items"), "grievance": ("grievance", "grievances"),
                  "disrespect": ("disrespectful post", "disrespectful posts")}
_TIE_EXPLAIN = {
    "names-employer": "The profile identifies you with {employer}: {evidence}.",
    "links-to-work": "The profile links to {other}: {evidence}.",
    "linked-from-work": "{other} links to this account: {evidence}.",
    "same-handle": "The handle {evidence} is also yours on {other}.",
    "same-name": "The name {evidence} is also on {other}.",
    "mentions-employer": "Posts here name your employer or role: {evidence}.",
}


def _weight(rep: AccountReport) -> float:
    """How much exposed content an account carries, severity-weighted, for ranking."""
    return sum(2 ** f.severity.rank for f in rep.findings if f.category in _EXPOSED)


_EXPOSURE_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def _exposure(rep: AccountReport) -> str:
    """An account's exposure: the highest severity among its findings ("none" without any)."""
    worst = max((f.severity.rank for f in rep.findings), default=-1)
    if worst < 0:
        return "none"
    return ["low", "low", "medium", "high", "critical"][worst]


__all__ = ["run_audit"]
