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


def test_the_names_listed_in_config_are_the_registries():
    from lossplay import config
    from lossplay.losses import LOSSES
    from lossplay.models import MODELS
    from lossplay.optimizers import OPTIMIZERS
    from lossplay.schedules import SCHEDULES

    assert config.LOSS_NAMES == tuple(LOSSES)
    assert config.OPTIMIZER_NAMES == tuple(OPTIMIZERS)
    assert config.MODEL_NAMES == tuple(MODELS)
    assert config.SCHEDULES == SCHEDULES
    assert set(config.DEFAULT_LR) == set(OPTIMIZERS)
