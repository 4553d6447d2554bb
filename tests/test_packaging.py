import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_package_data_covers_every_data_file():
    """A non-editable install must ship every template, pack, lexicon and schema."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["auditor"]
    pkg = ROOT / "auditor"
    shipped = {p for g in globs for p in pkg.glob(g)}
    data = {p for p in pkg.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")}
    missing = sorted(str(p.relative_to(ROOT)) for p in data - shipped)
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
