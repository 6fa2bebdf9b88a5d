"""The trust boundary, tried as a hostile model author would: files being audited run no code.

Each attack from issue 9 is built for real (an ONNX file with malicious metadata written with
onnx.helper, a sidecar YAML, an audit spec) and run through the CLI: refused with exit 2 and a
message naming the key, the file and `--trust-code`, and nothing of the named code ran.
"""

from __future__ import annotations

from pathlib import Path

import onnx
import pandas as pd
import pytest
import yaml
from audio_fixtures import write_clip
from click.testing import CliRunner
from toy_models import make_energy_onnx

from serfair.cli import main
from serfair.models import ModelSpec, load_adapter
from serfair.models.card import find_model_card
from serfair.spec import load_spec
from serfair.trust import TrustError


def _setup(tmp_path: Path, monkeypatch, name: str) -> tuple[Path, Path, Path]:
    """A model folder, a tiny manifest, and a hook module that leaves a marker when imported."""
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / f"{name}.ran"
    (tmp_path / f"{name}.py").write_text(
        f"open({str(marker)!r}, 'w').write('imported')\n"
        "def ident(wave, sr):\n    return wave\n"
        "def probs(p):\n    return p\n")
    (tmp_path / "model").mkdir()
    rows = [{"path": f"c{i}.wav", "speaker_id": f"s{i % 2}", "gender": "female" if i % 2 else "male",
             "emotion": "angry"} for i in range(4)]
    for i, row in enumerate(rows):
        write_clip(tmp_path / "data" / row["path"], seed=i)
    pd.DataFrame(rows).to_csv(tmp_path / "data" / "manifest.csv", index=False)
    return make_energy_onnx(tmp_path / "model" / "m.onnx"), marker, tmp_path / "data"


def _with_metadata(path: Path, props: dict[str, str]) -> Path:
    model = onnx.load(str(path))
    current = {p.key: p.value for p in model.metadata_props}
    onnx.helper.set_model_props(model, {**current, **props})
    onnx.save(model, str(path))
    return path


def _audit(model: Path, data: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["audit", "--model", str(model), "--data", str(data),
                                     "--conditions", "clean", "--slices", "gender", "--workers", "1",
                                     "--out", str(out), *extra])


def test_onnx_metadata_hook_is_refused_without_the_flag_and_runs_with_it(tmp_path, monkeypatch):
    model, marker, data = _setup(tmp_path, monkeypatch, "meta_hook_a")
    _with_metadata(model, {"serfair.preprocess": "meta_hook_a:ident"})
    refused = _audit(model, data, tmp_path / "run")
    assert refused.exit_code == 2, refused.output
    text = " ".join(refused.output.split())
    assert "serfair.preprocess" in text and "meta_hook_a:ident" in text and "--trust-code" in text
    assert "m.onnx" in text and not marker.exists() and not (tmp_path / "run" / "result.json").exists()
    trusted = _audit(model, data, tmp_path / "run", "--trust-code")
    assert trusted.exit_code == 0, trusted.output
    assert marker.exists()


def test_pickle_loads_is_never_a_postprocess_even_when_trusted(tmp_path, monkeypatch):
    model, _, data = _setup(tmp_path, monkeypatch, "meta_hook_b")
    _with_metadata(model, {"serfair.postprocess": "pickle:loads"})
    refused = _audit(model, data, tmp_path / "run")
    assert refused.exit_code == 2 and "serfair.postprocess" in refused.output
    trusted = _audit(model, data, tmp_path / "run", "--trust-code")
    assert trusted.exit_code == 2 and "deserialise or evaluate" in " ".join(trusted.output.split())
    for hook in ("builtins:eval", "marshal:loads", "os:system", "subprocess:getoutput"):
        with pytest.raises(TrustError, match="deserialise or evaluate"):
            load_adapter(ModelSpec(str(model), postprocess=hook, trust_code=True))


def test_sidecar_hooks_need_the_flag_and_name_the_sidecar(tmp_path, monkeypatch):
    model, marker, _ = _setup(tmp_path, monkeypatch, "side_hook_c")
    sidecar = tmp_path / "model" / "m.yaml"
    sidecar.write_text(yaml.safe_dump({"postprocess": "side_hook_c:probs"}))
    with pytest.raises(TrustError, match=r"sidecar .*m\.yaml: the key 'postprocess' names the code"):
        load_adapter(ModelSpec(str(model)))
    assert not marker.exists()
    assert load_adapter(ModelSpec(str(model), trust_code=True)).labels
    assert marker.exists()


def test_hooks_given_on_the_command_line_are_the_users_choice(tmp_path, monkeypatch):
    model, marker, data = _setup(tmp_path, monkeypatch, "cli_hook_d")
    result = _audit(model, data, tmp_path / "run", "--preprocess", "cli_hook_d:ident")
    assert result.exit_code == 0, result.output
    assert marker.exists()


@pytest.mark.parametrize("section", [
    {"preprocess": "spec_hook_e:ident"},
    {"postprocess": "spec_hook_e:probs"},
])
def test_a_spec_naming_code_is_refused_without_the_flag(tmp_path, monkeypatch, section):
    model, marker, data = _setup(tmp_path, monkeypatch, "spec_hook_e")
    spec = tmp_path / "audit.yaml"
    spec.write_text(yaml.safe_dump({"model": {"path": str(model), **section}, "data": str(data),
                                    "conditions": ["clean"], "slices": ["gender"], "workers": 1}))
    result = CliRunner().invoke(main, ["audit", "--spec", str(spec), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "--trust-code" in result.output
    assert f"model.{next(iter(section))}" in result.output and not marker.exists()
    assert load_spec(spec, trust_code=True).model_spec(model).trust_code


def test_a_spec_cannot_grant_itself_trust_or_name_a_factory(tmp_path, monkeypatch):
    _setup(tmp_path, monkeypatch, "spec_hook_f")
    spec = tmp_path / "audit.yaml"
    spec.write_text(yaml.safe_dump({"model": {"path": "m.joblib", "trust_pickle": True}}))
    with pytest.raises(TrustError, match="model.trust_pickle is not honoured in a file"):
        load_spec(spec)
    spec.write_text(yaml.safe_dump({"model": "spec_hook_f:factory"}))
    with pytest.raises(TrustError, match="model.path.*spec_hook_f:factory.*--model spec_hook_f"):
        load_spec(spec)
    spec.write_text(yaml.safe_dump({"models": ["spec_hook_f:factory"]}))
    with pytest.raises(TrustError, match=r"models\[0\].path"):
        load_spec(spec)
    assert load_spec(spec, model="other:factory").model.path == "other:factory"  # the CLI wins
    result = CliRunner().invoke(main, ["validate", str(spec)])
    assert result.exit_code == 0 and "--trust-code" in result.output


def test_model_cards_must_lie_inside_the_model_folder(tmp_path, monkeypatch):
    model, _, _ = _setup(tmp_path, monkeypatch, "card_g")
    sidecar = tmp_path / "model" / "m.yaml"
    sidecar.write_text("model_card: /etc/passwd\n")
    with pytest.raises(TrustError, match="model_card.*outside the model's folder"):
        find_model_card(model)
    sidecar.write_text("model_card: ../data/manifest.csv\n")
    with pytest.raises(TrustError, match="outside the model's folder"):
        find_model_card(model)
    sidecar.unlink()
    (tmp_path / "model" / "m.card.md").symlink_to(tmp_path / "data" / "manifest.csv")
    with pytest.raises(TrustError, match="outside the model's folder"):
        find_model_card(model)
    (tmp_path / "model" / "m.card.md").unlink()
    (tmp_path / "model" / "m.card.md").write_text("# a card\n")
    assert find_model_card(model) == tmp_path / "model" / "m.card.md"
    spec = tmp_path / "specs" / "audit.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump({"model": str(model), "model_card": "/etc/passwd"}))
    with pytest.raises(TrustError, match="outside the spec's folder and the model's folder"):
        load_spec(spec)
    spec.write_text(yaml.safe_dump({"model": str(model), "model_card": "../model/m.card.md"}))
    assert load_spec(spec).model_card


def test_an_audit_with_a_hostile_card_exits_2_and_leaks_nothing(tmp_path, monkeypatch):
    model, _, data = _setup(tmp_path, monkeypatch, "card_h")
    (tmp_path / "model" / "m.yaml").write_text("model_card: /etc/passwd\n")
    result = _audit(model, data, tmp_path / "run")
    assert result.exit_code == 2 and "outside the model's folder" in " ".join(result.output.split())
    assert not (tmp_path / "run" / "report.html").exists()
