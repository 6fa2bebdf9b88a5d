"""Probe analysis from a predictions table: flip rates under swap and control per original group
with speaker-level intervals, the excess, where predictions go, findings and the voice check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from serfair.analysis.probes import acoustic_check, moves, probe_result
from serfair.probes.base import ProbePlan

LABELS = ("angry", "sad", "happy")
CONTROL, TO_MALE, TO_FEMALE = "voice", "voice@m", "voice@f"


def _table(flip_swap: dict[str, int], flip_control: dict[str, int], per_speaker: int = 10):
    """Five speakers per gender, `per_speaker` angry clips each, predicted angry on clean audio;
    under the swap the first flip_swap[gender] clips of every speaker are called sad, under the
    control the first flip_control[gender]."""
    rows, plan_swap, source = [], {}, {}
    for gender, swap_name in (("female", TO_MALE), ("male", TO_FEMALE)):
        for s in range(5):
            for k in range(per_speaker):
                cid = f"{gender}{s}_{k}"
                plan_swap[cid], source[cid] = swap_name, gender
                base = {"clip_id": cid, "speaker_id": f"{gender}{s}", "gender": gender,
                        "y_true": "angry"}
                rows.append({**base, "condition": "clean", "y_pred": "angry"})
                rows.append({**base, "condition": swap_name,
                             "y_pred": "sad" if k < flip_swap[gender] else "angry"})
                rows.append({**base, "condition": CONTROL,
                             "y_pred": "sad" if k < flip_control[gender] else "angry"})
    plan = ProbePlan(probe="gender_swap", settings={}, control=CONTROL, swap=plan_swap,
                     source=source, target={"female": "male", "male": "female"},
                     excluded={"other_gender": 0, "too_short": 0})
    return pd.DataFrame(rows), plan


def _result(table, plan, **kw):
    return probe_result(table, plan, labels=LABELS, clean="clean", seed=0, replicates=400,
                        confidence=0.95, min_speakers=5, **kw)


def test_flip_rates_excess_and_intervals():
    table, plan = _table({"female": 6, "male": 1}, {"female": 1, "male": 1})
    out = _result(table, plan)
    by = {g["group"]: g for g in out["groups"]}
    assert by["female"]["flip_rate"] == pytest.approx(0.6)
    assert by["female"]["control_flip_rate"] == pytest.approx(0.1)
    assert by["female"]["excess"] == pytest.approx(0.5)
    assert by["female"]["beats_control"] and not by["male"]["beats_control"]
    assert by["female"]["n_speakers"] == 5 and by["female"]["n_clips"] == 50
    for g in out["groups"]:
        for key, value in (("flip_ci", "flip_rate"), ("control_ci", "control_flip_rate"),
                           ("excess_ci", "excess")):
            assert g[key][0] <= g[value] <= g[key][1]
    assert by["male"]["target"] == "female" and by["male"]["condition"] == TO_FEMALE
    assert by["female"]["uar"]["clean"] == 1.0 and by["female"]["uar"]["swap"] == pytest.approx(0.4)
    assert out["n_clips"] == 100 and out["excluded"]["missing_predictions"] == 0


def test_speakers_that_disagree_widen_the_interval():
    table, plan = _table({"female": 6, "male": 6}, {"female": 1, "male": 1})
    even = {g["group"]: g for g in _result(table, plan)["groups"]}["female"]
    swap = table["condition"] == TO_MALE
    uneven_table = table.copy()  # the same 30 % excess overall, carried by two speakers only
    speaker = uneven_table["speaker_id"].str[-1].astype(int)
    clip = uneven_table["clip_id"].str.split("_").str[1].astype(int)
    female_swap = swap & (uneven_table["gender"] == "female")
    uneven_table.loc[female_swap, "y_pred"] = np.where(
        (speaker[female_swap] < 3) & (clip[female_swap] < 10), "sad", "angry")
    uneven = {g["group"]: g for g in _result(uneven_table, plan)["groups"]}["female"]
    assert uneven["flip_rate"] == pytest.approx(even["flip_rate"])
    width = lambda g: g["excess_ci"][1] - g["excess_ci"][0]
    assert width(uneven) > 3 * width(even)


def test_findings_are_exploratory_and_say_whether_the_swap_beats_the_control():
    table, plan = _table({"female": 6, "male": 1}, {"female": 1, "male": 1})
    findings = {f["group"]: f for f in _result(table, plan)["findings"]}
    assert all(f["exploratory"] for f in findings.values())
    assert findings["female"]["level"] == "note"
    assert findings["female"]["text"].startswith(
        "Made to sound male, 60 % of women's clips change their predicted emotion, against 10 % "
        "under resynthesis alone (50 points, 95 % CI")
    assert "depends on the voice" in findings["female"]["text"]
    assert findings["male"]["level"] == "info"
    assert "no more than the resynthesis itself explains" in findings["male"]["text"]


def test_moves_name_the_emotion_the_swap_pushes_towards():
    table, plan = _table({"female": 6, "male": 1}, {"female": 2, "male": 1})
    out = _result(table, plan)
    female = [m for m in out["moves"] if m["group"] == "female"]
    assert female[0]["true"] == "angry" and female[0]["predicted"] == "sad"
    assert female[0]["swap"] == 30 and female[0]["control"] == 10 and female[0]["ratio"] == 3.0
    assert female[0]["text"] == ("Made to sound male, women's anger is called sad 3.0 times as "
                                 "often as under resynthesis alone (30 of 50 angry clips vs 10).")
    assert not [m for m in out["moves"] if m["group"] == "male"]  # no more than the control
    rates = {(d["group"], d["emotion"]): d for d in out["direction"]}
    assert rates[("female", "sad")]["swap"] == pytest.approx(0.6)
    assert rates[("female", "angry")]["change"] == pytest.approx(-0.4)


def test_a_move_the_control_never_makes_is_said_so():
    frame = pd.DataFrame({"probe_group": ["male"] * 4, "y_true": ["sad"] * 4,
                          "clean": ["sad"] * 4, "control": ["sad"] * 4,
                          "swap": ["happy"] * 3 + ["sad"]})
    (move,) = moves(frame)
    assert move["ratio"] is None and move["swap"] == 3


def test_clips_without_probe_predictions_are_counted():
    table, plan = _table({"female": 6, "male": 1}, {"female": 1, "male": 1})
    table = table[~((table["clip_id"] == "male0_0") & (table["condition"] == CONTROL))]
    out = _result(table, plan)
    assert out["n_clips"] == 99 and out["excluded"]["missing_predictions"] == 1


def test_voice_check_puts_each_group_beside_its_target():
    rows = []
    for group, target, f0 in (("female", "male", 220.0), ("male", "female", 120.0)):
        for i in range(3):
            for version, factor in (("clean", 1.0), ("control", 1.0), ("swap", 0.6 if group == "female" else 1.7)):
                rows.append({"clip_id": f"{group}{i}", "speaker_id": group, "group": group,
                             "target": target, "version": version, "condition": version,
                             "f0": f0 * factor + i, "f1": 500.0, "f2": 1500.0 + i})
    check = acoustic_check(pd.DataFrame(rows), {"female": "male", "male": "female"})
    by = {g["group"]: g for g in check["groups"]}
    assert by["female"]["clean"]["f0"] == 221.0 and by["female"]["swap"]["f0"] == pytest.approx(133.0)
    assert by["female"]["target_values"] == by["male"]["clean"]
    assert by["male"]["n_clips"] == 3 and len(check["clips"]) == 18
    assert acoustic_check(None, {}) is None
