"""report.html's figures are cached by what they are drawn from: a re-render is identical, and a
new verdict or model card keeps the cached figures while new numbers draw them afresh."""

from __future__ import annotations

import json

from report_fixtures import cached_result

from serfair.report.html import DRAWING_MODULES, render_html
from serfair.report.view_cache import FOLDER, code_digest, view_key


def test_a_cached_render_equals_a_fresh_one(tmp_path):
    result = cached_result()
    fresh = render_html(result)
    assert render_html(result, cache=tmp_path) == fresh  # draws and stores
    assert (tmp_path / FOLDER / "views.json").is_file()
    assert render_html(result, cache=tmp_path) == fresh  # reads back


def test_the_key_ignores_what_figures_never_show_and_follows_what_they_do():
    result = cached_result()
    code = code_digest(DRAWING_MODULES)
    key = view_key(result, code)
    assert view_key({**result, "verdict": {"status": "fail"}, "model_card": None}, code) == key
    changed = json.loads(json.dumps(result))
    changed["metrics"]["groups"][0]["uar"] = 0.123
    assert view_key(changed, code) != key
    assert view_key(result, code + "edited") != key


def test_a_stale_or_broken_cache_is_redrawn(tmp_path):
    result = cached_result()
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "views.json").write_text("{not json")
    assert render_html(result, cache=tmp_path) == render_html(result)
