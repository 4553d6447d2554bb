"""A facilitator's SQLite database of workshop sessions (``--db workshop.sqlite``).

It stores only what the dashboard shows: per session, the label, date, policy, number of
participants, the k used, and the participant counts per cell (suppressed cells stored as
NULL), plus the random ids of the summaries counted, so a summary handed in again at a later
session is rejected. Never any text.

The schema is versioned with SQLite's ``user_version``; :data:`MIGRATIONS` are applied in order
and each runs in a transaction. A database written by a newer version of the tool is refused.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from auditor._private import restrict_file
from auditor.errors import AuditorError

MIGRATIONS: list[str] = [
    # 1: sessions and their cells
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        held_on TEXT NOT NULL,
        policy TEXT NOT NULL,
        participants INTEGER NOT NULL,
        min_group INTEGER NOT NULL
    );
    CREATE TABLE cells (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        dimension TEXT NOT NULL,
        key TEXT NOT NULL,
        participants INTEGER,
        PRIMARY KEY (session_id, dimension, key)
    );
    """,
    # 2: remember which summaries were counted, to refuse them at a later session
    """
    CREATE TABLE counted_summaries (
        summary_id TEXT PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE
    );
    """,
]


class DatabaseError(AuditorError):
    """The workshop database cannot be used."""


def _create_private(path: Path) -> None:
    """Create a new database file private to the user (0600, or an owner-only access list on
    Windows) before SQLite opens it; SQLite gives its journal the same permissions. An existing
    file is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as e:
        raise DatabaseError(f"cannot create {path}: {e.strerror}.") from None
    try:
        restrict_file(fd, path)
    finally:
        os.close(fd)


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database.

    ``readonly`` (for commands that only read, such as ``workshop history``) opens the file
    read-only and never creates, migrates or otherwise writes it: a file that is not a workshop
    database at the current schema is refused instead.
    """
    if readonly:
        return _open_readonly(path)
    _create_private(path)
    try:
        con = sqlite3.connect(path)
        con.execute("PRAGMA foreign_keys = ON")
        version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path} is not a workshop database ({e}); pass a new file name to start one.") from None
    if version > len(MIGRATIONS):
        raise DatabaseError(f"{path} was written by a newer version of the tool (schema {version}, this tool "
                            f"knows up to {len(MIGRATIONS)}); upgrade the tool.")
    for n, script in enumerate(MIGRATIONS[version:], start=version + 1):
        try:
            with con:
                con.executescript(f"BEGIN; {script} PRAGMA user_version = {n}; COMMIT;")
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"cannot migrate {path} to schema {n} ({e})") from None
    return con


def _open_readonly(path: Path) -> sqlite3.Connection:
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path} is not a workshop database ({e}).") from None
    if version == 0:
        con.close()
        raise DatabaseError(f"{path} is not a workshop database (it has none of the workshop tables); "
                            "nothing was written to it.")
    if version != len(MIGRATIONS):
        con.close()
        newer = version > len(MIGRATIONS)
        raise DatabaseError(f"{path} was written by a newer version of the tool (schema {version}, this tool "
                            f"knows up to {len(MIGRATIONS)}); upgrade the tool." if newer else
                            f"{path} is at schema {version}, this tool reads schema {len(MIGRATIONS)}: run "
                            "'auditor workshop aggregate --db' once to upgrade it.")
    return con


def counted_ids(con: sqlite3.Connection) -> set[str]:
    """Summary ids already counted in earlier sessions."""
    return {r[0] for r in con.execute("SELECT summary_id FROM counted_summaries")}


def add_session(con: sqlite3.Connection, label: str, held_on: str, agg: dict[str, Any], summary_ids: list[str]) -> int:
    """Store one session's aggregate; returns its id."""
    with con:
        cur = con.execute("INSERT INTO sessions (label, held_on, policy, participants, min_group) VALUES (?, ?, ?, ?, ?)",
                          (label, held_on, agg["policy"], agg["participants"], agg["min_group"]))
        sid = cur.lastrowid
        con.executemany("INSERT INTO cells VALUES (?, ?, ?, ?)",
                        [(sid, c["dimension"], c["key"], c["participants"]) for c in agg["cells"]])
        con.executemany("INSERT INTO counted_summaries VALUES (?, ?)", [(i, sid) for i in summary_ids])
    return int(sid)


def history(con: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every session, oldest first, with the figures the trend shows."""
    out = []
    for sid, label, held_on, policy, n, k in con.execute(
            "SELECT id, label, held_on, policy, participants, min_group FROM sessions ORDER BY held_on, id"):
        cells = {(d, key): p for d, key, p in con.execute(
            "SELECT dimension, key, participants FROM cells WHERE session_id = ?", (sid,))}
        high = [cells.get(("exposure", e), 0) for e in ("high", "critical")]
        high_n = None if any(h is None for h in high) else sum(high)  # None: a suppressed cell
        tied = cells.get(("tied", "political on a work-tied account"))
        rules = sorted(((p, key) for (d, key), p in cells.items() if d == "rule" and p is not None), reverse=True)
        out.append({"session": sid, "label": label, "held_on": held_on, "policy": policy, "participants": n,
                    "min_group": k, "high_or_critical": high_n, "political_on_work_tied": tied,
                    "top_rule": rules[0][1] if rules else None})
    return out
