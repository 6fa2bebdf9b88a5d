"""Robustness by group: how much each condition costs each group, and who pays more.

Per slice, group and condition: UAR, the drop from clean UAR, and the flip rate (the share of clips
whose prediction differs from the same clip's clean prediction). Per family: the severity ladder
(`families`) and, per group, the breaking point: the mildest severity at which UAR falls below
`share` x clean UAR. Per slice, condition and pair of groups: the interaction, i.e. the extra drop
one group suffers over another, (clean_g - cond_g) - (clean_h - cond_h), with a speaker-level
cluster bootstrap interval (serfair.analysis.bootstrap: speakers resampled within groups, the same
speakers for every condition, so drops are paired). Groups of fewer than `min_speakers` speakers get
no interval (as in the fairness section): a cell reports `drop_range`, the smallest and largest drop
of a single speaker, and an interaction involving such a group has `ci: None`.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from serfair.analysis.bootstrap import (
    bootstrap_weights,
    group_sums,
    percentile_interval,
    speaker_range,
)
from serfair.analysis.counts import Layout, cluster_statistics, metrics_from_counts
from serfair.analysis.disparities import Rules
from serfair.analysis.metrics import MetricInfo, uar
from serfair.analysis.slicing import ALL, speaker_clusters
from serfair.vocab.conditions import FAMILIES, Condition, severity, tick

SHARE = 0.8
REPLICATES = 1000
CONFIDENCE = 0.95
TOP = 5
MIN_SPEAKERS = Rules.min_speakers  # the fairness section's: one threshold for "too small"
_UAR = {"uar": MetricInfo("uar", "UAR", uar)}


def robustness(predictions: pd.DataFrame, *, conditions: list[Condition], slices: list[str],
               labels: tuple[str, ...], seed: int = 0, share: float = SHARE,
               replicates: int = REPLICATES, confidence: float = CONFIDENCE,
               top: int = TOP, min_speakers: int = MIN_SPEAKERS) -> dict:
    """The result's `robustness` section (the first condition is clean)."""
    names = [c.name for c in conditions]
    out = {"metric": "uar", "share": share, "confidence": confidence, "replicates": replicates,
           "min_speakers": min_speakers,
           "interval": "speaker-level cluster bootstrap (percentile)", "clean": names[0],
           "conditions": [{"name": c.name, "family": c.family, "params": c.kwargs,
                           "severity": severity(c)} for c in conditions],
           "families": family_ladders(conditions[1:]),
           "cells": [], "interactions": [], "breaking_points": [], "largest": []}
    if len(names) < 2:
        return out
    clips, preds = _aligned(predictions, names)
    codes = {label: i for i, label in enumerate(labels)}
    y_true = clips["y_true"].map(codes).to_numpy()
    y_pred = np.vectorize(codes.__getitem__, otypes=[np.int64])(preds)
    flipped = preds != preds[:, :1]
    for name in [ALL, *slices]:
        part = _slice(clips, y_true, y_pred, flipped, name, names, labels, seed, replicates,
                      confidence, max(min_speakers, 2))
        out["cells"] += part["cells"]
        out["interactions"] += part["interactions"]
    out["breaking_points"] = breaking_points(out["cells"], out["families"], share)
    out["largest"] = largest(out["interactions"], top)
    return out


def family_ladders(conditions: list[Condition]) -> list[dict]:
    """Per family, its conditions from mildest to harshest and the parameters that vary."""
    by_family: dict[str, list[Condition]] = {}
    for c in conditions:
        by_family.setdefault(c.family, []).append(c)
    ladders = []
    for family, members in by_family.items():
        members = sorted(members, key=lambda c: (severity(c), c.name))
        names = [k for k, _ in members[0].params]
        varying = [k for k in names if len({c.kwargs[k] for c in members}) > 1] or names
        ladders.append({"family": family, "conditions": [c.name for c in members],
                        "ticks": [tick(c, varying) for c in members], "varying": varying,
                        "units": {p.name: p.unit for p in FAMILIES[family].params}})
    return ladders


def _aligned(predictions: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Clip rows (from clean, sorted by clip id) and a [clips, conditions] array of predictions."""
    wide = predictions.pivot(index="clip_id", columns="condition", values="y_pred")
    wide = wide.sort_index()[names]
    clips = (predictions[predictions["condition"] == names[0]].set_index("clip_id")
             .loc[wide.index].reset_index())
    return clips, wide.to_numpy(dtype=object)


def _slice(clips: pd.DataFrame, y_true: np.ndarray, y_pred: np.ndarray, flipped: np.ndarray,
           name: str, names: list[str], labels: tuple[str, ...], seed: int, replicates: int,
           confidence: float, min_speakers: int) -> dict:
    """Cells and interactions of one slicing."""
    clusters = speaker_clusters(clips, name)
    n, c = y_pred.shape
    layout = Layout(labels, calibration=False)
    stats = cluster_statistics(np.tile(y_true, c), y_pred.T.ravel(), None,
                               np.tile(clusters.row_cluster, c), np.repeat(np.arange(c), n),
                               clusters.n_clusters, c, layout)
    ones = np.ones((1, clusters.n_clusters))
    point = metrics_from_counts(group_sums(ones, stats, clusters), layout, _UAR)[0, ..., 0]
    weights = bootstrap_weights(clusters, replicates, seed)
    boot = metrics_from_counts(group_sums(weights, stats, clusters), layout, _UAR)[..., 0]
    drop, drop_boot = point[:, :1] - point, boot[:, :, :1] - boot  # [G, C], [R, G, C]
    drop_ci = percentile_interval(drop_boot, confidence)
    alone = metrics_from_counts(stats, layout, _UAR)[..., 0]  # [speaker, C], each speaker alone
    drop_range = speaker_range(alone[:, :1] - alone, clusters, drop)  # [G, C, 2]
    row_group = clusters.cluster_group[clusters.row_cluster]
    n_clips = np.bincount(row_group, minlength=len(clusters.groups))
    speakers = clusters.sizes()
    flips = np.stack([flipped[row_group == g].mean(axis=0) for g in range(len(clusters.groups))])
    cells = [{
        "slice": name, "group": group, "condition": names[j], "n_clips": int(n_clips[g]),
        "n_speakers": int(speakers[g]), "uar": float(point[g, j]), "clean_uar": float(point[g, 0]),
        "drop": float(drop[g, j]),
        "drop_ci": _pair(drop_ci[g, j]) if speakers[g] >= min_speakers else None,
        "flip_rate": float(flips[g, j]),
        **({} if speakers[g] >= min_speakers else {"drop_range": _pair(drop_range[g, j])}),
    } for g, group in enumerate(clusters.groups) for j in range(c)]
    interactions = []
    if name != ALL:
        for g, h in combinations(range(len(clusters.groups)), 2):
            extra_ci = percentile_interval(drop_boot[:, g] - drop_boot[:, h], confidence)
            for j in range(1, c):
                interactions.append(_interaction(name, names[j], clusters.groups, g, h, drop[:, j],
                                                 extra_ci[j], speakers, min_speakers))
    return {"cells": cells, "interactions": interactions}


def _interaction(name: str, condition: str, groups: tuple[str, ...], g: int, h: int,
                 drop: np.ndarray, ci: np.ndarray, speakers: np.ndarray,
                 min_speakers: int) -> dict:
    """One pair, oriented so that `group` is the one that loses more (extra_drop >= 0)."""
    extra = float(drop[g] - drop[h])
    lo, hi = (float(ci[0]), float(ci[1]))
    if extra < 0:
        g, h, extra, lo, hi = h, g, -extra, -hi, -lo
    defined = (min(speakers[g], speakers[h]) >= min_speakers and np.isfinite(lo)
               and np.isfinite(hi))
    return {"slice": name, "condition": condition, "group": groups[g], "reference": groups[h],
            "drop": float(drop[g]), "reference_drop": float(drop[h]), "extra_drop": extra,
            "ci": [lo, hi] if defined else None,
            "excludes_zero": bool(defined and (lo > 0 or hi < 0)),
            "n_speakers": int(speakers[g]), "reference_n_speakers": int(speakers[h])}


def _pair(ci: np.ndarray) -> list[float] | None:
    if not np.all(np.isfinite(ci)):
        return None
    return [float(ci[0]), float(ci[1])]


def breaking_points(cells: list[dict], families: list[dict], share: float) -> list[dict]:
    """Per slice, group and family: the mildest condition whose UAR < share x clean UAR (None when
    the model holds up to the harshest tested)."""
    uar_of = {(r["slice"], r["group"], r["condition"]): r for r in cells}
    groups = list(dict.fromkeys((r["slice"], r["group"]) for r in cells))
    out = []
    for slice_name, group in groups:
        for ladder in families:
            rows = [uar_of[(slice_name, group, c)] for c in ladder["conditions"]
                    if (slice_name, group, c) in uar_of]
            if not rows:
                continue
            threshold = share * rows[0]["clean_uar"]
            broken = next((r for r in rows if r["uar"] < threshold), None)
            out.append({"slice": slice_name, "group": group, "family": ladder["family"],
                        "condition": broken["condition"] if broken else None,
                        "uar": broken["uar"] if broken else None,
                        "clean_uar": rows[0]["clean_uar"], "threshold": threshold,
                        "harshest": ladder["conditions"][-1]})
    return out


def largest(interactions: list[dict], top: int = TOP) -> list[dict]:
    """The `top` largest extra drops, those whose interval excludes zero first, one per slice,
    pair of groups and family (its worst condition)."""
    ranked = sorted((r for r in interactions if r["extra_drop"] > 0),
                    key=lambda r: (not r["excludes_zero"], -r["extra_drop"]))
    seen, out = set(), []
    for r in ranked:
        key = (r["slice"], frozenset((r["group"], r["reference"])), r["condition"].split("@")[0])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out[:top]


def robustness_for(predictions: pd.DataFrame, *, spec, conditions: list[Condition],
                   labels: tuple[str, ...]) -> dict:
    """`robustness()` with the settings of an AuditSpec (its `stats` and `robustness` sections)."""
    stats, settings = getattr(spec, "stats", None), getattr(spec, "robustness", None)
    return robustness(
        predictions, conditions=conditions, slices=list(spec.slices), labels=labels,
        seed=spec.seed, share=getattr(settings, "share", SHARE), top=getattr(settings, "top", TOP),
        replicates=getattr(stats, "bootstrap", REPLICATES),
        confidence=getattr(stats, "confidence", CONFIDENCE),
        min_speakers=getattr(stats, "min_speakers", MIN_SPEAKERS),
    )
