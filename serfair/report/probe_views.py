"""The probes section, from `result["probes"]` alone: flip rates under the swap and the control
per group, where the predictions go, the findings in words, and the check that the swapped voices
land beside the other group's (median F0, mean F1/F2 before and after, as a table and a figure)."""

from __future__ import annotations

from markupsafe import Markup

from serfair.report.plots import PALETTE, plt, to_svg

TITLES = {"gender_swap": "Gender swap: the same clips in the other group's voice"}
MEASURE_LABELS = {"f0": "median F0 (Hz)", "f1": "mean F1 (Hz)", "f2": "mean F2 (Hz)"}
VERSION_LABELS = (("clean", "original"), ("control", "resynthesis only"), ("swap", "swapped"))


def probes_view(result: dict) -> list[dict]:
    """One entry per probe in the result (empty when none ran)."""
    views = []
    for name, probe in (result.get("probes") or {}).items():
        check = probe.get("check")
        views.append({
            "name": name, "title": TITLES.get(name, name), "probe": probe,
            "direction": direction_table(probe),
            "check_rows": check_rows(check) if check else [],
            "figure": check_figure(check) if check else None,
        })
    return views


def direction_table(probe: dict) -> dict[str, list[dict]]:
    """{group: rows of emotion, clean / control / swap share, change} for the template."""
    out: dict[str, list[dict]] = {}
    for row in probe.get("direction", []):
        out.setdefault(row["group"], []).append(row)
    return out


def check_rows(check: dict) -> list[dict]:
    """Per group and measure: original, control, swapped and the target group's value (Hz)."""
    rows = []
    for g in check["groups"]:
        for m, label in MEASURE_LABELS.items():
            rows.append({"group": g["group"], "target": g["target"], "n_clips": g["n_clips"],
                         "measure": label, **{v: g[v][m] for v, _ in VERSION_LABELS},
                         "target_value": g["target_values"][m]})
    return rows


def check_figure(check: dict) -> dict:
    """A panel per measure: each group's original and swapped clips (dots) and medians, with the
    target group's median as a dashed line, so one sees whether the swap lands there."""
    groups = check["groups"]
    clips = check.get("clips", [])
    fig, axes = plt.subplots(1, len(MEASURE_LABELS), figsize=(9.0, 1.0 + 0.75 * len(groups)),
                             squeeze=False)
    for ax, (m, label) in zip(axes[0], MEASURE_LABELS.items()):
        for i, g in enumerate(groups):
            for j, (version, _) in enumerate((("clean", ""), ("swap", ""))):
                values = [c[m] for c in clips if c["group"] == g["group"]
                          and c["version"] == version and c[m] is not None]
                y = i + (0.15 if version == "swap" else -0.15)
                ax.scatter(values, [y] * len(values), s=8, alpha=0.35, color=PALETTE[j],
                           linewidths=0)
                if g[version][m] is not None:
                    ax.plot([g[version][m]], [y], marker="o" if version == "clean" else "s",
                            color=PALETTE[j], markersize=6,
                            label=("original" if version == "clean" else "swapped") if i == 0 else None)
            if g["target_values"][m] is not None:
                ax.plot([g["target_values"][m]] * 2, [i - 0.35, i + 0.35], linestyle="--",
                        color="#000000", linewidth=1.1,
                        label="target group's median" if i == 0 else None)
        ax.set_yticks(range(len(groups)), [f"{g['group']} \u2192 {g['target']}" for g in groups])
        ax.set_ylim(-0.6, len(groups) - 0.4)
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
        if m != next(iter(MEASURE_LABELS)):
            ax.tick_params(labelleft=False)
    axes[0][0].legend(fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=3)
    alt = ("Median F0 and mean F1 and F2 of the sampled clips of each group, original and swapped, "
           "with the target group's median as a dashed line: " + "; ".join(
               f"{g['group']} F0 {_hz(g['clean']['f0'])} to {_hz(g['swap']['f0'])} Hz "
               f"(target {_hz(g['target_values']['f0'])} Hz)" for g in groups))
    return {"svg": Markup(to_svg(fig)), "alt": alt}


def _hz(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"
