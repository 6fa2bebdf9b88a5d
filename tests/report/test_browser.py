"""report.html in a real browser: headless Chromium (/usr/bin/chromium) driven by Playwright.

No console errors, no network requests, every section present and visible, metadata shown as text
(no script runs), and it prints to PDF. Screenshots and the PDF are kept in tests/_artifacts/.
Never run `playwright install`: the system Chromium is used (.ci/run installs it in CI).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixtures import XSS, cached_result, make_result

from serfair.gate import evaluate
from serfair.perturb import parse_conditions
from serfair.policy import parse_policy
from serfair.report import write_outputs
from serfair.report.context import SECTIONS

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def open_report(browser, path: Path):
    """Load a report, recording console errors, page errors, requests and dialogs."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))

    def dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page, seen


def gated_result() -> dict:
    result = cached_result()
    result["verdict"] = evaluate(
        parse_policy(
            {
                "name": "ci-gate",
                "rules": [
                    {"id": "overall-uar", "slice": "all", "bound": "lower", "min": 0.3},
                    {
                        "id": "gender-gap-upper",
                        "check": "gap",
                        "slice": "gender",
                        "bound": "upper",
                        "max": 0.05,
                    },
                    {"id": "emodb-floor", "slice": "dataset", "groups": "emodb", "min": 0.5},
                    {
                        "id": "noise-drop",
                        "check": "drop",
                        "condition": "noise@snr=10",
                        "max": 0.15,
                        "severity": "warn",
                    },
                ],
            }
        ),
        result,
    )
    return result


def test_report_in_chromium(browser, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    report = write_outputs(gated_result(), tmp_path, ("html",))["html"]
    page, seen = open_report(browser, report)

    assert seen["errors"] == []
    assert seen["requests"] == [report.resolve().as_uri()]  # the page itself, nothing else
    for section_id, _title in SECTIONS:
        section = page.locator(f"section#{section_id}")
        assert section.count() == 1, section_id
        assert section.is_visible(), section_id
        heading = section.locator("h2").first
        assert heading.is_visible() and heading.inner_text().strip(), section_id
        assert section.bounding_box()["height"] > 40, section_id
    assert page.locator("main > section").first.get_attribute("id") == "summary"
    assert "FAIL" in page.locator("#summary .banner").first.inner_text()
    assert page.locator("#gate table tbody tr").count() == 4
    assert page.locator("#robustness svg").count() >= 1
    # nothing is wider than the page (test_wide_audits_fit_the_page_at_1100_px: wide audits too)
    assert page.evaluate("document.documentElement.scrollWidth <= 1200")

    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.locator("#summary").screenshot(path=str(ARTIFACTS / "report-summary.png"))
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 3
    page.close()


def test_metadata_shows_as_text_and_never_runs(browser, tmp_path):
    report = write_outputs(cached_result(hostile=True), tmp_path, ("html",))["html"]
    page, seen = open_report(browser, report)
    assert seen["dialogs"] == [] and seen["errors"] == []
    assert page.locator("script").count() == 0
    assert page.get_by_text(XSS, exact=False).first.is_visible()
    assert XSS in page.locator("h1").inner_text()  # the audit's name, shown literally
    assert XSS in page.locator("#scope").inner_text()
    page.close()


WIDE_CONDITIONS = ["clean", "noise@snr=20", "noise@snr=10", "noise@snr=0", "colour@snr=0",
                   "babble@snr=10", "pitch@semitones=-4", "pitch@semitones=4", "tempo@rate=0.8",
                   "tempo@rate=1.5", "reverb@rt60=0.6", "telephone", "codec@mp3_kbps=16",
                   "gain@db=-30", "clipping@percent=20"]


def test_wide_audits_fit_the_page_at_1100_px(browser, tmp_path):
    """Many conditions and an intersectional slicing: every table and figure fits the page on a
    1100 px screen (no sideways scroll)."""
    conditions = tuple(c.name for c in parse_conditions(WIDE_CONDITIONS))
    result = make_result(conditions=conditions, slices=("gender", "dataset", "gender*dataset"),
                         bootstrap=50, permutations=0)
    report = write_outputs(result, tmp_path, ("html",))["html"]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(report.resolve().as_uri(), wait_until="load")
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    sticking_out = page.evaluate("""(w) => [...document.querySelectorAll('main table, main figure')]
        .filter(e => e.getBoundingClientRect().right > w + 0.5)
        .map(e => (e.querySelector('caption, figcaption') || e).textContent.slice(0, 80))""", width)
    assert sticking_out == []
    page.close()
