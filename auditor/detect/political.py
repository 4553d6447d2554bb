"""Political commentary: partisan content, commentary on government and policy, civic content.

Labels (one per post):

* ``partisan``: supports or attacks a party, candidate or politician; calls to vote; campaigning
  and fundraising.
* ``policy-commentary``: an opinion on government, ministers or policy without a party or
  candidate being the point.
* ``civic``: neutral civic content such as "enrol to vote before Friday". Reported as fine.
* ``mention``: names a politician or party without taking a stance (neutral work news about a
  minister's announcement). Reported as fine.

Whether a post is political at all is decided by the political model learned from labelled
text written by others (:mod:`auditor.detect.textmodel`); the words that pushed its score up are
the evidence. The lexicon (parties, politicians, hashtags, calls to vote: data in the policy
pack's lexicons) then names the kind and adds its own evidence, but never decides alone.
Ambiguous party names ("Labour", "National", "Green", "ACT") only count when something else in
the post is political; phrases like "Labour Day" or "national park" are suppressed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from auditor.detect.base import (
    Detector,
    FieldHit,
    PostContext,
    by_group,
    mine,
    model_spans,
    quote_list,
    spans,
    squash,
)
from auditor.detect.language import name_of
from auditor.detect.tone import tone
from auditor.models import Detection, Post, Span

NAME = "political"

SIGNAL_NAMES = {
    "party": "party",
    "party_ambiguous": "party",
    "politician": "politician",
    "hashtag": "political hashtag",
    "vote_call": "call to vote",
    "fundraising": "fundraising",
    "election": "election",
    "office": "political office",
    "office_exact": "political office",
    "government": "government",
    "policy": "policy",
    "stance": "stance",
    "opinion": "opinion",
    "judgement": "judgement",
    "vote_word": "vote",
    "tone": "tone",
    "civic": "civic",
    "party_vote": "call to vote",
    "insult": "insult",
    "mild": "insult",
}

# Roles, folded: several lexicon groups feed one role.
ROLE_OF = {
    "party": "actor", "politician": "actor", "party_ambiguous": "ambiguous",
    "hashtag": "hashtag", "vote_call": "vote_call", "fundraising": "fundraising",
    "election": "election", "office": "office", "office_exact": "office",
    "government": "government", "policy": "policy",
    "stance": "stance", "opinion": "opinion", "judgement": "judgement", "vote_word": "vote_word", "event": "event",
    "civic": "civic",
    "insult": "stance", "mild": "stance",
}


#: stance words that are also the ordinary courtesies of work news ("proud to host the Minister")
_COURTESY = {"proud", "prouder", "grateful to", "congratulations to", "congrats to", "well done to",
             "thank you to the minister", "shout out to", "honoured", "honored"}

#: signals that make a post campaigning whatever its occasion
_CAMPAIGN = {"party_vote", "vote_call", "vote_word", "fundraising", "hashtag", "election", "opinion", "tone_negative"}

#: lexicon roles that make a post possibly political on their own (the rest only qualify them)
_ANCHORS = {"party", "party_ambiguous", "politician", "hashtag", "vote_call", "party_vote",
            "fundraising", "election", "office", "office_exact", "government", "policy",
            "civic"}


class PoliticalDetector(Detector):
    """Political content: the learned model decides, the lexicon names the kind and the evidence.

    A post is political when the political model for its language (see
    :mod:`auditor.detect.textmodel`) scores it at or above its threshold. The lexicon reading
    (:func:`lexicon_reading`) then says which kind: partisan, policy commentary, civic or a
    neutral mention. Lexicon hits alone never make a post political.
    """

    name = NAME

    def detect(self, post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> Detection | None:
        """Classify one post from the model's prediction in ``ctx`` and the lexicon hits."""
        pred = ctx.predictions.get(NAME)
        # A post that says where the person works is the most exposing kind of political post,
        # so the lower threshold of the list to skim decides for it.
        says = bool(ctx.says_employer) and pred is not None and not pred.positive and pred.to_skim
        if pred is None or not (pred.positive or says):
            return None
        english = pred.lang == "en"
        # the employer's own programmes and laws (the pack's [mandates], names in either language)
        mandate = [h for h in hits if h.hit.term.group == MANDATE_GROUP and h.field == "text"]
        if not english:
            # The lexicon's word lists (policy words, stances, calls to vote, the tone) are
            # English: in another language only the names it holds (parties, politicians,
            # hashtags) are read, and the model alone says the post is political.
            hits = [h for h in hits if h.hit.term.group.startswith("political.") and h.hit.role in _NAMES]
        reading = lexicon_reading(post, hits, ctx.thresholds.get("political_kind")) if english else None
        if reading is not None and reading.label == "mention" and post.kind == "reaction" and any(
                h.hit.term.role in _ACTOR_ROLES and h.field == "text" and _OWN_POST.match(post.text, h.hit.end)
                for h in mine(hits, NAME)):
            # "Mereana Clarke reacted to Chris Hipkins's post.": the export names only whose post it
            # was, and a like of a party's or politician's own post reads as support for it
            reading = Detection(NAME, "partisan", reading.score, reading.spans,
                                "Reads as partisan: it is a reaction to a party's or politician's own post, which "
                                "reads as support for what they posted.")
        if reading is not None:
            label = reading.label
        elif any(h.hit.term.role in _ACTOR_ROLES for h in mine(hits, NAME)):
            label = "partisan"
        else:
            label = "policy-commentary"
        # The lexicon calls a post partisan only when it names a party or politician it knows
        # beside a stance; the partisan model, learned from the kinds readers gave real political
        # posts, also reads the side a post takes where the lists hold no stance word ("Dems and
        # their big government spending again. Typical."). It turns policy commentary or a mere
        # mention into partisan, never the other way, and leaves civic readings be (measured by
        # bench/kind.py). Not for a reaction: its words are the export's ("reacted to RNZ's post
        # about Chris Hipkins."), which say whose post it was, not the side the person took; nor
        # for a link passed on without a word of the person's own (the labelling guide counts an
        # announcement passed on without comment as civic, not as taking a side).
        side = None
        if english and post.text and post.kind != "reaction" and label in ("policy-commentary", "mention"):
            side = pred.kinds.get(PARTISAN)
            if side is not None and (not side.positive or label == "mention" and self._pack_made_mention(post, hits, ctx)):
                side = None
            if side is not None:
                label = "partisan"
        words = model_spans(pred, post.text) if post.text else model_spans(pred, ctx.link_text, "link")
        if side is not None:
            # "model: dems (+0.45)" as "partisan model: dems (+0.45)"
            words = (*words, *(Span(s.start, s.end, s.text, PARTISAN_MODEL + s.signal.removeprefix("model"), s.field)
                               for s in model_spans(side, post.text)))
        if reading is not None:
            lex_spans = reading.spans
        else:  # in another language the names read are the evidence; in English, none was read
            lex_spans = () if english else spans(mine(hits, NAME), SIGNAL_NAMES)
        # information the person has through work ("the officials' advice"): a pack can rate the
        # post higher for it (NZ-NEUTRAL-IDENTIFY)
        inside = [h for h in hits if h.hit.term.group == INSIDE_GROUP and h.field == "text"]
        inside_spans = spans(inside, {h.hit.role: INSIDE_SIGNAL for h in inside})
        mandate_spans = spans(mandate, {h.hit.role: MANDATE_SIGNAL for h in mandate})
        spans_ = tuple(sorted({*words, *lex_spans, *inside_spans, *mandate_spans},
                              key=lambda x: (x.field != "text", x.start, x.end, x.signal)))
        kind = {"partisan": "partisan", "policy-commentary": "policy commentary", "civic": "neutral civic content",
                "mention": "a neutral mention"}[label]
        threshold = pred.review if says and pred.review is not None else pred.threshold
        if pred.sentence is None:
            explanation = (f"Reads as political ({kind}): the {pred.lang} political model gives "
                           f"{pred.probability:.2f} against a threshold of {threshold:.2f}, pushed most by "
                           f"{pred.because()}.")
        else:
            explanation = (f"Reads as political ({kind}): the {pred.lang} political model, read with the meaning of "
                           f"the whole post (semantic mode), gives {pred.probability:.2f} against a threshold of "
                           f"{threshold:.2f}: its words alone give {pred.words:.2f}, pushed most by "
                           f"{pred.because()}, and the sentence model gives {pred.sentence:.2f}.")
        if says:
            explanation += (f" That is the threshold of the posts to skim, not the usual {pred.threshold:.2f}: the post "
                            f"says where you work (\u201c{ctx.says_employer}\u201d), and a political post that does is "
                            "the most exposing kind.")
        if inside:
            explanation += (f" It also reads as using information you have through work ({quote_list(inside)}).")
        if mandate:
            # each name once, whatever its capitals ("fast-track", "Fast-track")
            once = list({h.hit.text.casefold(): h for h in reversed(mandate)}.values())[::-1]
            explanation += f" It is about your employer's own area of work ({quote_list(once)})."
        if side is not None:
            # the lexicon's own reading (policy commentary, a mere mention) is what the partisan
            # model overrules, so it is not repeated
            explanation += (f" It takes a side for or against a party or politician: {PARTISAN_SAYS} "
                            f"{side.probability:.2f} against a threshold of {side.threshold:.2f}, pushed most by "
                            f"{side.because()}.")
        elif reading is not None:
            explanation += " " + reading.explanation
        elif not english:
            # the lexicon's stance, policy and tone lists are English: only names are read
            named = [h for h in mine(hits, NAME) if h.hit.term.role in ("party", "politician")]
            explanation += (f" It names {quote_list(named)}, so it is read as partisan" if named else
                            " It names no party or politician, so it is read as policy commentary")
            explanation += (f"; in {name_of(pred.lang)} only names are read, as the word lists that tell a stance "
                            "from a neutral mention are English.")
        elif post.kind in ("reaction", "repost") and not post.text:
            explanation += " (Seen only in the words of the link.)"
        return Detection(NAME, label, pred.probability, spans_, explanation)


    @staticmethod
    def _pack_made_mention(post: Post, hits: Sequence[FieldHit], ctx: PostContext) -> bool:
        """Whether the pack's ``political_kind`` (asking more of the lexicon before it says
        partisan) made this post a mention: the partisan model does not undo what it asked for."""
        if ctx.thresholds.get("political_kind") is None:
            return False
        usual = lexicon_reading(post, hits)
        return usual is not None and usual.label != "mention"


_ACTOR_ROLES = {"party", "politician", "vote_call", "party_vote", "fundraising"}
#: the kind model's task (auditor.detect.textmodel.KIND_TASKS): a political post that takes a side
PARTISAN = "partisan"
#: how a finding names that model: its evidence spans' signal ("partisan model: dems (+0.45)"),
#: and its explanation's words before its score (the report's one-line reason reads them back)
PARTISAN_MODEL = "partisan model"
PARTISAN_SAYS = "the partisan model, which reads the political posts only, gives"
#: the group of the person's own vote ("You have my vote"), which plays the call to vote's role
_DECLARED = "political.vote_declared"
#: the lexicon roles that hold names rather than words of a language: all that is read of a post
#: in another language than English
_NAMES = {"party", "politician", "hashtag"}
#: the lexicon group of information a public servant has through work, and its evidence signal
INSIDE_GROUP = "work.inside_info"
INSIDE_SIGNAL = "work information"
#: the group of the employer's own programmes and laws (from the pack's ``[mandates]``, added for
#: the person's employer only), and its evidence signal: a pack's clause can test it
MANDATE_GROUP = "work.mandate"
MANDATE_SIGNAL = "your employer's area"
#: after a party's or politician's name, the words that make them the author of what a reaction
#: was to ("Chris Hipkins's post", "Green Party of Aotearoa's photo"), as Facebook's export
#: writes a reaction: "Mereana Clarke reacted to Chris Hipkins's post."
_OWN_POST = re.compile(r"(?:['\u2019]s|['\u2019]|s)?\s+(?:post|photo|video|reel|status|link|live video|album|story|event)\b")


def lexicon_reading(post: Post, hits: Sequence[FieldHit], threshold: float | None = None) -> Detection | None:
    """The lexicon's reading of a post the model found political: which kind, and the words.
    ``threshold`` (a pack's ``political_kind``) replaces the reader's own minimum score for
    calling a post partisan or policy commentary rather than a mention."""
    return _LEXICON.read(post, hits, threshold)


class _LexiconReader:
    """Lexicon-and-rules reading of a post (partisan, policy commentary, civic, mention)."""

    #: minimum score for a partisan or policy-commentary label to be reported
    threshold = 0.35

    def read(self, post: Post, hits: Sequence[FieldHit], threshold: float | None = None) -> Detection | None:
        """The kind of political content the words show, or None when they show none."""
        own = mine(hits, NAME)
        if not own or not any(h.hit.term.role in _ANCHORS for h in own):
            return None  # judgement or opinion words alone say nothing political
        roles: dict[str, list[FieldHit]] = {}
        # hits of a group together, groups in the order first met (a pack's own group playing
        # a role, such as a jurisdiction's own civic group, follows the shared one)
        for hs in by_group(own).values():
            role = hs[0].hit.role
            roles.setdefault(ROLE_OF.get(role, role), []).extend(hs)
        # Insults aimed at a politician are a stance too ("Luxon is a clown"), and so are insults
        # aimed at an office-holder, who is then the politician attacked ("That MP is an absolute
        # moron"); next to a mere "the right", "parliament" or "taxes" they are not.
        holders = [h for h in roles.get("office", []) if h.hit.term.group.startswith("political.office_holder")]
        if roles.get("actor") or roles.get("ambiguous") or holders:
            insults = [h for h in mine(hits, "disrespect") if h.hit.role in ("insult", "mild")]
            if insults:
                roles.setdefault("stance", []).extend(insults)
                if holders and not roles.get("actor") and any(h.hit.role == "insult" for h in insults):
                    roles["actor"] = holders  # not for a milder word: "the minister's plan is stupid"
        has = {r for r, hs in roles.items() if hs}
        context = has & {"party_vote", "actor", "hashtag", "vote_call", "election", "office", "government", "policy",
                         "fundraising", "vote_word"}
        if "ambiguous" in has and (context - {"policy"} or "stance" in has):
            roles.setdefault("actor", []).extend(roles.pop("ambiguous"))
            has = (has - {"ambiguous"}) | {"actor"}
        else:
            roles.pop("ambiguous", None)
            has.discard("ambiguous")
        if not has:
            return None
        if roles.get("vote_call") and all(h.hit.term.group == _DECLARED for h in roles["vote_call"]):
            has.add("vote_declared")  # "You have my vote": the person says how they vote
        if len({h.hit.text.lower() for h in roles.get("policy", [])}) >= 2:
            has.add("policy_many")  # several distinct policy topics: the post is about policy

        t = None

        def pts(*names: str) -> float:
            total = sum(max(h.hit.term.weight for h in roles[n]) for n in names if n in roles)
            if "tone" in names and t and t.strong:
                total += 1.5 * abs(t.compound)
            return total

        label, points, why = self._classify(has, pts)
        # Tone (VADER) is the costliest signal: only consulted when the words alone do not decide.
        undecided = label in (None, "mention") or (label == "policy-commentary" and "actor" in has)
        # the names of parties and politicians are not sentiment words: VADER reads "party" as fun
        names = tuple(sorted({(h.hit.start, h.hit.end) for h in roles.get("actor", []) if h.field == "text"}))
        if undecided and post.text and has & {"actor", "government", "office", "policy"}:
            t = tone(post.text, names)
            if t.strong or t.negative:
                has |= {"tone_strong"} if t.strong else set()
                has |= {"tone_negative"} if t.negative else set()
                label, points, why = self._classify(has, pts)
        if label is None:
            return None
        courteous = all(h.hit.text.lower() in _COURTESY for h in roles.get("stance", []))
        if label in ("partisan", "policy-commentary") and "event" in has and courteous and not has & _CAMPAIGN:
            # Work news about a minister's visit or announcement: courteous, not partisan, unless
            # the post also criticises (negative tone) or campaigns.
            t = t or (tone(post.text, names) if post.text else None)
            if t is None or t.compound >= 0:
                label, why = "mention", "reports an official engagement of a minister or politician without taking a side"
        # an everyday judgement word ("can't", "nothing") is evidence only where it decided the
        # reading: beside a call to vote it says nothing ("Our rivers can't wait")
        shown = _EVIDENCE[label] if why == _JUDGES else _EVIDENCE[label] - {"judgement"}
        used = [h for r, hs in roles.items() for h in hs if r in shown]
        tone_spans = ()
        if t and t.strong and label in ("partisan", "policy-commentary") and "tone" in why:
            tone_spans = tuple(Span(a, b, w, f"tone: {w}") for a, b, w, v in t.words if (v < 0) == (t.compound < 0))
        score = squash(points)
        if post.kind in ("reaction", "repost") and not post.text:
            why += " (seen only in the words of the link)"
        if label in ("partisan", "policy-commentary") and score < (self.threshold if threshold is None else threshold):
            label = "mention"
        evidence = tuple(sorted(spans(used, SIGNAL_NAMES) + tone_spans, key=lambda x: (x.field != "text", x.start)))
        return Detection(NAME, label, score, evidence, _sentence(label, why, used, tone_spans))

    @staticmethod
    def _classify(has: set[str], pts) -> tuple[str | None, float, str]:
        actor = "actor" in has
        stance = "stance" in has
        opinion = "opinion" in has
        gov = has & {"government", "office"}
        if "civic" in has and not actor and not stance and "hashtag" not in has:
            return "civic", pts("civic", "election"), "is neutral civic information"
        if "party_vote" in has:
            return "partisan", pts("party_vote", "actor", "election", "stance"), "asks people to vote for a party"
        if "vote_call" in has and (actor or has & {"election", "government", "hashtag", "office", "policy"}):
            return "partisan", pts("vote_call", "actor", "election", "hashtag", "stance"), (
                "says how you vote" if "vote_declared" in has else "calls on people to vote")
        if "fundraising" in has and (actor or "election" in has):
            return "partisan", pts("fundraising", "actor", "election"), "asks for money for a party or campaign"
        if actor and (stance or has & {"election", "hashtag", "vote_word", "judgement"}):
            return "partisan", pts("actor", "stance", "election", "hashtag", "government", "vote_word", "judgement"), (
                "names a party or politician and takes a side" if stance else
                "names a party or politician in an electoral or campaign context"
                if has & {"election", "hashtag", "vote_word"} else
                _JUDGES)
        if actor and (opinion or "tone_strong" in has):
            return "partisan", pts("actor", "opinion", "tone") + 0.5, (
                "names a party or politician and judges them (its tone or wording is evaluative)")
        if actor and has & {"policy", "government"}:
            return "policy-commentary", pts("actor", "policy", "government"), (
                "discusses a party's or politician's policy")
        if stance and (gov or has & {"policy", "hashtag"}):
            return "policy-commentary", pts("stance", "government", "office", "policy", "hashtag"), (
                "gives an opinion on government, ministers or policy")
        if opinion and (gov or "policy" in has) and (
                gov and "policy" in has or "tone_strong" in has or {"government", "office"} <= has):
            return "policy-commentary", pts("opinion", "government", "office", "policy", "tone"), (
                "says what government or policy should do")
        if "judgement" in has and "policy" in has and (gov or "policy_many" in has):
            return "policy-commentary", pts("judgement", "government", "office", "policy"), (
                "judges government policy")
        if "tone_negative" in has and (gov or ("policy" in has and opinion)):
            return "policy-commentary", pts("government", "office", "policy", "tone"), (
                "criticises government or ministers (its tone is clearly negative)")
        if "tone_strong" in has and "policy" in has and (gov or "policy_many" in has):
            return "policy-commentary", pts("government", "office", "policy", "tone"), (
                "judges government policy (its tone is evaluative)")
        if "tone_negative" in has and "policy" in has and pts("policy") >= 1.5:
            return "policy-commentary", pts("policy", "tone"), "criticises a named policy (its tone is clearly negative)"
        if "hashtag" in has:
            return "policy-commentary", pts("hashtag", "government", "policy"), "uses a political hashtag"
        if "civic" in has:
            return "civic", pts("civic"), "is neutral civic information"
        if actor:
            return "mention", pts("actor"), "names a party or politician without taking a side"
        if gov and "policy" in has and "election" in has:
            return "mention", pts("government", "office", "policy"), "discusses politics without taking a side"
        return None, 0.0, ""


#: the reading's reason when an everyday judgement word beside a name decided it
_JUDGES = "names a party or politician and passes judgement on them"

_EVIDENCE = {
    "partisan": {"party_vote", "actor", "stance", "opinion", "judgement", "vote_word", "vote_call", "fundraising",
                 "election", "hashtag", "government", "office", "policy"},
    "policy-commentary": {"stance", "opinion", "government", "office", "policy", "hashtag", "actor"},
    "civic": {"civic", "election"},
    "mention": {"actor", "government", "office", "policy", "election", "event"},
}


def _sentence(label: str, why: str, used: Sequence[FieldHit], tone_spans: Sequence[Span] = ()) -> str:
    words = quote_list(used, 4)
    toned = ", ".join(f'"{s.text}"' for s in list(dict.fromkeys(tone_spans))[:3])
    extra = f"; evaluative words: {toned}" if toned else ""
    return f"Reads as {label.replace('-', ' ')}: it {why} ({words}{extra})."


_LEXICON = _LexiconReader()
