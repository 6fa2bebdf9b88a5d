"""The result schema: shipped as package data, valid, matching real results, checked on write
and on read."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator
from report_fixtures import cached_result

from serfair.errors import SerfairError
from serfair.report.json_out import read_result, write_json
from serfair.report.schema import ResultError, check_result, result_schema, schema_errors


def test_schema_ships_with_the_package_and_is_a_valid_schema():
    text = resources.files("serfair.report").joinpath("result.schema.json").read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    assert schema == result_schema()
    assert {"schema_version", "provenance", "metrics", "warnings"} <= set(schema["required"])


def test_a_real_result_matches_and_unknown_keys_are_allowed():
    result = cached_result()
    assert schema_errors(result) == []
    result["something_new"] = {"added": "by a later version"}
    result["metrics"]["groups"][0]["new_metric"] = 0.5
    assert schema_errors(result) == []


def test_violations_name_the_place(tmp_path):
    result = cached_result()
    result["metrics"]["groups"][3]["n_clips"] = "many"
    del result["provenance"]["seed"]
    result["disparities"][0]["ci"] = [0.1]
    errors = schema_errors(result)
    assert any(e.startswith("at metrics.groups.3.n_clips:") for e in errors)
    assert any(
        e.startswith("at provenance:") and "'seed' is a required property" in e for e in errors
    )
    assert any(e.startswith("at disparities.0.ci:") for e in errors)
    with pytest.raises(ResultError, match="metrics.groups.3.n_clips"):
        check_result(result)
    with pytest.raises(ResultError):
        write_json(result, tmp_path / "result.json")
    assert not (tmp_path / "result.json").exists()


def test_write_then_read_round_trip_and_nan_becomes_null(tmp_path):
    result = cached_result()
    result["metrics"]["groups"][0]["uar"] = float("nan")
    path = write_json(result, tmp_path / "result.json")
    back = read_result(path)
    assert back["metrics"]["groups"][0]["uar"] is None
    assert back["name"] == result["name"]


def test_read_rejects_other_major_versions_and_non_results(tmp_path):
    result = cached_result()
    result["schema_version"] = "2.0"
    (tmp_path / "future.json").write_text(json.dumps(result))
    with pytest.raises(SerfairError, match="result schema 2.0; this serfair reads 1.x"):
        read_result(tmp_path / "future.json")
    (tmp_path / "other.json").write_text(json.dumps({"hello": 1}))
    with pytest.raises(SerfairError, match="not a serfair result"):
        read_result(tmp_path / "other.json")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(SerfairError, match="cannot read result"):
        read_result(tmp_path / "broken.json")
