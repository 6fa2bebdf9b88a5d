"""report.html for a compliance reader: section order, accessibility, self-containment, escaping,
and tolerance of results without the later keys."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from report_fixtures import XSS, cached_result

from serfair.gate import evaluate
from serfair.policy import parse_policy
from serfair.report.context import SECTIONS
from serfair.report.html import render_html

OPTIONAL_KEYS = (
    "disparities",
    "tests",
    "findings",
    "confounding",
    "confusion",
    "robustness",
    "model_card",
    "verdict",
    "scope",
    "description",
)


class Outline(HTMLParser):
    """Collects what the accessibility checks need: headings, sections, tables, images, URLs."""

    def __init__(self):
        super().__init__()
        self.sections, self.headings, self.urls, self.scripts = [], [], [], 0
        self.tables = self.captions = self.svgs = self.labelled_figures = 0
        self._heading = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag, ""]
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self.svgs += tag == "svg"
        self.labelled_figures += tag == "figure" and bool(a.get("aria-label"))
        self.scripts += tag == "script"
        for key in ("src", "href", "xlink:href", "data"):
            if a.get(key):
                self.urls.append(a[key])

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append((tag, self._heading[1].strip()))
            self._heading = None


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_sections_in_reading_order_executive_verdict_first():
    page = outline(render_html(cached_result()))
    assert page.sections == [sid for sid, _ in SECTIONS]
    h2 = [text for tag, text in page.headings if tag == "h2"]
    assert h2[:3] == ["Executive verdict", "Scope and intended use", "EU AI Act screen"]
    assert h2[-1] == "Sign-off"
    assert [tag for tag, _ in page.headings].count("h1") == 1


def test_accessible_and_self_contained():
    html = render_html(cached_result())
    page = outline(html)
    assert page.tables and page.tables == page.captions  # every table has a caption
    assert page.svgs and page.labelled_figures  # figures are labelled for screen readers
    assert page.scripts == 0
    external = [u for u in page.urls if not u.startswith(("#", "data:"))]  # inline images are data:
    assert external == []
    assert "@media print" in html and "@page" in html
    assert '<html lang="en">' in html


def test_compliance_content():
    result = cached_result()
    result["verdict"] = evaluate(
        parse_policy(
            {
                "name": "strict",
                "rules": [
                    {
                        "id": "gender-gap",
                        "check": "gap",
                        "slice": "gender",
                        "bound": "upper",
                        "max": 0.05,
                    }
                ],
            }
        ),
        result,
    )
    html = render_html(result)
    summary = html[html.index('id="summary"') : html.index('id="scope"')]
    assert "FAIL" in summary and "gender-gap" in summary and "strict" in summary
    assert "Flag calls where the caller sounds angry" in html  # scope.intended_use
    assert "callers are customers, not workers" in html  # a screen answer's note
    assert html.count("unanswered") >= 2  # medical_or_safety, annex_iii_areas
    assert "Model card: simulated-model" in html
    assert "A. Reviewer" in html and "Data protection officer" in html
    assert "approve with conditions" in html
    methods = html[html.index('id="methods"') : html.index('id="fairness"')]
    assert "speaker-level cluster bootstrap" in methods and "Holm" in methods and "Seed" in methods


def test_everything_from_metadata_is_escaped():
    html = render_html(cached_result(hostile=True))
    assert XSS not in html and "<script" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html.count(escaped) >= 4  # group name, audit name, scope notes, model card ...
    assert outline(html).scripts == 0
    assert "$\\nosuch{$ [/] a|b *x*" in html  # TeX and markup in a group name: shown as text


@pytest.mark.parametrize(
    "drop", [OPTIONAL_KEYS, ("scope",), ("model_card",), ("disparities", "tests")]
)
def test_renders_results_without_the_optional_keys(drop):
    result = cached_result()
    for key in drop:
        result.pop(key, None)
    for r in result["metrics"]["groups"]:
        if "tests" in drop or drop == OPTIONAL_KEYS:
            r.pop("ci", None)
    html = render_html(result)
    assert outline(html).sections == [sid for sid, _ in SECTIONS]
    if "scope" in drop:
        assert html.count("not stated") == 9 and "7 of 7 screen question(s) unanswered" in html
    if "model_card" in drop:
        assert "No model card was supplied" in html
