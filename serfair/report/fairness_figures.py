"""The fairness section, from the result alone: per-group tables with intervals, a forest plot of
gaps per slicing, a confusion matrix per group, the disparities table and the findings.

Tolerates results without intervals, disparities or confusion matrices (older results): what is
absent is left out.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from serfair.report.plots import PALETTE, plt, to_svg

ALL = "all"
PANEL_COLUMNS = 4
OVERALL = ("uar", "accuracy", "macro_f1")
CALIBRATION = ("ece", "mean_confidence")
BLUES = LinearSegmentedColormap.from_list("okabe_blue", ["#ffffff", PALETTE[0]])
SIGNIFICANT, NOT_SIGNIFICANT, NOT_GATED = PALETTE[1], PALETTE[0], "#888888"


def _info(result: dict) -> dict[str, dict]:
    """metrics.info, or a minimal one derived from metric names (older results)."""
    info = result["metrics"].get("info")
    if info:
        return info
    out = {}
    for name in result["metrics"]["names"]:
        family, emotion = "overall", None
        for prefix in ("recall", "rate"):
            if name.startswith(prefix + "_"):
                family, emotion = prefix, name[len(prefix) + 1:]
        out[name] = {"label": name, "family": family, "emotion": emotion}
    return out


def _label(info: dict, name: str) -> str:
    return (info.get(name) or {}).get("label", name)


def _rows(result: dict, slice_name: str, condition: str) -> list[dict]:
    return [r for r in result["metrics"]["groups"]
            if r["slice"] == slice_name and r["condition"] == condition]


def _cell(row: dict, metric: str) -> dict:
    """{value, lo, hi} of one metric of a group row (None where absent)."""
    ci = (row.get("ci") or {}).get(metric)
    ok = bool(ci) and None not in ci
    spread = (row.get("range") or {}).get(metric)  # a small cell: its speakers' range
    ranged = bool(spread) and None not in spread and not ok
    return {"value": row.get(metric), "lo": ci[0] if ok else None, "hi": ci[1] if ok else None,
            "range_lo": spread[0] if ranged else None, "range_hi": spread[1] if ranged else None}


def group_tables(result: dict, slice_name: str, condition: str, info: dict) -> dict:
    """Per-group tables of one slicing: overall and calibration, recall and rate per emotion."""
    rows = _rows(result, slice_name, condition)
    names = result["metrics"]["names"]
    overall = [m for m in (*OVERALL, *CALIBRATION) if m in names]
    recall = [m for m in names if (info.get(m) or {}).get("family") == "recall"]
    rate = [m for m in names if (info.get(m) or {}).get("family") == "rate"]

    def table(metrics: list[str]) -> dict:
        return {"metrics": [{"name": m, "label": _label(info, m),
                             "emotion": (info.get(m) or {}).get("emotion")} for m in metrics],
                "rows": [{"group": r["group"], "n_clips": r["n_clips"],
                          "n_speakers": r["n_speakers"],
                          "gated": r.get("gated", True),
                          "cells": [_cell(r, m) for m in metrics]} for r in rows]}
    return {"overall": table(overall), "recall": table(recall), "rate": table(rate)}


def _disparities(result: dict, **match) -> list[dict]:
    return [d for d in result.get("disparities") or []
            if all(d.get(k) == v for k, v in match.items())]


def _colour(d: dict) -> str:
    if not d.get("gated", True):
        return NOT_GATED
    return SIGNIFICANT if d.get("significant") else NOT_SIGNIFICANT


def _panel(ax, items: list[tuple[str, dict]], *, scale: float, xlabel: str, title: str,
           references: tuple[float, ...]) -> None:
    """One forest panel: a row per (label, disparity), point and interval."""
    ys = np.arange(len(items))[::-1]
    for y, (_, d) in zip(ys, items):
        colour = _colour(d)
        filled = bool(d.get("significant"))
        if d.get("ci"):
            ax.plot([scale * d["ci"][0], scale * d["ci"][1]], [y, y], color=colour, linewidth=1.6)
        ax.plot(scale * d["value"], y, marker="o" if d.get("gated", True) else "s",
                markersize=5.5, color=colour, markerfacecolor=colour if filled else "white",
                markeredgewidth=1.3)
    for x in references:
        ax.axvline(x, color="#444444", linestyle="--" if x else "-", linewidth=0.8)
    ax.set_yticks(ys, [label for label, _ in items], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=9, loc="left")
    ax.grid(axis="x", alpha=0.3)
    ax.set_ylim(-0.7, len(items) - 0.3)


def _pair(d: dict) -> str:
    if d.get("low_group") == d.get("high_group"):
        return ""
    return f"{d['low_group']} < {d['high_group']}"


def forest_plot(result: dict, slice_name: str, info: dict) -> dict | None:
    """Gaps of one slicing with intervals: clean-speech gaps per metric (percentage points),
    prediction-rate ratios against the four-fifths rule, and the headline gap per condition."""
    clean = result["conditions"][0]["name"]
    headline = result["metrics"].get("headline", "uar")
    gaps = [(f"{_label(info, d['metric'])} ({_pair(d)})", d)
            for d in _disparities(result, slice=slice_name, condition=clean, kind="difference")
            if (info.get(d["metric"]) or {}).get("family") != "rate"]
    ratios = [(f"{_label(info, d['metric'])} ({d['low_group']} / {d['high_group']})", d)
              for d in _disparities(result, slice=slice_name, condition=clean, kind="ratio")
              if (info.get(d["metric"]) or {}).get("family") == "rate"]
    by_condition = [(d["condition"], d) for d in _disparities(result, slice=slice_name,
                                                              metric=headline, kind="difference")]
    panels = [p for p in (gaps, ratios, by_condition if len(by_condition) > 1 else []) if p]
    if not panels:
        return None
    heights = [len(p) for p in panels]
    height = 0.9 + 0.24 * sum(heights) + 0.5 * len(panels)
    fig, axes = plt.subplots(len(panels), 1, figsize=(6.4, height),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    threshold = (result.get("tests") or {}).get("four_fifths", 0.8)
    for ax, items in zip(axes[:, 0], panels):
        if items is gaps:
            _panel(ax, items, scale=100, xlabel="gap, best minus worst group (percentage points)",
                   title=f"Gaps by {slice_name}, {clean} speech", references=(0.0,))
        elif items is ratios:
            _panel(ax, items, scale=1, xlabel="prediction-rate ratio, lowest / highest group",
                   title=(f"Prediction-rate ratios by {slice_name} "
                          f"(four-fifths rule at {threshold:g})"),
                   references=(threshold, 1.0))
        else:
            _panel(ax, items, scale=100, xlabel=f"{_label(info, headline)} gap (percentage points)",
                   title=f"{_label(info, headline)} gap by {slice_name} per condition",
                   references=(0.0,))
    fig.tight_layout()
    n_sig = sum(bool(d.get("significant")) for p in panels for _, d in p)
    return {
        "slice": slice_name, "svg": to_svg(fig),
        "alt": (f"Forest plot of the gaps between {slice_name} groups: each row is one metric's "
                f"gap (point) with its interval (line); filled orange points are significant "
                f"after correction ({n_sig} here), hollow blue ones are not, grey squares involve "
                f"a group too small to gate. The dashed line marks the four-fifths threshold for "
                f"prediction-rate ratios."),
    }


def confusion_figure(result: dict, slice_name: str) -> dict | None:
    """One row-normalised confusion matrix per group of a slicing (clean speech), counts printed."""
    confusion = result.get("confusion") or {}
    groups = [g for g in confusion.get("groups", []) if g["slice"] == slice_name]
    if not groups:
        return None
    labels, condition = confusion["labels"], confusion.get("condition", "clean")
    columns = min(PANEL_COLUMNS, len(groups))
    rows = math.ceil(len(groups) / columns)
    size = 0.32 * len(labels) + 0.9
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns + 0.6, size * rows + 0.4),
                             squeeze=False)
    for ax in axes.ravel()[len(groups):]:
        ax.set_visible(False)
    for ax, g in zip(axes.ravel(), groups):
        matrix = np.asarray(g["matrix"], dtype=float)
        totals = matrix.sum(axis=1, keepdims=True)
        share = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
        ax.imshow(share, cmap=BLUES, vmin=0, vmax=1)
        for i in range(len(labels)):
            for j in range(len(labels)):
                if matrix[i, j]:
                    ax.text(j, i, f"{int(matrix[i, j])}", ha="center", va="center", fontsize=6.5,
                            color="white" if share[i, j] > 0.55 else "#1a1a1a")
        ax.set_xticks(range(len(labels)), [lab[:4] for lab in labels], fontsize=7, rotation=90)
        ax.set_yticks(range(len(labels)), [lab[:4] for lab in labels], fontsize=7)
        ax.set_title(f"{g['group']} (n = {int(matrix.sum())})", fontsize=8)
        ax.set_xlabel("predicted", fontsize=7)
        ax.set_ylabel("true", fontsize=7)
    fig.tight_layout()
    return {
        "slice": slice_name, "svg": to_svg(fig),
        "alt": ((f"Confusion matrix on {condition} speech, all clips" if slice_name == ALL else
                 f"Confusion matrices on {condition} speech, one per {slice_name} group "
                 f"({', '.join(g['group'] for g in groups)})")
                + ": rows are the true emotion, columns the predicted one; colour is the share of "
                  "the row, numbers are clip counts."),
    }


def fairness_view(result: dict) -> dict:
    """Everything the fairness template shows."""
    info = _info(result)
    clean = result["conditions"][0]["name"]
    tests = result.get("tests") or {}
    slices = []
    for slice_name in [ALL, *result.get("slices", [])]:
        slices.append({
            "name": slice_name,
            "tables": group_tables(result, slice_name, clean, info),
            "forest": forest_plot(result, slice_name, info) if slice_name != ALL else None,
            "confusion": confusion_figure(result, slice_name),
        })
    disparities = result.get("disparities") or []
    shown = [d for d in disparities if d["condition"] == clean or d.get("significant")]
    return {
        "clean": clean,
        "tests": tests,
        "level": f"{100 * tests.get('confidence', 0.95):.0f} %",
        "info": info,
        "slices": slices,
        "findings": result.get("findings") or [],
        "disparities": [_disparity_row(d, info) for d in shown],
        "n_disparities": len(disparities),
        "has_intervals": any(r.get("ci") for r in result["metrics"]["groups"]),
    }


def _disparity_row(d: dict, info: dict) -> dict:
    unit = "ratio" if d["kind"] == "ratio" else "points"
    return {**d, "label": _label(info, d["metric"]), "unit": unit}
