"""One batch through the adapter before the long run: fail early, with the adapter's name."""

from __future__ import annotations

import pandas as pd

from serfair.data.audio import load_audio
from serfair.errors import ModelError, SerfairError
from serfair.models import predicts_by_id
from serfair.models.base import Adapter, check_probabilities


def adapter_name(adapter: Adapter) -> str:
    """`onnx adapter (model.onnx)`: the format and what it was built from."""
    try:
        info = adapter.describe()
    except Exception:  # noqa: BLE001 - a user's adapter may not describe itself well
        info = {}
    fmt = info.get("format", type(adapter).__name__)
    source = info.get("path") or info.get("name")
    return f"{fmt} adapter ({source})" if source else f"{fmt} adapter"


def sanity_check(adapter: Adapter, clips: pd.DataFrame, n: int = 2) -> None:
    """Run `n` clips; raise ModelError if the output is not (n, labels) finite probabilities.

    Adapters that look predictions up by clip id are checked on their first condition, without
    decoding audio.
    """
    sample = clips.head(n)
    name = adapter_name(adapter)
    who = f"{name}, sanity check on {len(sample)} clip(s)"
    try:
        if predicts_by_id(adapter):
            condition = "clean" if "clean" in adapter.conditions else adapter.conditions[0]
            out = adapter.predict_ids([(c, condition) for c in sample["clip_id"]])
        else:
            waves = [load_audio(p, adapter.sample_rate, clip_id=c)
                     for p, c in zip(sample["audio_path"], sample["clip_id"])]
            out = adapter.predict_proba(waves)
    except SerfairError as exc:
        if isinstance(exc, ModelError) and name not in str(exc):
            raise ModelError(f"{name} failed its sanity check: {exc}") from exc
        raise
    except Exception as exc:  # anything else from a user's model, hook or server
        raise ModelError(f"{name} failed its sanity check on {len(sample)} clip(s): "
                         f"{type(exc).__name__}: {exc}") from exc
    check_probabilities(out, len(sample), tuple(adapter.labels), who)
