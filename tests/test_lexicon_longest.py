"""The one-pass containment rule of Lexicon hits keeps exactly what the pairwise rule kept."""

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.detect.lexicon import Hit, Term, _prefer_longest

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
