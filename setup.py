"""Build hook: the wheel carries `reference_models/` and `audits/` as `serfair/_bundled/`.

The top-level folders stay the source of truth (a source checkout reads them directly, see
serfair/paths.py); an installed wheel finds its copies inside the package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("reference_models", "audits")
# training by-products a working tree may hold (git ignores them): torch weights, training lists
NOT_BUNDLED = shutil.ignore_patterns("*.pt", "*.train.csv", "__pycache__")


class BuildPyWithBundle(build_py):
    """build_py, then copy the bundled folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the source tree
        target = Path(self.build_lib) / "serfair" / "_bundled"
        for name in BUNDLED:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"cannot build serfair: {source} is missing")
            shutil.copytree(source, target / name, dirs_exist_ok=True, ignore=NOT_BUNDLED)


setup(cmdclass={"build_py": BuildPyWithBundle})
