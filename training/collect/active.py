"""Draw develop people's unlabelled posts for a round of hand labelling (active learning).

    python training/collect/active.py --round 5 --seed 5 --files 6 \\
        --take score:disrespect=1100 score:political-semantic=900 score:political-blend-uncertain=600 random=400

Reads the develop people's pools (``personal/pool_*.jsonl``; the test people in
``training/people.toml`` are never drawn), leaves out every post already in a ``labels_*.jsonl``
or an earlier ``al/todo_AL*.jsonl``, takes up to 6,000 posts of 25 characters or more per person
(shuffled with ``--seed``), keeps the English ones, and scores them as the audit does with the
shipped models (``--semantic``'s blend for the political side). Each post falls in the first
bucket it fits:

* ``score:disrespect``: disrespect probability 0.25 or more;
* ``score:political-semantic``: blended political probability 0.5 or more while the word model
  alone stays under its threshold (posts only the sentence model finds);
* ``score:political-blend-uncertain``: blended probability from 0.2 to under 0.86;
* ``random``: drawn from every English post not drawn into a bucket.

The posts drawn are shuffled and dealt into ``--files`` files ``al/todo_AL<round + i>.jsonl``
(``source``, ``id``, ``text``, ``selection``) for the labellers, who follow
``training/labels/LABEL_GUIDE.md`` and write ``al/labels_AL<k>.jsonl``; those are copied to
``personal/labels_AL<k>.jsonl`` and exported without text by ``export_labels.py``. The labels, not
the scores, are the record: which posts were drawn is fixed by their ids in
``training/labels/personal.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BUCKETS = ("score:disrespect", "score:political-semantic", "score:political-blend-uncertain", "random")


def main(argv=None) -> int:
    from auditor.detect.lexicon import Lexicon
    from auditor.detect.semantic import load_semantic
    from auditor.detect.textmodel import Prediction, judge, manifest
    from auditor.policy import load_policy

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    ap.add_argument("--round", type=int, required=True, help="number of the first todo file")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--take", nargs="+", required=True, help="bucket=count")
    args = ap.parse_args(argv)
    take = {k: int(v) for k, v in (t.split("=") for t in args.take)}
    unknown = set(take) - set(BUCKETS)
    if unknown:
        ap.error(f"unknown bucket(s): {', '.join(sorted(unknown))}")

    folder = args.cache / "personal"
    test = set(tomllib.loads((ROOT / "training" / "people.toml").read_text(encoding="utf-8"))["people"]["test"])
    seen = set()
    for f in [*folder.glob("labels_*.jsonl"), *folder.glob("al/todo_AL*.jsonl")]:
        for line in open(f, encoding="utf-8"):
            if line.strip():
                o = json.loads(line)
                seen.add((o["source"], str(o["id"])))
    rng = random.Random(args.seed)
    candidates = []
    for f in sorted(folder.glob("pool_*.jsonl")):
        rows = []
        for line in open(f, encoding="utf-8"):
            o = json.loads(line)
            if "personal:" + o["source"].split(":", 1)[-1] in test:
                break
            text = (o.get("text") or "").strip()
            if len(text) >= 25 and (o["source"], str(o["id"])) not in seen:
                rows.append((o["source"], str(o["id"]), text))
        rng.shuffle(rows)
        candidates += rows[:6000]

    policy = load_policy()
    lexicon = Lexicon(policy.terms)
    semantic = load_semantic()
    thresholds = semantic.word_thresholds(policy.thresholds)
    english = []
    for source, pid, text in candidates:
        found, masked = lexicon.scan(text)
        groups = {h.term.model_group for h in found}
        lang, preds = judge(text, groups, thresholds, masked=masked)
        if lang.code == "en" and "political" in preds:
            english.append({"source": source, "id": pid, "text": text, "groups": groups,
                            "words": preds["political"].probability,
                            "disrespect": preds["disrespect"].probability, "blend": 0.0})
    lift = [r for r in english if r["words"] >= semantic.floor]
    for r, s in zip(lift, semantic.sentence_scores([r["text"] for r in lift], [r["groups"] for r in lift]),
                    strict=True):
        r["blend"] = semantic.apply({"political": Prediction("political", "en", r["words"], 0.5)}, s)[
            "political"].probability
    word_threshold = manifest()["models"]["political_en"]["threshold"]
    buckets = defaultdict(list)
    for r in english:
        if r["disrespect"] >= 0.25:
            buckets["score:disrespect"].append(r)
        elif r["blend"] >= 0.5 and r["words"] < word_threshold:
            buckets["score:political-semantic"].append(r)
        elif 0.2 <= r["blend"] < 0.86:
            buckets["score:political-blend-uncertain"].append(r)
    picked = []
    for name in BUCKETS:
        if name == "random":  # from every English post not drawn yet, whatever its bucket
            drawn = {id(r) for _, r in picked}
            buckets[name] = [r for r in english if id(r) not in drawn]
        rows = buckets[name]
        rng.shuffle(rows)
        picked += [(name, r) for r in rows[:take.get(name, 0)]]
        print(f"{name}: {len(rows)} candidates, {min(len(rows), take.get(name, 0))} drawn", file=sys.stderr)
    rng.shuffle(picked)
    (folder / "al").mkdir(exist_ok=True)
    for j in range(args.files):
        with open(folder / "al" / f"todo_AL{args.round + j}.jsonl", "w", encoding="utf-8") as fh:
            for sel, r in picked[j::args.files]:
                fh.write(json.dumps({"source": r["source"], "id": r["id"], "text": r["text"], "selection": sel},
                                    ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
