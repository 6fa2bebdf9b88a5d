"""Disparities: for each slicing, condition and metric, the gap between the extreme groups.

- `difference`: value of the high group minus the low group (>= 0); its interval is the bootstrap
  interval of the same signed difference (high minus low, the pair fixed from the data), so an
  interval that reaches below zero means the order of the two groups is not settled. Intervals
  are expanded percentile intervals with Welch-Satterthwaite degrees of freedom (few speakers
  widen them; see bootstrap.expanded_alpha).
- `ratio`: low group over high group (<= 1); for prediction rates it is compared with the
  four-fifths rule (a ratio below 0.8 means one group hears the emotion far more often).

`worst_group` is the low group for metrics where higher is better, the high group where lower is
better (ECE), and the low group where neither is (prediction rates, as in the four-fifths rule).
Each (slice, condition, metric) has one permutation p-value shared by its difference and ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from serfair.analysis.bootstrap import percentile_interval, welch_df
from serfair.analysis.metrics import LOWER_IS_BETTER, MetricInfo
from serfair.analysis.multiple_testing import adjust
from serfair.analysis.uncertainty import SliceStatistics


@dataclass(frozen=True)
class Rules:
    """The judging settings a disparity needs (from the spec's `stats` section)."""

    confidence: float = 0.95
    min_speakers: int = 5
    min_clips: int = 20
    four_fifths: float = 0.8
    correction: str = "holm"

    @classmethod
    def of(cls, stats) -> Rules:
        return cls(stats.confidence, stats.min_speakers, stats.min_clips, stats.four_fifths,
                   stats.correction)

    @property
    def alpha(self) -> float:
        return round(1 - self.confidence, 10)


def _interval(samples: np.ndarray, confidence: float, df: float) -> list[float] | None:
    bounds = percentile_interval(samples, confidence, df=df)
    return [float(bounds[0]), float(bounds[1])] if np.all(np.isfinite(bounds)) else None


def _values(part: pd.DataFrame, groups: tuple[str, ...], metric: str) -> np.ndarray:
    """One metric per group (in cluster order) from a slice-and-condition part of the table."""
    return np.array([float(part.at[g, metric]) if g in part.index else np.nan for g in groups])


def _blockers(st: SliceStatistics, pair: tuple[int, int], c: int, info: MetricInfo,
              labels: tuple[str, ...], rules: Rules) -> list[str]:
    """Why a gap between these two groups must not be gated (empty: it may be)."""
    reasons = []
    speakers = st.clusters.sizes()
    for g in dict.fromkeys(pair):
        if info.family == "recall":
            n = int(st.n_true[g, c, labels.index(info.emotion)])
            what = f"{info.emotion} clip(s)"
        else:
            n, what = int(st.n_clips[g, c]), "clip(s)"
        short = []
        if speakers[g] < rules.min_speakers:
            short.append(f"{speakers[g]} speaker(s), fewer than {rules.min_speakers}")
        if n < rules.min_clips:
            short.append(f"{n} {what}, fewer than {rules.min_clips}")
        if short:
            reasons.append(f"{st.clusters.slice} = {st.clusters.groups[g]} has {' and '.join(short)}")
    return reasons


def disparity_records(table: pd.DataFrame, stats: dict[str, SliceStatistics],
                      infos: dict[str, MetricInfo], labels: tuple[str, ...], rules: Rules,
                      confounded: dict[str, list[str]] | None = None) -> list[dict]:
    """Difference and ratio records of every slicing with two or more groups (p_adjusted: None)."""
    records = []
    for name, st in stats.items():
        groups = st.clusters.groups
        if len(groups) < 2:
            continue
        speakers = st.clusters.sizes()
        for c, condition in enumerate(st.conditions):
            part = table[(table["slice"] == name)
                         & (table["condition"] == condition)].set_index("group")
            for m, (metric, info) in enumerate(infos.items()):
                values = _values(part, groups, metric)
                defined = np.flatnonzero(np.isfinite(values))
                if defined.size < 2:
                    continue
                order = defined[np.argsort(values[defined], kind="stable")]
                low, high = int(order[0]), int(order[-1])
                worst, best = (high, low) if info.direction == LOWER_IS_BETTER else (low, high)
                reps = st.replicates[:, :, c, m]
                reasons = _blockers(st, (low, high), c, info, labels, rules)
                single = bool(min(speakers[low], speakers[high]) < 2)
                df = float(welch_df(reps[:, low], reps[:, high], speakers[low], speakers[high]))
                p = float(st.p_values[c, m]) if np.isfinite(st.p_values[c, m]) else None
                if p is None:
                    reasons.append("not tested (permutations: 0)")
                base = {
                    "slice": name, "condition": condition, "metric": metric,
                    "worst_group": groups[worst], "best_group": groups[best],
                    "worst_value": float(values[worst]), "best_value": float(values[best]),
                    "low_group": groups[low], "high_group": groups[high],
                    "n_groups": int(defined.size),
                    "n_speakers": {groups[g]: int(speakers[g]) for g in (low, high)},
                    "p_value": p, "p_adjusted": None, "significant": None,
                    "test": (f"speaker permutation, {'exact' if st.exact else 'Monte Carlo'}, "
                             f"{st.n_relabellings} relabellings") if p is not None else None,
                    "confounded_with": list((confounded or {}).get(name, [])),
                }
                for kind in info.kinds:
                    if kind == "difference":
                        value = float(values[high] - values[low])
                        samples = reps[:, high] - reps[:, low]
                    else:
                        if not values[high] > 0:
                            continue
                        value = float(values[low] / values[high])
                        with np.errstate(divide="ignore", invalid="ignore"):
                            samples = np.where(reps[:, high] > 0, reps[:, low] / reps[:, high],
                                               np.nan)
                    ci = None if single else _interval(samples, rules.confidence, df)
                    why = reasons + ["no interval: a group has a single speaker"] * single
                    record = {**base, "kind": kind, "value": value, "ci": ci,
                              "gated": not why, "not_gated_because": why}
                    if info.family == "rate" and kind == "ratio":
                        record["threshold"] = rules.four_fifths
                        record["below_threshold"] = value < rules.four_fifths
                    records.append(record)
    return records


def apply_correction(records: list[dict], rules: Rules) -> dict:
    """Fill p_adjusted and significant across all hypotheses (slice, condition, metric) at once;
    returns a summary of the family for result.json."""
    keys = list(dict.fromkeys((r["slice"], r["condition"], r["metric"]) for r in records
                              if r["p_value"] is not None))
    raw = {(r["slice"], r["condition"], r["metric"]): r["p_value"] for r in records
           if r["p_value"] is not None}
    adjusted = adjust(np.array([raw[k] for k in keys]), rules.correction) if keys else np.array([])
    by_key = dict(zip(keys, adjusted.tolist()))
    for r in records:
        key = (r["slice"], r["condition"], r["metric"])
        if key in by_key:
            r["p_adjusted"] = float(by_key[key])
            r["significant"] = bool(by_key[key] < rules.alpha)
    return {"correction": rules.correction, "n_tests": len(keys), "alpha": rules.alpha}
