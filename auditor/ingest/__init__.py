"""Importers: one module per platform, all producing :class:`auditor.models.Export`.

The platform is recognised from the content of the export (its files' headers and keys), not
from the file name: :func:`sniff` asks every registered importer in turn.
"""

from __future__ import annotations

import os

from auditor.errors import UnknownPlatformError
from auditor.ingest._archive import open_source
from auditor.ingest._registry import PLATFORMS, Importer, register_platform
from auditor.models import Export

__all__ = ["PLATFORMS", "Importer", "load_export", "register_platform", "sniff"]


def sniff(path: str | os.PathLike[str]) -> Importer:
    """The importer that recognises the export at ``path``; raise if none does."""
    with open_source(path) as source:
        for importer in PLATFORMS.values():
            if importer.detect(source):
                return importer
        inner = [m.name for m in source.members() if m.basename.lower().endswith(".zip")]
    if inner:
        raise UnknownPlatformError(
            f"{path} holds no export files, only other ZIP archives ({', '.join(inner[:3])}); they are not "
            "opened automatically. Unpack the outer archive and pass the inner one(s)."
        )
    known = "; ".join(i.describes for i in PLATFORMS.values())
    raise UnknownPlatformError(
        f"{path} is not an export this tool recognises. Expected one of: {known}."
    )


def load_export(path: str | os.PathLike[str], platform: str | None = None) -> Export:
    """Recognise and load one export."""
    importer = PLATFORMS[platform] if platform else sniff(path)
    return importer.load(str(path))


# Importers register themselves on import.
from auditor.ingest import (  # noqa: F401
    bluesky,
    facebook,
    instagram,
    linkedin,
    mastodon,
    reddit,
    twitter,
    website,
)
