from functools import lru_cache

from auditor.detect.base import FieldHit, PostContext
from auditor.detect.lexicon import Lexicon
from auditor.evaluate import read_text
from auditor.models import Post, PostKind
from auditor.policy import load_policy


@lru_cache(maxsize=4)
def lexicon(policy: str = "nz") -> Lexicon:
    return Lexicon(load_policy(policy).terms)


def detect(detector, text: str, kind: PostKind = PostKind.POST, employer: str = "",
           thresholds: dict[str, float] | None = None):
    """``detector``'s detection of ``text``, read as an audit reads a post (``thresholds``: the
    pack's, over the shipped ones)."""
    post = Post("linkedin", "t1", kind, None, text)
    hits, _, preds = read_text(text, lexicon(), thresholds)
    emp = ()
    if employer:
        from auditor.detect.lexicon import Term
        emp = tuple(FieldHit("text", h) for h in Lexicon([Term(employer, "employer.name")]).find(text))
    return detector.detect(post, hits, PostContext(employer_hits=emp, predictions=preds,
                                                   thresholds=dict(thresholds or {})))
