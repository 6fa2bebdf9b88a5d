"""One batch through the adapter before the long run: fail early, with the adapter's name."""

from __future__ import annotations

import pandas as pd

from serfair.data.audio import load_audio
from serfair.models.base import Adapter, check_probabilities


def sanity_check(adapter: Adapter, clips: pd.DataFrame, n: int = 2) -> None:
    """Run `n` clips; raise ModelError if the output is not (n, labels) finite probabilities."""
    sample = clips.head(n)
    waves = [load_audio(p, adapter.sample_rate, clip_id=c)
             for p, c in zip(sample["audio_path"], sample["clip_id"])]
    name = adapter.describe().get("format", type(adapter).__name__)
    check_probabilities(adapter.predict_proba(waves), len(waves), adapter.labels,
                        f"{name} adapter (sanity check on {len(waves)} clips)")
