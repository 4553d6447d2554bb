"""Importers: one module per platform, all producing :class:`auditor.models.Export`.

The platform is recognised from the content of the export (its files' headers and keys), not
from the file name: :func:`sniff` asks every registered importer in turn.
"""

from __future__ import annotations

import os
from pathlib import Path

from auditor.errors import AuditorError, UnknownPlatformError
from auditor.ingest._archive import open_source
from auditor.ingest._registry import PLATFORMS, Importer, register_platform
from auditor.models import Export
from auditor.textutil import file_name

__all__ = ["PLATFORMS", "Importer", "expand_exports", "load_export", "register_platform", "sniff"]


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


def expand_exports(paths: list[str]) -> tuple[list[str], list[str]]:
    """Paths to audit, with a folder that merely *holds* several exports opened up.

    People put all their downloads in one folder. A folder is opened up when at least two of
    its entries are exports of their own that are ZIPs or belong to different platforms (an
    unpacked Facebook download, whose sub-folders are all Facebook, stays one export). Returns
    the paths (each export once, however often it was named) and a note for each entry that was
    left out.
    """
    out: list[str] = []
    notes: list[str] = []
    for p in paths:
        path = Path(p)
        if not path.is_dir():
            out.append(p)
            continue
        children = sorted(c for c in path.iterdir() if not c.name.startswith(".")
                          and (c.is_dir() or c.suffix.lower() in (".zip", ".car", ".xml", ".json", ".js")))
        found: list[tuple[Path, str]] = []
        for c in children:
            try:
                found.append((c, sniff(c).name))
            except AuditorError:
                continue
        platforms = {name for _, name in found}
        if len(found) >= 2 and (len(platforms) >= 2 or all(c.suffix.lower() == ".zip" for c, _ in found)):
            out += [str(c) for c, _ in found]
            recognised = {c for c, _ in found}
            notes += [f"{c.name} in {file_name(path)} is not an export this tool recognises; it was not audited."
                      for c in children if c not in recognised]
        else:
            out.append(p)
    # The same export named twice (or once inside a folder and once on its own) is read once.
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = Path(p).resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, notes


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
