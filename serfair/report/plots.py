"""Plots as inline SVG strings (matplotlib, Okabe-Ito colour-blind-safe palette)."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# text.parse_math off: group names come from metadata, and a `$` in one must not be read as TeX
plt.rcParams.update({"svg.hashsalt": "serfair", "font.size": 9, "text.parse_math": False})


def to_svg(fig) -> str:
    """Serialise a figure to an SVG string without the XML prolog, then close it."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    # Drop matplotlib's RDF <metadata> block: it names external vocabularies by URL.
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    return text[text.index("<svg"):]


def severity_curve(points: dict[str, list[tuple[float, float]]], *, xlabel: str, ylabel: str,
                   title: str, clean: dict[str, float] | None = None, reverse_x: bool = False,
                   chance: float | None = None) -> str:
    """One line per group: metric against a severity; clean drawn as a dashed level."""
    fig, ax = plt.subplots(figsize=(5.2, 3.2))
    for i, (group, xy) in enumerate(points.items()):
        xy = sorted(xy)
        colour = PALETTE[i % len(PALETTE)]
        ax.plot([x for x, _ in xy], [y for _, y in xy], marker=MARKERS[i % len(MARKERS)],
                color=colour, label=group)
        if clean and group in clean:
            ax.axhline(clean[group], color=colour, linestyle=":", linewidth=1)
    if chance is not None:
        ax.axhline(chance, color="#777777", linestyle="--", linewidth=0.8, label="chance")
    if reverse_x:
        ax.invert_xaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    return to_svg(fig)
