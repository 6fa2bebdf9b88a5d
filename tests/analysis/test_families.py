"""The primary family: resolved from the spec, validated before inference."""

from __future__ import annotations

import pytest

from serfair.analysis.families import (
    EXPLORATORY,
    PRIMARY,
    PrimaryDefault,
    check_primary_metrics,
    family_of,
    primary_keys,
)
from serfair.analysis.metrics import metric_set
from serfair.errors import SpecError
from serfair.spec import load_spec

CONDITIONS = ["clean", "noise@snr=10"]


def test_the_default_is_the_headline_gap_of_every_slicing_on_clean_speech():
    keys = primary_keys([PrimaryDefault()], ["gender", "dataset"], CONDITIONS)
    assert keys == {("gender", "clean", "uar"), ("dataset", "clean", "uar")}
    spec = load_spec(None, slices="gender,dataset")
    assert primary_keys(spec.stats.primary, spec.slices, spec.conditions) == keys
    assert family_of(("gender", "clean", "recall_angry"), keys) == EXPLORATORY
    assert family_of(("gender", "clean", "uar"), keys) == PRIMARY


def test_a_spec_adds_one_conditions_gap_by_gender():
    spec = load_spec(None, slices="gender,dataset", conditions="clean,noise@snr=10", stats={
        "primary": [{"metrics": "uar"}, {"slices": "gender", "conditions": "noise@snr=10"}]})
    keys = primary_keys(spec.stats.primary, spec.slices, spec.conditions)
    assert ("gender", "noise@snr=10", "uar") in keys and len(keys) == 3


@pytest.mark.parametrize("primary, words", [
    ({"slices": "accent"}, "slice 'accent' is not among the audit's slices"),
    ({"conditions": "noise@snr=5"}, "condition 'noise@snr=5' is not among"),
    ({"metrics": "loudness"}, "unknown metric(s) loudness"),
])
def test_unknown_slices_conditions_and_metrics_are_spec_errors(primary, words):
    with pytest.raises(SpecError, match="stats.primary") as raised:
        load_spec(None, slices="gender", conditions="clean,noise@snr=10",
                  stats={"primary": [primary]})
    assert words in str(raised.value)


def test_a_recall_the_model_cannot_output_is_refused_before_inference():
    spec = load_spec(None, stats={"primary": [{"metrics": ["uar", "recall_calm"]}]})
    with pytest.raises(SpecError, match="no metric 'recall_calm'"):
        check_primary_metrics(spec.stats.primary, metric_set(("angry", "happy", "sad")))
    check_primary_metrics(spec.stats.primary, metric_set(("angry", "calm")))


def test_serfair_validate_refuses_a_bad_primary_family_with_exit_2(tmp_path):
    from click.testing import CliRunner

    from serfair.cli import main

    spec = tmp_path / "audit.yaml"
    spec.write_text("slices: [gender]\nstats:\n  primary:\n    - {slices: accent}\n")
    result = CliRunner().invoke(main, ["validate", str(spec)])
    assert result.exit_code == 2
    assert "slice 'accent' is not among the audit's slices" in result.output
    assert "Traceback" not in result.output
