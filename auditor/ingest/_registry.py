"""The platform registry: each importer module registers how to recognise and load its export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from auditor.ingest._archive import Source
from auditor.models import Export


@dataclass(frozen=True)
class Importer:
    """How to recognise one platform's export and how to load it."""

    name: str
    detect: Callable[[Source], bool]
    load: Callable[[str], Export]
    describes: str


PLATFORMS: dict[str, Importer] = {}


def register_platform(name: str, detect: Callable[[Source], bool], load: Callable[[str], Export],
                      describes: str) -> None:
    """Add an importer. Later registrations of the same name replace earlier ones."""
    PLATFORMS[name] = Importer(name, detect, load, describes)
