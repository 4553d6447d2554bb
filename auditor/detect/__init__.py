"""Detectors: one module per detector, registered by name.

Post detectors (political, grievance, disrespect) read lexicon hits found in one pass over a
post. The work-identity detector reads an account. The separation step in
:mod:`auditor.audit` combines both into account-level detections.
"""

from __future__ import annotations

from auditor.detect.base import Detector
from auditor.detect.disrespect import DisrespectDetector
from auditor.detect.grievance import GrievanceDetector
from auditor.detect.political import PoliticalDetector

DETECTORS: dict[str, type[Detector]] = {}


def register_detector(cls: type[Detector]) -> type[Detector]:
    """Class decorator: make a post detector available by its ``name``."""
    DETECTORS[cls.name] = cls
    return cls


for _cls in (PoliticalDetector, GrievanceDetector, DisrespectDetector):
    register_detector(_cls)


def default_detectors() -> list[Detector]:
    """One instance of every detector marked ``autoload``."""
    return [cls() for cls in DETECTORS.values() if cls.autoload]


__all__ = ["DETECTORS", "Detector", "default_detectors", "register_detector"]
