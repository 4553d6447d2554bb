"""Hashtags split into the words they run together: "#VoteRemain" → "vote remain",
"#ClintonforPresident" → "clinton for president".

Posts often say what they are about only in a hashtag ("Nerve wracking wait finally over. Phew.
#IowaCaucus #ClintonforPresident"), and a run-together tag is a word no model has seen. The split
is the most probable sequence of English words under a unigram model: the 150,000 commonest
English words of wordfreq's "large" list (data CC BY-SA 4.0) with their frequencies, kept in
``models/words_en.txt`` (written by ``training/build_words.py``). A word not in the list costs
more the longer it is (Peter Norvig's estimate for unknown words), so a name the list does
not know may come out in pieces ("newtlandia" → "new", "tl", "and", "i", "a"): the models learn
how little such pieces say.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

WORDS = Path(__file__).resolve().parent / "models" / "words_en.txt"
#: Longest word the split considers (longer runs are cut into pieces of at most this length).
MAX_WORD = 18
#: Longest tag split; longer ones (rare, and slow to split) are kept whole.
MAX_TAG = 40


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, float], float]:
    """word → log probability, and the log of the total count (for unknown words)."""
    with open(WORDS, encoding="utf-8") as fh:
        table: dict = {w: int(c) for w, _, c in (line.partition("\t") for line in fh)}
    log_total = math.log(sum(table.values()))
    for w, c in table.items():
        table[w] = math.log(c) - log_total  # the counts become log probabilities in place
    return table, log_total


@lru_cache(maxsize=1)
def _unknown() -> tuple[float, ...]:
    """Log probability of an unknown word by its length: 10 / (total * 10 ** length) (Norvig)."""
    log_total = _table()[1]
    return tuple(math.log(10.0) - log_total - n * math.log(10.0) for n in range(MAX_WORD + 1))


@lru_cache(maxsize=65_536)
def split(tag: str) -> tuple[str, ...]:
    """The words of a lower-case hashtag without its "#"; digits and underscores separate runs
    of letters and are dropped. ``()`` for a tag with no letters."""
    words: list[str] = []
    run: list[str] = []
    for ch in tag[:MAX_TAG] + " ":
        if ch.isalpha():
            run.append(ch)
        elif run:
            words += _viterbi("".join(run))
            run = []
    return tuple(words)


def _viterbi(s: str) -> list[str]:
    """The most probable split of ``s`` into words (an unknown single letter only when ``s`` is
    that letter)."""
    logp = _table()[0]
    unknown = _unknown()
    n = len(s)
    best = [0.0] + [-math.inf] * n
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        top, at = -math.inf, 0
        for j in range(max(0, i - MAX_WORD), i):
            p = logp.get(s[j:i])
            if p is None:
                p = unknown[i - j] if i - j > 1 or n == 1 else -1e9
            if best[j] + p > top:
                top, at = best[j] + p, j
        best[i], back[i] = top, at
    out = []
    i = n
    while i > 0:
        out.append(s[back[i]:i])
        i = back[i]
    return out[::-1]


__all__ = ["split"]
