import json
from pathlib import Path

import pytest

DEV = Path(__file__).parent / "data" / "political_dev.jsonl"


def test_eval_json_keys_and_counts(run):
    r = run("eval", "--task", "political", DEV, "--json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert set(d) - {"with_posts_to_skim"} == {"precision", "recall", "f1", "tp", "fp", "fn", "tn"}
    # the findings and the list of posts to skim together find at least what the findings find
    both = d.get("with_posts_to_skim", d)
    assert both["tp"] >= d["tp"] and both["tp"] + both["fn"] == d["tp"] + d["fn"]
    assert d["tp"] + d["fp"] + d["fn"] + d["tn"] == sum(1 for ln in DEV.read_text().splitlines() if ln.strip())
    assert d["tp"] + d["fn"] == sum(1 for ln in DEV.read_text().splitlines() if '": 1}' in ln)


@pytest.mark.parametrize("task, minimum", [("political", 600), ("grievance", 200), ("disrespect", 200)])
def test_dev_sets_are_big_enough_balanced_and_distinct_from_holdouts(task, minimum):
    data = Path(__file__).parent / "data"
    dev = [json.loads(ln) for ln in (data / f"{task}_dev.jsonl").read_text().splitlines() if ln.strip()]
    hold = [json.loads(ln) for ln in (data / f"{task}_holdout.jsonl").read_text().splitlines() if ln.strip()]
    labels = [d.get("label", d.get("political")) for d in dev]
    assert len(dev) >= minimum and 0.4 < sum(labels) / len(labels) < 0.6
    texts = [d["text"] for d in dev]
    assert len(set(texts)) == len(texts)
    assert not set(texts) & {h["text"] for h in hold}


def test_eval_errors_lists_misclassified_items(run, tmp_path):
    f = tmp_path / "mini.jsonl"
    f.write_text(json.dumps({"text": "Lovely day at the beach", "label": 1}) + "\n")
    r = run("eval", "--task", "political", f, "--errors")
    assert r.exit_code == 0 and r.stdout.startswith("FN\t-\tLovely day at the beach")


def test_eval_accepts_political_key_and_computes_metrics(run, tmp_path):
    f = tmp_path / "mini.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in [
        {"text": "Vote them out! Shame on this government. #nzpol", "political": 1},   # tp
        {"text": "Lovely day at the beach", "political": 1},                           # fn
        {"text": "Lunch at the office", "political": 0},                               # tn
        {"text": "Luxon is a disgrace", "political": 0},                               # fp
    ]))
    d = json.loads(run("eval", "--task", "political", f, "--json").stdout)
    assert (d["tp"], d["fn"], d["tn"], d["fp"]) == (1, 1, 1, 1)
    assert d["precision"] == 0.5 and d["recall"] == 0.5 and d["f1"] == 0.5


@pytest.mark.parametrize("content, message", [
    ("not json\n", "line 1: not JSON"),
    ('{"text": "x"}\n', 'needs "text" and \'label\''),
    ('{"text": "x", "label": 7}\n', "must be 0 or 1"),
    ("", "holds no labelled items"),
])
def test_eval_bad_files(run, tmp_path, content, message):
    f = tmp_path / "bad.jsonl"
    f.write_text(content)
    r = run("eval", "--task", "grievance", f)
    assert r.exit_code == 2 and message in r.stderr
