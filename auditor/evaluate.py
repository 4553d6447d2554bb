"""Measure a detector on labelled text: precision, recall, F1 and the confusion counts.

Input is JSON Lines, one ``{"text": "...", "label": 0 or 1}`` per line (for the political task
the key ``political`` is accepted instead of ``label``; a task's own key, such as ``"disrespect"``,
is accepted too, so one file of hand-labelled posts serves every task). An optional ``"source"``
names where the item came from; figures are then given per source as well, because a detector
is only measured honestly on sources it was not trained on. A political item counts as detected
when the detector gives it any political label (partisan, policy commentary, civic or a neutral
mention): the model decides whether a post is political, the lexicon names the kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from auditor.detect import DETECTORS
from auditor.detect.base import FieldHit, PostContext
from auditor.detect.lexicon import Lexicon
from auditor.detect.textmodel import judge
from auditor.errors import AuditorError
from auditor.models import Post, PostKind
from auditor.policy import Policy

TASKS = ("political", "grievance", "disrespect")
#: Labels that count as detected. Every political label counts: the model decides that a post is
#: political, and the lexicon only names the kind (civic content and neutral mentions are shown
#: in the report's "what is fine" list rather than as findings).
POSITIVE = {"political": {"partisan", "policy-commentary", "civic", "mention"}, "grievance": {"grievance"},
            "disrespect": {"disrespect"}}


def read_text(text: str, lexicon: Lexicon, thresholds: dict[str, float] | None, lang: str | None = None):
    """(hits, language, predictions) of ``text`` read as an audit reads a post's own words: the
    lexicon's hits (and the phrases it masks from the models), then the models of its language
    (identified, or ``lang``)."""
    found, masked = lexicon.scan(text)
    hits = [FieldHit("text", h) for h in found]
    language, preds = judge(text, {h.hit.term.model_group for h in hits}, thresholds, lang=lang, masked=masked)
    return hits, language, preds


def detect_text(detector, text: str, policy: Policy, lexicon: Lexicon, lang: str | None = None):
    """``detector``'s detection of ``text`` read as an audit reads a post (:func:`read_text`,
    with the pack's thresholds), or None."""
    hits, _, preds = read_text(text, lexicon, policy.thresholds, lang)
    return detector.detect(Post("eval", "x", PostKind.POST, None, text), hits,
                           PostContext(predictions=preds, thresholds=policy.thresholds))


@dataclass
class Scores:
    """Confusion counts and the measures derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: int, gold: int) -> None:
        """Count one item."""
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0 when nothing was predicted positive."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0 when there are no positives."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @classmethod
    def total(cls, parts) -> Scores:
        """The counts of several :class:`Scores` added up."""
        out = cls()
        for s in parts:
            out.tp, out.fp, out.fn, out.tn = out.tp + s.tp, out.fp + s.fp, out.fn + s.fn, out.tn + s.tn
        return out

    @property
    def false_alarm_rate(self) -> float:
        """fp / (fp + tn): the share of negatives flagged; 0 when there are none."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The JSON the ``--json`` flag prints."""
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


def read_labelled(path: Path, task: str) -> list[tuple[str, int, str]]:
    """(text, label, source) items from a JSONL file; :class:`AuditorError` naming the line on
    any bad one. Items whose label for the task is null are left out (labelled for another task)."""
    keys = ("label", task)
    items = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise AuditorError(f"cannot read {path}: {e}") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise AuditorError(f"{path}, line {n}: not JSON ({e.msg})") from None
        key = next((k for k in keys if isinstance(obj, dict) and k in obj), None)
        if key is None or not isinstance(obj.get("text"), str):
            raise AuditorError(f"{path}, line {n}: needs \"text\" and {' or '.join(map(repr, keys))}")
        label = obj[key]
        if label is None:
            continue
        if label not in (0, 1, True, False):
            raise AuditorError(f"{path}, line {n}: {key} must be 0 or 1, not {label!r}")
        items.append((obj["text"], int(label), str(obj.get("source") or path.stem)))
    if not items:
        raise AuditorError(f"{path} holds no labelled items")
    return items


def evaluate(items: list[tuple[str, int, str]], task: str, policy: Policy,
             wrong: list[tuple[str, str, str]] | None = None, semantic: bool = False,
             by_source: dict[str, Scores] | None = None,
             with_skim: dict[str, Scores] | None = None) -> Scores:
    """Run the task's detector on every item, exactly as an audit does (language identified
    first, the language's model, then the detector's rules), and count agreements.

    When ``wrong`` is given, every misclassified item is appended as (``FN`` or ``FP``, text,
    the label the detector gave). When ``by_source`` is given, it is filled with each source's
    counts. Items in a language without a model for the task count as not detected. When
    ``with_skim`` is given, it is filled with each source's counts for the findings and the list
    of posts to skim together (an item counts as found when it is either).
    """
    detector = DETECTORS[task]()
    lexicon = Lexicon(policy.terms)
    scores = Scores()
    model = None
    if semantic and task == "political":
        from auditor.detect.semantic import load_semantic

        model = load_semantic()
    thresholds = model.word_thresholds(policy.thresholds) if model else policy.thresholds
    read = []
    for text, _, _ in items:
        read.append(read_text(text, lexicon, thresholds))
    if model:
        # As an audit does: the English posts the sentence score could lift are embedded and
        # their political prediction blended; the rest stay under the threshold.
        todo = [i for i, (_, language, preds) in enumerate(read) if model.wants(language.code, preds)]
        groups = [{h.hit.term.model_group for h in read[i][0]} for i in todo]
        for i, score in zip(todo, model.sentence_scores([items[i][0] for i in todo], groups), strict=True):
            hits, language, preds = read[i]
            read[i] = (hits, language, model.apply(preds, score))
    results = []
    for (text, _, _), (hits, _, preds) in zip(items, read, strict=True):
        post = Post("eval", "x", PostKind.POST, None, text)
        results.append(detector.detect(post, hits, PostContext(predictions=preds, thresholds=policy.thresholds)))
    for (text, gold, source), d, (_, _, preds) in zip(items, results, read, strict=True):
        predicted = int(bool(d and d.label in POSITIVE[task]))
        if with_skim is not None:
            pred = preds.get(task)
            with_skim.setdefault(source, Scores()).add(int(predicted or bool(pred and pred.to_skim)), gold)
        if wrong is not None and predicted != gold:
            wrong.append(("FP" if predicted else "FN", text, d.label if d else ""))
        targets = [scores] if by_source is None else [scores, by_source.setdefault(source, Scores())]
        for sc in targets:
            sc.add(predicted, gold)
    return scores
