"""Proof on real speech: the reference model's predictions for the test speakers.

Data: the test speakers of ../shared/data when present, else the bundled demo set (the same
speakers). One audit runs the reference model once (module fixture); the tests then work on its
exported predictions:

- serfair's per-group UAR equals sklearn's balanced_accuracy_score on predictions.parquet;
- a planted gap (a fixed share of one gender's correct predictions turned wrong) is found: its
  interval excludes zero and its p-value is small, and it is stated in words;
- with nothing planted, over every balanced relabelling of the speakers into two pseudo-groups,
  the share of false flags stays at or below the nominal level (permutation p-values) or near it
  (intervals that exclude zero);
- the bootstrap is identical for the same seed whatever the worker count and row order.
"""

from __future__ import annotations

import json
import os
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import balanced_accuracy_score, recall_score

from serfair.analysis.disparities import Rules, disparity_records
from serfair.analysis.findings import findings
from serfair.analysis.groups import group_table
from serfair.analysis.metrics import metric_set
from serfair.analysis.uncertainty import audit_statistics, slice_statistics
from serfair.audit import audit
from serfair.data.loader import demo_data_dir
from serfair.paths import reference_model
from serfair.reference.split import TEST_SPEAKERS
from serfair.spec import load_spec

SHARE = 0.5          # of one gender's correct predictions turned wrong
ANGER_SHARE = 0.6    # of women's correctly recognised anger turned into another emotion


def _data(shared_data, folder) -> str:
    """The test speakers of the shared corpus (absolute paths), else the demo set."""
    if shared_data is None:
        return str(demo_data_dir())
    manifest = pd.read_csv(shared_data / "manifest.csv", dtype=str, keep_default_na=False)
    manifest = manifest[manifest["speaker_id"].isin(TEST_SPEAKERS)].copy()
    manifest["path"] = [str(shared_data / p) for p in manifest["path"]]
    path = folder / "test_speakers.csv"
    manifest.to_csv(path, index=False)
    return str(path)


@pytest.fixture(scope="module")
def run(tmp_path_factory, shared_data):
    """One audit of the reference model on clean speech: (result, exported predictions, labels)."""
    model = reference_model()
    if not model.exists():
        why = f"the reference model {model} is missing"
        if os.environ.get("CI") or os.environ.get("SERFAIR_REQUIRE_ALL") == "1":
            pytest.fail(f"CI must run the proof on real speech, but {why}", pytrace=False)
        pytest.skip(why)
    folder = tmp_path_factory.mktemp("proof")
    spec = load_spec(None, data=_data(shared_data, folder), out=str(folder / "run"),
                     conditions="clean", slices="gender,dataset,gender*dataset", workers=1)
    done = audit(spec)
    result = json.loads((done.out_dir / "result.json").read_text())
    predictions = pd.read_parquet(done.out_dir / "predictions.parquet")
    return result, predictions, tuple(result["data"]["model_labels"])


def _plant(frame: pd.DataFrame, mask: pd.Series, share: float, labels: tuple[str, ...],
           seed: int = 0) -> pd.DataFrame:
    """Turn a fixed share of the correct predictions selected by `mask` into the next label,
    swapping the probability columns so that the argmax stays the prediction."""
    frame = frame.copy()
    correct = np.flatnonzero((mask & (frame["y_pred"] == frame["y_true"])).to_numpy())
    rng = np.random.default_rng(seed)
    chosen = rng.choice(correct, size=round(share * len(correct)), replace=False)
    for i in chosen:
        old = frame.iat[i, frame.columns.get_loc("y_pred")]
        new = labels[(labels.index(old) + 1) % len(labels)]
        p_old, p_new = frame.columns.get_loc(f"p_{old}"), frame.columns.get_loc(f"p_{new}")
        frame.iat[i, p_old], frame.iat[i, p_new] = frame.iat[i, p_new], frame.iat[i, p_old]
        frame.iat[i, frame.columns.get_loc("y_pred")] = new
    return frame


def _gaps(frame: pd.DataFrame, slice_name: str, labels: tuple[str, ...], metrics: tuple[str, ...],
          seed: int = 0, replicates: int = 1000, metricframe: bool = True) -> dict[str, dict]:
    """Difference records of one slicing (clean speech), keyed by metric. Without `metricframe`
    the point values come from the count vectors (equal to MetricFrame's: test_counts.py)."""
    infos = {k: v for k, v in metric_set(labels).items() if k in metrics}
    st = slice_statistics(frame, slice_name, ["clean"], labels, infos, replicates=replicates,
                          permutations=10000, seed=seed)
    if metricframe:
        table = group_table(frame, [slice_name], ["clean"], infos, labels)
    else:
        table = pd.DataFrame([{"slice": slice_name, "group": g, "condition": "clean",
                               **dict(zip(infos, st.point[i, 0]))}
                              for i, g in enumerate(st.clusters.groups)])
    records = disparity_records(table, {slice_name: st}, infos, labels, Rules())
    return {r["metric"]: r for r in records if r["kind"] == "difference"}


def _members(frame: pd.DataFrame, slice_name: str, group: str) -> pd.DataFrame:
    """The rows of one group, selected independently of serfair's slicing code."""
    if slice_name == "all":
        return frame
    labels = frame[slice_name.split("*")].astype(str).agg(" & ".join, axis=1)
    return frame[labels == group]


def test_group_uar_and_recall_equal_sklearn_on_the_exported_predictions(run):
    result, predictions, labels = run
    assert predictions["speaker_id"].nunique() == len(TEST_SPEAKERS)
    checked = 0
    for row in result["metrics"]["groups"]:
        part = predictions[predictions["condition"] == row["condition"]]
        part = _members(part, row["slice"], row["group"])
        assert row["uar"] == pytest.approx(balanced_accuracy_score(part["y_true"], part["y_pred"]))
        recalls = recall_score(part["y_true"], part["y_pred"], labels=list(labels), average=None,
                               zero_division=0)
        for label, value in zip(labels, recalls):
            if (part["y_true"] == label).any():
                assert row[f"recall_{label}"] == pytest.approx(value)
        assert (row["n_clips"], row["n_speakers"]) == (len(part), part["speaker_id"].nunique())
        lo, hi = (row["ci"] or row["range"])["uar"]  # a speaker range below min_speakers
        assert lo <= row["uar"] <= hi
        checked += 1
    assert checked == 1 + 2 + 2 + 4
    assert result["tests"]["n_tests"] > 0 and result["findings"]


def test_a_planted_uar_gap_is_found_with_an_interval_excluding_zero_and_a_small_p(run):
    _, predictions, labels = run
    clean = predictions[predictions["condition"] == "clean"].reset_index(drop=True)
    before = _gaps(clean, "gender", labels, ("uar",))["uar"]
    planted = _plant(clean, clean["gender"] == "female", SHARE, labels)
    gap = _gaps(planted, "gender", labels, ("uar",))["uar"]
    assert gap["worst_group"] == "female"
    assert gap["ci"][0] > 0, gap
    assert gap["p_value"] < 0.05, gap  # the interval's own p-value
    assert gap["p_permutation"] < 0.05, gap  # 5 + 5 speakers: the smallest possible is 2/252
    signed_before = before["value"] * (1 if before["worst_group"] == "female" else -1)
    assert gap["value"] > signed_before + 0.15  # the planted drop is recovered


def test_planted_anger_is_stated_in_words(run):
    _, predictions, labels = run
    clean = predictions[predictions["condition"] == "clean"].reset_index(drop=True)
    mask = (clean["gender"] == "female") & (clean["y_true"] == "angry")
    planted = _plant(clean, mask, ANGER_SHARE, labels)
    gap = _gaps(planted, "gender", labels, ("recall_angry",))["recall_angry"]
    assert gap["worst_group"] == "female" and gap["ci"][0] > 0 and gap["p_value"] < 0.05, gap
    gap["p_adjusted"], gap["significant"] = gap["p_value"], True
    (found,) = findings([gap], metric_set(labels), clean="clean", headline="uar", confidence=0.95,
                        correction="holm")
    assert found["text"].startswith("Women's anger is recalled ")
    assert "less than men's" in found["text"] and "95 % CI" in found["text"]


def test_with_nothing_planted_false_flags_stay_near_the_nominal_level(run):
    _, predictions, labels = run
    clean = predictions[predictions["condition"] == "clean"].reset_index(drop=True)
    speakers = sorted(clean["speaker_id"].unique())
    splits = [set(c) for c in combinations(speakers, len(speakers) // 2) if speakers[0] in c]
    flags_p = flags_ci = 0
    for seed, first in enumerate(splits):  # every balanced split once (126 for 10 speakers)
        frame = clean.assign(pseudo=np.where(clean["speaker_id"].isin(first), "a", "b"))
        gap = _gaps(frame, "pseudo", labels, ("uar",), seed=seed, replicates=400,
                    metricframe=False)["uar"]
        flags_p += gap["p_permutation"] < 0.05
        flags_ci += gap["ci"][0] > 0 or gap["ci"][1] < 0
    share_p, share_ci = flags_p / len(splits), flags_ci / len(splits)
    print(f"false flags over {len(splits)} relabellings: p < 0.05 {share_p:.3f}, "
          f"interval excludes 0 {share_ci:.3f}")
    assert share_p <= 0.05          # exact permutation test: at most alpha by construction
    assert share_ci <= 0.12         # bootstrap interval: near 0.05 (see docs/statistics.md)


def test_the_bootstrap_is_identical_for_any_worker_count_and_row_order(run):
    _, predictions, labels = run
    infos = metric_set(labels)
    kwargs = {"replicates": 200, "permutations": 300, "seed": 11}
    one = audit_statistics(predictions, ["gender", "gender*dataset"], ["clean"], labels, infos,
                           workers=1, **kwargs)
    shuffled = predictions.sample(frac=1.0, random_state=5)
    two = audit_statistics(shuffled, ["gender*dataset", "gender"], ["clean"], labels, infos,
                           workers=2, **kwargs)
    for name in one:
        assert np.array_equal(one[name].replicates, two[name].replicates, equal_nan=True)
        assert np.array_equal(one[name].p_values, two[name].p_values, equal_nan=True)
