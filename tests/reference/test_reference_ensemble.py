"""The reference ensemble: one ONNX graph, mean of the members' probabilities, built from the
published members' weights only."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.reference.test_reference_train import (
    _check_outputs,
    _tiny_config,
    write_synthetic_corpus,
)

pytestmark = pytest.mark.train


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    import torch

    from serfair.reference.model import ModelConfig
    from serfair.reference.train import train_reference

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("ens")
    data = write_synthetic_corpus(root / "data")
    out = root / "models"
    for name, rnn in (("tiny-lstm", "lstm"), ("tiny-gru", "gru")):
        base = _tiny_config()
        cfg = base.__class__(**{**base.__dict__, "model": ModelConfig(
            **{**base.model.__dict__, "rnn": rnn})})
        train_reference(data, out, name=name, seed=2, config=cfg, log=lambda *a: None)
    return data, out


def test_ensemble_is_the_mean_of_its_members(members):
    import onnxruntime as ort

    from serfair.reference.ensemble import train_ensemble

    data, out = members
    result = train_ensemble(data, out, "tiny-ens", ["tiny-lstm", "tiny-gru"], log=lambda *a: None)
    _check_outputs(out, "tiny-ens", result)
    assert [m["rnn"] for m in result["members"]] == ["lstm", "gru"]
    rng = np.random.default_rng(0)
    lens = np.array([3000, 12000], np.int64)
    x = np.zeros((2, 12000), np.float32)
    for i, n in enumerate(lens):
        x[i, :n] = 0.1 * rng.standard_normal(n)

    def run(name):
        sess = ort.InferenceSession(str(out / f"{name}.onnx"), providers=["CPUExecutionProvider"])
        return sess.run(None, {"waveform": x, "lengths": lens})[0]

    np.testing.assert_allclose(run("tiny-ens"), (run("tiny-lstm") + run("tiny-gru")) / 2,
                               atol=1e-5)
    card = (out / "tiny-ens.card.md").read_text()
    assert "ensemble of CNN-LSTM + CNN-GRU" in card and "tiny-gru" in card
    assert "made no selection of its own" in card and "1 (tiny-gru)" in card
    assert json.loads((out / "tiny-ens.eval.json").read_text())["latency"]["median_ms"] > 0


def test_ensemble_rebuilds_to_the_same_file(members):
    from serfair.reference.ensemble import train_ensemble

    data, out = members
    first = train_ensemble(data, out, "tiny-ens2", ["tiny-lstm", "tiny-gru"], log=lambda *a: None)
    again = train_ensemble(data, out, "tiny-ens2", ["tiny-lstm", "tiny-gru"], log=lambda *a: None)
    assert first["sha256"] == again["sha256"]


def test_ensemble_refuses_weights_that_are_not_the_published_ones(members):
    import torch

    from serfair.reference.ensemble import build_ensemble

    _, out = members
    state = torch.load(out / "tiny-gru.pt", weights_only=True)
    saved = {k: v.clone() for k, v in state.items()}
    state["head.bias"] += 1.0
    torch.save(state, out / "tiny-gru.pt")
    try:
        with pytest.raises(ValueError, match="do not re-export to the published file"):
            build_ensemble(out, ["tiny-lstm", "tiny-gru"])
    finally:
        torch.save(saved, out / "tiny-gru.pt")


def test_lstm_weights_are_recovered_from_the_onnx_file(members, tmp_path):
    import shutil

    import torch

    from serfair.reference.ensemble import build_ensemble

    _, out = members
    for suffix in (".eval.json", ".onnx"):
        shutil.copy(out / f"tiny-lstm{suffix}", tmp_path / f"tiny-lstm{suffix}")
    final, train_only, _ = build_ensemble(tmp_path, ["tiny-lstm"])  # verified by re-export
    assert train_only is None
    saved = torch.load(out / "tiny-lstm.pt", weights_only=True)
    recovered = final.members[0].state_dict()
    for k in ("head.weight", "lstm_fwd.weight_ih_l0", "lstm_bwd.bias_hh_l0"):
        assert torch.equal(recovered[k], saved[k]), k


def test_missing_gru_weights_name_the_command(members, tmp_path):
    import shutil

    from serfair.reference.ensemble import build_ensemble

    _, out = members
    for suffix in (".eval.json", ".onnx"):
        shutil.copy(out / f"tiny-gru{suffix}", tmp_path / f"tiny-gru{suffix}")
    with pytest.raises(FileNotFoundError, match="train-reference"):
        build_ensemble(tmp_path, ["tiny-gru"])


def test_cli_names_a_missing_member_and_exits_2(tmp_path):
    from click.testing import CliRunner

    from serfair.cli import main

    result = CliRunner().invoke(main, ["build-ensemble", "--out", str(tmp_path),
                                       "--members", "nope", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "nope.eval.json not found" in " ".join(result.output.split())


def test_pairs_are_scored_on_validation_and_ties_go_to_the_first():
    from serfair.reference.ensemble_selection import choose, score_pairs, uar

    labels = np.array([0, 0, 1, 1, 2, 2])
    onehot = np.eye(3)[labels]
    wrong = np.eye(3)[(labels + 1) % 3]
    probs = {"l1": 0.6 * onehot + 0.4 * wrong, "l2": 0.4 * onehot + 0.6 * wrong,
             "g1": 0.45 * onehot + 0.55 * wrong, "g2": 0.7 * onehot + 0.3 * wrong}
    assert uar(labels, probs["l2"]) == 0.0 and uar(labels, probs["l1"]) == 1.0
    pairs = score_pairs(probs, labels, ["l1", "l2"], ["g1", "g2"])
    assert [p["members"] for p in pairs] == [["l1", "g1"], ["l1", "g2"], ["l2", "g1"],
                                             ["l2", "g2"]]
    by = {tuple(p["members"]): p["validation_uar"] for p in pairs}
    assert by[("l1", "g1")] == 1.0 and by[("l2", "g1")] == 0.0 and by[("l2", "g2")] == 1.0
    assert choose(pairs)["members"] == ["l1", "g1"]  # three tie at 1.0: the first listed wins
    assert pairs[2]["members_validation_uar"] == [0.0, 0.0]


def test_select_ensemble_reads_train_only_weights_and_never_test(members, tmp_path,
                                                                  monkeypatch):
    from serfair.reference import ensemble_selection, train
    from serfair.reference.ensemble_selection import select_ensemble

    data, out = members
    seen = []
    real = train.read_waves
    monkeypatch.setattr(train, "read_waves", lambda paths: seen.extend(paths) or real(paths))
    record = tmp_path / "sel.json"
    result = select_ensemble(data, out, ["tiny-lstm"], ["tiny-gru"], record)
    assert result["chosen"] == ["tiny-lstm", "tiny-gru"]
    assert json.loads(record.read_text())["pairs"][0]["members"] == ["tiny-lstm", "tiny-gru"]
    single = {c["name"]: json.loads((out / f"{c['name']}.eval.json").read_text())
              for c in result["candidates"]}
    assert result["pairs"][0]["members_validation_uar"] == pytest.approx(
        [single["tiny-lstm"]["validation_uar"], single["tiny-gru"]["validation_uar"]])
    from serfair.reference.split import TEST_SPEAKERS

    assert seen and not any(s in p for p in seen for s in TEST_SPEAKERS)
    with pytest.raises(ValueError, match="listed as a CNN-LSTM"):
        select_ensemble(data, out, ["tiny-gru"], ["tiny-gru"])
    assert ensemble_selection.RULE.startswith("highest validation UAR")


def test_select_ensemble_refuses_wrong_train_only_weights(members, tmp_path):
    import shutil

    import torch

    from serfair.reference.ensemble_selection import select_ensemble

    data, out = members
    for name in ("tiny-lstm", "tiny-gru"):
        for suffix in (".eval.json", ".onnx", ".pt", ".train-only.pt"):
            shutil.copy(out / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    state = torch.load(tmp_path / "tiny-gru.train-only.pt", weights_only=True)
    state["head.bias"][0] += 50.0  # predicts class 0 everywhere: another validation UAR
    torch.save(state, tmp_path / "tiny-gru.train-only.pt")
    with pytest.raises(ValueError, match="not that model's train-only weights"):
        select_ensemble(data, tmp_path, ["tiny-lstm"], ["tiny-gru"])
    (tmp_path / "tiny-gru.train-only.pt").unlink()
    with pytest.raises(FileNotFoundError, match="train-reference"):
        select_ensemble(data, tmp_path, ["tiny-lstm"], ["tiny-gru"])


def test_select_ensemble_cli_prints_every_pair_and_the_next_command(members, tmp_path):
    from click.testing import CliRunner

    from serfair.cli import main

    data, out = members
    record = tmp_path / "sel.json"
    result = CliRunner().invoke(main, ["select-ensemble", "--data", str(data), "--out", str(out),
                                       "--lstm", "tiny-lstm", "--gru", "tiny-gru",
                                       "--record", str(record)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "tiny-lstm + tiny-gru: validation UAR" in text
    assert f"serfair build-ensemble --selection {record}" in text
    assert json.loads(record.read_text())["chosen"] == ["tiny-lstm", "tiny-gru"]
    missing = CliRunner().invoke(main, ["select-ensemble", "--data", str(data), "--out",
                                        str(tmp_path), "--lstm", "nope", "--gru", "tiny-gru"])
    assert missing.exit_code == 2 and "nope.eval.json not found" in " ".join(missing.output.split())


def test_an_ensemble_built_from_a_selection_records_it_in_eval_and_card(members, tmp_path):
    from click.testing import CliRunner

    from serfair.cli import main

    data, out = members
    record = tmp_path / "sel.json"
    assert CliRunner().invoke(main, ["select-ensemble", "--data", str(data), "--out", str(out),
                                     "--lstm", "tiny-lstm", "--gru", "tiny-gru",
                                     "--record", str(record)]).exit_code == 0
    result = CliRunner().invoke(main, ["build-ensemble", "--data", str(data), "--out", str(out),
                                       "--name", "tiny-sel", "--selection", str(record)])
    assert result.exit_code == 0, result.output
    ev = json.loads((out / "tiny-sel.eval.json").read_text())
    assert [m["name"] for m in ev["members"]] == ["tiny-lstm", "tiny-gru"]
    assert ev["selection"]["file"] == "sel.json"
    assert ev["command"].endswith(f"--selection {record}")
    # the ensemble's own validation UAR is the selected pair's score
    assert ev["validation_uar"] == pytest.approx(ev["selection"]["chosen_validation_uar"])
    card = (out / "tiny-sel.card.md").read_text()
    assert "Members chosen on the validation speakers" in card
    assert "made no selection of its own" not in card
    other = CliRunner().invoke(main, ["build-ensemble", "--data", str(data), "--out", str(out),
                                      "--name", "tiny-sel", "--selection", str(record),
                                      "--members", "tiny-gru,tiny-lstm"])
    assert other.exit_code == 2 and "chose" in other.output
