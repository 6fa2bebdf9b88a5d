"""Speaker-level cluster bootstrap: what is resampled, seeding, order and worker independence."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_predictions import LABELS, predictions

from serfair.analysis.bootstrap import (
    bootstrap_weights,
    expanded_alpha,
    gap_interval,
    gap_p_value,
    group_interval,
    interval_p_value,
    percentile_interval,
    speaker_range,
    welch_df,
)
from serfair.analysis.metrics import metric_set
from serfair.analysis.slicing import speaker_clusters
from serfair.analysis.uncertainty import audit_statistics


def test_weights_resample_n_minus_one_speakers_within_each_group():
    frame = predictions(n_speakers=10, clips_per_speaker=6)
    clusters = speaker_clusters(frame, "gender")
    weights = bootstrap_weights(clusters, 200, seed=1)
    for g in range(len(clusters.groups)):
        members = clusters.cluster_group == g
        assert np.all(weights[:, members].sum(axis=1) == members.sum() - 1)
    assert weights.min() >= 0 and len({tuple(w) for w in weights}) > 50  # really random


def test_same_seed_same_weights_other_seed_other_weights():
    clusters = speaker_clusters(predictions(n_speakers=8, clips_per_speaker=6), "gender")
    assert np.array_equal(bootstrap_weights(clusters, 100, 7), bootstrap_weights(clusters, 100, 7))
    other = bootstrap_weights(clusters, 100, 8)
    assert not np.array_equal(bootstrap_weights(clusters, 100, 7), other)


def test_replicates_do_not_depend_on_row_order_or_worker_count():
    frame = predictions(n_speakers=10, clips_per_speaker=12, conditions=("clean", "noise"))
    infos = metric_set(LABELS)
    kwargs = {"replicates": 300, "permutations": 500, "seed": 3}
    conditions = ["clean", "noise"]
    one = audit_statistics(frame, ["all", "gender", "gender*dataset"], conditions, LABELS, infos,
                           workers=1, **kwargs)
    shuffled = frame.sample(frac=1.0, random_state=0).reset_index(drop=True)
    two = audit_statistics(shuffled, ["gender*dataset", "gender", "all"], conditions, LABELS, infos,
                           workers=2, **kwargs)
    for name in one:
        assert one[name].clusters.groups == two[name].clusters.groups
        assert np.array_equal(one[name].replicates, two[name].replicates, equal_nan=True)
        assert np.array_equal(one[name].p_values, two[name].p_values, equal_nan=True)


def test_a_group_with_one_speaker_keeps_a_defined_but_degenerate_resample():
    frame = predictions(n_speakers=5, clips_per_speaker=6)
    frame.loc[frame["speaker_id"] == "s00", "gender"] = "other"
    clusters = speaker_clusters(frame, "gender")
    weights = bootstrap_weights(clusters, 20, 0)
    only = clusters.cluster_group == clusters.groups.index("other")
    assert np.all(weights[:, only] == 1)


def test_percentile_interval_matches_numpy_and_masks_mostly_undefined():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 3))
    x[:100, 1] = np.nan
    x[:600, 2] = np.nan
    bounds = percentile_interval(x, 0.9)
    np.testing.assert_allclose(bounds[0], np.quantile(x[:, 0], [0.05, 0.95]))
    np.testing.assert_allclose(bounds[1], np.nanquantile(x[:, 1], [0.05, 0.95]))
    assert np.isnan(bounds[2]).all()


def test_expanded_interval_widens_with_few_speakers_and_vanishes_with_many():
    assert expanded_alpha(0.95, 4) < expanded_alpha(0.95, 8) < 0.05
    assert expanded_alpha(0.95, np.inf) == pytest.approx(0.05)
    x = np.random.default_rng(1).normal(size=(2000,))
    plain, wide = percentile_interval(x, 0.95), percentile_interval(x, 0.95, df=4)
    assert wide[0] < plain[0] and wide[1] > plain[1]


def test_welch_df_of_equal_variances_is_the_pooled_df():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(100000,)), rng.normal(size=(100000,))
    assert float(welch_df(a, b, 5, 5)) == pytest.approx(8, rel=0.02)


@pytest.mark.parametrize("df", [None, 4.0, 30.0])
def test_the_interval_p_value_is_where_the_interval_starts_to_exclude_zero(df):
    rng = np.random.default_rng(7)
    for mean in (0.0, 0.5, 1.5, 2.5):
        samples = rng.normal(mean, 1.0, 1000)
        p = interval_p_value(samples, df)
        if p < 0.9:
            below = percentile_interval(samples, 1 - 0.98 * p, df=df)
            above = percentile_interval(samples, 1 - 1.02 * p, df=df)
            assert below[0] <= 0 <= below[1] and (above[0] > 0 or above[1] < 0)
    assert interval_p_value(np.zeros(500), df) == 1.0  # a degenerate gap is never significant


def test_speaker_range_spans_the_speakers_and_the_group_value():
    frame = predictions(n_speakers=6, clips_per_speaker=12)
    clusters = speaker_clusters(frame, "gender")
    values = np.arange(6, dtype=float)[:, None] / 10
    point = np.array([[0.95], [0.3]])
    bounds = speaker_range(values, clusters, point)
    for g in range(2):
        members = values[clusters.cluster_group == g, 0]
        assert bounds[g, 0, 0] == min(members.min(), point[g, 0])
        assert bounds[g, 0, 1] == max(members.max(), point[g, 0])


def test_group_interval_reaches_past_the_extreme_speaker_and_stays_in_range():
    values = np.array([0.50, 0.55, 0.60, 0.62, 0.70])  # five speakers
    rng = np.random.default_rng(2)
    replicates = values[rng.integers(0, 5, (2000, 4))].mean(axis=1)  # Rao-Wu: 4 of 5 drawn
    point = values.mean()
    percentile = percentile_interval(replicates, 0.95, df=4.0)
    lo, hi = group_interval(replicates, np.float64(point), 0.95, 4.0)
    assert lo <= percentile[0] and hi >= percentile[1] and lo <= point <= hi
    assert hi - point >= 2.7 * replicates.std(ddof=1)  # t with 4 degrees of freedom: 2.78
    near_one = group_interval(np.full(100, 0.99) + rng.normal(0, 0.02, 100), np.float64(0.99),
                              0.95, 4.0)
    assert near_one[1] == 1.0


def test_the_gap_p_value_matches_the_gap_interval():
    rng = np.random.default_rng(9)
    for mean in (0.02, 0.05, 0.08):
        samples = rng.normal(mean, 0.025, 1000)
        p = gap_p_value(samples, mean, 10.0)
        inside = gap_interval(samples, mean, 1 - 0.98 * p, 10.0)
        outside = gap_interval(samples, mean, 1 - 1.02 * p, 10.0)
        assert inside[0] <= 0 and outside[0] > 0
