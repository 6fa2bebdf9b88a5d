"""Disparities: for each slicing, condition and metric, the gap between the extreme groups.

- `difference`: value of the high group minus the low group (>= 0); its interval is the bootstrap
  interval of the same signed difference (high minus low, the pair fixed from the data), so an
  interval that reaches below zero means the order of the two groups is not settled. Intervals
  are `bootstrap.gap_interval`: the expanded percentile interval with Welch-Satterthwaite degrees
  of freedom united with value +- t x bootstrap SE (few speakers widen them).
- `ratio`: low group over high group (<= 1); for prediction rates it is compared with the
  four-fifths rule (a ratio below 0.8 means one group hears the emotion far more often).

`worst_group` is the low group for metrics where higher is better, the high group where lower is
better (ECE), and the low group where neither is (prediction rates, as in the four-fifths rule).
Each (slice, condition, metric) is one hypothesis, shared by its difference and ratio. Its decision
is the interval's: `p_value` is the smallest level at which the difference's interval excludes
zero (Bonferroni over the G(G-1)/2 pairs when a slicing has more than two groups, since the
extreme pair is picked from the data), corrected within its family (`families.py`:
primary / exploratory), and a gap is `significant` exactly when its decision interval
(`ci_decision`, at the corrected level) excludes zero. The speaker permutation p-value of the
spread across groups is kept beside it (`p_permutation`) as a check that needs no normal
approximation. Gaps with a group of fewer than `min_speakers` speakers get no interval and no
decision; nor do degenerate ones (a group whose value never varies across resamples, such as a
rate of 0: the bootstrap cannot see its uncertainty).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from serfair.analysis.bootstrap import gap_interval, gap_p_value, percentile_interval, welch_df
from serfair.analysis.families import EXPLORATORY, PRIMARY, Key, family_of
from serfair.analysis.metrics import LOWER_IS_BETTER, MetricInfo
from serfair.analysis.multiple_testing import NAMES, adjust, decision_levels
from serfair.analysis.power import POWER, minimum_detectable_gap
from serfair.analysis.uncertainty import SliceStatistics


@dataclass(frozen=True)
class Rules:
    """The judging settings a disparity needs (from the spec's `stats` section)."""

    confidence: float = 0.95
    min_speakers: int = 5
    min_clips: int = 20
    four_fifths: float = 0.8
    correction: str = "holm"
    exploratory_correction: str = "bh"
    meaningful_gap: float = 0.05

    @classmethod
    def of(cls, stats) -> Rules:
        return cls(stats.confidence, stats.min_speakers, stats.min_clips, stats.four_fifths,
                   stats.correction, getattr(stats, "exploratory_correction", "bh"),
                   getattr(stats, "meaningful_gap", 0.05))

    def correction_of(self, family: str) -> str:
        """The correction used within a family."""
        return self.correction if family == PRIMARY else self.exploratory_correction

    @property
    def alpha(self) -> float:
        return round(1 - self.confidence, 10)


def _interval(samples: np.ndarray, confidence: float, df: float) -> list[float] | None:
    bounds = percentile_interval(samples, confidence, df=df)
    return [float(bounds[0]), float(bounds[1])] if np.all(np.isfinite(bounds)) else None


def _gap(samples: np.ndarray, value: float, confidence: float,
         df: float | None) -> list[float] | None:
    bounds = gap_interval(samples, value, confidence, df)
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


def _pair_samples(st: SliceStatistics, low: int, high: int, c: int, m: int) -> np.ndarray:
    """Bootstrap replicates of the signed difference high - low."""
    return st.replicates[:, high, c, m] - st.replicates[:, low, c, m]


def _degenerate(st: SliceStatistics, pair: tuple[int, int], c: int, m: int) -> list[str]:
    """Why the bootstrap cannot judge this gap: a group whose value never varies."""
    reasons = []
    for g in pair:
        reps = st.replicates[:, g, c, m]
        reps = reps[np.isfinite(reps)]
        if reps.size and np.ptp(reps) == 0:
            reasons.append(f"{st.clusters.slice} = {st.clusters.groups[g]} has the same value "
                           f"({reps[0]:.3g}) in every resample, so its uncertainty cannot be "
                           f"measured")
    return reasons


def disparity_records(table: pd.DataFrame, stats: dict[str, SliceStatistics],
                      infos: dict[str, MetricInfo], labels: tuple[str, ...], rules: Rules,
                      confounded: dict[str, list[str]] | None = None) -> list[dict]:
    """Difference and ratio records of every slicing with two or more groups (decisions: None
    until `apply_correction`)."""
    records = []
    for name, st in stats.items():
        groups = st.clusters.groups
        if len(groups) < 2:
            continue
        speakers = st.clusters.sizes()
        n_pairs = len(groups) * (len(groups) - 1) // 2
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
                fewest = int(min(speakers[low], speakers[high]))
                single = fewest < 2
                small = fewest < rules.min_speakers
                df = float(welch_df(reps[:, low], reps[:, high], speakers[low], speakers[high]))
                degenerate = [] if small else _degenerate(st, (low, high), c, m)
                p_perm = float(st.p_values[c, m]) if np.isfinite(st.p_values[c, m]) else None
                p = None
                if not (small or degenerate):
                    raw = gap_p_value(_pair_samples(st, low, high, c, m),
                                      float(values[high] - values[low]), df)
                    p = float(min(1.0, raw * n_pairs)) if np.isfinite(raw) else None
                untested = (["no interval: a group has a single speaker"] if single else
                            [f"no interval or decision: a group has fewer than "
                             f"{rules.min_speakers} speakers (its speaker range is reported)"]
                            if small else degenerate)
                base = {
                    "slice": name, "condition": condition, "metric": metric,
                    "worst_group": groups[worst], "best_group": groups[best],
                    "worst_value": float(values[worst]), "best_value": float(values[best]),
                    "low_group": groups[low], "high_group": groups[high],
                    "n_groups": int(defined.size), "n_pairs": int(n_pairs),
                    "n_speakers": {groups[g]: int(speakers[g]) for g in (low, high)},
                    "p_value": p, "p_adjusted": None, "significant": None, "family": None,
                    "p_permutation": p_perm, "df": df if np.isfinite(df) else None,
                    "degenerate": bool(degenerate),
                    "test": ("speaker-level bootstrap interval excludes 0"
                             + (f" (Bonferroni over {n_pairs} pairs)" if n_pairs > 1 else "")
                             ) if p is not None else None,
                    "permutation_test": (f"speaker permutation, {'exact' if st.exact else 'Monte Carlo'}, "
                                         f"{st.n_relabellings} relabellings")
                    if p_perm is not None else None,
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
                    if kind == "difference":
                        ci = None if small else _gap(samples, value, rules.confidence, df)
                    else:
                        ci = None if small else _interval(samples, rules.confidence, df)
                    if ci is not None:  # an interval never excludes its own estimate
                        ci = [min(ci[0], value), max(ci[1], value)]
                    why = reasons + (["no interval: a group has a single speaker"]
                                     if single else [])
                    record = {**base, "kind": kind, "value": value, "ci": ci,
                              "gated": not (reasons or single),
                              "not_gated_because": why, "untested_because": list(untested)}
                    if info.family == "rate" and kind == "ratio":
                        record["threshold"] = rules.four_fifths
                        record["below_threshold"] = value < rules.four_fifths
                    records.append(record)
    return records


def _level_text(level: float) -> str:
    """0.975 -> '97.5 %'."""
    return f"{100 * level:.4g} %"


def apply_correction(records: list[dict], rules: Rules, stats: dict[str, SliceStatistics],
                     primary: set[Key] | None = None) -> dict:
    """Families, adjusted p-values, decisions and their intervals, and minimum detectable gaps
    of the primary comparisons; returns the summary of both families for result.json."""
    primary = primary or set()
    raw: dict[Key, float] = {}
    for r in records:
        key = (r["slice"], r["condition"], r["metric"])
        r["family"] = family_of(key, primary)
        if r["p_value"] is not None:
            raw[key] = r["p_value"]
    summary: dict[str, dict] = {}
    adjusted: dict[Key, tuple[float, float]] = {}
    for family in (PRIMARY, EXPLORATORY):
        keys = [k for k in raw if family_of(k, primary) == family]
        method = rules.correction_of(family)
        p = np.array([raw[k] for k in keys])
        levels = decision_levels(p, method, rules.alpha)
        adj = adjust(p, method) if keys else np.array([])
        adjusted.update({k: (float(a), float(lv)) for k, a, lv in zip(keys, adj, levels)})
        summary[family] = {"correction": method, "correction_name": NAMES[method],
                           "n_tests": len(keys),
                           "n_significant": int(np.sum(p < levels)) if keys else 0}
    m_primary = summary[PRIMARY]["n_tests"]
    mdg_alpha = rules.alpha / (max(m_primary, 1) if rules.correction != "none" else 1)
    for r in records:
        key = (r["slice"], r["condition"], r["metric"])
        if key not in adjusted:
            continue
        p_adj, level = adjusted[key]
        st = stats[r["slice"]]
        groups = st.clusters.groups
        low, high = groups.index(r["low_group"]), groups.index(r["high_group"])
        c, m = st.conditions.index(r["condition"]), st.metrics.index(r["metric"])
        r["p_adjusted"] = p_adj
        r["correction"] = rules.correction_of(r["family"])
        r["significant"] = bool(r["p_value"] < level)
        if r["kind"] != "difference":
            continue
        samples = _pair_samples(st, low, high, c, m)
        decision = 1 - level / r["n_pairs"]
        r["decision_level"] = decision
        bounds = _gap(samples, r["value"], decision, r["df"])
        if bounds is not None:  # never excluding its own estimate; the decision follows it
            bounds = [min(bounds[0], r["value"]), max(bounds[1], r["value"])]
            r["significant"] = r["significant"] and (bounds[0] > 0 or bounds[1] < 0)
        r["ci_decision"] = bounds
        if r["family"] == PRIMARY:
            r["mdg"] = minimum_detectable_gap(samples, mdg_alpha / r["n_pairs"], r["df"])
            r["mdg_power"] = POWER
        ci = r["ci"]
        if ci is not None and (ci[0] > 0 or ci[1] < 0) and not r["significant"]:
            method = NAMES[rules.correction_of(r["family"])].split(" (")[0]
            n = summary[r["family"]]["n_tests"]
            r["decision_note"] = (
                f"its {_level_text(rules.confidence)} interval excludes 0, but the decision "
                f"interval at {_level_text(decision)} ({method} over {n} {r['family']} "
                f"comparison{'s' if n != 1 else ''}"
                + (f", {r['n_pairs']} pairs" if r["n_pairs"] > 1 else "") + ") does not")
    return {"correction": rules.correction, "n_tests": len(raw), "alpha": rules.alpha,
            "primary": {**summary[PRIMARY], "mdg_power": POWER,
                        "mdg_alpha": mdg_alpha, "meaningful_gap": rules.meaningful_gap},
            "exploratory": summary[EXPLORATORY]}
