"""A model behind HTTP: batched JSON requests to the user's endpoint.

Two request shapes (docs/bring-your-own-model.md shows both in full):

- `serfair` (default): POST `{"sample_rate": 16000, "instances": [[...], ...]}`, one list of
  floats per clip (`encoding: base64` sends `{"b64": ..., "shape": [...]}` of little-endian
  float32 instead); the reply is `{"predictions": [[p, ...], ...]}` (or `"probabilities"`), with
  an optional `"labels"` list naming its columns.
- `kserve-v2` (chosen automatically for URLs containing `/v2/models/`): the KServe / Triton
  open inference protocol, `{"inputs": [{"name", "shape", "datatype": "FP32", "data"}]}` in and
  `{"outputs": [{"name", "shape", "data"}]}` out; waveforms are zero-padded with an INT64
  lengths input when `lengths_name` is set, else clips of equal shape are sent together.

Options (audit spec `model.options`): protocol, timeout (s, 30), retries (3), backoff (s, 0.5,
doubling), auth_env (environment variable holding a token, default SERFAIR_HTTP_TOKEN),
auth_header (Authorization), auth_scheme (Bearer), encoding (list | base64), input_name
(waveform), lengths_name, output_name, headers (extra headers), version, ready_timeout (s, 60),
wait_ready (true). Every option is part of the prediction cache key.

KServe v2: before the audit the adapter waits (up to ready_timeout) until
`GET .../v2/models/<name>[/versions/<v>]/ready` answers 200; a reply "model ... is not ready"
(HTTP 400 or 503, e.g. while a restarted server loads) is retried after waiting for readiness
again. A reply without the requested `output_name` is an error, never silently another output.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

import numpy as np

from serfair.errors import ModelError
from serfair.models.base import AdapterKind, ModelSpec, register
from serfair.models.batching import pad_batch, same_shape_groups
from serfair.models.io import as_bool, resolve_io
from serfair.models.onnx_adapter import PROBABILITY_NAMES

RETRY_STATUS = {408, 429, 500, 502, 503, 504}
DEFAULT_TOKEN_ENV = "SERFAIR_HTTP_TOKEN"
PROTOCOLS = ("serfair", "kserve-v2")
NOT_READY = re.compile(r"not\s+(yet\s+)?ready", re.IGNORECASE)
NOT_READY_STATUS = {400, 503}
INFER_PATH = re.compile(r"^(?P<base>.*/v2/models/[^/]+(?:/versions/[^/]+)?)/infer/?$")


def is_url(source: str) -> bool:
    """an http:// or https:// URL"""
    return source.lower().startswith(("http://", "https://"))


class HttpAdapter:
    """Posts batches to an endpoint, with timeouts and retries with exponential backoff."""

    def __init__(self, spec: ModelSpec):
        self.url = spec.source
        opts = dict(spec.options)
        self.protocol = str(opts.get("protocol") or (
            "kserve-v2" if "/v2/models/" in urlparse(self.url).path else "serfair"))
        if self.protocol not in PROTOCOLS:
            raise ModelError(f"HTTP protocol '{self.protocol}' is unknown; use one of {', '.join(PROTOCOLS)}")
        self.timeout = float(opts.get("timeout", 30))
        self.retries = int(opts.get("retries", 3))
        self.backoff = float(opts.get("backoff", 0.5))
        self.encoding = str(opts.get("encoding", "list"))
        self.input_name = str(opts.get("input_name", "waveform"))
        self.lengths_name = opts.get("lengths_name")
        self.output_name = opts.get("output_name")
        self.version = opts.get("version")
        self.ready_timeout = float(opts.get("ready_timeout", 60))
        self.ready_url = self._ready_url() if as_bool(opts.get("wait_ready", True)) else None
        self.headers = {"Content-Type": "application/json", "Accept": "application/json",
                        **{str(k): str(v) for k, v in dict(opts.get("headers", {})).items()}}
        self.auth_env = opts.get("auth_env")
        token_env = self.auth_env or DEFAULT_TOKEN_ENV
        token = os.environ.get(token_env)
        if self.auth_env and not token:
            raise ModelError(f"the HTTP model's auth token is read from ${token_env}, which is not "
                             f"set; export {token_env}=... first")
        if token:
            scheme = opts.get("auth_scheme", "Bearer")
            self.headers[str(opts.get("auth_header", "Authorization"))] = (
                f"{scheme} {token}" if scheme else token)
        self.io = resolve_io(spec, f"HTTP model {self.url}",
                             hint="`labels` and `sample_rate` in the audit spec's model section, ")
        self.labels = self.io.labels
        self.sample_rate = self.io.sample_rate
        self.wait_ready()

    # -- readiness (KServe v2) -------------------------------------------------------------------
    def _ready_url(self) -> str | None:
        if self.protocol != "kserve-v2":
            return None
        parsed = urlparse(self.url)
        match = INFER_PATH.match(parsed.path)
        return parsed._replace(path=f"{match['base']}/ready").geturl() if match else None

    def _probe_ready(self) -> tuple[bool, str]:
        """(ready, what the server said) for one GET of the ready endpoint."""
        request = urllib.request.Request(str(self.ready_url), headers=self.headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=min(self.timeout, 10)) as response:
                text = response.read()[:300].decode(errors="replace")
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise ModelError(f"HTTP model {self.url} refused the readiness check (HTTP "
                                 f"{exc.code}); put a token in ${self.auth_env or DEFAULT_TOKEN_ENV}"
                                 ) from exc
            return False, f"HTTP {exc.code}: {exc.read()[:200].decode(errors='replace')}"
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            return False, f"{type(getattr(exc, 'reason', exc)).__name__}: {getattr(exc, 'reason', exc)}"
        try:
            body = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError:
            body = {}
        ready = not (isinstance(body, dict) and body.get("ready") is False)
        return ready, f"HTTP 200: {text}"

    def wait_ready(self) -> None:
        """Wait until a KServe v2 model says it is ready (bounded by ready_timeout)."""
        if not self.ready_url:
            return
        deadline = time.monotonic() + self.ready_timeout
        pause = 0.05
        while True:
            ready, detail = self._probe_ready()
            if ready:
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise ModelError(
                    f"KServe v2 model {self.url} was not ready within {self.ready_timeout:g} s "
                    f"(GET {self.ready_url} said {detail}); check that the server has loaded the "
                    f"model, raise model.options.ready_timeout, or set wait_ready: false if the "
                    f"server has no ready endpoint")
            time.sleep(min(pause, left))
            pause = min(pause * 2, 1.0)

    # -- transport -----------------------------------------------------------------------------
    def _post(self, payload: dict) -> dict:
        body = json.dumps(payload).encode()
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            request = urllib.request.Request(self.url, data=body, headers=self.headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    text = response.read()
                try:
                    return json.loads(text)
                except json.JSONDecodeError as exc:
                    raise ModelError(f"HTTP model {self.url} answered with something that is not "
                                     f"JSON: {text[:200]!r}") from exc
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:300].decode(errors="replace")
                last = f"HTTP {exc.code} {exc.reason}: {detail}"
                if exc.code in (401, 403):
                    raise ModelError(
                        f"HTTP model {self.url} refused the request ({last}); put a token in "
                        f"${self.auth_env or DEFAULT_TOKEN_ENV} (sent as "
                        f"{'the configured header' if self.auth_env else 'Authorization: Bearer'})"
                    ) from exc
                not_ready = exc.code in NOT_READY_STATUS and bool(NOT_READY.search(detail))
                if exc.code not in RETRY_STATUS and not not_ready:
                    raise ModelError(f"HTTP model {self.url} rejected the request: {last}") from exc
                if attempt < self.retries:
                    self.wait_ready()  # a restarted model loading: wait, then try again
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                last = f"{type(reason).__name__}: {reason}"
                if attempt < self.retries:
                    self.wait_ready()
        raise ModelError(f"HTTP model {self.url} failed after {self.retries + 1} attempt(s) "
                         f"(timeout {self.timeout:g} s): {last}")

    # -- protocols -----------------------------------------------------------------------------
    def _serfair(self, feats: list[np.ndarray]) -> np.ndarray:
        if self.encoding == "base64":
            instances = [{"b64": base64.b64encode(f.astype("<f4").tobytes()).decode(),
                          "shape": list(f.shape)} for f in feats]
        else:
            instances = [f.tolist() for f in feats]
        reply = self._post({"sample_rate": self.sample_rate, "encoding": self.encoding,
                            "instances": instances})
        rows = reply.get("predictions", reply.get("probabilities")) if isinstance(reply, dict) else None
        if rows is None:
            raise ModelError(f"HTTP model {self.url} replied without a 'predictions' list; "
                             f"keys: {', '.join(reply) if isinstance(reply, dict) else type(reply).__name__}")
        out = np.asarray(rows, dtype=np.float64)
        names = reply.get("labels")
        if names:
            out = self._reorder(out, [str(n) for n in names])
        return out

    def _reorder(self, out: np.ndarray, names: list[str]) -> np.ndarray:
        expected = list(self.io.raw_labels)
        if names == expected:
            return out
        if sorted(names) != sorted(expected) or out.ndim != 2 or out.shape[1] != len(names):
            raise ModelError(f"HTTP model {self.url} returned labels {names}, but the audit "
                             f"expects {expected}; fix --labels")
        return out[:, [names.index(n) for n in expected]]

    def _kserve(self, feats: list[np.ndarray]) -> np.ndarray:
        if self.lengths_name and self.io.takes_waveform:
            batch, lengths = pad_batch(feats)
            return self._kserve_call([(self.input_name, batch, "FP32"),
                                      (str(self.lengths_name), lengths, "INT64")])
        out: list[np.ndarray | None] = [None] * len(feats)
        for rows in same_shape_groups(feats):
            result = self._kserve_call([(self.input_name, np.stack([feats[r] for r in rows]), "FP32")])
            for r, values in zip(rows, result.reshape(len(rows), -1)):
                out[r] = values
        return np.stack(out)

    def _kserve_call(self, tensors: list[tuple[str, np.ndarray, str]]) -> np.ndarray:
        payload = {"inputs": [{"name": name, "shape": list(array.shape), "datatype": dtype,
                               "data": array.reshape(-1).tolist()} for name, array, dtype in tensors]}
        if self.output_name:
            payload["outputs"] = [{"name": str(self.output_name)}]
        reply = self._post(payload)
        outputs = reply.get("outputs") if isinstance(reply, dict) else None
        if not outputs:
            raise ModelError(f"KServe v2 model {self.url} replied without 'outputs': {str(reply)[:200]}")
        chosen = self._choose_output(outputs)
        try:
            return np.asarray(chosen["data"], dtype=np.float64).reshape(chosen["shape"])
        except (KeyError, ValueError) as exc:
            raise ModelError(f"KServe v2 output '{chosen.get('name')}' has no usable data/shape: "
                             f"{exc}") from exc

    def _choose_output(self, outputs: list) -> dict:
        """The requested output; without a request, the only one or the one named like
        probabilities. Anything else is an error naming the outputs the reply has."""
        names = [str(o.get("name")) for o in outputs if isinstance(o, dict)]
        if self.output_name:
            wanted = str(self.output_name)
            found = [o for o in outputs if isinstance(o, dict) and o.get("name") == wanted]
            if not found:
                raise ModelError(f"KServe v2 model {self.url} replied without the output "
                                 f"'{wanted}' (model.options.output_name); its outputs are: "
                                 f"{', '.join(names) or 'none'}")
            return found[0]
        if len(outputs) == 1 and isinstance(outputs[0], dict):
            return outputs[0]
        named = [o for o in outputs if isinstance(o, dict) and o.get("name") in PROBABILITY_NAMES]
        if len(named) == 1:
            return named[0]
        raise ModelError(f"KServe v2 model {self.url} replied with {len(outputs)} outputs "
                         f"({', '.join(names)}); name the probabilities with "
                         f"model.options.output_name")

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Probabilities for each wave, in order (one request per batch, or per shape group)."""
        feats = [self.io.features(w) for w in waves]
        raw = self._kserve(feats) if self.protocol == "kserve-v2" else self._serfair(feats)
        return self.io.finish(raw, len(waves))

    def describe(self) -> dict:
        """Provenance: the endpoint (never the token), protocol and hooks."""
        return {"format": "http", "path": self.url, "endpoint": self.url, "name": self.url,
                "sha256": None, "protocol": self.protocol, "version": self.version,
                "timeout_s": self.timeout, "retries": self.retries, **self.io.describe()}


register(AdapterKind(
    name="http", suffixes=(), build=HttpAdapter, detect=is_url,
    description="a model behind HTTP (serfair JSON or KServe v2), batched, with retries",
    example="serfair audit --model https://ser.example.com/predict --labels angry,happy,sad "
            "--sample-rate 16000",
    order=60,
))
