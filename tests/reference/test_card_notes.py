"""Card sentences that depend on how a reference model came to be: which of the v1 settings it
changed, and whether re-running its command gave the same file."""

from __future__ import annotations

from serfair.reference.card import _reproduced, _reuse_note


def _record(**kw) -> dict:
    config = {"model": {"rnn": kw.pop("rnn", "lstm")}, "group_balance": kw.pop("balance", "none")}
    return {"config": config, "seed": 0, "augment": False, **kw}


def test_the_reuse_note_names_what_differs_from_v1():
    assert _reuse_note(_record()) == ""  # v1 itself chose its settings
    assert _reuse_note(_record(seed=1, augment=True)) == ""  # augmented: its own selection
    gru = _reuse_note(_record(rnn="gru"))
    assert "its seed (0) unchanged; only the recurrent layer differs." in gru
    seeded = _reuse_note(_record(rnn="gru", seed=1))
    assert "with seed 1" in seeded and "only the recurrent layer and the seed differ." in seeded
    assert "ensemble-selection.json" in seeded
    assert "only the group balancing differs" in _reuse_note(_record(balance="reweight"))
    assert _reuse_note(_record(members=[{}], selection={"file": "x"})) == ""


def test_the_reproduced_line_states_equal_or_different_with_scores():
    same = {"date": "2026-12-02", "sha256_equal": True, "sha256": "a" * 64, "wall_seconds": 200.0,
            "training_seconds": 190.0, "load_average_1min": [1.0, 2.0]}
    text = _reproduced(same)
    assert "gave this very file (sha256 equal)" in text and "200.0 s wall clock" in text
    other = _reproduced({**same, "sha256_equal": False, "sha256": "b" * 64, "uar": 0.646,
                         "validation_uar": 0.624})
    assert "DIFFERENT file (sha256 bbbbbbbbbbbb; that model scores test UAR 0.646" in other
    assert "not across machines" in other
    assert _reproduced(None) == ""
