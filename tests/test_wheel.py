"""What a user gets from a package index: build the wheel, install it in a fresh venv outside the
source tree, run the default audit and a bundled spec from an empty folder.

Offline and quick: the wheel is built without isolation and installed without dependencies; the new
venv sees this interpreter's installed packages through a .pth line (which adds the folder to
sys.path without running its .pth files, so an editable serfair there stays invisible).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("serfair", "reference_models", "audits", "pyproject.toml", "setup.py", "MANIFEST.in",
           "README.md")

pytestmark = pytest.mark.slow


def _run(args: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False,
                          timeout=600)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _copy_sources(target: Path) -> None:
    """The files a build reads, without caches, build output or earlier bundles."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _demo_subset(folder: Path, per_speaker: int = 4) -> Path:
    """A few clips per speaker of the installed demo set, as a manifest with absolute paths."""
    from serfair.data.loader import demo_data_dir

    demo = demo_data_dir()
    frame = pd.read_csv(demo / "manifest.csv", dtype=str, keep_default_na=False)
    frame = frame.groupby("speaker_id", group_keys=False).head(per_speaker).copy()
    frame["path"] = [str(demo / p) for p in frame["path"]]
    path = folder / "subset.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A venv with only the built wheel installed; its serfair command and a clean environment."""
    tmp = tmp_path_factory.mktemp("wheel")
    src, dist, env_dir = tmp / "src", tmp / "dist", tmp / "venv"
    src.mkdir()
    _copy_sources(src)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(OMP_NUM_THREADS="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    _run([sys.executable, "-m", "pip", "wheel", src, "--no-deps", "--no-build-isolation",
          "--wheel-dir", dist, "--quiet"], tmp, env)
    wheel = next(dist.glob("serfair-*.whl"))
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
          "--quiet", wheel], tmp, env)
    purelib = Path(subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (purelib / "_serfair_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp / "work"
    work.mkdir()
    return {"python": python, "serfair": env_dir / "bin" / "serfair", "env": env, "work": work,
            "wheel": wheel, "purelib": purelib}


def test_the_wheel_carries_models_specs_and_demo_data(installed):
    import zipfile

    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for expected in ("serfair/_bundled/reference_models/cnnlstm-v1.onnx",
                     "serfair/_bundled/reference_models/cnnlstm-v1.card.md",
                     "serfair/_bundled/audits/default.yaml", "serfair/_bundled/audits/ci-gate.yaml",
                     "serfair/data/demo/manifest.csv"):
        assert expected in names
    where = _run([installed["python"], "-c", "import serfair; print(serfair.__file__)"],
                 installed["work"], installed["env"]).stdout.strip()
    assert Path(where).is_relative_to(installed["purelib"]), where


def test_default_audit_runs_from_any_folder(installed):
    work = installed["work"]
    _run([installed["serfair"], "audit", "--conditions", "clean", "--workers", "1", "--out", "default"],
         work, installed["env"])
    result = json.loads((work / "default" / "result.json").read_text())
    assert result["name"] == "demo"
    assert result["provenance"]["model"]["sha256"]
    assert result["model_card"]["markdown"].startswith("# ")


def test_a_bundled_spec_runs_by_name(installed):
    work = installed["work"]
    subset = _demo_subset(work)
    _run([installed["serfair"], "audit", "--spec", "references", "--data", subset,
          "--conditions", "clean", "--workers", "1", "--out", "refs"], work, installed["env"])
    assert (work / "refs" / "comparison.html").is_file()
    for model in ("cnnlstm-v1", "cnnlstm-aug-v1"):
        assert json.loads((work / "refs" / model / "result.json").read_text())["metrics"]["groups"]
