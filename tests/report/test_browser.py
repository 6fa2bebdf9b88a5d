"""report.html in a real browser: headless Chromium (/usr/bin/chromium) driven by Playwright.

No console errors, no network requests, every section present and visible, metadata shown as text
(no script runs), and it prints to PDF. Screenshots and the PDF are kept in tests/_artifacts/.
Never run `playwright install`: the system Chromium is used (.ci/run installs it in CI).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixtures import XSS, cached_result

from serfair.gate import evaluate
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
    # nothing is wider than the page's main column except wide result tables, which may scroll
    assert page.evaluate("document.querySelector('#summary').scrollWidth <= 1200")

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
