"""The platform registry: each importer module registers how to recognise and load its export.

Recognising works file by file, and each file is looked at once. For every file the registry
reads the first bytes once (as many as the most demanding importer ``wants``) and shows them to
every importer's ``kind_of``, which names the file (``shares``, ``outbox``, ``wxr`` ...) or says
None. Those names, collected in a :class:`Claim`, are all ``detect`` needs to decide whether an
export of the platform is there, and they are handed on to ``load``, which reads each file
knowing what it is, without recognising it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from auditor.ingest._archive import Member, Peek, Source
from auditor.models import Export


@dataclass
class Claim:
    """The files of one export that one importer reads, each with the kind its ``kind_of`` gave.

    :param path: the export as the person named it (a ZIP, a folder or a file).
    :param source: the open export; valid while ``load`` runs. Readers of posts use
        ``source.reopen()`` (see :func:`auditor.ingest._archive.streamed`).
    :param kinds: member -> kind (None: a file of the export that the importer does not read),
        in the export's order.
    """

    path: str
    source: Source
    kinds: dict[Member, str | None] = field(default_factory=dict)

    def members(self) -> list[Member]:
        """Every file of the claim, in order."""
        return list(self.kinds)

    def of(self, *kinds: str) -> list[Member]:
        """The files of the given kinds, in order."""
        return [m for m, k in self.kinds.items() if k in kinds]

    def groups(self) -> dict[str, list[Member]]:
        """Files grouped by kind (``other`` for None)."""
        out: dict[str, list[Member]] = {}
        for m, k in self.kinds.items():
            out.setdefault(k or "other", []).append(m)
        return out

    def has(self, *kinds: str) -> bool:
        """True when any file is of one of the given kinds."""
        return any(k in kinds for k in self.kinds.values())


@dataclass(frozen=True)
class Importer:
    """How to recognise one platform's files and export, and how to load it.

    :param wants: how many leading bytes of a file ``kind_of`` needs (0: it can tell, or rule
        the file out, from its name alone).
    :param kind_of: what kind of file this is for the platform, or None.
    :param detect: whether the kinds found make an export of the platform.
    :param load: read the claimed files into an :class:`Export`.
    :param weak: kinds given from the name or folder alone; where two platforms claim the same
        file, a kind recognised from the content wins over a weak one.
    """

    name: str
    wants: Callable[[Member], int]
    kind_of: Callable[[Peek], str | None]
    detect: Callable[[Claim], bool]
    load: Callable[[Claim], Export]
    describes: str
    weak: frozenset[str] = frozenset()

    def claim(self, path: str, source: Source, peeks: Iterable[Peek]) -> Claim:
        """This importer's kinds for every file."""
        return Claim(path, source, {p.member: self.kind_of(p) for p in peeks})


PLATFORMS: dict[str, Importer] = {}


def register_platform(name: str, *, wants: Callable[[Member], int], kind_of: Callable[[Peek], str | None],
                      detect: Callable[[Claim], bool], load: Callable[[Claim], Export], describes: str,
                      weak: Iterable[str] = ()) -> None:
    """Add an importer. Later registrations of the same name replace earlier ones."""
    PLATFORMS[name] = Importer(name, wants, kind_of, detect, load, describes, frozenset(weak))
