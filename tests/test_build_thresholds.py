"""How the build chooses a model's threshold (training/build_models.py), on made-up scores: the
rules themselves, apart from any data."""

import json
import sys

import numpy as np

from auditor.detect.textmodel import MANIFEST, MODELS_DIR

sys.path.insert(0, str(MODELS_DIR.parents[2] / "training"))
import build_models as B  # noqa: E402


def test_the_false_alarm_budget_takes_the_lowest_threshold_within_it():
    # 200 everyday posts scored 0.00 to 0.995, and 10 positives scored 0.6 and up
    neg = np.arange(200) / 200
    y = np.array([0] * 200 + [1] * 10)
    p = np.concatenate([neg, np.linspace(0.6, 0.99, 10)])
    thr, how = B.choose_by_false_alarms(y, p, None, 0.05)
    # at most 10 of the 200 everyday posts (5%) may be flagged: those scored 0.95 and up
    assert thr == 0.95
    assert ((p[:200] >= thr).sum()) <= 10 and ((p[:200] >= thr - 0.01).sum()) > 10
    assert "at most 5% false alarms" in how
    # a gate that closes on every everyday post lets the lowest threshold through
    gate = np.array([False] * 200 + [True] * 10)
    assert B.choose_by_false_alarms(y, p, gate, 0.05)[0] == 0.20
    # no threshold within the budget
    assert B.choose_by_false_alarms(np.array([0, 0, 1]), np.array([0.995, 0.995, 0.995]), None, 0.01)[0] == 0.99


def test_grievance_is_set_by_its_false_alarm_budget_and_political_by_f05():
    man = json.loads(MANIFEST.read_text(encoding="utf-8"))["models"]
    assert man["grievance_en"]["threshold_rule"].startswith("the lowest with at most 1% false alarms")
    assert man["political_en"]["threshold_rule"].startswith("best F0.5")
    spec = {s.name: s for s in B.MODELS}
    assert spec["grievance_en"].max_false_alarms == 0.01 and spec["political_en"].max_false_alarms is None
