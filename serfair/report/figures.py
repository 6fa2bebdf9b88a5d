"""Which figures a result gets: severity curves per slice and family."""

from __future__ import annotations

from serfair.report.plots import severity_curve

# Families whose severity grows as the parameter falls (lower SNR = more noise).
REVERSED = {"snr", "mp3_kbps", "kbps"}


def severity_figures(result: dict, metric: str = "uar") -> list[dict]:
    """One figure per (slice, family with one numeric parameter): metric against severity per group."""
    rows = result["metrics"]["groups"]
    conditions = {c["name"]: c for c in result["conditions"]}
    clean_name = result["conditions"][0]["name"]
    figures = []
    families = sorted({c["family"] for c in result["conditions"] if len(c["params"]) == 1})
    for slice_name in result["slices"]:
        slice_rows = [r for r in rows if r["slice"] == slice_name]
        clean = {r["group"]: r[metric] for r in slice_rows if r["condition"] == clean_name}
        for family in families:
            points: dict[str, list[tuple[float, float]]] = {}
            param = None
            for r in slice_rows:
                cond = conditions.get(r["condition"])
                if cond is None or cond["family"] != family:
                    continue
                param, value = next(iter(cond["params"].items()))
                points.setdefault(r["group"], []).append((float(value), float(r[metric])))
            if not points:
                continue
            n_labels = len(result["data"]["model_labels"])
            svg = severity_curve(points, xlabel=f"{family} {param}", ylabel=metric.upper(),
                                 title=f"{metric.upper()} by {slice_name} under {family}",
                                 clean=clean, reverse_x=param in REVERSED, chance=1 / n_labels)
            figures.append({
                "slice": slice_name, "family": family, "param": param, "svg": svg,
                "alt": (f"Line chart of {metric.upper()} against {family} {param} for each "
                        f"{slice_name} group ({', '.join(points)}); dotted lines mark clean "
                        f"{metric.upper()}, the dashed grey line marks chance."),
            })
    return figures
