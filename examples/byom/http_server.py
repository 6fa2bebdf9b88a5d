"""A model behind HTTP, speaking both request shapes serfair supports (standard library only).

    python examples/byom/http_server.py --port 8080 &
    serfair audit --model http://127.0.0.1:8080/predict --labels angry,happy,neutral,sad \
        --sample-rate 16000 --label-map calm=neutral
    serfair audit --spec examples/byom/http-kserve.yaml         # KServe v2 at /v2/models/ser/infer

Set SERFAIR_EXAMPLE_TOKEN to require `Authorization: Bearer <token>` (serfair sends it from
$SERFAIR_HTTP_TOKEN, or the variable named by the spec's model.options.auth_env).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from python_model import LoudnessModel

MODEL = LoudnessModel()


def serfair_reply(request: dict) -> dict:
    """{"instances": [...]} -> {"predictions": [...], "labels": [...]}."""
    waves = []
    for item in request["instances"]:
        if isinstance(item, dict):  # encoding: base64
            data = np.frombuffer(base64.b64decode(item["b64"]), dtype="<f4")
            waves.append(data.reshape(item["shape"]))
        else:
            waves.append(np.asarray(item, dtype=np.float32))
    return {"predictions": MODEL.predict_proba(waves).tolist(), "labels": list(MODEL.labels)}


def kserve_reply(request: dict) -> dict:
    """KServe v2 inputs (waveform [B, S], optional lengths [B]) -> outputs probabilities [B, K]."""
    tensors = {t["name"]: np.asarray(t["data"]).reshape(t["shape"]) for t in request["inputs"]}
    batch = tensors["waveform"].astype(np.float32)
    lengths = tensors.get("lengths", np.full(batch.shape[0], batch.shape[1]))
    probs = MODEL.predict_proba([row[:n] for row, n in zip(batch, lengths)])
    return {"model_name": "ser", "outputs": [{"name": "probabilities", "datatype": "FP32",
                                              "shape": list(probs.shape), "data": probs.reshape(-1).tolist()}]}


class Handler(BaseHTTPRequestHandler):
    """POST /predict (serfair shape) and POST /v2/models/<name>/infer (KServe v2);
    GET /v2/models/<name>/ready (KServe v2 readiness)."""

    token: str | None = None
    calls = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        if self.path.startswith("/v2/models/") and self.path.endswith("/ready"):
            name = self.path.split("/")[3]
            return self._send(200, {"name": name, "ready": True})
        return self._send(404, {"error": f"no route {self.path}"})

    def do_POST(self) -> None:
        with self.lock:
            type(self).calls += 1
        if self.token and self.headers.get("Authorization") != f"Bearer {self.token}":
            return self._send(401, {"error": "missing or wrong bearer token"})
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path.startswith("/v2/models/") and self.path.endswith("/infer"):
            return self._send(200, kserve_reply(request))
        if self.path == "/predict":
            return self._send(200, serfair_reply(request))
        return self._send(404, {"error": f"no route {self.path}"})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # quiet
        pass


def serve(port: int = 0, token: str | None = None, handler: type = Handler) -> ThreadingHTTPServer:
    """Start serving on 127.0.0.1 in a background thread; returns the server (.server_port)."""
    handler.token = token
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    server = serve(args.port, os.environ.get("SERFAIR_EXAMPLE_TOKEN"))
    print(f"serving on http://127.0.0.1:{server.server_port} (Ctrl-C to stop)")
    threading.Event().wait()
