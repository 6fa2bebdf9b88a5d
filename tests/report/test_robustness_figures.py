"""The report's robustness section: small multiples, heat map, breaking points and sentences."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from serfair.analysis.robustness import robustness
from serfair.perturb import parse_conditions
from serfair.report.html import _ENV
from serfair.report.robustness_figures import interaction_sentences, robustness_view

LABELS = ("neutral", "happy", "sad", "angry")
CONDITIONS = parse_conditions("noise@snr=10,noise@snr=0,colour@snr=10:slope=-6.02,colour@snr=0,"
                              "pitch@semitones=-2,pitch@semitones=4,gain@db=-40")


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(0)
    rows = []
    for s in range(6):
        gender, corpus = ("female" if s % 2 else "male"), ("a" if s < 3 else "b")
        for k in range(12):
            for i, c in enumerate(CONDITIONS):
                wrong = rng.random() < 0.1 + 0.05 * i * (1 + (gender == "female"))
                rows.append({"clip_id": f"{s}-{k}", "speaker_id": f"s{s}", "gender": gender,
                             "dataset": corpus, "condition": c.name, "y_true": LABELS[k % 4],
                             "y_pred": LABELS[(k + 1) % 4] if wrong else LABELS[k % 4]})
    rob = robustness(pd.DataFrame(rows), conditions=CONDITIONS, slices=["gender", "dataset"],
                     labels=LABELS, replicates=200)
    return {"robustness": rob, "slices": ["gender", "dataset"], "data": {"model_labels": list(LABELS)},
            "conditions": [{"name": c.name, "family": c.family, "params": c.kwargs} for c in CONDITIONS]}


def test_one_small_multiple_per_slice_with_a_panel_per_family(result):
    view = robustness_view(result)
    assert [f["slice"] for f in view["curves"]] == ["gender", "dataset"]
    for figure in view["curves"]:
        assert figure["svg"].startswith("<svg")
        panels = set(re.findall(r'<g id="(axes_\d+)"', figure["svg"]))
        assert len(panels) == 4  # noise, colour, pitch, gain
        assert "noise, colour, pitch, gain" in figure["alt"]
    assert view["heatmap"]["svg"].startswith("<svg") and "7 conditions" in view["heatmap"]["alt"]
    colour = next(r for r in view["breaking"]["rows"] if r["family"] == "colour")
    assert colour["axis"] == "snr (dB), slope (dB/octave)"
    assert view["breaking"]["columns"] == ["all", "gender: female", "gender: male", "dataset: a", "dataset: b"]


def test_sentences_state_the_numbers_of_the_largest_interactions(result):
    sentences = interaction_sentences(result["robustness"])
    top = result["robustness"]["largest"][0]
    assert sentences and f"{100 * top['extra_drop']:.1f} points more" in sentences[0]
    assert top["condition"] in sentences[0] and top["group"] in sentences[0]


def test_section_renders_and_degrades_to_clean_only(result):
    template = _ENV.get_template("sections/robustness.html.j2")
    html = template.render(robustness=robustness_view(result), r=result)
    assert html.count("<svg") == 3 and "Breaking points" in html and "flip rate" in html
    assert "Only clean speech was audited" in template.render(robustness=robustness_view({}), r={})
