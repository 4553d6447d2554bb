"""Dates in exports: one ISO 8601 reader that every importer's own format falls back to."""

from __future__ import annotations

import datetime as dt


def parse_iso(value: str) -> dt.datetime | None:
    """ISO 8601 (``2024-01-15T12:34:56Z``, ``2024-01-15 12:34:56+13:00``, a bare date) in UTC.

    A time without a zone is taken as UTC, as the platforms write them; None when unreadable.
    """
    v = (value or "").strip() if isinstance(value, str) else ""
    if not v:
        return None
    try:
        d = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return d.astimezone(dt.UTC) if d.tzinfo else d.replace(tzinfo=dt.UTC)
