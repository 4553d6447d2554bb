"""Experiment: should a post the political model is unsure of (in the list to skim) become a
finding when the lexicon's reading of it is plainly partisan (it names a party or politician and
calls to vote, asks for money, or campaigns)?

    python training/experiments/lexicon_lift.py         # about 5 minutes
    python training/experiments/lexicon_lift.py --all   # every labelled develop post, not only random ones

The political word model is fitted as the build fits it, three times, each time without one
fold of the develop people, and scores those people's random posts (out of fold), as the build
chooses thresholds. For the posts scored from the list's threshold up to the finding threshold,
the lexicon reading (the NZ pack's lexicon, which holds every country's names) is taken, and each
rule says which of them would become findings: how many political posts that adds, and how many
everyday ones. Test posts are not read.
"""
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training" / "experiments"))
import char_ngrams as X  # noqa: E402  (the shared fitting helpers)

B = X.B

from auditor.detect.language import loanword_terms  # noqa: E402
from auditor.detect.lexicon import Lexicon  # noqa: E402
from auditor.detect.political import lexicon_reading  # noqa: E402
from auditor.detect.scan import post_hits  # noqa: E402
from auditor.models import Post  # noqa: E402
from auditor.policy import load_policy  # noqa: E402

#: the lexicon reading's reasons that campaign (see political._LexiconReader._classify)
CAMPAIGN = ("asks people to vote for a party", "calls on people to vote", "says how you vote",
            "asks for money for a party or campaign", "in an electoral or campaign context")
RULES = {
    "partisan reading": lambda d: d is not None and d.label == "partisan",
    "campaigning reading": lambda d: d is not None and d.label == "partisan" and any(c in d.explanation for c in CAMPAIGN),
    "any political reading": lambda d: d is not None and d.label in ("partisan", "policy-commentary"),
}


def main() -> int:
    data = B.prepare(X.spec, ROOT.parent / "shared" / "data", ROOT.parent / "data-cache")
    models = json.loads((ROOT / "auditor/detect/models/manifest.json").read_text(encoding="utf-8"))["models"]
    threshold = float(models["political_en"]["threshold"])
    review = float(models["political_en"]["review_threshold"])
    everything = "--all" in sys.argv[1:]
    y, p = X.develop_oof(data, lambda rows: X.fitboth(rows, False), X.pred, everything)
    # the posts in the order develop_oof scores them: fold by fold, each fold's random posts
    texts = [r.text for k in range(B.FOLDS) for r in data.pdev
             if B.fold_of(r.source) == k and (everything or r.kind == "random")]
    lex = Lexicon(load_policy("nz").terms + loanword_terms())
    found = int(((p >= threshold) & (y == 1)).sum())
    false = int(((p >= threshold) & (y == 0)).sum())
    print(f"\ndevelop people's {'labelled' if everything else 'random'} posts: {len(y)}, {int(y.sum())} political; at the threshold {threshold}: "
          f"{found} found, {false} false alarms (P {found / max(1, found + false):.2f}, R {found / y.sum():.2f})")
    band = [i for i in range(len(y)) if review <= p[i] < threshold]
    print(f"in the list to skim ({review} to {threshold}): {len(band)} posts, {int(y[band].sum())} political")
    readings = {}
    for i in band:
        post = Post("twitter", str(i), "post", None, texts[i])
        readings[i] = lexicon_reading(post, post_hits(post, lex)[0])
    print("readings in the list:", Counter((readings[i].label if readings[i] else None, int(y[i])) for i in band))
    for name, rule in RULES.items():
        lifted = [i for i in band if rule(readings[i])]
        tp = sum(int(y[i]) for i in lifted)
        fp = len(lifted) - tp
        print(f"  {name:<22} lifts {len(lifted)}: {tp} political, {fp} everyday -> "
              f"P {(found + tp) / max(1, found + false + len(lifted)):.2f}, R {(found + tp) / y.sum():.2f}")
        for i in lifted:
            if not y[i]:
                print(f"      everyday: {texts[i][:120]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
