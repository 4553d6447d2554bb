"""Importers: one module per platform, all producing :class:`auditor.models.Export`.

The platform is recognised from the content of each file (its header row, keys or first
bytes), not from the file name, and each file is looked at once (see
:mod:`auditor.ingest._registry`). A folder or ZIP is split by content: every platform whose
files are in it gets an export of its own, so a folder holding a Reddit export and LinkedIn
CSVs gives two exports, and a file no platform recognises goes with the export whose files are
nearest to it, which lists it as skipped.
"""

# Importers register themselves on import.
from auditor.ingest import (  # noqa: F401
    bluesky,
    facebook,
    instagram,
    linkedin,
    mastodon,
    reddit,
    twitter,
    twitter_grailbird,
    website,
)
from auditor.ingest._registry import PLATFORMS, Claim, Importer, register_platform
from auditor.ingest.reader import load_export, read_exports, sniff

__all__ = ["PLATFORMS", "Claim", "Importer", "load_export", "read_exports", "register_platform", "sniff"]
