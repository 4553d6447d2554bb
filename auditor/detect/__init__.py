"""Detectors: one module per detector, registered by name.

Post detectors (political, grievance, disrespect) read lexicon hits found in one pass over a
post. The work-identity detector reads an account. The separation step in
:mod:`auditor.audit` combines both into account-level detections.
"""

from auditor.detect.base import Detector
from auditor.detect.registry import DETECTORS, default_detectors, register_detector

__all__ = ["DETECTORS", "Detector", "default_detectors", "register_detector"]
