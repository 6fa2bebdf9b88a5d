"""The model card in report.html: rendered escaped, from the result document alone."""

from __future__ import annotations

from serfair.report.model_card import card_html


def test_rendering_escapes_html_drops_images_and_shifts_headings():
    html = card_html(
        "# Card\n\n<script>alert(1)</script>\n\n![x](https://example.org/x.png)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[js](javascript:alert(1))\n"
    )
    assert "<h3>Card</h3>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    assert "<table>" in html
    assert 'href="javascript:' not in html
