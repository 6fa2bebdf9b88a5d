"""Shared fixtures: where real speech lives, and the rules for optional extras.

Tests marked ``train`` need torch (the ``train`` extra), ``dask`` Dask distributed (the ``dask``
extra) and ``browser`` Chromium.
On a user's machine without them they are skipped; in CI (``CI`` set) or with
``SERFAIR_REQUIRE_ALL=1`` a missing extra is a failure, so CI never silently skips them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SERFAIR_SHARED_DATA", ROOT.parent / "shared" / "data"))


def _required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("SERFAIR_REQUIRE_ALL") == "1"


def _missing(marker: str) -> str | None:
    if marker == "train" and importlib.util.find_spec("torch") is None:
        return "torch is not installed (pip install -e '.[train]')"
    if marker == "dask" and importlib.util.find_spec("distributed") is None:
        return "Dask distributed is not installed (pip install -e '.[dask]')"
    if marker == "browser":
        if importlib.util.find_spec("playwright") is None:
            return "playwright is not installed (pip install -e '.[dev]')"
        if shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists():
            return "Chromium is not installed (apt-get install chromium)"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("train", "browser", "dask"):
        if item.get_closest_marker(marker) is None:
            continue
        why = _missing(marker)
        if why is None:
            continue
        if _required():
            pytest.fail(f"CI must run this `{marker}` test, but {why}", pytrace=False)
        pytest.skip(why)


@pytest.fixture(scope="session")
def shared_data() -> Path | None:
    """The full corpus beside the project, or None on a user's machine."""
    return SHARED_DATA if (SHARED_DATA / "manifest.csv").exists() else None


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> dict:
    """serfair's wheel, built once per session, and the installed dependencies without serfair
    (tests/wheel_env.py)."""
    from wheel_env import build_wheel, dependencies_view

    tmp = tmp_path_factory.mktemp("wheel")
    return {"wheel": build_wheel(tmp), "dependencies": dependencies_view(tmp)}
