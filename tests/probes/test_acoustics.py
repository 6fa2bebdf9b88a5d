"""The voice check on real speech (the corpus when present, else the demo set): the swap moves
each clip's median F0 by the asked semitones and F2 the way of the formant ratio; the control
moves neither."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from perturb_signals import RATE, voice

from serfair.data.loader import demo_data_dir, load_dataset
from serfair.probes import parse_probes, plan_probes
from serfair.probes.acoustics import measure, measure_plan


def _real_clips(shared_data) -> pd.DataFrame:
    clips = load_dataset(str(shared_data) if shared_data else str(demo_data_dir()))
    chosen = [part[part["speaker_id"] == min(part["speaker_id"].unique())].head(6)
              for _, part in clips.groupby("gender")]
    return pd.concat(chosen, ignore_index=True)


def test_measure_reads_f0_of_a_harmonic_voice_and_nan_for_silence():
    values = measure(voice(1.0, f0=180.0), RATE)
    assert values["f0"] == pytest.approx(180.0, rel=0.02)
    assert 0 < values["f1"] < values["f2"] < 5500
    assert all(np.isnan(v) for v in measure(np.zeros(RATE, dtype=np.float32), RATE).values())


def test_swapped_real_speech_moves_f0_by_the_semitones_and_f2_with_the_formants(shared_data):
    clips = _real_clips(shared_data)
    probes = parse_probes({"gender_swap": {"sample": 6}})
    plan = plan_probes(probes, clips, sample_rate=RATE, seed=0)[0]
    table = measure_plan(plan, clips, sample_rate=RATE, seed=0)
    assert len(table) == 12 * 3 and set(table["version"]) == {"clean", "control", "swap"}
    wide = table.pivot(index="clip_id", columns="version", values=["f0", "f2"])
    group = table.drop_duplicates("clip_id").set_index("clip_id")["group"]
    shift = np.log2(wide["f0"]["swap"] / wide["f0"]["clean"]) * 12
    expected = group.map({"female": -9.0, "male": 9.0})
    assert (shift - expected).abs().median() < 1.0  # semitones
    control = np.log2(wide["f0"]["control"] / wide["f0"]["clean"]) * 12
    assert control.abs().median() < 0.5
    f2 = wide["f2"]["swap"] / wide["f2"]["clean"]
    assert f2[group == "male"].median() > 1.0 > f2[group == "female"].median()
