"""Write the hand labels without their text into training/labels/ (run after more labelling).

    python training/collect/export_labels.py [--cache ../data-cache]

Reads the labellers' working files in the data-cache folder, which hold the text, and writes:

* ``training/labels/personal.jsonl``: every post of ``personal/labels_*.jsonl`` as ``{"source", "id",
  "lang", "selection", "political", "political_kind", "disrespect", "grievance", "file"}``.
  ``file`` is what follows ``labels_`` in the file name (``A``, ``A_keyword_supplement``, ``B``…).
  Files A and B have no ``selection``; their posts were random samples, so it is written as
  ``random`` (the value corpora.personal assumes when it is missing). The ``note`` is left out:
  notes quote the posts.
* ``training/labels/grievance.jsonl``: the Reddit posts labelled by hand for workplace grievance
  as ``{"file", "i", "source", "id", "label"}``: ``file`` is the sample (``fc`` r/AmazonFC and
  four 2025 career subreddits, ``tfys`` r/TalesFromYourServer, ``teach`` r/teaching, ``g6`` the
  r/antiwork 2021 posts), ``i`` the post's index in that sample (the order the build uses) and
  ``id`` its id in the source (Reddit id; for r/teaching, which has none, ``created_utc``).
  The labels come from ``work/<file>_labels.py`` (a dict ``L``: index → (label, note)) and the ids
  from ``work/<file>_sample.jsonl`` (``g6_posts.jsonl`` for g6).
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "training" / "labels"
PERSONAL_FIELDS = ("source", "id", "lang", "selection", "political", "political_kind", "disrespect", "grievance")

#: sample → (labels module, sample file, source id of a post)
GRIEVANCE_SAMPLES = {
    "fc": ("fc_labels.py", "fc_sample.jsonl",
           lambda d: "reddit:amazonfc-2022-2025" if d["sub"] == "amazonfc" else f"reddit:{d['sub'].lower()}-2025"),
    "tfys": ("tfys_labels.py", "tfys_sample.jsonl", lambda d: "reddit:talesfromyourserver"),
    "teach": ("teach_labels.py", "teach_sample.jsonl", lambda d: "reddit:teaching"),
    "g6": ("g6_labels.py", "g6_posts.jsonl", lambda d: "reddit:antiwork-top-2021"),
}


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def personal_rows(cache: Path) -> list[dict]:
    rows = []
    for path in sorted((cache / "personal").glob("labels_*.jsonl")):
        name = path.stem.removeprefix("labels_")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    o = json.loads(line)
                    r = {k: o.get(k) for k in PERSONAL_FIELDS}
                    r["selection"] = r["selection"] or "random"
                    r["file"] = name
                    rows.append(r)
    return rows


def grievance_rows(cache: Path) -> list[dict]:
    rows = []
    for name, (module, sample, source) in GRIEVANCE_SAMPLES.items():
        labels = runpy.run_path(str(cache / "work" / module))["L"]
        with open(cache / "work" / sample, encoding="utf-8") as fh:
            posts = [json.loads(line) for line in fh if line.strip()]
        if sorted(labels) != [d["i"] for d in sorted(posts, key=lambda d: d["i"])]:
            raise SystemExit(f"{module}: its indexes do not match {sample}")
        for d in sorted(posts, key=lambda d: d["i"]):
            rows.append({"file": name, "i": d["i"], "source": source(d), "id": d["id"], "label": labels[d["i"]][0]})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    args = ap.parse_args(argv)
    p = personal_rows(args.cache)
    g = grievance_rows(args.cache)
    _write(LABELS / "personal.jsonl", p)
    _write(LABELS / "grievance.jsonl", g)
    print(f"wrote {len(p)} personal and {len(g)} grievance labels to {LABELS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
