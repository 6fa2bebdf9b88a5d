"""What a user gets from a package index: build the wheel, install it in a fresh venv outside the
source tree, run the default audit and a bundled spec from an empty folder (offline and quick:
tests/wheel_env.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from wheel_env import clean_env, fresh_venv, run

pytestmark = pytest.mark.slow


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
def installed(built_wheel, tmp_path_factory) -> dict:
    """A fresh venv with serfair installed from the wheel; its commands and a clean environment."""
    tmp = tmp_path_factory.mktemp("installed")
    bin_dir = fresh_venv(tmp / "venv", built_wheel["dependencies"])
    env = clean_env()
    run([bin_dir / "pip", "install", "--no-deps", "--no-index", "--quiet", built_wheel["wheel"]],
        tmp, env)
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = Path(run([bin_dir / "python", "-c", where], tmp, env).stdout.strip())
    work = tmp / "work"
    work.mkdir()
    return {"python": bin_dir / "python", "serfair": bin_dir / "serfair", "env": env, "work": work,
            "wheel": built_wheel["wheel"], "purelib": purelib}


def test_the_wheel_carries_models_specs_and_demo_data(installed):
    import zipfile

    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for expected in ("serfair/_bundled/reference_models/cnnlstm-v1.onnx",
                     "serfair/_bundled/reference_models/cnnlstm-v1.card.md",
                     "serfair/_bundled/audits/default.yaml", "serfair/_bundled/audits/ci-gate.yaml",
                     "serfair/data/demo/manifest.csv",
                     "serfair/_bundled/reference_models/ensemble-v2.onnx",
                     "serfair/_bundled/reference_models/reference-train.csv"):
        assert expected in names
    # training by-products of a working tree stay out (torch weights, per-model training lists)
    assert not [n for n in names if n.endswith((".pt", ".train.csv"))]
    where = run([installed["python"], "-c", "import serfair; print(serfair.__file__)"],
                 installed["work"], installed["env"]).stdout.strip()
    assert Path(where).is_relative_to(installed["purelib"]), where


def test_default_audit_runs_from_any_folder(installed):
    work = installed["work"]
    run([installed["serfair"], "audit", "--conditions", "clean", "--workers", "1", "--out", "default"],
         work, installed["env"])
    result = json.loads((work / "default" / "result.json").read_text())
    assert result["name"] == "demo"
    assert result["provenance"]["model"]["sha256"]
    assert result["model_card"]["markdown"].startswith("# ")


def test_a_bundled_spec_runs_by_name(installed):
    work = installed["work"]
    subset = _demo_subset(work)
    run([installed["serfair"], "audit", "--spec", "references", "--data", subset,
          "--conditions", "clean", "--workers", "1", "--out", "refs"], work, installed["env"])
    assert (work / "refs" / "comparison.html").is_file()
    for model in ("cnnlstm-v1", "cnnlstm-aug-v1"):
        assert json.loads((work / "refs" / model / "result.json").read_text())["metrics"]["groups"]
