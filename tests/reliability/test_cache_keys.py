"""The prediction cache and the per-process adapter cache key on everything that changes an
output: the model's content, every adapter option, and the source of a hook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from audio_fixtures import write_clip
from toy_models import LABELS, make_energy_onnx

from serfair.audit import audit
from serfair.engine.runner import model_identity
from serfair.models import ModelSpec
from serfair.spec import AuditSpec, ModelSection, StatsSection


def _data(tmp_path: Path) -> Path:
    rows = [{"path": f"c{i}.wav", "speaker_id": f"s{i % 3}", "gender": "female" if i % 2 else "male",
             "emotion": LABELS[i % len(LABELS)]} for i in range(6)]
    for i, row in enumerate(rows):
        write_clip(tmp_path / "data" / row["path"], seed=i, seconds=0.3 + 0.1 * i)
    pd.DataFrame(rows).to_csv(tmp_path / "data" / "manifest.csv", index=False)
    return tmp_path / "data" / "manifest.csv"


def test_a_model_replaced_at_the_same_path_is_used_by_the_next_audit_in_one_process(tmp_path):
    data = _data(tmp_path)
    model = make_energy_onnx(tmp_path / "m.onnx")
    spec = AuditSpec(model=ModelSection(path=str(model)), data=str(data), conditions=["clean"],
                     slices=["gender"], workers=1, stats=StatsSection(bootstrap=50, permutations=0))
    first = audit(spec.model_copy(update={"out": str(tmp_path / "a")})).predictions
    make_energy_onnx(model, labels=tuple(reversed(LABELS)))  # same path, columns reversed
    second = audit(spec.model_copy(update={"out": str(tmp_path / "b")})).predictions
    for label in LABELS:  # the same clip's probability for a label is the new model's
        assert (first[f"p_{label}"].to_numpy() == second[f"p_{LABELS[-1 - LABELS.index(label)]}"]
                .to_numpy()).all()
    assert (first["y_pred"] != second["y_pred"]).any()


def test_every_adapter_option_and_hook_code_is_in_the_model_identity():
    base = {"format": "http", "sha256": None, "endpoint": "http://x/v2/models/m/infer"}
    spec = ModelSpec("http://x/v2/models/m/infer")
    ids = {model_identity(base, ModelSpec(spec.source, options=o)) for o in (
        {}, {"input_name": "a"}, {"input_name": "b"}, {"output_name": "probs"},
        {"protocol": "serfair"}, {"lengths_name": "n"})}
    assert len(ids) == 6
    hooks = {model_identity({**base, "preprocess": "h:f", "preprocess_sha256": digest}, spec)
             for digest in ("aaa", "bbb")}
    assert len(hooks) == 2


def test_an_edited_preprocess_hook_re_infers(tmp_path, monkeypatch):
    data = _data(tmp_path)
    model = make_energy_onnx(tmp_path / "m.onnx")
    monkeypatch.syspath_prepend(str(tmp_path))
    hook = tmp_path / "edited_hook_x.py"
    spec = AuditSpec(model=ModelSection(path=str(model), preprocess="edited_hook_x:scale"),
                     data=str(data), conditions=["clean"], slices=["gender"], workers=1,
                     out=str(tmp_path / "run"), stats=StatsSection(bootstrap=50, permutations=0))
    outputs = []
    for factor in ("1.0", "0.5", "1.0"):  # same run folder: an unchanged hook would hit the cache
        hook.write_text(f"def scale(wave, sr):\n    return wave * {factor}\n")
        outputs.append(audit(spec).predictions)
    assert not outputs[0]["p_happy"].equals(outputs[1]["p_happy"])  # re-inferred with the new code
    assert outputs[0]["p_happy"].equals(outputs[2]["p_happy"])  # and back: the first key again
