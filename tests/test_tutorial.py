"""docs/tutorial.md, run as written: every shell command in order, in an empty folder holding
only the reader's model, with serfair installed by the tutorial's own `pip install serfair` from
the wheel (offline: tests/wheel_env.py); files shown with `file=PATH` are written as shown, and the
CI workflow's `run:` steps are run too, as GitHub would."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml
from tutorial_model import make_my_model
from wheel_env import ROOT, clean_env, fresh_venv, run

pytestmark = pytest.mark.slow

TUTORIAL = ROOT / "docs" / "tutorial.md"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"#\s*exit (\d+)\s*$")


def steps(markdown: str) -> list[tuple[str, str, object]]:
    """("run", command, exit code), ("file", path, text) and ("output", text, None), in order."""
    found: list[tuple[str, str, object]] = []
    for lang, info, body in FENCE.findall(markdown):
        target = re.search(r"file=(\S+)", info)
        if target:
            found.append(("file", target.group(1), body))
            if target.group(1).startswith(".github/workflows/"):
                found += [("run", c, 0) for c in workflow_commands(body)]
        elif lang == "bash":
            for line in body.replace("\\\n", " ").splitlines():
                command = line.split("  #")[0].strip()
                if command and not command.startswith("#"):
                    code = EXIT.search(line)
                    found.append(("run", command, int(code.group(1)) if code else 0))
        elif lang == "text":
            found.append(("output", body, None))
    return found


def workflow_commands(text: str) -> list[str]:
    """The `run:` steps of a GitHub Actions workflow, in order."""
    jobs = yaml.safe_load(text)["jobs"].values()
    return [step["run"] for job in jobs for step in job["steps"] if "run" in step]


def test_the_parser_reads_commands_files_and_expected_exits():
    text = ("```bash\nserfair a  # exit 2\n# note\nserfair b \\\n  --x\n```\n"
            "```yaml file=m.yaml\nk: v\n```\n```text\nerror: e\n```\n")
    assert steps(text) == [("run", "serfair a", 2), ("run", "serfair b    --x", 0),
                           ("file", "m.yaml", "k: v\n"), ("output", "error: e\n", None)]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_tutorial_runs_as_written(built_wheel, tmp_path):
    markdown = TUTORIAL.read_text(encoding="utf-8")
    plan = steps(markdown)
    commands = [s for s in plan if s[0] == "run"]
    assert commands[0][1] == "pip install serfair"
    assert any("--policy" in c for _, c, _ in commands), "the tutorial must end in a gated run"
    assert any(s[1].startswith(".github/workflows/") for s in plan if s[0] == "file")

    folder = tmp_path / "project"
    folder.mkdir()
    make_my_model(folder / "my_model.onnx")
    bin_dir = fresh_venv(tmp_path / "venv", built_wheel["dependencies"])
    summary = tmp_path / "step_summary.md"
    env = clean_env(PATH=f"{bin_dir}:/usr/bin:/bin", VIRTUAL_ENV=str(bin_dir.parent), COLUMNS="80",
                    PIP_NO_INDEX="1", PIP_FIND_LINKS=str(built_wheel["wheel"].parent),
                    GITHUB_STEP_SUMMARY=str(summary))
    last = ""
    for kind, what, extra in plan:
        if kind == "file":
            (folder / what).parent.mkdir(parents=True, exist_ok=True)
            (folder / what).write_text(extra, encoding="utf-8")
        elif kind == "run":
            done = run(["bash", "-c", what], folder, env, code=extra)
            last = done.stdout + done.stderr
            if shlex.split(what)[0] == "serfair" and extra == 0:
                assert "error:" not in last, last
        else:
            assert _words(what) in _words(last), f"expected\n{what}\nin\n{last}"
    report = folder / "reports" / "my_model"
    for name in ("report.html", "result.json", "summary.md", "junit.xml"):
        assert (report / name).is_file(), name
    assert "serfair audit: my\\_model" in summary.read_text(encoding="utf-8")  # the run's summary page
