"""Which kind the report gives a political post: partisan, policy commentary or civic.

    python bench/kind.py
    python bench/kind.py --lang fr     # French (es, de too), read by that language's models

The test people's English (or ``--lang``) posts that the labeller marked political (every selection; their text
is read from ``../data-cache/personal/labels_*.jsonl``, see training/SOURCES.md) carry the kind
the labeller gave them (``political_kind``: partisan, policy or civic; LABEL_GUIDE.md). Each is
read by the political detector as an audit reads it (NZ pack), with the political threshold set
to 0 so that every one is read as political and only its kind is measured, twice: with the
lexicon's reading alone (the partisan model switched off by a threshold over 1) and with the
partisan model as shipped. Prints the labelled kind against the kind reported, and precision and
recall of "partisan". Nothing is tuned here: these posts are test posts (the partisan model
learned from the develop people's kinds, training/build_models.py).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from by_kind import test_labels  # noqa: E402  (this folder)

from auditor.detect.lexicon import Lexicon  # noqa: E402
from auditor.detect.political import PoliticalDetector  # noqa: E402
from auditor.evaluate import detect_text  # noqa: E402
from auditor.policy import load_policy  # noqa: E402

KINDS = ("partisan", "policy", "civic")
REPORTED = ("partisan", "policy-commentary", "civic", "mention")
#: the two readings compared: the pack's thresholds with these on top
READINGS = {"lexicon alone": {"political": 0.0, "partisan": 1.01}, "with the partisan model": {"political": 0.0}}


def test_posts(cache: Path, lang: str = "en") -> list[dict]:
    """The test people's labelled political posts in ``lang``, each once."""
    rows: dict[str, dict] = {}
    for r in test_labels(cache, lang):
        if r.get("political") == 1 and r.get("political_kind") in KINDS:
            rows.setdefault(" ".join(r["text"].split()), r)
    return list(rows.values())


def kinds(posts: list[dict], thresholds: dict[str, float], pack: str = "nz", lang: str = "en") -> Counter:
    """(labelled kind, reported kind) of each post, read with ``thresholds`` over the pack's."""
    policy = load_policy(pack)
    policy = replace(policy, thresholds={**policy.thresholds, **thresholds})
    lexicon = Lexicon(policy.terms)
    detector = PoliticalDetector()
    out: Counter = Counter()
    for r in posts:
        d = detect_text(detector, r["text"], policy, lexicon, lang)
        out[(r["political_kind"], d.label if d else "none")] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    ap.add_argument("--lang", default="en", help="the posts' language (en, fr, es, de)")
    ap.add_argument("--pack", default="nz", help="the policy pack whose lexicon names the kind (nz; ca for French)")
    args = ap.parse_args(argv)
    posts = test_posts(args.cache, args.lang)
    if not posts:
        raise SystemExit(f"no labelled test posts in {args.cache / 'personal'}: run training/collect/rebuild.py")
    print(f"{len(posts)} political posts of the test people: " +
          ", ".join(f"{sum(r['political_kind'] == k for r in posts)} {k}" for k in KINDS))
    for name, thresholds in READINGS.items():
        c = kinds(posts, {f"political@{args.lang}": 0.0, **thresholds}, args.pack, args.lang)
        print(f"\n{name}: labelled kind (rows) against the kind reported")
        print(f"{'':<10}" + "".join(f"{k:>19}" for k in REPORTED))
        for k in KINDS:
            print(f"{k:<10}" + "".join(f"{c[(k, r)]:>19}" for r in REPORTED))
        said = sum(c[(k, "partisan")] for k in KINDS)
        right = c[("partisan", "partisan")]
        total = sum(c[("partisan", r)] for r in (*REPORTED, "none"))
        print(f"partisan: precision {right / said if said else 0:.2f} ({right} of {said}), "
              f"recall {right / total if total else 0:.2f} ({right} of {total})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
