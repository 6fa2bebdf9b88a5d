"""The audit spec's scope: valid keys, short answers, helpful errors, and the spec integration."""

from __future__ import annotations

import pytest

from serfair.errors import SpecError
from serfair.report.scope import ANNEX_III_AREAS, validate_scope
from serfair.spec import load_spec


def test_only_what_was_given_is_kept_and_answers_are_normalised():
    scope = validate_scope(
        {
            "intended_use": "x",
            "out_of_scope": "y",
            "eu_ai_act": {"workplace": False, "annex_iii_areas": ["employment"]},
        }
    )
    assert scope == {
        "intended_use": "x",
        "out_of_scope": ["y"],
        "eu_ai_act": {"workplace": {"answer": False}, "annex_iii_areas": ["employment"]},
    }
    assert validate_scope(None) == {}


@pytest.mark.parametrize(
    "scope, fragment",
    [
        (
            {"intended": "x"},
            "scope.intended: unknown key; valid keys: intended_use, deployment_context",
        ),
        (
            {"eu_ai_act": {"work_place": True}},
            "scope.eu_ai_act.work_place: unknown key; valid keys: research_only",
        ),
        ({"eu_ai_act": {"workplace": {"ans": True}}}, "valid keys: answer, note"),
        ({"eu_ai_act": {"annex_iii_areas": ["hr"]}}, "unknown Annex III area 'hr'"),
        ({"reviewers": [{"nam": "x"}]}, "valid keys: name, role"),
    ],
)
def test_errors_name_the_key_and_the_valid_ones(scope, fragment):
    with pytest.raises(ValueError) as info:
        validate_scope(scope)
    assert fragment in str(info.value)


def test_the_spec_validates_its_scope():
    spec = load_spec(None, scope={"owner": "team", "eu_ai_act": {"biometric": True}})
    assert spec.scope == {"owner": "team", "eu_ai_act": {"biometric": {"answer": True}}}
    with pytest.raises(SpecError, match="scope.onwer: unknown key"):
        load_spec(None, scope={"onwer": "team"})
    assert "employment" in ANNEX_III_AREAS
