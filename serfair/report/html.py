"""report.html: one self-contained page (no external URLs, plots inline as SVG)."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from serfair.report.context import report_context
from serfair.report.view_cache import cached_views

_ENV = Environment(loader=PackageLoader("serfair.report", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
_ENV.filters["pct"] = lambda v: "–" if v is None else f"{100 * float(v):.1f}"
_ENV.filters["num"] = lambda v, d=3: "–" if v is None else f"{float(v):.{d}f}"
_BREAK_AFTER = re.compile(r"([@:*=_/,])")


def breakable(text: object) -> Markup:
    """Escaped text that may wrap after @ : * = _ / , (long condition and slice names), so tables
    fit the page instead of scrolling sideways."""
    return Markup(_BREAK_AFTER.sub(r"\1<wbr>", str(escape(text))))


_ENV.filters["breakable"] = breakable


DRAWING_MODULES = ("serfair.report.html", "serfair.report.fairness_figures",
                   "serfair.report.robustness_figures", "serfair.report.probe_views",
                   "serfair.report.plots")


def figure_views(result: dict) -> dict:
    """The robustness, fairness and probe views (figures drawn by matplotlib, as inline SVG)."""
    from serfair.report.fairness_figures import fairness_view  # matplotlib: only when drawing
    from serfair.report.probe_views import probes_view
    from serfair.report.robustness_figures import robustness_view

    robustness = robustness_view(result)  # its SVG is already Markup
    fairness = fairness_view(result)
    for part in fairness["slices"]:  # SVG produced by matplotlib, not from user data
        for key in ("forest", "confusion"):
            if part[key]:
                part[key]["svg"] = Markup(part[key]["svg"])
    return {"robustness": robustness, "fairness": fairness, "probes": probes_view(result)}


def render_html(result: dict, cache: Path | None = None) -> str:
    """Render the result document as HTML (figures cached in `cache`/.serfair when given)."""
    views = cached_views(result, cache, figure_views, DRAWING_MODULES)
    robustness, fairness = views["robustness"], views["fairness"]
    rows = result["metrics"]["groups"]
    conditions = [c["name"] for c in result["conditions"]]
    tables = []
    for slice_name in ["all", *result["slices"]]:
        by_group: dict[str, dict] = {}
        for r in rows:
            if r["slice"] == slice_name:
                by_group.setdefault(r["group"], {})[r["condition"]] = r
        # few groups: a row per condition (any number of them), a column per group
        tables.append({"slice": slice_name, "groups": by_group,
                       "by_condition": len(by_group) <= len(conditions)})
    return _ENV.get_template("report.html.j2").render(
        r=result, robustness=robustness, fairness=fairness, tables=tables, conditions=conditions,
        probes=views["probes"],
        metric_names=result["metrics"]["names"],
        overall={r["condition"]: r for r in rows if r["slice"] == "all"},
        **report_context(result),
    )


def write_html(result: dict, path: Path) -> Path:
    """Write report.html (its figures cached beside it, see view_cache.py)."""
    path.write_text(render_html(result, cache=path.parent), encoding="utf-8")
    return path
