"""Multi-term matching in one pass per text, with word boundaries, case rules and suppressions.

All terms of all detectors go into one Aho-Corasick automaton (pyahocorasick), so a post is
scanned once however many thousand terms the policy pack holds.

Term options, set per group in the lexicon TOML:

* ``case``: ``any`` (default), ``title`` (the first letter must be upper case in the text:
  "Labour" the party, not "labour" the work; a term written in capitals must be in capitals:
  "ACT" the party, not "the Resource Management Act"; "TOP", not "Top tips") or ``exact``
  ("PM").
* ``suppress`` groups: phrases such as "Labour Day" or "national park"; any hit that overlaps a
  suppressing phrase is dropped, so context rules live in data, not code.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry. ``group`` is namespaced, e.g. ``political.party``."""

    phrase: str
    group: str
    weight: float = 1.0
    case: str = "any"
    label: str = ""
    #: the role the group plays when its name says something else (a pack's own group
    #: ``political.policy_local`` plays ``policy``): set by the lexicon's ``role`` key
    plays: str = ""
    #: the detector the group belongs to (``political``), its role (``party``, or what it
    #: ``plays``), and whether it is a suppressing phrase: derived once, as they are read for every hit
    detector: str = field(init=False, repr=False, compare=False)
    role: str = field(init=False, repr=False, compare=False)
    suppressor: bool = field(init=False, repr=False, compare=False)
    #: the group the models read this term as (``textmodel.LEXICON_FEATURES``): a pack's own group
    #: counts as the group whose role it plays (a pack's ``political.vote_call_local`` playing
    #: ``party_vote`` as ``political.party_vote``, a call to vote), and a handle as none, since
    #: the models learn no handles
    model_group: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        det, _, role = self.group.partition(".")
        object.__setattr__(self, "detector", det)
        object.__setattr__(self, "role", self.plays or role or det)
        object.__setattr__(self, "suppressor", self.group.endswith(".suppress"))
        object.__setattr__(self, "model_group", "" if self.phrase.startswith("@")
                           else f"{det}.{self.plays}" if self.plays else self.group)


@dataclass(frozen=True, slots=True)
class Hit:
    """A term found in a text at ``text[start:end]``."""

    start: int
    end: int
    text: str
    term: Term

    @property
    def group(self) -> str:
        """The term's group (``political.party`` ...)."""
        return self.term.group

    @property
    def role(self) -> str:
        """The part of the group name after the detector (``party``)."""
        return self.term.role


class _FoldTable(dict):
    """``str.translate`` table that folds each character once and remembers it."""

    def __missing__(self, code: int) -> str:
        if code == 0x2019:
            # the typographic apostrophe phones type ("Trudeau’s", "d’asile") is the apostrophe
            # a term is written with
            self[code] = "'"
            return "'"
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if ord(low) > 127:
            base = unicodedata.normalize("NFD", low)[0]
            low = base if len(base) == 1 else low
        self[code] = low
        return low


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip accents and write "’" as "'", without changing the string's length.

    Positions in the folded text are positions in the original, so evidence spans can be shown
    on the text the person wrote. "Pāti" folds to "pati"; characters whose lower case is longer
    than one character are kept as they are. ASCII text (most posts) takes the fast path.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Lexicon:
    """An automaton over every term; :meth:`find` returns non-overlapping, boundary-checked hits."""

    def __init__(self, terms: Iterable[Term]):
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[Term]] = {}
        groups: set[str] = set()
        for t in terms:
            groups.add(t.group)
            key = fold(t.phrase.strip())
            if key:
                by_key.setdefault(key, []).append(t)
        for key, ts in by_key.items():
            # Whether the term starts or ends with a word character decides its boundary checks.
            self._automaton.add_word(key, (len(key), tuple(ts), _is_word(key[0]) or key[0] == "#",
                                           _is_word(key[-1]), any(t.case != "any" for t in ts)))
        self.size = len(by_key)
        #: the groups of the terms it holds
        self.groups = frozenset(groups)
        if by_key:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every whole-word hit in ``text``, longest first where hits overlap, suppressions applied."""
        return self.scan(text)[0]

    def scan(self, text: str) -> tuple[list[Hit], list[tuple[int, int]]]:
        """(hits as :meth:`find` gives them, spans of the suppressing phrases found).

        The learned models read the suppressed spans too: "a liberal amount of butter" or
        "Labour Weekend" must not lend their words to a political score either.
        """
        if not text or not self.size:
            return [], []
        folded = fold(text)
        n = len(folded)
        raw: list[Hit] = []
        # Most of the automaton's matches are pieces of longer words ("ill" in "will"): the
        # boundary tests are written out here, not called, as this loop runs for each of them.
        for end_idx, (klen, terms, left, right, cased) in self._automaton.iter(folded):
            start = end_idx - klen + 1
            if left and start > 0:
                ch = folded[start - 1]
                if ch.isalnum() or ch == "_":
                    continue
            end = end_idx + 1
            if right and end < n:
                ch = folded[end]
                if ch.isalnum() or ch == "_":
                    continue
            original = text[start:end]
            if cased:
                raw.extend(Hit(start, end, original, t) for t in terms if _case_ok(t, original))
            else:
                raw.extend(Hit(start, end, original, t) for t in terms)
        if not raw:
            return raw, []
        suppressors = [h for h in raw if h.term.suppressor]
        hits = [h for h in raw if not h.term.suppressor] if suppressors else raw
        if suppressors:
            hits = [h for h in hits if not any(s.start < h.end and h.start < s.end
                                               and s.term.detector == h.term.detector
                                               for s in suppressors)]
        return _prefer_longest(hits), [(h.start, h.end) for h in suppressors]


def _case_ok(term: Term, original: str) -> bool:
    if term.case == "exact":
        return original == term.phrase or original.replace("\u2019", "'") == term.phrase
    if term.case == "title":
        if term.phrase.isupper() and len(term.phrase) > 1:  # an acronym: "ACT", "TOP"
            return original.isupper()
        first = next((c for c in original if c.isalpha()), "")
        return first.isupper()
    return True


def _prefer_longest(hits: list[Hit]) -> list[Hit]:
    """Drop a hit contained in a longer hit of the same detector ("Labour" inside "Labour Party").

    Partly overlapping hits are both kept ("party vote" and "vote Green" in "party vote Green"),
    and so are hits of different groups on the same words.
    """
    if len(hits) < 2:
        return hits
    hits.sort(key=lambda h: (h.start, h.start - h.end))
    kept: list[Hit] = []
    # Hits come by start, longest first. For each detector, the kept hit reaching furthest
    # right decides containment: it starts no later than any later hit, so a later hit inside
    # any kept hit is inside this one. One pass, however many hits a long text holds.
    reach: dict[str, tuple[int, int]] = {}
    for h in hits:
        det = h.term.detector
        r = reach.get(det)
        if r is not None and r[1] >= h.end and (r[0] < h.start or r[1] > h.end):
            continue
        kept.append(h)
        if r is None or h.end > r[1]:
            reach[det] = (h.start, h.end)
    return kept
