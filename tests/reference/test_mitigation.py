"""The mitigated reference's choice: worst-gender validation UAR, validation records only."""

from __future__ import annotations

import pytest


def test_mitigation_is_chosen_by_the_worst_gender_validation_uar():
    from serfair.reference.mitigation import choose_mitigation

    def rec(name, worst, uar):
        return {"config_name": name, "val_uar": uar, "config": {"group_balance": name[3:]},
                "val_uar_by_gender": {"per_group": {}, "worst": worst}}

    records = [rec("v1-reweight", 0.60, 0.70), rec("v1-sample", 0.62, 0.66),
               {"config_name": "big", "val_uar": 0.9}]
    assert choose_mitigation(records)["config_name"] == "v1-sample"
    with pytest.raises(ValueError, match="no selection records"):
        choose_mitigation(records[2:])
