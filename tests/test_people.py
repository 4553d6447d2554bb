"""The people whose hand-labelled posts the models learn from and are measured on (training/)."""

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))

import build_models as B  # noqa: E402
from collect import personal  # noqa: E402

FRENCH_ONLY = ["personal:sametmax/miroir-du-blog", "personal:benjam1nm/twitter"]


def _labels():
    with open(ROOT / "training" / "labels" / "personal.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.mark.parametrize("person", FRENCH_ONLY)
def test_french_people_serve_french_models_only(person):
    only = B.person_languages()
    assert B.serves(person, "fr", only)
    # The English models must come out exactly as before the French people were added.
    assert not B.serves(person, "en", only)
    assert person not in B.test_people()  # develop people: they train and choose thresholds


def test_everyone_else_serves_every_language():
    only = B.person_languages()
    assert B.serves("personal:dgageot/tweets", "fr", only) and B.serves("personal:dgageot/tweets", "en", only)


def test_every_person_named_has_a_recorded_source():
    repos = {s.repo for s in personal.SOURCES}
    people = set(B.test_people()) | set(B.person_languages())
    assert {p.split(":", 1)[1] for p in people} <= repos


def test_french_labels():
    rows = [o for o in _labels() if o["file"] == "FR"]
    assert len(rows) >= 1500
    assert {o["lang"] for o in rows} == {"fr"}
    sel = Counter(o["selection"] for o in rows)
    assert sel["random"] >= 1200 and set(sel) == {"random", "score:political_fr+keywords"}
    # both sides of the French split have labelled political posts
    testers = B.test_people()
    pos = Counter(("test" if "personal:" + o["source"].split(":", 1)[1] in testers else "develop")
                  for o in rows if o["political"])
    assert pos["test"] >= 30 and pos["develop"] >= 30
    assert all((o["political"] == 1) == (o["political_kind"] != "none") for o in rows)


def test_no_french_post_is_labelled_twice():
    labels = _labels()
    keys = Counter((o["source"], o["id"]) for o in labels)
    assert not [o for o in labels if o["file"] == "FR" and keys[(o["source"], o["id"])] > 1]
