"""Disparity records: values, intervals, small cells never gated, four-fifths, correction."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_predictions import LABELS, predictions

from serfair.analysis.disparities import Rules, apply_correction, disparity_records
from serfair.analysis.groups import group_table
from serfair.analysis.metrics import metric_set
from serfair.analysis.uncertainty import audit_statistics


def _records(frame, slices, rules=None, primary=None):
    rules = rules or Rules()
    infos = metric_set(LABELS)
    table = group_table(frame, slices, ["clean"], infos, LABELS)
    stats = audit_statistics(frame, ["all", *slices], ["clean"], LABELS, infos, replicates=400,
                             permutations=2000, seed=0)
    records = disparity_records(table, stats, infos, LABELS, rules)
    primary = {(s, "clean", "uar") for s in slices} if primary is None else primary
    return table, records, apply_correction(records, rules, stats, primary)


def test_difference_and_ratio_records_agree_with_the_group_table():
    frame = predictions(n_speakers=12, clips_per_speaker=24)
    table, records, family = _records(frame, ["gender"])
    uar = {r["kind"]: r for r in records if r["metric"] == "uar"}
    by_group = table[table["slice"] == "gender"].set_index("group")["uar"]
    assert uar["difference"]["value"] == pytest.approx(by_group.max() - by_group.min())
    assert uar["ratio"]["value"] == pytest.approx(by_group.min() / by_group.max())
    assert uar["difference"]["worst_group"] == by_group.idxmin()
    lo, hi = uar["difference"]["ci"]
    assert lo < uar["difference"]["value"] < hi
    assert uar["difference"]["p_value"] == uar["ratio"]["p_value"]  # one hypothesis, one test
    ece = next(r for r in records if r["metric"] == "ece")
    assert ece["worst_value"] >= ece["best_value"]  # lower is better
    assert family["n_tests"] == len({r["metric"] for r in records})
    assert all(r["p_adjusted"] >= r["p_value"] for r in records)


def test_small_cells_are_reported_but_never_gated():
    frame = predictions(n_speakers=12, clips_per_speaker=24)
    _, records, _ = _records(frame, ["gender*dataset"])  # 3 speakers per cell
    assert records and not any(r["gated"] for r in records)
    assert any("fewer than 5" in reason for reason in records[0]["not_gated_because"])
    assert all(r["ci"] is None and r["significant"] is None for r in records)  # no 95 % claim
    _, records, _ = _records(frame, ["gender*dataset"], Rules(min_speakers=3, min_clips=1))
    assert any(r["gated"] for r in records)
    assert all(r["ci"] is not None for r in records if r["kind"] == "difference")


def test_rate_ratios_carry_the_four_fifths_verdict():
    frame = predictions(n_speakers=10, clips_per_speaker=24)
    men = (frame["gender"] == "male") & (frame["y_true"] != "angry")
    frame.loc[men & (np.arange(len(frame)) % 3 == 0), "y_pred"] = "angry"  # men hear 'angry' often
    _, records, _ = _records(frame, ["gender"])
    angry = next(r for r in records if r["metric"] == "rate_angry" and r["kind"] == "ratio")
    assert angry["threshold"] == 0.8 and angry["below_threshold"]
    assert angry["low_group"] == "female" and angry["high_group"] == "male"
    assert angry["ci"][1] < 1.0


def test_a_group_with_a_single_speaker_gets_no_interval():
    frame = predictions(n_speakers=6, clips_per_speaker=24)
    frame.loc[frame["speaker_id"] == "s00", "gender"] = "other"
    _, records, _ = _records(frame, ["gender"])
    touched = [r for r in records if "other" in (r["low_group"], r["high_group"])]
    assert touched and all(r["ci"] is None and not r["gated"] for r in touched)
    assert all("single speaker" in " ".join(r["not_gated_because"]) for r in touched)
