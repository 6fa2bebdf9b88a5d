"""`python -m serfair.reference.reproduce`: a published model's documented command, re-run in a
fresh process, gives the same file (or says it does not)."""

from __future__ import annotations

import json
import sys

import pytest

from serfair.reference.reproduce import main, rerun_argv
from tests.reference.test_reference_train import write_synthetic_corpus

pytestmark = pytest.mark.train


def test_documented_commands_become_argv_for_this_interpreter(tmp_path):
    argv = rerun_argv("serfair train-reference --data ../shared/data --out reference_models "
                      "--name cnngru-v1 --seed 0 --rnn gru --threads 1", tmp_path, None)
    assert argv[:4] == [sys.executable, "-m", "serfair.cli", "train-reference"]
    assert argv[argv.index("--out") + 1] == str(tmp_path) and "reference_models" not in argv
    old = rerun_argv("python -m serfair.reference.train --data ../shared/data --out x "
                     "--name cnnlstm-v1 --seed 0", tmp_path, tmp_path / "d")
    assert old[1:3] == ["-m", "serfair.reference.train"]
    assert old[old.index("--data") + 1] == str(tmp_path / "d")
    with pytest.raises(ValueError, match="not a serfair training command"):
        rerun_argv("rm -rf /", tmp_path, None)
    ens = rerun_argv("serfair build-ensemble --out r --name e --selection r/sel.json", tmp_path, None)
    assert ens[3] == "build-ensemble" and ens[ens.index("--selection") + 1] == "r/sel.json"


@pytest.mark.parametrize("command", [
    "serfair audit --model evil.onnx --trust-code",  # an eval JSON is data: no other subcommand
    "serfair train-reference --name x --trust-code",  # nor an unknown flag
    "python -m serfair.reference.train --name x --seed",  # nor a flag without its value
    "python -m serfair.cli train-reference --name x",
])
def test_an_eval_json_cannot_make_this_tool_run_anything_else(command, tmp_path):
    with pytest.raises(ValueError, match="not a serfair training command|not an option"):
        rerun_argv(command, tmp_path, None)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from serfair.reference.model import ModelConfig
    from serfair.reference.train import TrainConfig, train_reference

    root = tmp_path_factory.mktemp("repro")
    data = write_synthetic_corpus(root / "data")
    out = root / "models"
    cfg = TrainConfig(threads=1, model=ModelConfig(rnn="gru"))
    train_reference(data, out, name="repro-gru", seed=3, epochs=1, config=cfg,
                    log=lambda *a: None)
    return data, out


def test_a_retrained_model_is_the_same_file_and_the_card_says_so(published, tmp_path, capsys):
    data, out = published
    record = json.loads((out / "repro-gru.eval.json").read_text())
    assert record["command"].endswith("--rnn gru --threads 1 --epochs 1")
    assert main([str(out / "repro-gru.eval.json"), "--data", str(data),
                 "--workdir", str(tmp_path / "w"), "--record"]) == 0
    assert "1 of 1 reproduced to the same file" in capsys.readouterr().out
    again = json.loads((out / "repro-gru.eval.json").read_text())["reproduced"]
    assert again["sha256_equal"] and again["sha256"] == record["sha256"]
    assert again["wall_seconds"] > 0
    card = (out / "repro-gru.card.md").read_text()
    assert "the command above gave this very file (sha256 equal)" in card


def test_a_different_file_is_reported_and_fails(published, tmp_path, capsys):
    data, out = published
    path = tmp_path / "repro-gru.eval.json"
    record = json.loads((out / "repro-gru.eval.json").read_text())
    path.write_text(json.dumps({**record, "sha256": "0" * 64}))
    assert main([str(path), "--data", str(data), "--workdir", str(tmp_path / "w")]) == 1
    assert "sha256 DIFFERENT" in capsys.readouterr().out


def test_a_hostile_eval_json_is_refused_with_exit_2(tmp_path, capsys):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.eval.json"
    path.write_text(json.dumps({"name": "evil", "sha256": "0" * 64,
                                "command": f"serfair audit --model x.onnx --out {marker}"}))
    assert main([str(path), "--workdir", str(tmp_path / "w")]) == 2
    assert "not a serfair training command" in capsys.readouterr().err and not marker.exists()
