"""Degenerate audio in numbers: flagged clips per slice, group, condition and flag, for
result["sanity"], and the warning that says so (nothing degenerate is left out silently)."""

from __future__ import annotations

import pandas as pd

from serfair.analysis.slicing import ALL, group_labels


def sanity_summary(clips: pd.DataFrame, clean_flags: dict[str, tuple[str, ...]],
                   table: pd.DataFrame, slices: list[str], *, settings: dict,
                   meanings: dict[str, str], excluded: set[str], examples: int = 50) -> dict:
    """result["sanity"]: flagged clips per slice, group, condition and flag (clean flags under
    `clean`, from the screen before inference; the others from the table's `flags` column), how
    many were excluded, the settings and what each flag present means."""
    records = [(cid, "clean", flag) for cid, flags in clean_flags.items() for flag in flags]
    if "flags" in table.columns:
        flagged = table[table["flags"] != ""]
        records += [(cid, cond, flag) for cid, cond, flags in
                    zip(flagged["clip_id"], flagged["condition"], flagged["flags"])
                    for flag in flags.split(",")]
    frame = pd.DataFrame(records, columns=["clip_id", "condition", "flag"])
    counts = []
    if len(frame):
        meta = clips.drop_duplicates("clip_id").set_index("clip_id")
        for slice_name in [ALL, *slices]:
            groups = (pd.Series(ALL, index=meta.index) if slice_name == ALL
                      else group_labels(meta, slice_name))
            joined = frame.assign(group=frame["clip_id"].map(groups).fillna("unknown"),
                                  excluded=frame["clip_id"].isin(excluded))
            for (group, condition, flag), part in joined.groupby(["group", "condition", "flag"],
                                                                 sort=True):
                counts.append({"slice": slice_name, "group": str(group), "condition": condition,
                               "flag": flag, "clips": int(part["clip_id"].nunique()),
                               "excluded": int(part.loc[part["excluded"], "clip_id"].nunique())})
    present = sorted(set(frame["flag"]))
    return {
        "settings": dict(settings),
        "flags": {flag: meanings.get(flag, flag) for flag in present},
        "n_clips_checked": int(clips["clip_id"].nunique()),
        "n_clips_flagged": int(frame["clip_id"].nunique()),
        "n_clips_excluded": len(excluded),
        "excluded_clips": sorted(excluded)[:examples],
        "counts": counts,
        "examples": [{"clip_id": cid, "condition": cond, "flags": sorted(set(part["flag"]))}
                     for (cid, cond), part in list(frame.groupby(["clip_id", "condition"]))[:examples]],
    }


def sanity_warning(summary: dict) -> dict | None:
    """One warning for result["warnings"] when any clip was flagged (never silent)."""
    if not summary["n_clips_flagged"]:
        return None
    totals: dict[str, int] = {}
    for row in summary["counts"]:
        if row["slice"] == ALL:
            totals[f"{row['flag']} ({row['condition']})"] = row["clips"]
    what = ", ".join(f"{k}: {v}" for k, v in totals.items())
    n = summary["n_clips_excluded"]
    action = (f"{n} excluded from every condition" if summary["settings"]["exclude"]
              else f"scored anyway (sanity.exclude: false), {n} excluded as unscorable")
    return {"kind": "degenerate_audio",
            "message": f"{summary['n_clips_flagged']} of {summary['n_clips_checked']} clip(s) have "
                       f"degenerate audio ({what}): {action}; see the audio sanity section "
                       f"(the spec's `sanity:` sets the limits)"}
