"""The fairness section of report.html: tables with intervals, forest plot, confusion matrices."""

from __future__ import annotations

import re

from markupsafe import Markup
from synthetic_predictions import predictions, result

from serfair.report.fairness_figures import fairness_view
from serfair.report.html import _ENV


def _render(doc: dict, view: dict | None = None) -> str:
    view = dict(view or fairness_view(doc))
    for part in view["slices"]:
        for key in ("forest", "confusion"):
            if part[key]:
                part[key]["svg"] = Markup(part[key]["svg"])
    conditions = [c["name"] for c in doc["conditions"]]
    tables = [{"slice": s, "groups": {r["group"]: {c: r for c in conditions}
                                      for r in doc["metrics"]["groups"] if r["slice"] == s}}
              for s in ["all", *doc["slices"]]]
    return _ENV.get_template("sections/fairness.html.j2").render(
        r=doc, fairness=view, tables=tables, conditions=conditions)


def test_fairness_section_shows_intervals_figures_findings_and_the_correction():
    frame = predictions(n_speakers=12, clips_per_speaker=18)
    doc = result(frame, "gender,gender*dataset")
    view = fairness_view(doc)
    gender = next(s for s in view["slices"] if s["name"] == "gender")
    assert gender["forest"]["svg"].startswith("<svg") and "Forest plot" in gender["forest"]["alt"]
    assert gender["confusion"]["svg"].count("<svg") == 1 and "female" in gender["confusion"]["alt"]
    first = gender["tables"]["overall"]["rows"][0]["cells"][0]
    assert first["lo"] <= first["value"] <= first["hi"]
    html = _render(doc, view)
    assert "Holm (family-wise error rate)" in html
    assert re.search(r"\[\d+\.\d, \d+\.\d\]", html)          # intervals next to values
    assert doc["findings"][0]["text"].split(" (")[0] in html.replace("&#39;", "'")
    assert html.count("<svg") == 1 + 2 * 2  # confusion for all; forest + confusion per slice
    assert not re.search(r"\bnan\b", html, re.IGNORECASE)
    assert "†" in html                                        # small intersection cells are marked


def test_older_results_without_statistics_still_render():
    doc = result(predictions(n_speakers=6, clips_per_speaker=12), "gender")
    for key in ("disparities", "findings", "tests", "confusion"):
        doc.pop(key)
    for row in doc["metrics"]["groups"]:
        row.pop("ci")
    html = _render(doc)
    assert "Fairness results" in html and "<svg" not in html
