"""Bundled specs and models: found in the source tree, by name from any folder."""

from __future__ import annotations

import pytest

from serfair.errors import SpecError
from serfair.paths import audits_dir, reference_model, resolve_spec
from serfair.policy import load_policy
from serfair.spec import load_spec


def test_bundled_specs_by_name_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_spec("demo") == audits_dir() / "demo.yaml"
    assert resolve_spec("audits/ci-gate.yaml") == audits_dir() / "ci-gate.yaml"
    assert load_spec("demo").name == "demo"
    assert load_policy("ci-gate").rules
    assert reference_model().is_file()


def test_a_file_of_the_user_wins_and_other_paths_are_left_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo.yaml").write_text("name: mine\n")
    assert load_spec("demo.yaml").name == "mine"
    assert resolve_spec("elsewhere/demo.yaml").as_posix() == "elsewhere/demo.yaml"
    with pytest.raises(SpecError, match="bundled spec: .*ci-gate.*demo"):
        load_spec("no-such-spec")
