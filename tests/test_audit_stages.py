"""Re-runs: an unchanged re-run reads its result back; a change re-runs only what depends on it."""

from __future__ import annotations

import json

import pandas as pd
import yaml
from test_audit_e2e import _subset

from serfair.audit import STAGES, audit
from serfair.spec import load_spec


def test_reruns_redo_only_the_stages_whose_inputs_changed(tmp_path):
    out = tmp_path / "run"
    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump({"rules": [
        {"metric": "uar", "slice": "all", "min": 0.0},
        {"metric": "latency_p95_ms", "max": 1e6}]}))
    base = {"data": str(_subset(tmp_path, per_speaker=3)), "out": str(out), "workers": 1,
            "conditions": "clean,noise@snr=0", "slices": "gender,dataset",
            "stats": {"bootstrap": 100, "permutations": 200}}

    cold = audit(load_spec(None, **base))
    assert cold.reused == ()
    deployment = cold.result["deployment"]
    assert 0 < deployment["latency_p50_ms"] <= deployment["latency_p95_ms"]
    assert "single-clip latency" in (out / "summary.md").read_text()
    assert "Deployment footprint" in (out / "report.html").read_text()

    again = audit(load_spec(None, **base))
    assert again.reused == STAGES
    assert again.result == json.loads((out / "result.json").read_text())
    pd.testing.assert_frame_equal(again.predictions, cold.predictions)

    sliced = audit(load_spec(None, **{**base, "slices": "gender"}))
    assert sliced.reused == ("predictions",)
    assert sliced.result["slices"] == ["gender"]
    assert sliced.result["deployment"] == deployment

    gated = audit(load_spec(None, **{**base, "slices": "gender", "policy": str(policy)}))
    assert gated.reused == ("predictions", "analysis")
    assert gated.result["verdict"]["status"] == "pass"

    (out / "summary.md").write_text("edited")
    mended = audit(load_spec(None, **{**base, "slices": "gender", "policy": str(policy)}))
    assert mended.reused == ("predictions", "analysis")  # an edited output is written again
    assert "single-clip latency" in (out / "summary.md").read_text()


def test_a_spec_with_probes_is_reused_and_reanalysed_from_the_stored_plans(tmp_path):
    """The probe plans and their voice measurements are stored with the predictions, so an
    unchanged re-run of a probing spec (the demo's) reads everything back, and a re-analysis with
    other slices gives the same probe results without loading the model."""
    out = tmp_path / "run"
    base = {"data": str(_subset(tmp_path, per_speaker=2)), "out": str(out), "workers": 1,
            "conditions": "clean", "slices": "gender,dataset", "probes": "gender_swap",
            "stats": {"bootstrap": 50, "permutations": 100}}
    cold = audit(load_spec(None, **base))
    assert cold.reused == () and cold.result["probes"]
    again = audit(load_spec(None, **base))
    assert again.reused == STAGES
    assert again.result["probes"] == cold.result["probes"]
    sliced = audit(load_spec(None, **{**base, "slices": "gender"}))
    assert sliced.reused == ("predictions",)
    assert json.dumps(sliced.result["probes"], sort_keys=True, default=str) == \
        json.dumps(cold.result["probes"], sort_keys=True, default=str)
