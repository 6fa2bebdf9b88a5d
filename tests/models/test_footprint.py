"""The deployment footprint of the bundled reference model, measured in a fresh process."""

from __future__ import annotations

import numpy as np

from serfair.models import ModelSpec
from serfair.models.footprint import footprint, probe_wave, size_bytes
from serfair.paths import reference_model
from serfair.policy import DEPLOYMENT_METRICS


def test_footprint_measures_size_latency_and_memory_of_the_reference_model():
    spec = ModelSpec(source=str(reference_model()))
    measured = footprint(spec, clip_seconds=(1.0, 3.0), repeats=3)
    assert set(DEPLOYMENT_METRICS) <= set(measured)
    assert measured["model_bytes"] == reference_model().stat().st_size
    assert 0 < measured["latency_p50_ms"] <= measured["latency_p95_ms"] <= measured["latency_max_ms"]
    assert measured["calls"] == 6 and measured["threads"] == 1
    assert measured["peak_memory_mb"] > 0
    assert measured["process_peak_mb"] > measured["peak_memory_mb"]


def test_probe_waves_are_fixed_and_sized():
    a, b = probe_wave(2.0, 16000), probe_wave(2.0, 16000)
    assert a.shape == (32000,) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert 0.01 < float(np.sqrt(np.mean(a ** 2))) < 0.2


def test_size_of_an_endpoint_is_unknown(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "w.bin").write_bytes(b"x" * 10)
    assert size_bytes(str(tmp_path / "m")) == 10
    assert size_bytes("http://localhost:8000/predict") is None
