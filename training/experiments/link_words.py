"""Experiment: the words of a link's slugs as features of the political word model.

    python training/experiments/link_words.py   # about 4 minutes

A post's links give the models no feature. Yet a link's path often says what the post is about
("Fascinating (https://www.nytimes.com/.../us-ukraine-military-war-wiesbaden.html)"): on the
test people's random English posts, 24 of the 113 political posts carry such a slug, and so do
192 of their 4,572 posts. With ``textmodel.LINK_WORDS``, a link gives the words of its slugs
(path segments joined by "-" or "_", as :func:`auditor.textutil.link_words` reads a reaction's
link), chained into bigrams among themselves, as a split hashtag gives its words.

The develop people's random posts hold almost no such link (48 of 2,918, none political), so
800 develop posts that carry one were labelled for this (training/labels/personal.jsonl, files
LK1-LK4, ``selection`` "link"; not learned from, see corpora.NOT_TRAINED). 331 are by people
whose posts the English models read: each is scored by a model fitted without its person's fold.
The other 451 English ones (alper/alpernl and ivh/tmy.se, who blog in English too, serve only
the Dutch and German models, people.toml) are scored by the full model, which never read them.

The model is the shipped political_en (its pools read by the committed teacher), fitted with and
without link words. Prints, for each: the develop people's random posts out of fold (average
precision, recall at precision 0.85, and P, R at the threshold the build's rule picks, which
decide), the link posts (AP, and P, R at that threshold), then the full model on the test
people's two random draws and the held-out sets (AP, or the share found where every item is
political).
"""
import sys
import time

import char_ngrams as X  # noqa: E402  (this folder: the shared fitting and measuring helpers)
import numpy as np
import pool_cleaning as PC
from sklearn.metrics import average_precision_score

import auditor.detect.textmodel as T

B, ROOT, spec = X.B, X.ROOT, X.spec
sys.path.insert(0, str(ROOT / "training"))
import corpora as C  # noqa: E402

CACHE = ROOT.parent / "data-cache"
LINK_FILES = frozenset({"LK1", "LK2", "LK3", "LK4"})
at = PC.at_threshold


def link_posts() -> tuple[list, list]:
    """The labelled link posts in English: (by people the English models read, by the others)."""
    only, testers = B.person_languages(), B.test_people()
    rows = [r for r in C.personal(CACHE, "political", also=LINK_FILES)
            if r.kind == "link" and r.lang == "en" and r.source not in testers]
    return ([r for r in rows if B.serves(r.source, "en", only)],
            [r for r in rows if not B.serves(r.source, "en", only)])


def run(data, links: tuple[list, list], link: bool) -> dict:
    T.LINK_WORDS = link
    feat = B.Featurizer()
    oy, op, ly, lp = [], [], [], []
    for k in range(B.FOLDS):
        held = frozenset(p for p in data.people if B.fold_of(p) == k)
        rows = [r for r in data.pdev if r.source in held and r.kind == "random"]
        mine = [r for r in links[0] if B.fold_of(r.source) == k]
        model = B.fit(data.training_set(exclude_people=held), feat, spec.C, spec.nb)
        oy.extend(r.label for r in rows)
        op.extend(B.predict(*model, [r.text for r in rows]))
        ly.extend(r.label for r in mine)
        lp.extend(B.predict(*model, [r.text for r in mine]))
    oy, op = np.array(oy), np.array(op)
    thr, _ = B.choose_threshold(oy, op, None, spec.target_precision)
    out = {"dev AP": round(average_precision_score(oy, op), 3), "dev R@P.85": X.rat(oy, op, 0.85),
           "thr": round(float(thr), 2), "dev P,R": at(oy, op, thr)}
    model = B.fit(data.training_set(), feat, spec.C, spec.nb)
    y, p = np.array(ly + [r.label for r in links[1]]), np.array(lp + list(B.predict(*model, [r.text for r in links[1]])))
    out |= {"links n, pos": (len(y), int(y.sum())), "links AP": round(average_precision_score(y, p), 3),
            "links P,R": at(y, p, thr)}
    for kind in ("random", "random-2"):
        rs = [r for r in data.ptest if r.kind == kind]
        y, p = np.array([r.label for r in rs]), B.predict(*model, [r.text for r in rs])
        out[f"test {kind} AP"] = round(average_precision_score(y, p), 3)
        out[f"test {kind} P,R"] = at(y, p, thr)
    for src in sorted({r.source for r in data.test_rows}):
        rs = [r for r in data.test_rows if r.source == src]
        y, p = np.array([r.label for r in rs]), B.predict(*model, [r.text for r in rs])
        out[src] = (round(average_precision_score(y, p), 3) if 0 < y.sum() < len(y)
                    else f"R {round(float((p >= thr).mean()), 3)}")
    return out


def main() -> int:
    data = B.prepare(spec, ROOT.parent / "shared" / "data", CACHE)
    links = link_posts()
    print(f"link posts: {len(links[0])} by people the English models read, {len(links[1])} by others", flush=True)
    for link in (False, True):
        t0 = time.time()
        print("link words" if link else "without", run(data, links, link), f"({time.time() - t0:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
