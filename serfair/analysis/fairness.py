"""The fairness part of the result: per-group intervals, disparities with tests, confounding,
confusion matrices, findings and warnings (docs/statistics.md explains the methods)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from serfair.analysis import warnings as w
from serfair.analysis.confounding import confounders_of, find_confounding
from serfair.analysis.disparities import Rules, apply_correction, disparity_records
from serfair.analysis.families import PrimaryDefault, primary_keys
from serfair.analysis.findings import findings, primary_comparisons
from serfair.analysis.metrics import HEADLINE, MetricInfo
from serfair.analysis.multiple_testing import NAMES
from serfair.analysis.uncertainty import SliceStatistics, audit_statistics, group_bounds

METHOD = {
    "interval": ("speaker-level cluster bootstrap (Rao-Wu: n-1 of a group's n speakers drawn with "
                 "replacement), expanded percentile interval (Student t quantiles)"),
    "test": ("the gap's speaker-level bootstrap interval at the family's corrected level "
             "excludes 0 (Bonferroni over pairs with more than two groups); a speaker-level "
             "permutation test of the spread across groups is reported beside it"),
}


def _min_p(st: SliceStatistics) -> float:
    """The smallest p-value any gap of this slicing can reach."""
    if st.exact:
        sizes = st.clusters.sizes()
        ties = np.prod([np.prod(np.arange(1, (sizes == s).sum() + 1)) for s in set(sizes.tolist())])
        return float(ties / st.n_relabellings)
    return 1.0 / (st.n_relabellings + 1)


def _group_intervals(table: pd.DataFrame, stats: dict[str, SliceStatistics],
                     infos: dict[str, MetricInfo], rules: Rules) -> list[dict]:
    """Group records with `ci` per metric and `gated` (big enough to gate on)."""
    records = table.to_dict(orient="records")
    lookup = {}
    for name, st in stats.items():
        for (group, condition), bounds in group_bounds(st, rules.confidence,
                                                       rules.min_speakers).items():
            lookup[(name, group, condition)] = bounds
    for r in records:
        bounds = lookup.get((r["slice"], r["group"], r["condition"])) or {}
        r["ci"] = bounds.get("ci")
        if bounds.get("range") is not None:
            r["range"] = bounds["range"]  # fewer than min_speakers: a speaker range, no interval
        r["gated"] = bool(r["slice"] == "all" or (r["n_speakers"] >= rules.min_speakers
                                                  and r["n_clips"] >= rules.min_clips))
    return records


def _confusion(stats: dict[str, SliceStatistics], condition: str, labels: tuple[str, ...]) -> dict:
    groups = []
    for name, st in stats.items():
        c = st.conditions.index(condition)
        for g, group in enumerate(st.clusters.groups):
            groups.append({"slice": name, "group": group,
                           "matrix": st.confusion[g, c].astype(int).tolist()})
    return {"condition": condition, "labels": list(labels), "rows": "true", "columns": "predicted",
            "groups": groups}


def slice_statistics_for(predictions: pd.DataFrame, *, slices: list[str], conditions: list[str],
                         labels: tuple[str, ...], infos: dict[str, MetricInfo], stats_spec,
                         seed: int, workers: int = 1) -> dict[str, SliceStatistics]:
    """Count vectors, point estimates, replicates and p-values of `all` and every slicing."""
    return audit_statistics(predictions, ["all", *slices], conditions, labels, infos,
                            replicates=stats_spec.bootstrap, permutations=stats_spec.permutations,
                            seed=seed, bins=stats_spec.ece_bins, workers=workers)


def fairness(predictions: pd.DataFrame, table: pd.DataFrame, *, slices: list[str],
             conditions: list[str], labels: tuple[str, ...], infos: dict[str, MetricInfo],
             stats_spec, seed: int, workers: int = 1, has_probabilities: bool = True,
             per_slice: dict[str, SliceStatistics] | None = None) -> dict:
    """Result keys: metrics.groups (with ci), disparities, tests, findings, confounding, confusion,
    warnings. `per_slice` (from `slice_statistics_for`) is computed when not given."""
    rules = Rules.of(stats_spec)
    clean = conditions[0]
    if per_slice is None:
        per_slice = slice_statistics_for(predictions, slices=slices, conditions=conditions,
                                         labels=labels, infos=infos, stats_spec=stats_spec,
                                         seed=seed, workers=workers)
    clips = predictions[predictions["condition"] == clean]
    confounding = find_confounding(clips, slices)
    records = disparity_records(table, per_slice, infos, labels, rules,
                                {name: confounders_of(name, confounding) for name in slices})
    family = apply_correction(records, rules, per_slice,
                              primary_keys(getattr(stats_spec, "primary", None) or [PrimaryDefault()],
                                           slices, conditions))
    tested = {n: st for n, st in per_slice.items() if n != "all" and len(st.clusters.groups) > 1
              and st.n_relabellings}
    tests = {
        **family, "correction_name": NAMES[rules.correction], "confidence": rules.confidence,
        "bootstrap": stats_spec.bootstrap, "permutations": stats_spec.permutations, "seed": seed,
        "min_speakers": rules.min_speakers, "min_clips": rules.min_clips,
        "four_fifths": rules.four_fifths, "ece_bins": stats_spec.ece_bins, **METHOD,
        "families": ("primary: declared in stats.primary (default the UAR gap of every slicing on "
                     "clean speech); exploratory: every other gap"),
        "slices": [{"slice": n, "groups": len(st.clusters.groups),
                    "speakers": st.clusters.sizes().tolist(), "exact": st.exact,
                    "relabellings": st.n_relabellings, "min_p": _min_p(st)}
                   for n, st in tested.items()],
    }
    tests["primary"]["comparisons"] = primary_comparisons(records, infos, clean=clean,
                                                          meaningful_gap=rules.meaningful_gap)
    warnings = (
        w.cell_warnings(table, min_speakers=rules.min_speakers, min_clips=rules.min_clips)
        + w.single_group_warnings({n: st.clusters.groups for n, st in per_slice.items()})
        + w.empty_cell_warnings(clips, slices)
        + w.gender_warnings(clips)
        + w.undefined_metric_warnings(table, list(infos), clean)
        + w.within_speaker_warnings({n: st.clusters.within_speaker for n, st in per_slice.items()})
        + w.low_power_warnings(tests["primary"]["comparisons"], rules.meaningful_gap)
        + confounding
        + w.no_probability_warning(has_probabilities)
    )
    return {
        "groups": _group_intervals(table, per_slice, infos, rules),
        "disparities": records,
        "tests": tests,
        "findings": findings(records, infos, clean=clean, headline=HEADLINE,
                             confidence=rules.confidence, correction=rules.correction),
        "confounding": confounding,
        "confusion": _confusion(per_slice, clean, labels),
        "warnings": warnings,
    }
