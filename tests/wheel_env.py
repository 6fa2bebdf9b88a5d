"""A built wheel and fresh venvs to install it in, offline and quickly (tests/test_wheel.py,
tests/test_tutorial.py).

The wheel is built from a copy of the sources without build isolation. A fresh venv sees this
interpreter's installed packages (numpy, onnxruntime, ...) through a folder of links to them that
leaves out serfair itself, so `pip install serfair` with `--no-index --find-links` resolves every
dependency as installed and takes serfair from the wheel: nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("serfair", "reference_models", "audits", "pyproject.toml", "setup.py", "MANIFEST.in",
           "README.md")
LEFT_OUT = ("serfair", "__editable__", "_serfair", "__pycache__")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without this checkout on PYTHONPATH; one numeric thread."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(OMP_NUM_THREADS="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def run(args: list, cwd: Path, env: dict, code: int = 0) -> subprocess.CompletedProcess:
    """Run a command; fail with its output unless it exits with `code`."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False, timeout=900)
    assert done.returncode == code, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def build_wheel(tmp: Path) -> Path:
    """Build serfair's wheel from a copy of the sources; returns the .whl path."""
    src, dist = tmp / "src", tmp / "dist"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled", "*.egg-info")
    src.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=ignore)
        else:
            shutil.copy2(source, src / name)
    run([sys.executable, "-m", "pip", "wheel", src, "--no-deps", "--no-build-isolation",
         "--wheel-dir", dist, "--quiet"], tmp, clean_env())
    return next(dist.glob("serfair-*.whl"))


def dependencies_view(tmp: Path) -> Path:
    """Links to every installed package of this interpreter except serfair."""
    view = tmp / "dependencies"
    view.mkdir(parents=True, exist_ok=True)
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(LEFT_OUT) and not (view / entry.name).exists():
            (view / entry.name).symlink_to(entry)
    return view


def fresh_venv(where: Path, dependencies: Path) -> Path:
    """A venv with pip and the dependencies visible (not serfair); returns its bin folder."""
    venv.EnvBuilder(with_pip=True).create(where)
    python = where / "bin" / "python"
    purelib = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       where, clean_env()).stdout.strip())
    (purelib / "_test_dependencies.pth").write_text(f"{dependencies}\n")
    return where / "bin"
