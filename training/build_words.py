"""Write ``auditor/detect/models/words_en.txt``: the English word frequencies that split hashtags
into words (``auditor/detect/segment.py``).

    pip install -e '.[train]'
    python training/build_words.py [--words 150000]

The frequencies are wordfreq's "large" English list (version pinned in the ``train`` extra;
code Apache 2.0, data CC BY-SA 4.0; see training/SOURCES.md), which blends Wikipedia, subtitles,
news, books, web text, Twitter and Reddit, so it knows the words people post ("brexit", "potus",
"ardern") as well as the dictionary's. The ``--words`` commonest words made only of letters are
kept, most frequent first, one "word<TAB>frequency" a line, the frequency given per trillion
words. The word models' features depend on this file, so change it only with a rebuild of the
models (``training/build_models.py`` records its checksum in the manifest).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "auditor" / "detect" / "models" / "words_en.txt"
WORDS = 150_000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=WORDS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    try:
        import wordfreq
    except ModuleNotFoundError:
        print("wordfreq is not installed: pip install -e '.[train]'", file=sys.stderr)
        return 1
    lines = []
    for word in wordfreq.iter_wordlist("en", wordlist="large"):
        if word.isalpha() and word.isascii():
            count = round(wordfreq.word_frequency(word, "en", wordlist="large") * 1e12)
            if count:
                lines.append(f"{word}\t{count}")
                if len(lines) == args.words:
                    break
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    print(f"wrote {len(lines):,} words to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
