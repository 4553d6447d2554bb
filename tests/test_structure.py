"""The tree reads as the pipeline: ingest -> model -> detect -> policy -> report, orchestrators on top.

No module imports a later stage (imports inside functions count too), and no package
``__init__.py`` holds logic.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"

#: stage of each top-level name under auditor/; anything not listed is an orchestrator (on top)
STAGES = {"ingest": 1, "detect": 2, "policy": 3, "report": 4}
BASE = {"models", "errors", "textutil", "_private", "output", "__init__"}  # stage 0
TOP = 5


def _stage(module: str) -> int:
    """Stage of a dotted module name inside ``auditor`` (``auditor.detect.scan`` -> 2)."""
    parts = module.split(".")
    if parts == ["auditor"]:
        return 0  # the package root: __version__ only
    head = parts[1]
    if head in STAGES:
        return STAGES[head]
    return 0 if head in BASE else TOP


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1 and parts[-2] != "auditor":
            parts = parts[:-1]
        out.append((".".join(parts), path))
    return out


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Every auditor module a file imports, anywhere in it (``from x import y`` counts y as
    ``x.y`` when that is a module, else as ``x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for a in node.names:
                sub = f"{base}.{a.name}"
                is_module = (PACKAGE.parent / Path(*sub.split("."))).with_suffix(".py").exists() or (
                    PACKAGE.parent / Path(*sub.split(".")) / "__init__.py").exists()
                found.append((node.lineno, sub if is_module else base))
    return [(line, m) for line, m in found if m == "auditor" or m.startswith("auditor.")]


MODULES = _modules()


def test_every_module_is_placed():
    names = {m for m, _ in MODULES}
    for stage in STAGES:
        assert f"auditor.{stage}" in names
    assert "auditor.models" in names and "auditor.audit" in names


@pytest.mark.parametrize("module,path", MODULES, ids=[m for m, _ in MODULES])
def test_no_module_imports_a_later_stage(module, path):
    mine = _stage(module)
    late = [f"line {line}: {m} (stage {_stage(m)})" for line, m in _imports(path, module) if _stage(m) > mine]
    assert not late, f"{module} (stage {mine}) imports a later stage: {late}"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    f = tmp_path / "probe.py"
    f.write_text("def f():\n    from auditor.report.render import render_all\n    import auditor.policy\n")
    found = {m for _, m in _imports(f, "auditor.detect.probe")}
    assert found == {"auditor.report.render", "auditor.policy"}
    assert max(_stage(m) for m in found) > _stage("auditor.detect.probe")


def _logic(path: Path) -> list[str]:
    """Statements of an ``__init__.py`` other than imports, ``__all__``, its docstring and
    simple constant assignments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for i, node in enumerate(tree.body):
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Constant | ast.List | ast.Tuple):
            if all(isinstance(e, ast.Constant) for e in getattr(node.value, "elts", [node.value])):
                continue
        bad.append(f"line {node.lineno}: {type(node).__name__}")
    return bad


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("__init__.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_package_init_files_hold_no_logic(path):
    assert not _logic(path), f"{path.relative_to(PACKAGE.parent)} holds logic: {_logic(path)}"


def test_the_init_checker_catches_a_function(tmp_path):
    f = tmp_path / "__init__.py"
    f.write_text('"""Doc."""\nimport os\n__all__ = ["x"]\nX = 1\ndef x():\n    return 1\nfor _ in ():\n    pass\n')
    assert _logic(f) == ["line 5: FunctionDef", "line 7: For"]


def test_detector_code_names_no_jurisdiction():
    """Jurisdictions live in the policy packs: a detector never names a pack's own lexicon group
    (``policy_nz``); the lexicon says which role such a group plays (``role = "policy"``)."""
    packs = sorted(p.stem for p in (PACKAGE / "policy" / "packs").glob("*.toml"))
    assert "nz" in packs
    pattern = re.compile(r"_(?:%s)\b" % "|".join(packs))
    named = [f"{p.name}: {m.group(0)}" for p in sorted((PACKAGE / "detect").glob("*.py"))
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert not named


def test_value_lists_come_from_the_model():
    """Categories, exposure and tie levels are written once, as StrEnums in models.py."""
    from auditor import workshop
    from auditor.detect.linkage import LEVEL_RANK
    from auditor.models import Category, Exposure, TieLevel
    from auditor.policy.pack import CATEGORIES
    from auditor.report.charts import CATEGORY_COLOURS

    assert list(CATEGORY_COLOURS) == list(Category) and CATEGORIES == set(Category)
    assert workshop.CATEGORIES == list(Category) and workshop.EXPOSURES == list(Exposure)
    assert workshop.TIES == list(TieLevel) and max(LEVEL_RANK, key=LEVEL_RANK.get) == TieLevel.DIRECT
    assert [e.rank for e in Exposure] == [0, 1, 2, 3, 4] and TieLevel.NONE.rank == 0
    # the JSON stays plain strings
    assert json.dumps({"e": Exposure.HIGH, "t": TieLevel.SAME_NAME}) == '{"e": "high", "t": "same-name"}'
