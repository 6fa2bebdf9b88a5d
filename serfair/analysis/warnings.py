"""Warnings instead of false verdicts: small cells, single groups, empty cells, undefined metrics,
slicings that split speakers, and slicings too small for any gap to reach significance."""

from __future__ import annotations

from itertools import product

import pandas as pd

from serfair.analysis.slicing import group_labels, slice_columns


def cell_warnings(groups: pd.DataFrame, min_speakers: int = 5, min_clips: int = 20) -> list[dict]:
    """One warning per (slice, group) with fewer speakers or clips than the minimum (clean rows)."""
    if groups.empty:
        return []
    first = groups["condition"].iloc[0]
    small = groups[(groups["condition"] == first) & (groups["slice"] != "all")
                   & ((groups["n_speakers"] < min_speakers) | (groups["n_clips"] < min_clips))]
    return [{
        "kind": "small_cell", "slice": r.slice, "group": r.group,
        "message": (f"{r.slice} = {r.group} has {r.n_speakers} speaker(s) and {r.n_clips} clip(s), "
                    f"fewer than {min_speakers} speakers or {min_clips} clips: its numbers are "
                    f"reported but not gated"),
    } for r in small.itertuples()]


def single_group_warnings(groups_by_slice: dict[str, tuple[str, ...]]) -> list[dict]:
    """A slicing with one group measures no gap."""
    return [{"kind": "single_group", "slice": name, "group": groups[0],
             "message": (f"{name} has one group only ({groups[0]}) in these data: "
                         f"no gap by {name} can be measured")}
            for name, groups in groups_by_slice.items() if name != "all" and len(groups) == 1]


def empty_cell_warnings(clips: pd.DataFrame, slices: list[str]) -> list[dict]:
    """Intersections whose combinations of values have no clips at all."""
    out = []
    for name in slices:
        columns = slice_columns(name)
        if len(columns) < 2:
            continue
        parts = [group_labels(clips, c) for c in columns]
        seen = set(zip(*(p.tolist() for p in parts)))
        levels = [sorted(set(p)) for p in parts]
        missing = [combo for combo in product(*levels) if combo not in seen]
        if missing:
            names = [" & ".join(m) for m in missing]
            shown = ", ".join(names[:6]) + (" ..." if len(names) > 6 else "")
            out.append({"kind": "empty_cell", "slice": name, "groups": names,
                        "message": (f"{name}: {len(missing)} of {len(seen) + len(missing)} "
                                    f"combinations have no clips ({shown}); they are left out")})
    return out


def undefined_metric_warnings(table: pd.DataFrame, metrics: list[str],
                              condition: str) -> list[dict]:
    """Group metrics that cannot be computed (a recall for an emotion a group has no clips of):
    one warning per metric absent from the data, else one per (slice, metric)."""
    out = []
    part = table[table["condition"] == condition]
    overall = part[part["slice"] == "all"]
    for metric in metrics:
        if len(overall) and overall[metric].isna().all():
            out.append({"kind": "undefined_metric", "slice": "all", "metric": metric,
                        "message": (f"{metric} is undefined for every group (no clips it applies "
                                    f"to in these data): shown as '–', no gaps")})
            continue
        missing = part[part[metric].isna()]
        for slice_name, rows in missing.groupby("slice", sort=False):
            groups = ", ".join(map(str, rows["group"]))
            out.append({"kind": "undefined_metric", "slice": slice_name, "metric": metric,
                        "groups": rows["group"].tolist(),
                        "message": (f"{metric} is undefined for {slice_name} = {groups} (no clips "
                                    f"it applies to): shown as '–' and left out of that slice's "
                                    f"gaps")})
    return out


def within_speaker_warnings(within: dict[str, bool]) -> list[dict]:
    """Slicings whose groups split speakers: resampling units are speaker-by-group clusters."""
    return [{"kind": "within_speaker", "slice": name,
             "message": (f"{name} varies within speakers: intervals and tests treat each speaker's "
                         f"clips in a group as one unit and ignore that the same speakers appear "
                         f"in several groups, so they are optimistic")}
            for name, flag in within.items() if flag]


def low_power_warnings(primary: list[dict], meaningful_gap: float) -> list[dict]:
    """Primary comparisons that found no gap but could not have found one of `meaningful_gap`
    (their minimum detectable gap is larger), and primary comparisons that could not be decided."""
    out = []
    for c in primary:
        where = f"{c['metric']} gap by {c['slice']} under {c['condition']}"
        if c["significant"] is None:
            why = "; ".join(c.get("untested_because") or []) or "no interval"
            out.append({"kind": "low_power", "slice": c["slice"], "metric": c["metric"],
                        "condition": c["condition"],
                        "message": (f"primary comparison {where} could not be decided ({why}): "
                                    f"its absence from the findings is not evidence of fairness")})
        elif c["supports_no_gap"] is False:
            out.append({"kind": "low_power", "slice": c["slice"], "metric": c["metric"],
                        "condition": c["condition"], "mdg": c["mdg"],
                        "message": (f"primary comparison {where}: no gap found, but this audit "
                                    f"detects only gaps of {100 * c['mdg']:.0f} points or more "
                                    f"({100 * c['mdg_power']:.0f} % power), larger than the "
                                    f"{100 * meaningful_gap:.0f} points that matter "
                                    f"(stats.meaningful_gap): too small to support 'no gap "
                                    f"found'; add speakers")})
    return out


def no_probability_warning(has_probabilities: bool) -> list[dict]:
    """Calibration needs the p_<label> columns."""
    if has_probabilities:
        return []
    return [{"kind": "no_probability",
             "message": "the predictions have no p_<label> probability columns: calibration "
                        "(ECE, mean confidence) is not reported"}]


def gender_warnings(clips: pd.DataFrame, known: tuple[str, ...] = ("female", "male"),
                    shown: int = 6) -> list[dict]:
    """Gender values other than female/male (kept as their own groups, and said so) and speakers
    whose clips carry more than one gender (named)."""
    if "gender" not in clips.columns:
        return []
    out = []
    values = clips["gender"].astype(str)
    other = clips[~values.isin(known)]
    if len(other):
        counts = [f"'{g}' ({len(part)} clip(s), {part['speaker_id'].nunique()} speaker(s))"
                  if "speaker_id" in part.columns else f"'{g}' ({len(part)} clip(s))"
                  for g, part in other.groupby("gender", sort=True)]
        out.append({"kind": "gender_values", "slice": "gender",
                    "groups": sorted(other["gender"].astype(str).unique()),
                    "message": (f"gender has value(s) besides {' and '.join(known)}: "
                                f"{', '.join(counts)}; each is kept as its own group (small groups "
                                f"are reported, not gated); map spellings in the manifest if some "
                                f"mean the same")})
    if "speaker_id" in clips.columns:
        per = clips.groupby(clips["speaker_id"].astype(str))["gender"].agg(lambda g: sorted(set(map(str, g))))
        mixed = per[per.map(len) > 1]
        if len(mixed):
            names = [f"{s} ({', '.join(g)})" for s, g in mixed.items()]
            listed = ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")
            out.append({"kind": "speaker_genders", "slice": "gender", "speakers": list(mixed.index),
                        "message": (f"{len(names)} speaker(s) have clips with different genders: "
                                    f"{listed}; check the manifest (one speaker, one gender), or "
                                    f"give the speakers distinct ids")})
    return out
