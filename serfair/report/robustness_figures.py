"""The robustness section, from `result["robustness"]` alone: severity curves per group as small
multiples (one panel per family), a heat map of UAR drop by group x condition, the breaking points,
and the largest group x condition interactions in words."""

from __future__ import annotations

import math

import numpy as np
from markupsafe import Markup

ALL = "all"
PANEL_COLUMNS = 4


def robustness_view(result: dict) -> dict | None:
    """Everything the robustness template shows, or None when only clean speech was audited."""
    rob = result.get("robustness")
    if not isinstance(rob, dict) or not rob.get("families"):
        return None
    slices = [s for s in result.get("slices", [])] or [ALL]
    n_labels = len(result["data"]["model_labels"])
    return {
        "share": rob["share"],
        "confidence": rob.get("confidence", 0.95),
        "curves": [severity_panels(rob, s, chance=1 / n_labels) for s in slices],
        "heatmap": drop_heatmap(rob, result.get("slices", [])),
        "sentences": interaction_sentences(rob),
        "breaking": breaking_table(rob, result.get("slices", [])),
        "conditions": condition_table(rob, result.get("slices", [])),
    }


def tick(condition: str, ladder: dict) -> str:
    """The short label of a condition on its family's axis (the analysis names them)."""
    if condition in ladder["conditions"] and ladder.get("ticks"):
        return ladder["ticks"][ladder["conditions"].index(condition)]
    params = dict(item.split("=") for item in condition.partition("@")[2].split(":") if "=" in item)
    return " ".join(params.get(k, "?") for k in ladder["varying"]) or condition


def axis_label(ladder: dict) -> str:
    """`snr (dB)` for the varying parameters of a family."""
    units = ladder.get("units", {})
    return ", ".join(f"{k} ({units[k]})" if units.get(k, k) != k else k for k in ladder["varying"])


def _cells(rob: dict, slice_name: str) -> dict[str, dict[str, dict]]:
    """{group: {condition: cell}} of one slice."""
    out: dict[str, dict[str, dict]] = {}
    for cell in rob["cells"]:
        if cell["slice"] == slice_name:
            out.setdefault(cell["group"], {})[cell["condition"]] = cell
    return out


def severity_panels(rob: dict, slice_name: str, chance: float | None = None) -> dict:
    """One figure: a panel per family, UAR against severity (clean first), a line per group."""
    from serfair.report.plots import MARKERS, PALETTE, plt, to_svg  # matplotlib: when drawing

    cells = _cells(rob, slice_name)
    families = rob["families"]
    cols = min(PANEL_COLUMNS, len(families))
    rows = math.ceil(len(families) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.7 * cols, 2.3 * rows + 0.5), sharey=True,
                             squeeze=False)
    for ax, ladder in zip(axes.flat, families):
        names = [rob["clean"], *ladder["conditions"]]
        x = np.arange(len(names))
        for i, (group, per) in enumerate(cells.items()):
            y = [per[n]["uar"] if n in per and per[n]["uar"] is not None else np.nan for n in names]
            ax.plot(x, y, marker=MARKERS[i % len(MARKERS)], markersize=3.5, linewidth=1.2,
                    color=PALETTE[i % len(PALETTE)], label=group)
        if chance is not None:
            ax.axhline(chance, color="#777777", linestyle="--", linewidth=0.8)
        ax.set_xticks(x, ["clean", *[tick(n, ladder) for n in ladder["conditions"]]],
                      rotation=45 if len(names) > 4 else 0, fontsize=7)
        ax.set_title(ladder["family"], fontsize=9)
        ax.set_xlabel(axis_label(ladder), fontsize=7)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(families):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("UAR")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 6), frameon=False,
               fontsize=8, title=None if slice_name == ALL else slice_name)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()))
    groups = ", ".join(cells)
    alt = (f"Small multiples, one panel per perturbation family ({', '.join(l['family'] for l in families)}): "
           f"UAR from clean (left) to the harshest severity (right) for each {slice_name} group "
           f"({groups}); the dashed grey line marks chance.")
    return {"slice": slice_name, "svg": Markup(to_svg(fig)), "alt": alt}  # matplotlib's, not user data


def heatmap_rows(rob: dict, slices: list[str]) -> list[tuple[str, str]]:
    """(slice, group) rows: all clips first, then each slice's groups."""
    seen = list(dict.fromkeys((c["slice"], c["group"]) for c in rob["cells"]))
    return [r for r in seen if r[0] == ALL] + [r for s in slices for r in seen if r[0] == s]


def drop_heatmap(rob: dict, slices: list[str]) -> dict:
    """Heat map of UAR drop from clean (points) by group (rows) x condition (columns)."""
    from serfair.report.plots import plt, to_svg  # matplotlib: when drawing

    rows = heatmap_rows(rob, slices)
    columns = [n for ladder in rob["families"] for n in ladder["conditions"]]
    labels = [f"{ladder['family']} {tick(n, ladder)}" for ladder in rob["families"]
              for n in ladder["conditions"]]
    index = {(c["slice"], c["group"], c["condition"]): c for c in rob["cells"]}
    values = np.array([[_points(index.get((s, g, n), {}).get("drop")) for n in columns]
                       for s, g in rows])
    limit = max(5.0, float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 5.0)
    fig, ax = plt.subplots(figsize=(min(2.0 + 0.3 * len(columns), 12.0), 1.4 + 0.3 * len(rows)))
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, str(round(v)), ha="center", va="center", fontsize=6,  # no "-0"
                    color="white" if abs(v) > 0.6 * limit else "black")
    ax.set_xticks(range(len(columns)), labels, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(rows)), [g if s == ALL else f"{s}: {g}" for s, g in rows], fontsize=7)
    edge = -0.5
    for ladder in rob["families"][:-1]:
        edge += len(ladder["conditions"])
        ax.axvline(edge, color="white", linewidth=2)
    fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01).set_label("UAR drop (points)", fontsize=7)
    ax.set_title("UAR drop from clean, by group and condition (points; red = worse)", fontsize=9)
    alt = (f"Heat map of the drop in UAR from clean speech, in percentage points, for "
           f"{len(rows)} groups (rows) under {len(columns)} conditions (columns); red cells lost "
           f"UAR, blue cells gained it. The same numbers are in result.json under robustness.cells.")
    return {"svg": Markup(to_svg(fig)), "alt": alt}


def _points(value) -> float:
    return float("nan") if value is None else 100 * float(value)


def interaction_sentences(rob: dict) -> list[str]:
    """The largest group x condition interactions, one plain sentence each."""
    level = f"{100 * rob.get('confidence', 0.95):g} %"
    out = []
    for r in rob.get("largest", []):
        text = (f"Under {r['condition']}, {r['group']} ({r['slice']}) loses "
                f"{100 * r['drop']:.1f} points of UAR against {100 * r['reference_drop']:.1f} for "
                f"{r['reference']}: {100 * r['extra_drop']:.1f} points more")
        if r.get("ci"):
            lo, hi = r["ci"]
            text += f" ({level} CI {100 * lo:.1f} to {100 * hi:.1f}"
            text += f"; {r['n_speakers']} vs {r['reference_n_speakers']} speakers)."
            if not r.get("excludes_zero"):
                text += " The interval includes zero: this gap may be chance."
        else:
            text += (f" (no interval: a group has fewer than "
                     f"{max(rob.get('min_speakers', 2), 2)} speakers; exploratory only).")
        out.append(text)
    return out


def breaking_table(rob: dict, slices: list[str]) -> dict:
    """Rows per family, a column per (slice, group): the breaking condition's tick, or None."""
    columns = heatmap_rows(rob, slices)
    ladders = {l["family"]: l for l in rob["families"]}
    found = {(b["slice"], b["group"], b["family"]): b for b in rob.get("breaking_points", [])}
    rows = []
    for family, ladder in ladders.items():
        cells = []
        for s, g in columns:
            b = found.get((s, g, family))
            cells.append(None if b is None or b["condition"] is None
                         else {"tick": tick(b["condition"], ladder), "condition": b["condition"],
                               "uar": b["uar"], "threshold": b["threshold"]})
        rows.append({"family": family, "axis": axis_label(ladder), "cells": cells,
                     "harshest": tick(ladder["conditions"][-1], ladder)})
    return {"columns": [g if s == ALL else f"{s}: {g}" for s, g in columns], "rows": rows}


def condition_table(rob: dict, slices: list[str]) -> dict:
    """Per condition: all clips' UAR, drop and its interval, and the flip rate of every group."""
    groups = heatmap_rows(rob, slices)
    index = {(c["slice"], c["group"], c["condition"]): c for c in rob["cells"]}
    rows = []
    for name in (n for ladder in rob["families"] for n in ladder["conditions"]):
        overall = index.get((ALL, ALL, name), {})
        rows.append({"condition": name, "uar": overall.get("uar"), "drop": overall.get("drop"),
                     "drop_ci": overall.get("drop_ci"),
                     "flips": [index.get((s, g, name), {}).get("flip_rate") for s, g in groups]})
    return {"columns": [g if s == ALL else f"{s}: {g}" for s, g in groups], "rows": rows}


def summary_conditions(result: dict, limit: int = 6) -> list[str]:
    """Conditions for a terminal table: all of them when few, else clean and each family's
    harshest severity."""
    names = [c["name"] for c in result["conditions"]]
    rob = result.get("robustness")
    if len(names) <= limit or not isinstance(rob, dict) or not rob.get("families"):
        return names
    return [names[0], *[ladder["conditions"][-1] for ladder in rob["families"]]]


def short_label(result: dict, condition: str) -> str:
    """`noise 0` for `noise@snr=0` (a family and its tick), for narrow tables."""
    for ladder in (result.get("robustness") or {}).get("families", []):
        if condition in ladder["conditions"]:
            return f"{ladder['family']} {tick(condition, ladder)}"
    return condition
