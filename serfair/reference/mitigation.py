"""How the mitigated reference's group balancing is chosen: on validation speakers only, by a
criterion declared before training (`choose_mitigation`)."""

from __future__ import annotations

# selection.py grid entries: the v1 recipe with each group-balancing remedy
MITIGATION_CANDIDATES = ("v1-reweight", "v1-sample")


def choose_mitigation(records: list[dict]) -> dict:
    """The group-balanced candidate with the highest worst-gender validation UAR (ties: higher
    overall validation UAR), from selection records (selection.json)."""
    cands = [r for r in records if r.get("config_name") in MITIGATION_CANDIDATES
             and "val_uar_by_gender" in r]
    if not cands:
        raise ValueError(f"no selection records for {MITIGATION_CANDIDATES}; run "
                         f"python -m serfair.reference.selection --grid "
                         f"{' '.join(MITIGATION_CANDIDATES)} --round 3 --out ...")
    return max(cands, key=lambda r: (r["val_uar_by_gender"]["worst"], r["val_uar"]))
