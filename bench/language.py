"""Language identification: the quick English test against fastText, on real posts.

    python bench/language.py                 # reads ../data-cache (see training/SOURCES.md)
    python bench/language.py --cache DIR

:func:`auditor.detect.language.looks_english` answers "English" for plainly English text
without calling fastText. This prints, in one run, on the hand-labelled posts of the personal
exports (every person, their labelled language) and on German and French news and political
accounts: how many posts the quick test covers, how many non-English posts it calls English
(its errors), and the time per post with and without it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.detect import language as L  # noqa: E402


def _read(path: Path, key: str = "text") -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
    return [r for r in out if isinstance(r.get(key), str)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT.parent / "data-cache")
    args = ap.parse_args(argv)
    posts = [r for f in sorted((args.cache / "personal").glob("labels_*.jsonl")) for r in _read(f)]
    if not posts:
        print(f"no labelled posts under {args.cache / 'personal'}; see training/SOURCES.md")
        return 1
    en = [r["text"] for r in posts if r.get("lang") == "en"]
    other = [(r.get("lang"), r["text"]) for r in posts if r.get("lang") != "en"]
    quick = sum(map(L.looks_english, en))
    wrong = [(lang, t) for lang, t in other if L.looks_english(t)]
    print(f"personal exports: {len(posts):,} labelled posts")
    print(f"  English (labelled) taken by the quick test: {quick:,} of {len(en):,} ({quick / len(en):.0%})")
    print(f"  other languages called English by it: {len(wrong)} of {len(other):,}")
    for lang, t in wrong[:5]:
        print(f"    {lang}: {t[:90]!r}")
    for name in ("de_political.jsonl", "fr_political.jsonl"):
        path = args.cache / "lang" / name
        if path.exists():
            texts = [r["text"] for r in _read(path)]
            print(f"{name}: {sum(map(L.looks_english, texts)):,} of {len(texts):,} called English by the quick test")
    texts = [r["text"] for r in posts]
    L.identify("warm up the model")
    t = time.perf_counter()
    for x in texts:
        L.identify(x)
    with_quick = time.perf_counter() - t
    t = time.perf_counter()
    for x in texts:
        L._identify_fasttext(x)
    without = time.perf_counter() - t
    n = len(texts)
    print(f"identify: {with_quick / n * 1e6:.1f} µs/post with the quick test, "
          f"{without / n * 1e6:.1f} µs/post fastText only ({without / with_quick:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
