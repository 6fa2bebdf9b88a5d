"""The terminal summary fits an 80-column terminal: no name cut short, no line too long."""

from __future__ import annotations

from functools import lru_cache

from click.testing import CliRunner
from report_fixtures import make_result
from rich.console import Console
from test_audit_e2e import _subset
from toy_models import make_energy_onnx

from serfair import cli
from serfair.perturb import parse_conditions
from serfair.report.terminal import summary_tables

MANY = ["clean", "noise@snr=20", "noise@snr=0", "colour@snr=0", "babble@snr=10", "pitch@semitones=4",
        "tempo@rate=1.5", "reverb@rt60=0.6", "telephone", "codec@mp3_kbps=16", "gain@db=-30"]


@lru_cache(maxsize=2)
def _result(many: bool) -> dict:
    conditions = [c.name for c in parse_conditions(MANY)] if many else ["clean", "noise@snr=20",
                                                                         "noise@snr=10", "noise@snr=0"]
    slices = ("gender", "dataset", "gender*dataset") if many else ("gender", "dataset")
    return make_result(conditions=tuple(conditions), slices=slices, bootstrap=50, permutations=0)


def _text(result: dict, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    console = Console(record=True)  # reads COLUMNS, as on a terminal of that width
    assert console.width == 80
    monkeypatch.setattr(cli, "console", console)
    cli.print_summary(result)
    return console.export_text()


def _fits(text: str, result: dict) -> None:
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in text
    words = set(" ".join(lines).replace("┃", " ").replace("│", " ").split())
    for row in result["metrics"]["groups"]:
        assert set(row["group"].split()) <= words, row["group"]


def test_many_conditions_and_intersections_fit_80_columns(monkeypatch):
    result = _result(many=True)
    text = _text(result, monkeypatch)
    _fits(text, result)
    for label in ("telephone 300-3400", "colour 0 pink", "babble 10 4", "gain -30"):
        assert label in text
    assert "(continued, 2 of 2)" in text  # nine groups: two tables, conditions as rows


def test_few_conditions_keep_a_row_per_group(monkeypatch):
    result = _result(many=False)
    text = _text(result, monkeypatch)
    _fits(text, result)
    header = next(line for line in text.splitlines() if "slice" in line)
    assert "noise 20" in header and "noise 0" in header and "speakers" in header
    assert len(summary_tables(result, 80)) == 1


def test_a_wide_terminal_gets_one_table():
    assert len(summary_tables(_result(many=True), 200)) == 1


def test_the_audit_command_prints_a_summary_that_fits(tmp_path, monkeypatch):
    model = make_energy_onnx(tmp_path / "mine.onnx")
    monkeypatch.setenv("COLUMNS", "80")
    console = Console(record=True)
    monkeypatch.setattr(cli, "console", console)
    args = ["audit", "--model", str(model), "--data", str(_subset(tmp_path, per_speaker=2)),
            "--conditions", ",".join(MANY), "--slices", "gender,dataset,gender*dataset",
            "--workers", "1", "--out", str(tmp_path / "run")]
    outcome = CliRunner().invoke(cli.main, args)
    assert outcome.exit_code == 0, outcome.output
    text = console.export_text()
    assert "UAR (%) by condition and group: mine" in text
    lines = [line for line in text.splitlines() if not line.startswith("wrote ")]  # paths: exact
    assert max(len(line) for line in lines) <= 80 and "…" not in text
