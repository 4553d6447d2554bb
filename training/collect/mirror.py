"""Read files of public GitHub repositories from local bare git snapshots, at a recorded commit.

A snapshot of ``owner/name`` lives in ``<mirror>/<owner>+<name>/repo`` (a bare git directory) or,
for snapshots taken as clones, ``<mirror>/<owner>+<name>/repo/.git``. The search tool's ``fetch``
step (``github:owner/name``) puts them there. Snapshots lack files of 4 MiB or more: such a file
is listed in its tree but its blob is absent, and :meth:`Mirror.show` raises :class:`AbsentBlob`.

Every read names a commit, so a newer snapshot of the same repository gives the same bytes as
long as it still holds that commit.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MIRROR = Path("/work/.mirror")


@dataclass(frozen=True, order=True)
class Source:
    """One repository at one commit that a collection step reads."""

    repo: str
    commit: str

    def __str__(self) -> str:
        return f"{self.repo} @ {self.commit}"


class AbsentBlob(KeyError):
    """The path is not in the commit, or its blob is absent from the snapshot (files >= 4 MiB)."""


class MissingSources(RuntimeError):
    """Some repositories (or their recorded commits) are not in the mirror."""

    def __init__(self, mirror: Path, missing: list[tuple[Source, str]]):
        self.mirror = mirror
        self.missing = missing
        super().__init__(self.explain())

    def explain(self) -> str:
        by_repo: dict[str, list[tuple[str, str]]] = {}
        for src, why in self.missing:
            by_repo.setdefault(src.repo, []).append((src.commit, why))
        lines = [f"{len(by_repo)} source repositories are missing from the mirror {self.mirror}:"]
        for repo, commits in by_repo.items():
            more = f" and {len(commits) - 1} more commit(s)" if len(commits) > 1 else ""
            lines.append(f"  - {repo} @ {commits[0][0]}{more}  ({commits[0][1]})")
        lines += [
            "Get them with the search tool's fetch step, one call per repository "
            f"(each unpacks into {self.mirror}/<owner>+<name>/repo):",
            *(f"    fetch source=github:{repo}" for repo in by_repo),
            "The snapshot must still contain the commit(s) named above; if it does not, that source's rows",
            "cannot be rebuilt as recorded (training/SOURCES.md lists every repository and commit).",
        ]
        return "\n".join(lines)


class Mirror:
    """Bare git snapshots under one folder; reads blobs with ``git cat-file --batch``."""

    def __init__(self, root: Path = DEFAULT_MIRROR):
        self.root = Path(root)
        self._cat: dict[str, subprocess.Popen] = {}

    # --- locating -------------------------------------------------------------------------
    def gitdir(self, repo: str) -> Path:
        base = self.root / repo.replace("/", "+") / "repo"
        return base / ".git" if (base / ".git").is_dir() else base

    def _git(self, repo: str, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.gitdir(repo)), *args],
                              capture_output=True, check=True).stdout

    def check(self, sources) -> list[tuple[Source, str]]:
        """The sources that are missing, each with the reason (empty when all are present)."""
        missing = []
        for src in sorted(set(sources)):
            g = self.gitdir(src.repo)
            if not (g / "HEAD").exists():
                missing.append((src, "repository not fetched"))
                continue
            ok = subprocess.run(["git", "--git-dir", str(g), "cat-file", "-e", src.commit + "^{commit}"],
                                capture_output=True).returncode == 0
            if not ok:
                missing.append((src, "snapshot present, but without this commit"))
        return missing

    def require(self, sources) -> None:
        missing = self.check(sources)
        if missing:
            raise MissingSources(self.root, missing)

    # --- reading --------------------------------------------------------------------------
    def ls(self, repo: str, commit: str, *pathspec: str, recursive: bool = True) -> list[str]:
        """``git ls-tree [-r] --name-only COMMIT [PATHSPEC]``: the paths, in git's order."""
        out = self._git(repo, "ls-tree", *(["-r"] if recursive else []), "--name-only", "-z", commit, *pathspec)
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]

    def show(self, repo: str, commit: str, path: str) -> bytes:
        """The bytes of ``COMMIT:PATH`` (``git show COMMIT:PATH``); :class:`AbsentBlob` if absent."""
        if "\n" in path:
            raise ValueError(f"path with a newline: {path!r}")
        return self._object(repo, f"{commit}:{path}", f"{repo} @ {commit[:12]}: {path}")

    def versions(self, repo: str, commit: str, path: str) -> list[bytes]:
        """Every distinct content ``path`` had in the history that leads to ``commit``, newest
        first (``git rev-list --objects``): for a repository that a scraper commits one file to
        again and again, the data is its history. Absent blobs are left out."""
        out = self._git(repo, "rev-list", "--objects", commit, "--", path).decode("utf-8", "surrogateescape")
        oids = list(dict.fromkeys(line.split(" ", 1)[0] for line in out.splitlines()
                                  if line.partition(" ")[2] == path))
        blobs = []
        for oid in oids:
            try:
                blobs.append(self._object(repo, oid, f"{repo}: {path} ({oid[:12]})"))
            except AbsentBlob:
                pass
        return blobs

    def _object(self, repo: str, name: str, what: str) -> bytes:
        cat = self._cat.get(repo)
        if cat is None or cat.poll() is not None:
            cat = subprocess.Popen(["git", "--git-dir", str(self.gitdir(repo)), "cat-file", "--batch"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            self._cat[repo] = cat
        cat.stdin.write(f"{name}\n".encode("utf-8", "surrogateescape"))
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 3 or header[-1] == b"missing":
            raise AbsentBlob(what)
        size = int(header[2])
        data = cat.stdout.read(size)
        cat.stdout.read(1)  # the newline after each object
        return data

    def text(self, repo: str, commit: str, path: str, encoding: str = "utf-8", errors: str = "replace") -> str:
        return self.show(repo, commit, path).decode(encoding, errors)

    def log(self, repo: str, *args: str) -> list[str]:
        return self._git(repo, "log", *args).decode().split()

    def close(self) -> None:
        for p in self._cat.values():
            if p.poll() is None:
                p.stdin.close()
                p.wait()
        self._cat.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def write_jsonl(path: Path, rows, ensure_ascii: bool = False) -> int:
    """Write rows as JSON lines (through a temporary file, so a failed run leaves no half file)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=ensure_ascii) + "\n")
            n += 1
    os.replace(tmp, path)
    return n
