"""The model card in report.html: the Markdown stored in the result, rendered escaped.

The audit reads the card (serfair.models.card) and stores it in result.json; the report reads only
that document.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

# Raw HTML in the card is shown as text; images are off (they would load from the network).
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").disable("image")


def card_html(markdown: str, *, shift_headings: int = 2) -> str:
    """The card as HTML (escaped: raw HTML shows as text), headings moved below the report's h2,
    each table captioned for screen readers."""
    tokens = _MD.parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + shift_headings)
            token.tag = f"h{level}"
    html = _MD.renderer.render(tokens, _MD.options, {})
    parts = html.split("<table>")
    return parts[0] + "".join(
        f'<table><caption class="sr-only">Model card, table {i}</caption>{part}'
        for i, part in enumerate(parts[1:], start=1)
    )
