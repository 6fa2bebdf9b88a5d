"""A model behind HTTP, against a local server the test starts on 127.0.0.1 (loopback only)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from audio_fixtures import tone

from serfair.errors import ModelError
from serfair.models import ModelSpec, load_adapter

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "byom"
sys.path.insert(0, str(EXAMPLES))
import http_server
from python_model import LoudnessModel

sys.path.remove(str(EXAMPLES))
LABELS = ("angry", "happy", "neutral", "sad")
FAST = {"backoff": 0.01, "timeout": 5}


@pytest.fixture
def server():
    """Start a server with a fresh handler class; yields (base URL, handler class)."""
    started = []

    def start(handler_base=http_server.Handler, token=None, **attrs):
        handler = type("TestHandler", (handler_base,), {"calls": 0, **attrs})
        srv = http_server.serve(0, token, handler)
        started.append(srv)
        return f"http://127.0.0.1:{srv.server_port}", handler

    yield start
    for srv in started:
        srv.shutdown()
        srv.server_close()


def _waves():
    return [tone(0.4, seed=1) * 2, tone(0.3, seed=2) * 0.05, tone(0.5, seed=3)]


def test_serfair_protocol_one_request_per_batch(server):
    url, handler = server()
    adapter = load_adapter(ModelSpec(f"{url}/predict", labels=LABELS, sample_rate=16000, options=FAST))
    probs = adapter.predict_proba(_waves())
    np.testing.assert_allclose(probs, LoudnessModel().predict_proba(_waves()), atol=1e-6)
    assert handler.calls == 1
    b64 = load_adapter(ModelSpec(f"{url}/predict", labels=LABELS, sample_rate=16000,
                                 options={**FAST, "encoding": "base64"}))
    np.testing.assert_allclose(b64.predict_proba(_waves()), probs, atol=1e-6)
    info = adapter.describe()
    assert info["format"] == "http" and info["protocol"] == "serfair" and info["endpoint"].endswith("/predict")


def test_kserve_v2_is_chosen_from_the_url_and_pads_with_lengths(server):
    url, handler = server()
    adapter = load_adapter(ModelSpec(f"{url}/v2/models/ser/infer", labels=LABELS, sample_rate=16000,
                                     options={**FAST, "lengths_name": "lengths"}))
    assert adapter.protocol == "kserve-v2"
    np.testing.assert_allclose(adapter.predict_proba(_waves()),
                               LoudnessModel().predict_proba(_waves()), atol=1e-5)
    assert handler.calls == 1
    grouped = load_adapter(ModelSpec(f"{url}/v2/models/ser/infer", labels=LABELS, sample_rate=16000,
                                     options=FAST))
    grouped.predict_proba(_waves())
    assert handler.calls == 1 + 3  # without lengths: one request per distinct clip length


def test_bearer_token_from_an_environment_variable(server, monkeypatch):
    url, _ = server(token="s3cret")
    spec = {"labels": LABELS, "sample_rate": 16000}
    monkeypatch.delenv("SERFAIR_HTTP_TOKEN", raising=False)
    anonymous = load_adapter(ModelSpec(f"{url}/predict", options=FAST, **spec))
    with pytest.raises(ModelError, match="refused the request \\(HTTP 401.*SERFAIR_HTTP_TOKEN"):
        anonymous.predict_proba(_waves())
    monkeypatch.setenv("SERFAIR_HTTP_TOKEN", "s3cret")
    assert load_adapter(ModelSpec(f"{url}/predict", options=FAST, **spec)).predict_proba(
        _waves()).shape == (3, 4)
    with pytest.raises(ModelError, match="read from \\$MY_SER_TOKEN, which is not set"):
        load_adapter(ModelSpec(f"{url}/predict", options={"auth_env": "MY_SER_TOKEN"}, **spec))
    monkeypatch.setenv("MY_SER_TOKEN", "s3cret")
    named = load_adapter(ModelSpec(f"{url}/predict", options={**FAST, "auth_env": "MY_SER_TOKEN"}, **spec))
    assert "s3cret" not in str(named.describe())
    assert named.predict_proba(_waves()).shape == (3, 4)


class Flaky(http_server.Handler):
    """503 for the first `failures` requests, then normal answers."""

    failures = 2

    def do_POST(self):
        if type(self).calls < self.failures:
            type(self).calls += 1
            self.rfile.read(int(self.headers["Content-Length"]))
            return self._send(503, {"error": "warming up"})
        return super().do_POST()


def test_retries_with_backoff_then_a_clear_failure(server):
    url, handler = server(Flaky)
    spec = {"labels": LABELS, "sample_rate": 16000}
    start = time.monotonic()
    ok = load_adapter(ModelSpec(f"{url}/predict", options={"retries": 2, "backoff": 0.05}, **spec))
    assert ok.predict_proba(_waves()).shape == (3, 4)
    assert handler.calls == 3 and time.monotonic() - start >= 0.05 + 0.1  # backoff doubled
    url, _ = server(Flaky, failures=5)
    failing = load_adapter(ModelSpec(f"{url}/predict", options={"retries": 1, "backoff": 0.01}, **spec))
    with pytest.raises(ModelError, match="failed after 2 attempt\\(s\\).*HTTP 503"):
        failing.predict_proba(_waves())


class Slow(http_server.Handler):
    def do_POST(self):
        time.sleep(1.0)
        return super().do_POST()


def test_timeouts_and_unretried_client_errors(server):
    url, _ = server(Slow)
    slow = load_adapter(ModelSpec(f"{url}/predict", labels=LABELS, sample_rate=16000,
                                  options={"timeout": 0.2, "retries": 0}))
    with pytest.raises(ModelError, match="failed after 1 attempt\\(s\\) \\(timeout 0.2 s\\)"):
        slow.predict_proba(_waves())
    url, handler = server()
    missing = load_adapter(ModelSpec(f"{url}/nope", labels=LABELS, sample_rate=16000, options=FAST))
    with pytest.raises(ModelError, match="rejected the request: HTTP 404"):
        missing.predict_proba(_waves())
    assert handler.calls == 1  # a 404 is not retried


def test_reply_labels_reorder_columns_or_contradict_the_audit(server):
    url, _ = server()
    reordered = load_adapter(ModelSpec(f"{url}/predict", labels=("sad", "neutral", "happy", "angry"),
                                       sample_rate=16000, options=FAST))
    expected = LoudnessModel().predict_proba(_waves())[:, ::-1]
    np.testing.assert_allclose(reordered.predict_proba(_waves()), expected, atol=1e-6)
    wrong = load_adapter(ModelSpec(f"{url}/predict", labels=("a", "b", "c", "d"), sample_rate=16000,
                                   options=FAST))
    with pytest.raises(ModelError, match="returned labels .*angry.* but the audit expects"):
        wrong.predict_proba(_waves())


def test_labels_and_rate_must_be_given():
    with pytest.raises(ModelError, match="HTTP model .* does not declare its labels or sample rate"):
        load_adapter(ModelSpec("http://127.0.0.1:9/predict"))


class Restarting(http_server.Handler):
    """A KServe v2 server restarted by the first inference request: while it 'loads' (`down`
    seconds) inference answers MLServer's 400 "not ready yet" and the ready endpoint says so."""

    down = 0.4
    back_at = 0.0
    ready_polls = 0

    def do_GET(self):
        type(self).ready_polls += 1
        if time.monotonic() < self.back_at:
            return self._send(400, {"error": "Model ser is not ready yet."})
        return super().do_GET()

    def do_POST(self):
        cls = type(self)
        if cls.back_at == 0.0:
            cls.back_at = time.monotonic() + cls.down
        if time.monotonic() < cls.back_at:
            self.rfile.read(int(self.headers["Content-Length"]))
            with self.lock:
                cls.calls += 1
            return self._send(400, {"error": "Model ser is not ready yet."})
        return super().do_POST()


def test_kserve_waits_for_a_restarted_model_to_be_ready(server):
    url, handler = server(Restarting)
    options = {"retries": 2, "backoff": 0.01, "timeout": 5, "ready_timeout": 10}
    adapter = load_adapter(ModelSpec(f"{url}/v2/models/ser/infer", labels=LABELS, sample_rate=16000,
                                     options={**options, "lengths_name": "lengths"}))
    probs = adapter.predict_proba(_waves())  # 3 quick retries alone would all meet "not ready"
    np.testing.assert_allclose(probs, LoudnessModel().predict_proba(_waves()), atol=1e-5)
    assert handler.ready_polls > 2 and handler.calls == 2


def test_kserve_readiness_wait_is_bounded(server):
    url, handler = server(Restarting, back_at=time.monotonic() + 60)
    start = time.monotonic()
    with pytest.raises(ModelError, match=r"not ready within 0.3 s \(GET .*/v2/models/ser/ready said "
                                         r"HTTP 400.*not ready yet"):
        load_adapter(ModelSpec(f"{url}/v2/models/ser/infer", labels=LABELS, sample_rate=16000,
                               options={**FAST, "ready_timeout": 0.3}))
    assert time.monotonic() - start < 3 and handler.ready_polls >= 2


class TwoOutputs(http_server.Handler):
    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = http_server.kserve_reply(request)
        reply["outputs"] = [{"name": "embedding", "datatype": "FP32", "shape": [1, 1], "data": [0.5]},
                            *reply["outputs"]]
        return self._send(200, reply)


def test_kserve_missing_output_is_an_error_never_another_output(server):
    url, _ = server(TwoOutputs)
    spec = {"labels": LABELS, "sample_rate": 16000}
    wave = [tone(0.4, seed=1)]
    named = load_adapter(ModelSpec(f"{url}/v2/models/ser/infer", options=FAST, **spec))
    np.testing.assert_allclose(named.predict_proba(wave), LoudnessModel().predict_proba(wave),
                               atol=1e-5)  # unnamed: the one called probabilities
    missing = load_adapter(ModelSpec(f"{url}/v2/models/ser/infer",
                                     options={**FAST, "output_name": "probs"}, **spec))
    with pytest.raises(ModelError, match="without the output 'probs'.*embedding, probabilities"):
        missing.predict_proba(wave)
