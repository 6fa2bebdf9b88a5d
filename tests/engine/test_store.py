"""The predictions store: keyed rows survive reopening."""

from __future__ import annotations

from serfair.engine.store import PredictionStore, prediction_key


def test_rows_persist_and_keys_separate_model_condition_and_seed(tmp_path):
    store = PredictionStore(tmp_path / "p.sqlite")
    k1 = prediction_key("m1", "h", "noise@snr=10", 0)
    store.put_many([(k1, "c1", "noise@snr=10", [0.25, 0.75])])
    store.close()
    reopened = PredictionStore(tmp_path / "p.sqlite")
    assert reopened.get_many([k1, "absent"]) == {k1: [0.25, 0.75]}
    assert len(reopened) == 1
    assert len({k1, prediction_key("m2", "h", "noise@snr=10", 0),
                prediction_key("m1", "h", "noise@snr=10", 1), prediction_key("m1", "h", "clean", None)}) == 4
