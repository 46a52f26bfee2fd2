"""The package as pip builds it: every subpackage and data file is included."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "lossplay").rglob("__init__.py")}
    assert found <= listed, f"missing from pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["package-dir"]["lossplay.datasets"] == "datasets"
    shipped = {p.name for p in (ROOT / "datasets").glob("*.csv")}
    assert shipped and "*.csv" in config["package-data"]["lossplay.datasets"]
    assert config["package-dir"]["lossplay.configs"] == "configs"
    assert "*.toml" in config["package-data"]["lossplay.configs"]
