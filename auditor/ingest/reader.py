"""Reading exports: which platforms' files a path holds (recognised by content), split into one
export per platform, and loaded with that platform's importer (see the package docstring).
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from pathlib import Path, PurePosixPath

from auditor.errors import AuditorError, UnknownPlatformError
from auditor.ingest._archive import DirSource, Member, Peek, Source, ZipSource, open_source
from auditor.ingest._registry import PLATFORMS, Claim, Importer
from auditor.models import Export
from auditor.textutil import file_name

#: Entries of a folder that may be exports of their own (a folder of downloads).
_CHILD_SUFFIXES = (".zip", ".car", ".xml", ".json", ".js")


def peek_all(source: Source) -> list[Peek]:
    """Every member with its first bytes, each member opened at most once."""
    peeks = []
    cached = getattr(source, "head", None)  # a lone file: its first bytes are already read
    for m in source.members():
        n = max((imp.wants(m) for imp in PLATFORMS.values()), default=0)
        head = cached if isinstance(cached, bytes) else (source.read_bytes(m, n) if n else b"")
        peeks.append(Peek(m, head, source))
    return peeks


def _claims(path: str, source: Source, peeks: list[Peek]) -> dict[str, Claim]:
    return {name: imp.claim(path, source, peeks) for name, imp in PLATFORMS.items()}


def _found(claims: dict[str, Claim]) -> list[Importer]:
    """The platforms whose export is there. One recognised by file names alone (a folder of HTML
    pages is a website) counts only when no platform is recognised by content (the page an X
    archive carries does not make a website)."""
    found = [imp for name, imp in PLATFORMS.items() if imp.detect(claims[name])]
    by_content = [imp for imp in found
                  if any(k is not None and k not in imp.weak for k in claims[imp.name].kinds.values())]
    return by_content or found


def split(path: str, source: Source, peeks: list[Peek],
          claims: dict[str, Claim] | None = None) -> list[tuple[Importer, Claim]]:
    """The exports in one source: each platform found, with the files that are its own.

    A file recognised by several platforms goes to the one that recognised it by content
    rather than by name (the first in registry order on a tie); a file none recognises goes to
    the platform owning most files in its nearest folder. Raises when no platform is found.
    """
    claims = claims or _claims(path, source, peeks)
    found = _found(claims)
    if not found:
        raise _unknown(path, source)
    while len(found) > 1:
        owner = _assign(found, claims, peeks)
        shares = {imp.name: Claim(path, source, {p.member: claims[imp.name].kinds[p.member]
                                                 for p in peeks if owner[p.member] is imp}) for imp in found}
        # a platform left without the files that made it (another recognised them first) is dropped
        kept = [imp for imp in found if imp.detect(shares[imp.name])]
        if len(kept) == len(found):
            return [(imp, shares[imp.name]) for imp in found]
        found = kept or found[:1]
    return [(found[0], claims[found[0].name])]


def _assign(found: list[Importer], claims: dict[str, Claim], peeks: list[Peek]) -> dict[Member, Importer]:
    owner: dict[Member, Importer] = {}
    for p in peeks:
        best, rank = None, 0
        for imp in found:
            k = claims[imp.name].kinds[p.member]
            r = 0 if k is None else (1 if k in imp.weak else 2)
            if r > rank:
                best, rank = imp, r
        if best is not None:
            owner[p.member] = best
    near: dict[str, Counter[str]] = {}
    for m, imp in owner.items():
        for folder in PurePosixPath(m.name).parents:
            near.setdefault(str(folder), Counter())[imp.name] += 1
    order = {imp.name: i for i, imp in enumerate(found)}
    by_name = {imp.name: imp for imp in found}
    for p in peeks:
        if p.member in owner:
            continue
        for folder in PurePosixPath(p.member.name).parents:
            counts = near.get(str(folder))
            if counts:
                name = min(counts, key=lambda n: (-counts[n], order[n]))
                owner[p.member] = by_name[name]
                break
        else:
            owner[p.member] = found[0]
    return owner


def _unknown(path: str | os.PathLike[str], source: Source) -> UnknownPlatformError:
    inner = [m.name for m in source.members() if m.basename.lower().endswith(".zip")]
    if inner:
        return UnknownPlatformError(
            f"{path} holds no export files, only other ZIP archives ({', '.join(inner[:3])}); they are not "
            "opened automatically. Unpack the outer archive and pass the inner one(s)."
        )
    known = "; ".join(i.describes for i in PLATFORMS.values())
    return UnknownPlatformError(f"{path} is not an export this tool recognises. Expected one of: {known}.")


def sniff(path: str | os.PathLike[str]) -> Importer:
    """The (first) importer that recognises the export at ``path``; raise if none does."""
    with open_source(path) as source:
        return split(str(path), source, peek_all(source))[0][0]


def load_export(path: str | os.PathLike[str], platform: str | None = None) -> Export:
    """Recognise and load one export (``platform`` forces the importer, recognising nothing).

    Raises when the path holds exports of several platforms: :func:`read_exports` reads those.
    """
    with open_source(path) as source:
        peeks = peek_all(source)
        if platform:
            return PLATFORMS[platform].load(PLATFORMS[platform].claim(str(path), source, peeks))
        parts = split(str(path), source, peeks)
        if len(parts) > 1:
            raise AuditorError(f"{path} holds several exports ({', '.join(i.name for i, _ in parts)}); "
                               "read them with read_exports.")
        importer, claim = parts[0]
        return importer.load(claim)


def read_exports(paths: list[str]) -> tuple[list[Export], list[str]]:
    """Recognise and load every export in ``paths``, reading each file's first bytes once.

    People put all their downloads in one folder. A folder is opened up when at least two of its
    entries are exports of their own that are ZIPs or belong to different platforms (an unpacked
    Facebook download, whose sub-folders are all Facebook, stays one export). Any one folder,
    ZIP or file may yield several exports, one per platform found in it. The same export named
    twice is read once. Returns the exports and a note for each folder entry left out.
    """
    notes: list[str] = []
    units: list[tuple[str, Source, list[Peek]]] = []
    seen: set[Path] = set()
    exports: list[Export] = []
    with contextlib.ExitStack() as stack:
        for p in paths:
            if Path(p).resolve() in seen:
                continue
            seen.add(Path(p).resolve())
            source = stack.enter_context(open_source(p))
            peeks = peek_all(source)
            opened = _open_up(p, source, peeks, stack, notes) if isinstance(source, DirSource) else None
            for unit in opened or [(p, source, peeks)]:
                key = Path(unit[0]).resolve()
                if unit[0] != p and key in seen:
                    continue
                seen.add(key)
                units.append(unit)
        for path, source, peeks in units:
            for importer, claim in split(path, source, peeks):
                exports.append(importer.load(claim))
    return exports, notes


def _open_up(path: str, source: DirSource, peeks: list[Peek], stack: contextlib.ExitStack,
             notes: list[str]) -> list[tuple[str, Source, list[Peek]]] | None:
    """The entries of a folder of exports, each as an export of its own; None when the folder
    is one export."""
    root = Path(path)
    tops: dict[str, list[Peek]] = {}
    for pk in peeks:
        tops.setdefault(pk.member.parts[0], []).append(pk)
    children = sorted(n for n in tops if not n.startswith(".")
                      and (len(tops[n]) > 1 or len(tops[n][0].member.parts) > 1
                           or PurePosixPath(n).suffix.lower() in _CHILD_SUFFIXES))
    found: list[tuple[str, Source, list[Peek], set[str]]] = []
    zips = []
    for name in children:
        group = tops[name]
        if len(group) == 1 and len(group[0].member.parts) == 1:  # a file
            member = group[0].member
            if name.lower().endswith(".zip"):
                try:
                    sub: Source = stack.enter_context(ZipSource(root / name))
                except AuditorError:
                    continue
                sub_peeks = peek_all(sub)
                zips.append(name)
            else:
                sub = source.file(member, group[0].read)
                sub_peeks = [group[0].moved(member, sub)]
        else:
            sub = source.subtree(name)
            by_name = {pk.member.name: pk for pk in group}
            sub_peeks = [by_name[f"{name}/{m.name}"].moved(m, sub) for m in sub.members()]
        try:
            platforms = {imp.name for imp in _found(_claims(str(root / name), sub, sub_peeks))}
        except AuditorError:
            continue
        if platforms:
            found.append((name, sub, sub_peeks, platforms))
    names = {n for n, *_ in found}
    platforms = set().union(*(f[3] for f in found)) if found else set()
    if len(found) >= 2 and (len(platforms) >= 2 or all(n in zips for n in names)):
        notes += [f"{n} in {file_name(root)} is not an export this tool recognises; it was not audited."
                  for n in children if n not in names]
        return [(str(root / n), sub, sub_peeks) for n, sub, sub_peeks, _ in found]
    return None
