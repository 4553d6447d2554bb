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
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from auditor.detect import default_detectors
from auditor.detect.base import PostContext
from auditor.detect.language import LOANWORD_GROUP, UNDETERMINED, loanword_terms
from auditor.detect.lexicon import Lexicon, Term
from auditor.detect.linkage import (
    LEVEL_RANK,
    exposing_ties,
    level,
    link_accounts,
    mention_ties,
    merged,
    says_works_for,
    via_says,
)
from auditor.detect.political import MANDATE_GROUP
from auditor.detect.scan import judge_post, post_hits
from auditor.detect.separation import LINK_TIES, profile_signals
from auditor.detect.textmodel import TASKS, Prediction
from auditor.detect.work_identity import WorkIdentityDetector
from auditor.errors import AuditorError
from auditor.ingest import read_exports
from auditor.models import (
    NOT_OWN_WORDS,
    Account,
    AccountReport,
    AuditResult,
    Category,
    Detection,
    Export,
    Finding,
    Post,
    PostKind,
    Tie,
    TieLevel,
    WorkIdentity,
    finding_sort_key,
    iter_unique,
    skim_key,
)
from auditor.policy import Policy, edit_places, reaction_visibility
from auditor.policy.match import account_finding, exposed, exposure, post_finding, weight
from auditor.report.wording import (
    TIE_EXPLAIN,
    count_phrase,
    post_fill,
    post_notes,
    profile_what,
    reaction_summary,
    short,
    tie_fill,
    tie_text,
)
from auditor.textutil import file_name, plural

FINE_LABELS = {"civic", "mention"}
MAX_FINE = 25
#: posts in a language without a model, listed as examples per account (all are counted)
MAX_UNCHECKED = 20
#: Posts to skim kept per account, the highest-scored first (the count covers them all).
MAX_SKIM = 1_000
#: longest text read of one post: detection stays fast on a pathological field (a 20 MB CSV cell)
MAX_TEXT = 20_000


def run_audit(
    paths: Sequence[str],
    policy: Policy,
    role: str | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
    semantic: bool = False,
    not_to_list: frozenset[str] = frozenset(),
    employer: str = "",
) -> AuditResult:
    """Audit one person's exports together against a policy pack.

    With ``semantic`` the optional sentence-embedding detector (:mod:`auditor.detect.semantic`)
    also reads every post of the person's own words that the lexicon found nothing political in.
    ``not_to_list``: keys (:func:`~auditor.models.skim_key`) of posts the person said need not be
    listed to skim again; they are counted instead. ``employer``: the person's employer as they
    name it (``--employer``), for posts that name it or say the person works there when no
    profile in the audit names it (a profile's employer comes first).
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
    merged, merge_notes = _merge_accounts(exports)
    notes += merge_notes
    identities = {acc.key: identity.assess(acc) for acc, _ in merged}
    ties = link_accounts([(acc, identities[acc.key]) for acc, _ in merged])
    work_employer = _work_employer(identities.values())
    if employer and not work_employer[0]:
        work_employer = (employer, work_employer[1])
    if not work_employer[0] and not any(wi.employer for wi in identities.values()):
        notes.append("No profile in this audit names your employer, so posts that name it, or say you work there, "
                     "could not be recognised. If you have one, audit again with --employer \"Your employer\" (in the "
                     "app: the \"Your employer\" field).")
    model = None
    if semantic:
        from auditor.detect.semantic import load_semantic

        model = load_semantic()
    with _fewer_gc_passes():
        reports = [_scan_account(account, parts, identities[account.key], ties[account.key], detectors, policy,
                                 role, work_employer, model, progress, not_to_list) for account, parts in merged]
    by_key = {r.account.key: r for r in reports}
    was_tied = {rep.account.key: rep.tied_to_work for rep in reports}
    for rep in reports:
        rep.ties += mention_ties(rep.account, rep.employer_mentions, rep.says_employer)
    saying = {rep.account.key for rep in reports if any(t.kind == "says-employer" for t in rep.ties)}
    for rep in reports:
        rep.ties += via_says(rep.account, rep.ties, saying)
        rep.tie = level(rep.ties)
        if rep.tied_to_work and not was_tied[rep.account.key]:
            _retie(rep, policy, role, work_employer)
        rep.if_tied = []
        _reaction_summary(rep)
        _trim_to_skim(rep)
        _account_findings(rep, by_key, lexicon, policy, role, work_employer)
        _linkage_findings(rep, by_key, policy, role, work_employer)
        rep.findings.sort(key=finding_sort_key)
        rep.exposure = exposure(rep.findings)
    reports.sort(key=lambda r: (-r.exposure.rank, -LEVEL_RANK[r.tie], -weight(r.findings), r.account.platform))
    return AuditResult(
        accounts=reports,
        policy_id=policy.id,
        policy_name=policy.name,
        inputs=[str(p) for p in paths],
        skipped=[(e.path, s) for e in exports for s in e.skipped],
        warnings=notes + [w for e in exports for w in e.warnings if not _superseded(e, merged)] + [
            f"{r.account.label}: {plural(r.cut, 'post')} longer than {MAX_TEXT:,} characters were read only up to that "
            "length; read the rest yourself." for r in reports if r.cut],
        generated_at=now or dt.datetime.now(dt.UTC),
        role=role or "",
        semantic=model is not None,
        employer_named=employer,
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
#: Batches the second process may have queued: one waiting behind the one it scans, so it never
#: idles while this process finishes scanning a batch of its own.
WORKER_QUEUE = 2
#: What the detection worker needs: set in this process, and in the second one by its first
#: task, :func:`_init_worker` (pickled once).
_WORKER: dict = {}


def _scan_account(account: Account, parts: list[Export], wi: WorkIdentity, account_ties: list[Tie], detectors,
                  policy: Policy, role: str | None, work_employer: tuple[str, str], model,
                  progress: Callable[[int], None] | None, not_to_list: frozenset[str] = frozenset()) -> AccountReport:
    """Stream one account's posts (all its exports) through the detectors.

    A long stream (more than :data:`PARALLEL_AFTER` posts) is split: this process goes on reading
    and parsing while a second process (see :func:`_start_method`) runs the detectors on batches
    of posts, and while that process is busy this one scans the next batch itself, so both cores
    detect. Results are merged in the order the posts were read, so the report is the same either
    way, and if the second process cannot start or dies, this one scans its batches instead.
    ``AUDITOR_WORKERS=1`` keeps everything in one process.
    """
    rep = AccountReport(account=account, work_identity=wi, ties=account_ties, tie=level(account_ties),
                        not_to_list=not_to_list)
    # One automaton per account: the pack's terms plus this person's employer and role, so each
    # post is scanned once.
    # the loanwords too: the models do not read them, and this pass finds them (see judge)
    employer_lex = Lexicon(policy.terms + _employer_terms(account, wi, policy, work_employer) + loanword_terms())
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
                    if sum(isinstance(f, concurrent.futures.Future) and not f.done() for f in futures) >= WORKER_QUEUE:
                        # The worker has enough queued: this process scans the batch itself, so
                        # both cores detect (reading is the smaller part of the work).
                        futures.append(_worker_scan(batch))
                    else:
                        futures.append(_submit(pool, batch))
                    batch = []
                    while futures and (not isinstance(futures[0], concurrent.futures.Future) or futures[0].done()):
                        _merge(rep, _part(futures.popleft()))
                    while len(futures) > 4:  # bound the posts in flight
                        _merge(rep, _part(futures.popleft()))
            else:
                if model:
                    pending.append(post)
                    if len(pending) >= SEMANTIC_BATCH:
                        _semantic_batch(model, pending, rep, employer_lex, detectors, policy, role, work_employer)
                else:
                    _scan_post(post, rep, employer_lex, detectors, policy, role, work_employer)
                if method and n + 1 == PARALLEL_AFTER:
                    _WORKER.update(account=account, wi=wi, ties=account_ties, tie=rep.tie, lex=employer_lex, hide=not_to_list,
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
        _semantic_batch(model, pending, rep, employer_lex, detectors, policy, role, work_employer)
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
    # Forking copies only the calling thread: from any thread but the main one (the local app
    # audits on a worker thread beside its server's), a lock held elsewhere could stay held for
    # ever in the child, so such an audit spawns too.
    if sys.platform.startswith("linux") and "fork" in methods and threading.current_thread() is threading.main_thread():
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
    part = AccountReport(account=w["account"], work_identity=w["wi"], ties=w["ties"], tie=w["tie"],
                         not_to_list=w["hide"])
    for post in batch:
        _scan_post(post, part, w["lex"], w["detectors"], w["policy"], w["role"], w["work"])
    part.account = None  # type: ignore[assignment]  # the parent has it; no need to send it back
    part.ties = []
    part.not_to_list = frozenset()
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
    rep.says_employer.extend(part.says_employer[: max(0, 20 - len(rep.says_employer))])
    rep.if_tied.extend(part.if_tied)
    rep.reactions_political += part.reactions_political
    rep.reactions_unsure += part.reactions_unsure
    _keep_unsure(rep, part.reactions_unsure_examples)
    rep.reaction_examples.extend(part.reaction_examples)
    rep.cut += part.cut
    for lang, n in part.judged.items():
        rep.judged[lang] = rep.judged.get(lang, 0) + n
    for lang, n in part.not_checked.items():
        rep.not_checked[lang] = rep.not_checked.get(lang, 0) + n
    rep.not_checked_examples.extend(part.not_checked_examples[: max(0, MAX_UNCHECKED - len(rep.not_checked_examples))])
    _keep_to_skim(rep, part.to_skim, part.to_skim_count)
    rep.to_skim_hidden += part.to_skim_hidden


def _superseded(e: Export, merged: list[tuple[Account, list[Export]]]) -> bool:
    """A basic LinkedIn archive's warning is moot when the complete one is audited with it."""
    return e.variant == "basic" and any(
        e in parts and any(p.variant == "complete" for p in parts) for _, parts in merged)


def _merge_accounts(exports: list[Export]) -> tuple[list[tuple[Account, list[Export]]], list[str]]:
    """Exports of the same account (LinkedIn's basic and complete parts, an old and a new X
    archive) are audited together; and a note for each export joined to an account by guess.

    An old X archive that does not say whose it is (a lone ``tweets.csv``: no handle) joins the
    audit's X account when there is exactly one, as the person's own older tweets; tweets that
    both archives hold are read once. With two X accounts, or none, it stays on its own."""
    out: dict[str, tuple[Account, list[Export]]] = {}
    for e in exports:
        key = e.account.key
        if key in out:
            acc, parts = out[key]
            richer = e.account if len(e.account.positions) > len(acc.positions) else acc
            out[key] = (richer, parts + [e])
        else:
            out[key] = (e.account, [e])
    notes = []
    named = [k for k, (acc, _) in out.items() if acc.platform == "twitter" and acc.handle]
    for key in [k for k, (acc, _) in out.items() if acc.platform == "twitter" and not acc.handle]:
        if len(named) == 1:
            _, parts = out.pop(key)
            acc, theirs = out[named[0]]
            out[named[0]] = (acc, theirs + parts)
            notes.append(f"{', '.join(file_name(p.path) for p in parts)} does not say whose tweets it holds; it was "
                         f"audited together with {acc.label}, the only other X account here, as its older tweets. "
                         "If it is another account's, audit it on its own.")
    return list(out.values()), notes


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
        agencies = {agency for agency, aliases in policy.agency_aliases.items()
                    if agency.lower() == emp.lower() or emp in aliases} | (
            {emp} if emp in policy.agency_mandates else set())
        for agency in agencies:
            names = [agency, *policy.agency_aliases.get(agency, [])]
            terms += [Term(a, "employer.name", case="exact" if a.isupper() or len(a) <= 4 else "any") for a in names]
            # the employer's own programmes and laws: a political post about them is about the
            # person's own work (the political detector says so, and a pack can rate it higher)
            terms += [Term(m, MANDATE_GROUP, case="exact" if m.isupper() and len(m) <= 5 else "any")
                      for m in policy.agency_mandates.get(agency, [])]
    for title in {wi.title, work[1]}:
        if title and len(title) > 6:
            terms.append(Term(title, "employer.title"))
    return terms


#: Posts the semantic mode reads together: the encoder sorts each call's texts by length, so that
#: batches of similar length are padded little (512 posts a call, 32 a batch: twice as fast as 64/64).
SEMANTIC_BATCH = 512


def _semantic_batch(model, pending: list[Post], rep: AccountReport, lexicon: Lexicon, detectors,
                    policy: Policy, role: str | None, work: tuple[str, str]) -> None:
    """Scan a batch of posts with the semantic mode; empties ``pending``.

    The English posts in a person's own words whose word score the sentence score could lift
    over the threshold are embedded together; each post is then scanned as usual, with its
    political prediction blended (see :mod:`auditor.detect.semantic`)."""
    thresholds = model.word_thresholds(policy.thresholds)
    reads: dict[int, tuple] = {}
    for i, post in enumerate(pending):
        if not post.text or post.kind in NOT_OWN_WORDS:
            continue  # read by _scan_post as usual: the semantic mode judges a person's own words
        text = post.text[:MAX_TEXT]
        hits, words, masked = post_hits(replace(post, text=text), lexicon)
        reads[i] = (hits, words, masked, *judge_post(text, words, hits, thresholds, masked,
                                                     LOANWORD_GROUP in lexicon.groups))
    todo = [i for i, r in reads.items() if model.wants(r[3].code, r[4])]
    scores = model.sentence_scores([pending[i].text[:MAX_TEXT] for i in todo],
                                   [{h.hit.term.model_group for h in reads[i][0]} for i in todo])
    for i, score in zip(todo, scores, strict=True):
        reads[i] = (*reads[i][:4], model.apply(reads[i][4], score))
    # A post not embedded keeps the word models' reading: its political score is under the
    # floor, so under any threshold, and the other tasks' thresholds are the usual ones.
    for i, post in enumerate(pending):
        _scan_post(post, rep, lexicon, detectors, policy, role, work, reads.get(i))
    pending.clear()


def _scan_post(post: Post, rep: AccountReport, lexicon: Lexicon, detectors, policy: Policy, role: str | None,
               work: tuple[str, str], read: tuple | None = None) -> None:
    """Scan one post and add what it shows to ``rep``. ``read``: the post's lexicon hits, link
    words, masked spans, language and predictions when the semantic mode has already read it."""
    rep.posts_scanned += 1
    rep.counts_by_kind[post.kind] = rep.counts_by_kind.get(post.kind, 0) + 1
    if len(post.text) > MAX_TEXT:
        post = replace(post, text=post.text[:MAX_TEXT])
        rep.cut += 1
    if post.created_at:
        rep.first_post = min(rep.first_post or post.created_at, post.created_at)
        rep.last_post = max(rep.last_post or post.created_at, post.created_at)
    hits, words, masked = read[:3] if read else post_hits(post, lexicon)
    employer_hits = tuple(h for h in hits if h.hit.term.detector == "employer" and h.field == "text")
    said = ""
    if employer_hits and post.kind not in NOT_OWN_WORDS:
        if len(rep.employer_mentions) < 20:
            rep.employer_mentions.append(post)
        if post.kind != PostKind.REPOST:
            said = says_works_for(post.text, [(h.hit.start, h.hit.end) for h in employer_hits
                                              if h.hit.term.group == "employer.name"])
            if said and len(rep.says_employer) < 20:
                rep.says_employer.append((post, said))
    language, preds = read[3:] if read else judge_post(post.text, words, hits, policy.thresholds, masked,
                                                       LOANWORD_GROUP in lexicon.groups)
    if len(preds) < len(TASKS):
        if language.code != UNDETERMINED:
            rep.not_checked[language.code] = rep.not_checked.get(language.code, 0) + 1
            if len(rep.not_checked_examples) < MAX_UNCHECKED:
                rep.not_checked_examples.append((post, language.code))
        if not preds:
            return
    rep.judged[language.code] = rep.judged.get(language.code, 0) + 1
    ctx = PostContext(employer_hits=employer_hits, predictions=preds, link_text=words, thresholds=policy.thresholds,
                      says_employer=said)
    found = len(rep.findings)
    for det in detectors:
        if post.kind in NOT_OWN_WORDS and det.name == "grievance":
            continue  # someone else's complaint about their own job is not the person's grievance
        if post.kind == PostKind.REACTION and det.name == "disrespect":
            continue  # a liked post's insult is the other person's words (a visitor's abuse on
            # the person's own site is still judged: it is theirs to moderate)
        d = det.detect(post, hits, ctx)
        if d is None:
            continue
        if d.label in FINE_LABELS:
            if len(rep.fine) < MAX_FINE:
                rep.fine.append((post, d))
            continue
        lang = language.code if language.code != UNDETERMINED else ""
        f = _finding_for_post(post, d, rep, rep.tie, bool(employer_hits), words, policy, role, work, lang)
        if not rep.tied_to_work and (rep.work_identity.employer or work[0]):
            # what the finding would be were the account tied to the work identity: a post on it
            # may yet say where the person works (see _retie; without a known employer, none can)
            rep.if_tied.append((f, (post, d, bool(employer_hits), words, lang)))
        if f and post.kind == PostKind.REACTION:
            _keep_reaction(rep, f)
        elif f:
            rep.findings.append(f)
    pred = preds.get("political")
    if pred is not None and pred.to_skim and post.kind == PostKind.REACTION:
        rep.reactions_unsure += 1
        _keep_unsure(rep, [(pred.probability, post.text or words, post.created_at)])
    elif pred is not None and pred.to_skim and len(rep.findings) == found:
        if rep.not_to_list and skim_key(post) in rep.not_to_list:
            rep.to_skim_hidden += 1
        else:
            # the person's own words that name the employer or role (not a visitor's)
            _keep_to_skim(rep, [(post, pred, bool(employer_hits) and post.kind not in NOT_OWN_WORDS)], 1)


def _retie(rep: AccountReport, policy: Policy, role: str | None, work: tuple[str, str]) -> None:
    """Judge the account's posts again as posts of an account tied to the work identity: a
    post on it said where the person works, which the scan learned only when it reached that
    post. Each detection's finding becomes the one it makes on a tied account, made now from
    what :func:`_scan_post` kept (most accounts never need it, so the scan does not make it)."""
    alts = [(f, _finding_for_post(post, d, rep, TieLevel.LINKED, names, words, policy, role, work, lang))
            for f, (post, d, names, words, lang) in rep.if_tied]
    swap = {id(f): alt for f, alt in alts if f is not None}
    rep.findings = [x for x in (swap.get(id(f), f) for f in rep.findings) if x is not None]
    for f, alt in alts:
        if f is not None and f.post_kind == PostKind.REACTION:
            if alt is None:
                rep.reactions_political -= 1
        elif f is None and alt is not None:
            if alt.post_kind == PostKind.REACTION:
                rep.reactions_political += 1
            else:
                rep.findings.append(alt)
    examples = [swap.get(id(f), f) for f in rep.reaction_examples]
    examples += [alt for f, alt in alts if f is None and alt is not None and alt.post_kind == PostKind.REACTION]
    rep.reaction_examples = [f for f in examples if f is not None]


def _keep_to_skim(rep: AccountReport, items: list[tuple[Post, Prediction, bool]], count: int) -> None:
    """Add posts to the account's list to skim, keeping the :data:`MAX_SKIM` first in the
    order of :func:`_trim_to_skim`."""
    rep.to_skim_count += count
    rep.to_skim.extend(items)
    if len(rep.to_skim) > 2 * MAX_SKIM:
        _trim_to_skim(rep)


def _trim_to_skim(rep: AccountReport) -> None:
    """Keep the first :data:`MAX_SKIM` posts to skim: those that name the employer or role first
    (a political post that does is the most exposing kind), then the highest-scored, ties in the
    order of the post ids, so the list is the same however the scan was split."""
    rep.to_skim.sort(key=lambda x: (not x[2], -x[1].probability, x[0].id))  # type: ignore[attr-defined]
    del rep.to_skim[MAX_SKIM:]


#: Reactions kept as examples for the one line that sums them up.
MAX_REACTION_EXAMPLES = 5


def _keep_unsure(rep: AccountReport, items: list[tuple[float, str, dt.datetime | None]]) -> None:
    """Keep the few highest-scored reactions the political model was unsure of (ties by their
    words, so the pick is the same however the scan was split)."""
    best: dict[str, tuple[float, str, dt.datetime | None]] = {}
    for item in sorted([*rep.reactions_unsure_examples, *items], key=lambda x: (-x[0], x[1])):
        best.setdefault(short(item[1], 60).lower(), item)  # one per text as the report shows it
    rep.reactions_unsure_examples = list(best.values())[:MAX_REACTION_EXAMPLES]


def _strongest(findings: list[Finding]) -> list[Finding]:
    """The :data:`MAX_REACTION_EXAMPLES` strongest findings: most severe, then highest score."""
    return sorted(findings, key=lambda x: (-x.severity.rank, -x.score, x.post_id))[:MAX_REACTION_EXAMPLES]


def _keep_reaction(rep: AccountReport, f: Finding) -> None:
    """Count a reaction whose post reads as political, keeping the strongest few as examples."""
    rep.reactions_political += 1
    rep.reaction_examples.append(f)
    if len(rep.reaction_examples) > 4 * MAX_REACTION_EXAMPLES:
        rep.reaction_examples = _strongest(rep.reaction_examples)


def _reaction_summary(rep: AccountReport) -> None:
    """One line for the account's political reactions: a weak-signal finding where the platform
    shows reactions to others, a note saying nobody else sees them where it does not."""
    rep.reaction_examples = examples = _strongest(rep.reaction_examples)
    if not rep.reactions_political and not rep.reactions_unsure:
        return
    note, finding = reaction_summary(rep.account.platform, rep.reactions_political,
                                     rep.counts_by_kind.get(PostKind.REACTION, 0), examples,
                                     reaction_visibility().get(rep.account.platform), rep.reactions_unsure,
                                     rep.reactions_unsure_examples)
    rep.reactions_note = note
    if finding:
        rep.findings.append(finding)


def _finding_for_post(post: Post, d: Detection, rep: AccountReport, tie: str, names_employer: bool,
                      words: str, policy: Policy, role: str | None, work: tuple[str, str],
                      lang: str = "") -> Finding | None:
    f = post_finding(post, d, rep.account.key, tie, names_employer, words,
                     post_fill(post.kind, rep.account.platform, rep.work_identity.employer or work[0]),
                     post_notes(post, d, words), policy, role)
    return replace(f, lang=lang) if f is not None and lang else f


def _account_findings(rep: AccountReport, by_key: dict[str, AccountReport], lexicon: Lexicon, policy: Policy,
                      role: str | None, work: tuple[str, str]) -> None:
    """Findings about the profile itself: political headline, work profile with politics, links."""
    acc, wi = rep.account, rep.work_identity
    political = sum(1 for f in rep.findings if f.category == Category.POLITICAL)
    # the profile's links to other accounts of the audit: a tie of this account's own, or one on
    # the account it links to ("linked from work") holds the link as its evidence
    covered = {t.evidence for t in rep.ties if t.kind in LINK_TIES} | {
        t.evidence for r in by_key.values() for t in r.ties if t.other == acc.key and t.kind in LINK_TIES}
    for sig in profile_signals(acc, wi, covered, political, lexicon, policy.thresholds):
        fill = {**post_fill("", acc.platform, wi.employer or work[0]), "what": profile_what(sig.field, sig.link)}
        _add_account_finding(rep, sig.detection, sig.text, fill, wi.identified, f"profile:{sig.field}", policy, role)


def _add_account_finding(rep: AccountReport, d: Detection, text: str, fill: dict[str, str], work_identified: bool,
                         post_id: str, policy: Policy, role: str | None, url: str = "") -> None:
    """Match an account-level detection (separation or linkage) to a rule and record the finding."""
    acc = rep.account
    f = account_finding(acc.platform, acc.key, acc.source, d, text, fill, work_identified, post_id, policy, role, url)
    if f:
        rep.findings.append(f)


def _linkage_findings(rep: AccountReport, by_key: dict[str, AccountReport], policy: Policy,
                      role: str | None, work: tuple[str, str]) -> None:
    """For an account that carries political content, grievances or insults: each tie to the
    work identity as a finding, with the specific cut that would separate it."""
    acc = rep.account
    exposing = exposed(rep.findings)
    if not exposing:
        return
    places = edit_places()
    count = count_phrase(exposing)
    labels = {k: (r.account.label, r.account.platform) for k, r in by_key.items()}
    for kind, group in exposing_ties(acc.platform, rep.ties, rep.tie).items():
        others = [by_key[t.other] for t in group if t.other in by_key]
        other_label = " and ".join(dict.fromkeys(o.account.label for o in others)) or "a LinkedIn profile"
        tie = merged(group)
        fill = tie_fill(tie, group, acc.platform, work[0], count, other_label, labels, places)
        d = Detection("linkage", kind, 1.0, (), TIE_EXPLAIN[kind].format(**fill))
        _add_account_finding(rep, d, tie_text(tie), fill, rep.tied_to_work, f"tie:{tie.kind}:{tie.other}", policy,
                             role, url=tie.evidence if "//" in tie.evidence else "")


__all__ = ["run_audit"]
