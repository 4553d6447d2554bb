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


def test_active_learning_rounds_draw_develop_people_only():
    """Posts picked by a model's score (files AL*) come from develop people: a test person's post
    picked that way would let the models choose their own test set."""
    labels = [o for o in _labels() if o["file"].startswith("AL")]
    assert len(labels) >= 8000
    testers = B.test_people()
    assert not [o for o in labels if "personal:" + o["source"].split(":", 1)[1] in testers]
    keys = Counter((o["source"], o["id"]) for o in _labels())
    assert not [o for o in labels if keys[(o["source"], o["id"])] > 1]
    assert {o["selection"] for o in labels} >= {"random", "score:disrespect", "score:political-semantic"}


def test_label_files_not_trained_on_are_skipped(tmp_path):
    import corpora as C

    folder = tmp_path / "personal"
    folder.mkdir()
    row = {"source": "x:someone/tweets", "id": "1", "text": "Vote for the new tax plan", "lang": "en",
           "selection": "random", "political": 1, "political_kind": "policy", "disrespect": 0, "grievance": 0}
    for name in ("A", "AL4", "AL5", "AL16"):
        (folder / f"labels_{name}.jsonl").write_text(json.dumps({**row, "id": name}) + "\n", encoding="utf-8")
    assert "AL5" in C.NOT_TRAINED and "AL4" not in C.NOT_TRAINED
    rows = list(C.personal(tmp_path, "political"))
    assert len(rows) == 2 and all(r.source == "personal:someone/tweets" for r in rows)


def test_second_random_draw_is_test_people_only():
    """File T2* (selection ``random-2``) measures only: every post is a test person's, drawn at
    random, and none was labelled before."""
    labels = [o for o in _labels() if o["file"].startswith("T2")]
    assert len(labels) == 3000 and {o["selection"] for o in labels} == {"random-2"}
    testers = B.test_people()
    assert all("personal:" + o["source"].split(":", 1)[1] in testers for o in labels)
    keys = Counter((o["source"], o["id"]) for o in _labels())
    assert all(keys[(o["source"], o["id"])] == 1 for o in labels)
