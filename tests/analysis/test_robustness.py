"""Robustness by group: UAR, drop, flip rate, breaking points and group x condition interactions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import balanced_accuracy_score

from serfair.analysis.robustness import robustness
from serfair.perturb import parse_conditions

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")
CONDITIONS = parse_conditions("noise@snr=10,noise@snr=0,pitch@semitones=2")
# share of each speaker's clips predicted wrong, per condition: women lose far more under noise
ERRORS = {"clean": 0.0, "noise@snr=10": {"female": 0.25, "male": 0.0},
          "noise@snr=0": {"female": 0.6, "male": 0.1}, "pitch@semitones=2": 0.25}


def _predictions(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(8):
        gender = "female" if s < 4 else "male"
        for k in range(24):
            truth = LABELS[k % 4]
            for c in CONDITIONS:
                rate = ERRORS[c.name] if isinstance(ERRORS[c.name], float) else ERRORS[c.name][gender]
                rate = min(1.0, rate * (0.5 + s % 4 / 3))  # speakers differ: intervals have width
                wrong = rng.random() < rate
                rows.append({"clip_id": f"s{s}-{k}", "speaker_id": f"s{s}", "gender": gender,
                             "condition": c.name, "y_true": truth,
                             "y_pred": LABELS[(k + 1) % 4] if wrong else truth})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def result():
    return robustness(_predictions(), conditions=CONDITIONS, slices=["gender"], labels=LABELS,
                      seed=0, replicates=400, min_speakers=4)


def _cell(result, slice_name, group, condition):
    return next(c for c in result["cells"]
                if (c["slice"], c["group"], c["condition"]) == (slice_name, group, condition))


def test_uar_drop_and_flip_rate_match_a_direct_computation(result):
    preds = _predictions()
    clean = preds[preds["condition"] == "clean"].set_index("clip_id")["y_pred"]
    for gender in ("female", "male"):
        for c in CONDITIONS:
            part = preds[(preds["gender"] == gender) & (preds["condition"] == c.name)]
            base = preds[(preds["gender"] == gender) & (preds["condition"] == "clean")]
            cell = _cell(result, "gender", gender, c.name)
            uar = balanced_accuracy_score(part["y_true"], part["y_pred"])
            assert cell["uar"] == pytest.approx(uar)
            assert cell["drop"] == pytest.approx(balanced_accuracy_score(base["y_true"], base["y_pred"]) - uar)
            flips = (part.set_index("clip_id")["y_pred"] != clean.loc[part["clip_id"]]).mean()
            assert cell["flip_rate"] == pytest.approx(flips)
            assert (cell["n_clips"], cell["n_speakers"]) == (96, 4)


def test_interaction_names_the_group_that_loses_more_with_an_interval(result):
    noisy = next(r for r in result["interactions"] if r["condition"] == "noise@snr=0")
    female, male = (_cell(result, "gender", g, "noise@snr=0")["drop"] for g in ("female", "male"))
    assert (noisy["group"], noisy["reference"]) == ("female", "male")
    assert noisy["extra_drop"] == pytest.approx(female - male)
    lo, hi = noisy["ci"]
    assert 0 < lo <= noisy["extra_drop"] <= hi and noisy["excludes_zero"]
    same = next(r for r in result["interactions"] if r["condition"] == "pitch@semitones=2")
    assert same["ci"][0] <= same["extra_drop"] <= same["ci"][1]
    assert result["largest"][0]["condition"] == "noise@snr=0"
    assert len({(r["slice"], r["condition"].split("@")[0]) for r in result["largest"]}) == len(result["largest"])


def test_breaking_point_is_the_mildest_severity_below_the_share(result):
    found = {(b["group"], b["family"]): b for b in result["breaking_points"] if b["slice"] == "gender"}
    female_noise = found[("female", "noise")]
    assert female_noise["threshold"] == pytest.approx(0.8 * female_noise["clean_uar"])
    assert female_noise["condition"] == next(
        n for n in ("noise@snr=10", "noise@snr=0")
        if _cell(result, "gender", "female", n)["uar"] < female_noise["threshold"])
    assert found[("male", "noise")]["condition"] is None  # holds up to the harshest tested
    assert found[("male", "noise")]["harshest"] == "noise@snr=0"
    ladder = next(f for f in result["families"] if f["family"] == "noise")
    assert ladder["conditions"] == ["noise@snr=10", "noise@snr=0"] and ladder["units"] == {"snr": "dB"}


def test_row_order_does_not_matter(result):
    shuffled = _predictions().sample(frac=1.0, random_state=1)
    again = robustness(shuffled, conditions=CONDITIONS, slices=["gender"], labels=LABELS, seed=0,
                       replicates=400, min_speakers=4)
    assert again == result


def test_clean_only_has_an_empty_section():
    preds = _predictions()
    out = robustness(preds[preds["condition"] == "clean"], conditions=CONDITIONS[:1],
                     slices=["gender"], labels=LABELS)
    assert out["cells"] == [] and out["families"] == [] and out["largest"] == []


def test_groups_under_min_speakers_get_a_speaker_range_not_an_interval(result):
    small = robustness(_predictions(), conditions=CONDITIONS, slices=["gender"], labels=LABELS,
                       seed=0, replicates=400)  # default min_speakers=5 > 4 speakers per gender
    assert small["min_speakers"] == 5
    preds = _predictions()
    for cell in (c for c in small["cells"] if c["slice"] == "gender"):
        assert cell["drop_ci"] is None
        lo, hi = cell["drop_range"]
        assert lo <= cell["drop"] <= hi
        part = preds[preds["gender"] == cell["group"]]
        per_speaker = [
            balanced_accuracy_score(*_truth_pred(part, sp, "clean"))
            - balanced_accuracy_score(*_truth_pred(part, sp, cell["condition"]))
            for sp in sorted(part["speaker_id"].unique())]
        assert lo == pytest.approx(min(min(per_speaker), cell["drop"]))
        assert hi == pytest.approx(max(max(per_speaker), cell["drop"]))
    overall = [c for c in small["cells"] if c["slice"] == "all" and c["condition"] != "clean"]
    assert all(c["drop_ci"] is not None and "drop_range" not in c for c in overall)  # 8 speakers
    assert all(r["ci"] is None and not r["excludes_zero"] for r in small["interactions"])
    assert all(r["ci"] is not None for r in result["interactions"])  # min_speakers=4: intervals


def _truth_pred(part: pd.DataFrame, speaker: str, condition: str):
    rows = part[(part["speaker_id"] == speaker) & (part["condition"] == condition)]
    return rows["y_true"], rows["y_pred"]
