"""Political recall by kind: which political posts of the test people the findings catch.

    python bench/by_kind.py
    python bench/by_kind.py --semantic    # with the optional semantic mode

The test people's randomly drawn English posts (the two draws the headline figures use; their
text is read from ``../data-cache/personal/labels_*.jsonl``, see training/SOURCES.md) carry the
kind the labeller gave each political post (``political_kind`` in ``training/labels/
personal.jsonl``: partisan, policy or civic; LABEL_GUIDE.md). The political detector runs on
them as an audit does (``auditor.evaluate``, NZ pack), and this prints, for each draw and kind,
how many the findings hold, and the findings with the list to skim, and the false alarms among
the everyday posts. Nothing is tuned here: these posts are test posts.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.evaluate import evaluate  # noqa: E402
from auditor.policy import load_policy  # noqa: E402

#: the selections of each draw, as bench/quality.py groups them
DRAWS = {"random": "first draw", "stratum:random": "first draw", "random-2": "second draw"}


def test_labels(cache: Path, lang: str = "en") -> Iterator[dict]:
    """The test people's labelled posts in ``lang`` with their text, as the label files in
    ``cache / "personal"`` hold them (one post may be there more than once: in two draws)."""
    with open(ROOT / "training/people.toml", "rb") as fh:
        # "personal:owner/repo"; a label's source names the platform instead ("x:owner/repo")
        test = {p.split(":", 1)[1] for p in tomllib.load(fh)["people"]["test"]}
    for path in sorted((cache / "personal").glob("labels_*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["source"].split(":", 1)[1] in test and r.get("lang") == lang and r.get("text"):
                    yield r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    ap.add_argument("--semantic", action="store_true")
    args = ap.parse_args(argv)
    rows = {(r["source"], r["id"], r["selection"]): r for r in test_labels(args.cache)
            if r.get("selection") in DRAWS}
    if not rows:
        raise SystemExit(f"no labelled test posts in {args.cache / 'personal'}: run training/collect/rebuild.py")
    items = [(r["text"], int(r["political"]), f"{DRAWS[r['selection']]}\t{r['political_kind']}")
             for r in rows.values()]
    found: dict = {}
    listed: dict = {}
    evaluate(items, "political", load_policy("nz"), by_source=found, with_skim=listed, semantic=args.semantic)
    print(f"{'draw':<12} {'kind':<9} {'posts':>6} {'findings':>9} {'+ list':>7}")
    for key in sorted(found):
        draw, kind = key.split("\t")
        f, s = found[key], listed[key]
        n = f.tp + f.fn + f.fp + f.tn
        if kind == "none":
            print(f"{draw:<12} {'everyday':<9} {n:>6} {f.fp:>6} FA {s.fp:>4} FA")
        else:
            print(f"{draw:<12} {kind:<9} {n:>6} {f.tp:>9} {s.tp:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
