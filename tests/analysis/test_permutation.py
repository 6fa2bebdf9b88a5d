"""Speaker-level permutation test: exact enumeration, Monte Carlo, p-values."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_predictions import LABELS, predictions

from serfair.analysis.metrics import metric_set
from serfair.analysis.permutation import n_relabellings, p_values, relabellings, spread
from serfair.analysis.slicing import speaker_clusters
from serfair.analysis.uncertainty import slice_statistics


def test_exact_enumeration_lists_every_distinct_relabelling_once():
    clusters = speaker_clusters(predictions(n_speakers=6, clips_per_speaker=6), "gender")
    labels, exact = relabellings(clusters, permutations=1000, seed=0)
    assert exact and labels.shape == (n_relabellings([3, 3]), 6) == (20, 6)
    assert len({tuple(r) for r in labels}) == 20
    assert np.all((labels == 0).sum(axis=1) == 3)


def test_monte_carlo_when_there_are_too_many_relabellings():
    clusters = speaker_clusters(predictions(n_speakers=20, clips_per_speaker=6), "gender")
    labels, exact = relabellings(clusters, permutations=300, seed=0)
    assert not exact and labels.shape == (300, 20)
    assert np.all(np.sort(labels, axis=1) == np.sort(clusters.cluster_group))  # group sizes kept


def test_spread_is_max_minus_min_over_defined_groups():
    values = np.array([[0.2, np.nan], [0.5, 0.4], [0.3, np.nan]])  # [group, metric]
    out = spread(values, axis=0)
    assert out[0] == pytest.approx(0.3) and np.isnan(out[1])


def test_p_values_exact_and_monte_carlo():
    null = np.array([[0.1], [0.2], [0.3], [0.4]])
    assert p_values(np.array([0.3]), null, exact=True)[0] == pytest.approx(0.5)
    assert p_values(np.array([0.3]), null, exact=False)[0] == pytest.approx(3 / 5)
    assert np.isnan(p_values(np.array([np.nan]), null, exact=True)[0])


def test_separated_groups_reach_the_smallest_exact_p_value():
    frame = predictions(n_speakers=8, clips_per_speaker=12, skill_sd=0.0, base=0.0)
    women = frame["gender"] == "female"
    frame.loc[women, "y_pred"] = frame.loc[women, "y_true"]  # women perfect, men at chance
    infos = {k: v for k, v in metric_set(LABELS).items() if k == "uar"}
    st = slice_statistics(frame, "gender", ["clean"], LABELS, infos, replicates=100,
                          permutations=10000, seed=0)
    assert st.exact and st.n_relabellings == 70
    assert st.p_values[0, 0] == pytest.approx(2 / 70)  # the observed split and its mirror
