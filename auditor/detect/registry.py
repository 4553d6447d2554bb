"""The post detectors, registered by name (``political``, ``grievance``, ``disrespect``)."""

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
