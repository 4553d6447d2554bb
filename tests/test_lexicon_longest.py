"""The one-pass containment rule of Lexicon hits keeps exactly what the pairwise rule kept."""

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.detect.lexicon import Hit, Lexicon, Term, _prefer_longest, fold

TERMS = [Term("x", "political.party"), Term("y", "political.policy"), Term("z", "disrespect.insult")]


def _pairwise(hits):
    hits = sorted(hits, key=lambda h: (h.start, h.start - h.end))
    kept = []
    for h in hits:
        length = h.end - h.start
        if not any(k.end >= h.end and k.start <= h.start and k.end - k.start > length
                   and k.term.detector == h.term.detector for k in kept):
            kept.append(h)
    return kept


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8), st.integers(0, 2)), max_size=25))
def test_same_hits_as_the_pairwise_rule(spec):
    hits = [Hit(a, a + n, "t", TERMS[t]) for a, n, t in spec]
    assert _prefer_longest(list(hits)) == _pairwise(list(hits))


def test_a_term_matches_either_apostrophe():
    """Phones type "\u2019" where a term is written with "'": folding writes one as the other,
    keeping every position, so the hit quotes what the person wrote."""
    lex = Lexicon([Term("PM's", "political.politician", case="exact"), Term("don't vote for", "political.vote_call"),
                   Term("demandes d'asile", "work.mandate"), Term("Trudeau", "political.politician")])
    text = "The PM\u2019s plan: don\u2019t vote for them. Les demandes d\u2019asile. Trudeau\u2019s cuts."
    assert len(fold(text)) == len(text) and "\u2019" not in fold(text)
    assert [(h.text, h.term.phrase) for h in lex.find(text)] == [
        ("PM\u2019s", "PM's"), ("don\u2019t vote for", "don't vote for"), ("demandes d\u2019asile", "demandes d'asile"),
        ("Trudeau", "Trudeau")]
    # the same words with the typewriter apostrophe, and an exact term's case still counts
    assert [h.text for h in lex.find(text.replace("\u2019", "'"))] == ["PM's", "don't vote for", "demandes d'asile",
                                                                         "Trudeau"]
    assert lex.find("the pm\u2019s plan") == []
