"""Counterfactual probes (docs/probes.md): does the predicted emotion change when only the voice
changes? Reads the predictions table (clean, control and swap rows) and the probe's plan.

Per original group: the flip rate under the swap (share of clips whose prediction differs from the
same clip's clean prediction) and under the resynthesis control, and their difference (the
*excess*: what the change of voice does beyond the round trip), each with a speaker-level cluster
bootstrap interval (serfair.analysis.bootstrap: speakers resampled within the group, the same
draws for swap and control, so the difference is paired). Where predictions go: the share of
clips predicted as each emotion, and the largest true-emotion -> predicted-emotion moves, against
the control. Probe findings are exploratory: they are not in the corrected test family.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from serfair.analysis.bootstrap import bootstrap_weights, group_sums, percentile_interval
from serfair.analysis.findings import EMOTION_NOUNS, group_noun, points
from serfair.analysis.metrics import uar
from serfair.analysis.slicing import speaker_clusters

VERSIONS = ("clean", "control", "swap")
MIN_MOVED = 3  # a true -> predicted move needs this many clips under the swap to be named
TOP_MOVES = 3  # moves named per group
GROUP = "probe_group"
MEASURES = {"f0": "median F0 (Hz)", "f1": "mean F1 (Hz)", "f2": "mean F2 (Hz)"}


def aligned(predictions: pd.DataFrame, plan, clean: str) -> pd.DataFrame:
    """One row per probed clip: speaker, group, true emotion and the clean, control and swap
    predictions (clips missing any of the three are dropped)."""
    preds = predictions.drop_duplicates(["clip_id", "condition"]).set_index(["clip_id", "condition"])
    ids = sorted(plan.swap)
    keys = {"clean": [(c, clean) for c in ids], "control": [(c, plan.control) for c in ids],
            "swap": [(c, plan.swap[c]) for c in ids]}
    frame = pd.DataFrame({"clip_id": ids, GROUP: [plan.source[c] for c in ids]})
    for version, index in keys.items():
        found = preds.reindex(index)
        frame[version] = found["y_pred"].to_numpy()
        if version == "clean":
            frame["y_true"] = found["y_true"].to_numpy()
            frame["speaker_id"] = found["speaker_id"].astype(str).to_numpy()
    return frame.dropna(subset=list(VERSIONS)).reset_index(drop=True)


def flip_rates(frame: pd.DataFrame, *, seed: int, replicates: int,
               confidence: float) -> list[dict]:
    """Per group: flip rate under swap and control and the excess, with speaker-level intervals."""
    clusters = speaker_clusters(frame, GROUP)
    flips = np.stack([np.ones(len(frame)), (frame["swap"] != frame["clean"]).to_numpy(float),
                      (frame["control"] != frame["clean"]).to_numpy(float)], axis=1)
    stats = np.stack([np.bincount(clusters.row_cluster, weights=flips[:, k],
                                  minlength=clusters.n_clusters) for k in range(3)], axis=1)
    point = group_sums(np.ones((1, clusters.n_clusters)), stats, clusters)[0]  # [G, 3]
    boot = group_sums(bootstrap_weights(clusters, replicates, seed), stats, clusters)  # [R, G, 3]
    with np.errstate(invalid="ignore", divide="ignore"):
        rates, boot_rates = point[:, 1:] / point[:, :1], boot[..., 1:] / boot[..., :1]
    sizes = clusters.sizes()
    df = (sizes - 1.0)[:, None]
    ci = percentile_interval(boot_rates, confidence, df=df)  # [G, 2, 2]
    excess_ci = percentile_interval(boot_rates[..., 0] - boot_rates[..., 1], confidence,
                                    df=sizes - 1.0)  # [G, 2]
    out = []
    for g, group in enumerate(clusters.groups):
        def interval(bounds: np.ndarray, usable: bool = bool(sizes[g] >= 2)) -> list[float] | None:
            return [float(bounds[0]), float(bounds[1])] if usable and np.all(np.isfinite(bounds)) else None
        excess = float(rates[g, 0] - rates[g, 1])
        e_ci = interval(excess_ci[g])
        out.append({"group": group, "n_clips": int(point[g, 0]), "n_speakers": int(sizes[g]),
                    "flip_rate": float(rates[g, 0]), "flip_ci": interval(ci[g, 0]),
                    "control_flip_rate": float(rates[g, 1]), "control_ci": interval(ci[g, 1]),
                    "excess": excess, "excess_ci": e_ci,
                    "beats_control": bool(e_ci is not None and e_ci[0] > 0)})
    return out


def accuracy_by_version(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per group, UAR of the clean, control and swap predictions."""
    return {str(g): {v: uar(part["y_true"].to_numpy(), part[v].to_numpy()) for v in VERSIONS}
            for g, part in frame.groupby(GROUP)}


def direction(frame: pd.DataFrame, labels: tuple[str, ...]) -> list[dict]:
    """Per group and emotion: the share of clips predicted as it, clean, control and swap."""
    rows = []
    for group, part in frame.groupby(GROUP):
        for label in labels:
            shares = {v: float(np.mean(part[v] == label)) for v in VERSIONS}
            rows.append({"group": str(group), "emotion": label, **shares,
                         "change": shares["swap"] - shares["control"]})
    return rows


def moves(frame: pd.DataFrame, top: int = TOP_MOVES, least: int = MIN_MOVED) -> list[dict]:
    """Per group, the true -> predicted moves the swap makes most often beyond the control."""
    rows = []
    for group, part in frame.groupby(GROUP):
        found = []
        for true, clips in part.groupby("y_true"):
            for to in sorted(set(clips["swap"]) - {true}):
                swapped, control = int((clips["swap"] == to).sum()), int((clips["control"] == to).sum())
                if swapped >= least and swapped > control:
                    found.append({"group": str(group), "true": str(true), "predicted": str(to),
                                  "n_true": len(clips), "swap": swapped, "control": control,
                                  "ratio": swapped / control if control else None})
        rows += sorted(found, key=lambda r: (-(r["swap"] - r["control"]), r["true"],
                                             r["predicted"]))[:top]
    return rows


def _whose(group: str) -> str:
    """'women' -> "women's", 'emodb speakers' -> "emodb speakers'"."""
    noun = group_noun("gender", group) if group in ("female", "male") else f"{group} speakers"
    return noun + ("'" if noun.endswith("s") else "'s")


def move_sentence(r: dict, target: str) -> str:
    """'Made to sound female, men's anger is called sad 3.0 times as often as under resynthesis
    alone (9 of 30 angry clips vs 3).'"""
    emotion = EMOTION_NOUNS.get(r["true"], f"{r['true']} speech")
    how = (f"{r['ratio']:.1f} times as often as under resynthesis alone" if r["ratio"] is not None
           else "where resynthesis alone never did")
    return (f"Made to sound {target}, {_whose(r['group'])} {emotion} is called {r['predicted']} {how} "
            f"({r['swap']} of {r['n_true']} {r['true']} clips vs {r['control']}).")


def finding(r: dict, target: str, confidence: float, min_speakers: int) -> dict:
    """One group's flip rates in words; `note` when the swap beats the control by more than its
    interval, else `info`. Exploratory either way."""
    rates = (f"{100 * r['flip_rate']:.0f} % of {_whose(r['group'])} clips change their predicted emotion, "
             f"against {100 * r['control_flip_rate']:.0f} % under resynthesis alone "
             f"({points(r['excess'])} points")
    ci = r["excess_ci"]
    rates += (f", {100 * confidence:.0f} % CI {points(ci[0])} to {points(ci[1])})" if ci
              else ", no interval)")
    if r["beats_control"]:
        text = (f"Made to sound {target}, {rates}: the model's emotion depends on the voice, "
                f"not only on what is said and how.")
    else:
        text = f"Made to sound {target}, {rates}: no more than the resynthesis itself explains."
    if r["n_speakers"] < min_speakers:
        text += f" Only {r['n_speakers']} speakers."
    return {"level": "note" if r["beats_control"] else "info", "exploratory": True,
            "probe": "gender_swap", "group": r["group"], "excess": r["excess"], "ci": ci,
            "text": text + " Exploratory: outside the corrected test family."}


def acoustic_check(table: pd.DataFrame | None, target: dict[str, str]) -> dict | None:
    """Per group: median over the sample of each clip's median F0 and mean F1, F2, clean, control
    and swapped, beside the target group's clean values; and the per-clip values."""
    if table is None or table.empty:
        return None

    def summary(rows: pd.DataFrame) -> dict:
        return {m: (float(rows[m].median()) if rows[m].notna().any() else None) for m in MEASURES}

    clean = table[table["version"] == "clean"]
    groups = []
    for group in sorted(table["group"].unique()):
        own = table[table["group"] == group]
        groups.append({"group": group, "target": target.get(group),
                       "n_clips": int(own["clip_id"].nunique()),
                       **{v: summary(own[own["version"] == v]) for v in VERSIONS},
                       "target_values": summary(clean[clean["group"] == target.get(group)])})
    clips = table[["clip_id", "group", "version", *MEASURES]].to_dict(orient="records")
    for row in clips:
        for m in MEASURES:
            row[m] = None if pd.isna(row[m]) else round(float(row[m]), 1)
    settings = table.attrs.get("settings", {})
    return {"measures": dict(MEASURES), "formant_ceiling_hz": settings.get("formant_ceiling_hz"),
            "settings": settings, "statistic": "median over the sampled clips",
            "groups": groups, "clips": clips}


def probe_result(predictions: pd.DataFrame, plan, *, labels: tuple[str, ...], clean: str,
                 seed: int, replicates: int, confidence: float, min_speakers: int,
                 acoustics: pd.DataFrame | None = None) -> dict:
    """The result's `probes.<name>` entry for one plan."""
    frame = aligned(predictions, plan, clean)
    groups = flip_rates(frame, seed=seed, replicates=replicates, confidence=confidence) \
        if len(frame) else []
    scores = accuracy_by_version(frame) if len(frame) else {}
    for r in groups:
        r["target"] = plan.target.get(r["group"])
        r["condition"] = next((plan.swap[c] for c in plan.swap if plan.source[c] == r["group"]), None)
        r["uar"] = scores.get(r["group"])
    moved = moves(frame)
    return {
        "probe": plan.probe, "settings": plan.settings, "clean": clean, "control": plan.control,
        "conditions": {r["group"]: r["condition"] for r in groups},
        "targets": dict(plan.target), "n_clips": len(frame),
        "excluded": {**plan.excluded, "missing_predictions": len(plan.swap) - len(frame)},
        "confidence": confidence, "replicates": replicates,
        "interval": "speaker-level cluster bootstrap (Rao-Wu), expanded percentile interval",
        "groups": groups, "direction": direction(frame, labels) if len(frame) else [],
        "moves": [{**m, "text": move_sentence(m, plan.target[m["group"]])} for m in moved],
        "findings": [finding(r, r["target"], confidence, min_speakers) for r in groups],
        "check": acoustic_check(acoustics, plan.target),
    }


def probes_for(predictions: pd.DataFrame, plans: list, *, spec, labels: tuple[str, ...],
               clean: str, acoustics: dict[str, pd.DataFrame] | None = None) -> dict:
    """The result's `probes` section: one entry per plan (empty when no probe ran)."""
    stats = spec.stats
    return {plan.probe: probe_result(predictions, plan, labels=labels, clean=clean, seed=spec.seed,
                                     replicates=stats.bootstrap, confidence=stats.confidence,
                                     min_speakers=stats.min_speakers,
                                     acoustics=(acoustics or {}).get(plan.probe))
            for plan in plans}
