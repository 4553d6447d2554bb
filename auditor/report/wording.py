"""The report's words for what the audit found: what to call an item, how a tie to work reads,
and the sentences that fill a rule's ``{placeholders}``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from auditor.models import PLATFORM_NAMES, Detection, Finding, Link, Post, PostKind, Tie
from auditor.policy.platforms import ReactionVisibility

#: how a finding refers to its item, by post kind (``{what}`` in a rule's sentences)
WHAT = {
    "post": "this post", "share": "this post", "comment": "this comment", "reply": "this reply",
    "repost": "this repost", "reaction": "this reaction", "article": "this article",
    "visitor-comment": "this visitor's comment",
}

_CATEGORY_NOUN = {"political": ("political item", "political items"), "grievance": ("grievance", "grievances"),
                  "disrespect": ("disrespectful post", "disrespectful posts")}

#: a linkage finding's explanation, by tie kind (filled from :func:`tie_fill`)
TIE_EXPLAIN = {
    "names-employer": "The profile identifies you with {employer}: {evidence}.",
    "links-to-work": "The profile links to {other}: {evidence}.",
    "linked-from-work": "{other} {links} to this account: {evidence}.",
    "same-handle": "The handle {evidence} is also yours on {other}.",
    "same-name": "The name {evidence} is also on {other}.",
    "says-employer": "A post here says you work for {employer}: {evidence}.",
    "mentions-employer": "Posts here name your employer or role: {evidence}.",
}


def platform_name(platform: str) -> str:
    """The platform as people write it (``X``, ``LinkedIn``)."""
    return PLATFORM_NAMES.get(platform, platform)


def post_fill(kind: str, platform: str, employer: str) -> dict[str, str]:
    """What fills a post finding's rule sentences."""
    return {"what": WHAT.get(kind, "this post"), "platform": platform_name(platform),
            "employer": employer or "your employer"}


#: whose link a post's link words are, by the post's kind (a post of its own: "The post's link")
_LINK_OF = {PostKind.COMMENT: "The link of what you commented on", PostKind.REPLY: "The link of what you replied to",
            PostKind.SHARE: "The link you shared", PostKind.REPOST: "The link you shared"}


def post_notes(post: Post, d: Detection, words: str) -> tuple[str, ...]:
    """The notes that open a post finding: whose words they are, and what of a link was read."""
    notes: tuple[str, ...] = ()
    if post.text:
        if any(s.field != "text" for s in d.spans):
            # a comment's link is the thread or post commented on (a Reddit comment's permalink
            # holds its thread's title); a post's own link is no share of the person's
            whose = _LINK_OF.get(post.kind, "The post's link")
            notes = (f"{whose} reads: \u201c{words}\u201d; part of the evidence is in those words.",)
    else:
        verb = f"You reacted ({post.title.lower()}) to" if post.kind == "reaction" else "You reposted"
        notes = (f"{verb} a post whose link reads: \u201c{words}\u201d. The export holds only the link, "
                 "so this is judged from its words.",)
    if post.kind == PostKind.REACTION and post.text:
        notes = (f"You reacted ({post.title.lower() or 'like'}) to this; the words are the other person's, "
                 "but your reaction shows on it.",) + notes
    elif post.kind == PostKind.VISITOR_COMMENT:
        notes = (f"Written by a visitor, not you: {post.title}.",) + notes
    return notes


def profile_what(field: str, link: Link | None = None) -> str:
    """How a profile finding refers to its subject (``{what}``)."""
    if link is not None:
        return f"{link.label or link.url} ({link.url})"
    return "this profile" if field == "profile" else f"your {field}"


def count_phrase(findings: Iterable[Finding]) -> str:
    """``2 political items and 1 grievance``: what an account carries, for linkage findings."""
    counts = Counter(f.category for f in findings)
    return " and ".join(f"{n} {_CATEGORY_NOUN[c][n != 1]}" for c, n in sorted(counts.items()))


def tie_fill(tie: Tie, group: list[Tie], platform: str, employer: str, count: str,
             other_label: str, labels: dict[str, tuple[str, str]], places: dict[str, dict[str, str]]) -> dict[str, str]:
    """What fills a linkage finding's rule sentences, with the cut that would separate the
    account (``fix``). ``labels`` maps an account key to (its label, its platform)."""
    here = places.get(platform, {})
    # "LinkedIn (...) and Facebook (...), which identify you ..., link to this account"
    many = len({t.other for t in group if t.other in labels}) > 1
    fill = {"platform": platform_name(platform), "employer": employer or "your employer",
            "evidence": tie.evidence, "other": other_label, "count": count,
            "where": here.get("handle" if tie.kind == "same-handle" else "links" if tie.kind.startswith("links")
                              else "bio", ""),
            "what": "this account", "links": "link" if many else "links"}
    if tie.kind == "names-employer" and tie.evidence.strip().lower() == fill["employer"].lower():
        # "identifies you with ESDC (ESDC)": the words that matched are the employer's own name
        fill["evidence"] = "named in the profile"
    if tie.kind == "links-to-work":
        if any(t.other in labels for t in group):
            fill["evidence_sentence"] = (f"This account links to {other_label} ({tie.evidence}), which "
                                         f"{'identify' if many else 'identifies'} you with "
                                         f"{fill['employer']}.")
        else:
            # a LinkedIn profile that is not among the exports audited: a work profile by nature,
            # but what it says is not seen
            fill["evidence_sentence"] = (f"This account links to {other_label} ({tie.evidence}), a work profile "
                                         f"that most likely identifies you with {fill['employer']} (it is not "
                                         "among the exports audited).")
        fill["fix"] = f"delete {tie.evidence} from this profile ({fill['where']})"
    elif tie.kind == "linked-from-work":
        fill["evidence_sentence"] = (f"{other_label}, which {'identify' if many else 'identifies'} you with "
                                     f"{fill['employer']}, {'link' if many else 'links'} to this account ({tie.evidence}).")
        fill["fix"] = "; ".join(
            f"delete {t.evidence} from {labels[t.other][0]} "
            f"({places.get(labels[t.other][1], {}).get('links', 'its profile')})"
            for t in group if t.other in labels)
    return fill


def tie_text(tie: Tie) -> str:
    """The words a linkage finding quotes."""
    return {"names-employer": f"{tie.field}: {tie.evidence}", "says-employer": f"{tie.field}: {tie.evidence}",
            "same-handle": f"handle: {tie.evidence}",
            "same-name": f"name: {tie.evidence}"}.get(tie.kind, tie.evidence)


def short(text: str, limit: int = 90) -> str:
    """``text`` on one line, cut at a word to about ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def reaction_summary(platform: str, n: int, total: int, examples: list[Finding],
                     vis: ReactionVisibility | None, unsure: int = 0,
                     unsure_examples: Sequence[tuple[float, str, dt.datetime | None]] = ()) -> tuple[str, Finding | None]:
    """The one line about an account's ``n`` political reactions (of ``total``): a note when
    nobody else sees them, else a weak-signal finding built from the strongest ``examples``
    (whose severity the pack has already set a level lower, ``[pack] weaker_kinds``). ``unsure``
    more scored between the "posts to skim" threshold and the finding one: counted, with the
    highest-scored few (``unsure_examples``: score, words, date) named, never listed one by one
    (with none over the threshold, the line is a note). Returns (note, finding)."""
    noun = vis.noun if vis else "reacted to"
    what = f"You {noun} {n:,} {'post' if n == 1 else 'posts'} that {'reads' if n == 1 else 'read'} as political"
    maybe = ""
    if unsure:
        named = "; ".join(f"\u201c{short(words, 60)}\u201d ({p:.2f})" for p, words, _ in unsure_examples[:2])
        maybe = (f" The political model was not sure of {unsure:,}{' more' if n else ''} "
                 f"{'reaction' if unsure == 1 else 'reactions'}"
                 f"{', such as ' + named if named else ''}: reactions are not listed among the posts to skim"
                 f"{', so look through them too' if vis is not None and vis.visible else ''}.")
    if not n:
        fact = (" " + vis.fact) if vis and not vis.visible else ""
        return (f"You {noun} no post that reads as political (of {total:,} in the export).{maybe}{fact}"), None
    if vis is None or not vis.visible:
        fact = vis.fact if vis else "The export does not say who can see your reactions."
        return (f"{what} (of {total:,} in the export).{maybe} {fact} Nobody else sees them, so there is "
                "nothing to change."), None
    best = examples[0]
    examples = list({f.excerpt: f for f in reversed(examples)}.values())[::-1]  # one line per distinct text
    listed = "; ".join(f"\u201c{short(f.excerpt)}\u201d{f' ({f.created_at:%Y-%m-%d})' if f.created_at else ''}"
                       for f in examples)
    return "", replace(
        best, subject="account", post_id="reactions", severity=best.severity, post_kind=PostKind.REACTION,
        created_at=None, title=f"{what} on {platform_name(platform)}",
        excerpt=f"{what}, out of {total:,} reactions in the export. The strongest: {listed}.", spans=(),
        explanation=(f"A reaction is someone else's words, so it is a weak signal and the audit sums them up "
                     f"here instead of listing each. {vis.fact}{maybe}"),
        recommendation=(f"Look through the posts you {noun} (your activity on "
                        f"{platform_name(platform)}) and take back the "
                        "reactions you would not want read as your political view."),
        action="review",
        notes=(f"Who can see reactions: {vis.fact} Source: {vis.source} (checked {vis.checked}).",),
    )
