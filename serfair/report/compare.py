"""Compare audits of several models on the same data and conditions.

`compare(results)` builds a comparison document (comparison.json) from result documents alone:
the first model is the baseline, every other model is compared against it. The document is a list
of sections, each registered in `SECTIONS` as a function `(results, labels) -> section`; a section
holds its raw `records` (for machines) and display `tables` (caption, columns, rows of strings),
which the HTML and Markdown renderers lay out generically. To add a comparison (intervals,
policies ...), register a section; the renderers need no change.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from serfair.report.compare_base import (
    ALL,
    SECTIONS,
    Section,
    _delta,
    _mean,
    clean_name,
    compatibility,
    families_of,
    group_rows,
    model_labels,
    pct,
    perturbed,
    register,
    register_after,
    robustness_cells,
    signed,
)
from serfair.report.compare_changes import CHANGES
from serfair.report.json_out import _clean
from serfair.safepath import safe_join

SCHEMA_VERSION = "1.0"

# ----------------------------------------------------------------------------- sections

def summary_section(results: list[dict], labels: list[str]) -> dict:
    """Per model against the baseline: clean UAR change and the average robustness change."""
    base_cells, names = robustness_cells(results[0]), perturbed(results[0])
    records, sentences = [], []
    for label, result in zip(labels[1:], results[1:]):
        cells = robustness_cells(result)
        clean_a = base_cells.get((ALL, ALL, clean_name(results[0])), {}).get("uar")
        clean_b = cells.get((ALL, ALL, clean_name(result)), {}).get("uar")
        shared = [n for n in names if (ALL, ALL, n) in cells and (ALL, ALL, n) in base_cells]
        gains = {n: _delta(base_cells[(ALL, ALL, n)]["uar"], cells[(ALL, ALL, n)]["uar"])
                 for n in shared}
        kept = {n: g for n, g in gains.items() if g is not None}
        drop_a = _mean([base_cells[(ALL, ALL, n)]["drop"] for n in shared])
        drop_b = _mean([cells[(ALL, ALL, n)]["drop"] for n in shared])
        record = {"model": label, "baseline": labels[0], "clean_uar": [clean_a, clean_b],
                  "clean_delta": _delta(clean_a, clean_b), "n_conditions": len(shared),
                  "mean_perturbed_delta": _mean(list(kept.values())),
                  "mean_drop": [drop_a, drop_b], "robustness_bought": _delta(drop_b, drop_a),
                  "best": max(kept, key=kept.get) if kept else None,
                  "worst": min(kept, key=kept.get) if kept else None}
        record["best_delta"] = kept.get(record["best"])
        record["worst_delta"] = kept.get(record["worst"])
        records.append(record)
        sentences.append(summary_sentence(record))
    return {"records": records, "sentences": sentences, "tables": []}


def summary_sentence(r: dict) -> str:
    """What the model bought in robustness and what it cost on clean speech, in words."""
    a, b = r["clean_uar"]
    cost = r["clean_delta"]
    price = ("its cost on clean speech" if cost is not None and cost < 0
             else "no cost on clean speech")
    text = (f"{r['model']} against {r['baseline']}: clean-speech UAR {pct(a)} % -> {pct(b)} % "
            f"({signed(cost)} points, {price}).")
    if r["n_conditions"]:
        da, db = r["mean_drop"]
        bought = r["robustness_bought"]
        trend = ("shrinks" if bought and bought > 0 else "grows" if bought and bought < 0
                 else "stays")
        text += (f" Over {r['n_conditions']} perturbed conditions UAR differs by "
                 f"{signed(r['mean_perturbed_delta'])} points on average, and the average drop "
                 f"from clean {trend} from {pct(da)} to {pct(db)} points ({signed(bought)} points "
                 f"of robustness bought).")
        if r["best"]:
            text += (f" Largest change under {r['best']} ({signed(r['best_delta'])}), smallest "
                     f"under {r['worst']} ({signed(r['worst_delta'])}).")
    return text


def clean_section(results: list[dict], labels: list[str]) -> dict:
    """Clean UAR per slice and group for every model, and each model's change."""
    rows_of = [group_rows(r) for r in results]
    keys = [(r["slice"], r["group"]) for r in results[0]["metrics"]["groups"]
            if r["condition"] == clean_name(results[0])]
    records, table = [], []
    for s, g in keys:
        values = [rows.get((s, g, clean_name(r)), {}).get("uar") for rows, r in zip(rows_of, results)]
        cis = [((rows.get((s, g, clean_name(r)), {}).get("ci") or {}).get("uar"))
               for rows, r in zip(rows_of, results)]
        n = rows_of[0][(s, g, clean_name(results[0]))].get("n_speakers")
        deltas = [_delta(values[0], v) for v in values[1:]]
        records.append({"slice": s, "group": g, "n_speakers": n, "uar": values, "ci": cis,
                        "delta": deltas})
        table.append([s, g, str(n), *[pct(v) for v in values], *[signed(d) for d in deltas]])
    columns = ["slice", "group", "speakers", *[f"{m} UAR %" for m in labels],
               *[f"{m} − {labels[0]}" for m in labels[1:]]]
    return {"records": records, "tables": [{"caption": "Clean speech: UAR by group (%)",
                                            "columns": columns, "rows": table}]}


def conditions_section(results: list[dict], labels: list[str]) -> dict:
    """All clips per perturbed condition: UAR, drop from clean and flip rate for every model."""
    cells_of = [robustness_cells(r) for r in results]
    records, table = [], []
    for name in perturbed(results[0]):
        cells = [c.get((ALL, ALL, name), {}) for c in cells_of]
        uar = [c.get("uar") for c in cells]
        drop = [c.get("drop") for c in cells]
        flips = [c.get("flip_rate") for c in cells]
        bought = [_delta(d, drop[0]) for d in drop[1:]]
        records.append({"condition": name, "uar": uar, "drop": drop, "flip_rate": flips,
                        "delta_uar": [_delta(uar[0], u) for u in uar[1:]],
                        "robustness_bought": bought})
        table.append([name, *[pct(u) for u in uar], *[pct(d) for d in drop],
                      *[pct(f) for f in flips], *[signed(b) for b in bought]])
    columns = ["condition", *[f"{m} UAR" for m in labels], *[f"{m} drop" for m in labels],
               *[f"{m} flips" for m in labels],
               *[f"drop saved by {m}" for m in labels[1:]]]
    return {"records": records, "tables": [{
        "caption": "Robustness per condition, all clips (%; drop = clean UAR − UAR; flips = "
                   "predictions changed from the clean one; drop saved = baseline drop − model drop)",
        "columns": columns, "rows": table}]}


def groups_section(results: list[dict], labels: list[str]) -> dict:
    """Per group: clean UAR and mean drop over the perturbed conditions for every model."""
    cells_of = [robustness_cells(r) for r in results]
    names = perturbed(results[0])
    keys = list(dict.fromkeys((s, g) for s, g, _ in cells_of[0]))
    records, table = [], []
    for s, g in keys:
        drops = [_mean([c.get((s, g, n), {}).get("drop") for n in names]) for c in cells_of]
        bought = [_delta(d, drops[0]) for d in drops[1:]]
        records.append({"slice": s, "group": g, "mean_drop": drops, "robustness_bought": bought})
        table.append([s, g, *[pct(d) for d in drops], *[signed(b) for b in bought]])
    columns = ["slice", "group", *[f"{m} mean drop" for m in labels],
               *[f"drop saved by {m}" for m in labels[1:]]]
    return {"records": records, "tables": [{
        "caption": f"Mean UAR drop over the {len(names)} perturbed conditions, by group (points)",
        "columns": columns, "rows": table}]}


def families_section(results: list[dict], labels: list[str]) -> dict:
    """Per family: mean UAR over its conditions and the breaking point (all clips) per model."""
    cells_of = [robustness_cells(r) for r in results]
    breaks = [{b["family"]: b for b in (r.get("robustness") or {}).get("breaking_points", [])
               if b["slice"] == ALL} for r in results]
    records, table = [], []
    for ladder in families_of(results[0]):
        means = [_mean([c.get((ALL, ALL, n), {}).get("uar") for n in ladder["conditions"]])
                 for c in cells_of]
        points = [(b.get(ladder["family"]) or {}).get("condition") for b in breaks]
        records.append({"family": ladder["family"], "mean_uar": means, "breaking_point": points})
        table.append([ladder["family"], *[pct(m) for m in means],
                      *[signed(_delta(means[0], m)) for m in means[1:]],
                      *[p or "holds" for p in points]])
    columns = ["family", *[f"{m} mean UAR" for m in labels],
               *[f"{m} − {labels[0]}" for m in labels[1:]],
               *[f"{m} breaking point" for m in labels]]
    return {"records": records, "tables": [{
        "caption": "Per family: mean UAR over its severities (%) and the breaking point (the mildest "
                   "severity below the audit's share of clean UAR; holds = never)",
        "columns": columns, "rows": table}]}


register(Section("summary", "What changed", summary_section))
register(Section("clean", "Clean speech by group", clean_section))
register(Section("conditions", "Robustness per condition", conditions_section))
register(Section("groups", "Robustness by group", groups_section))
register(Section("families", "Robustness per family", families_section))

# What got better / worse with intervals: serfair/report/compare_changes.py
register_after(CHANGES, "summary")

# ----------------------------------------------------------------------------- document + renderers

def compare(results: list[dict], labels: list[str] | None = None) -> dict:
    """The comparison document; the first result is the baseline."""
    if len(results) < 2:
        from serfair.errors import SpecError
        raise SpecError("a comparison needs at least two results")
    labels = labels or model_labels(results)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "comparison",
        "baseline": labels[0],
        "models": [{"label": label, "audit": r["name"],
                    "model": (r.get("provenance", {}).get("model") or {}).get("path"),
                    "sha256": (r.get("provenance", {}).get("model") or {}).get("sha256")}
                   for label, r in zip(labels, results)],
        "warnings": compatibility(results, labels),
        "sections": [{"name": s.name, "title": s.title, **s.compute(results, labels)}
                     for s in SECTIONS.values()],
    }


_ENV = Environment(loader=PackageLoader("serfair.report", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def render_html(doc: dict) -> str:
    """A self-contained HTML page of the comparison."""
    return _ENV.get_template("compare.html.j2").render(doc=doc)


def render_markdown(doc: dict) -> str:
    """The comparison as Markdown (for a pull request or a terminal)."""
    from serfair.report.markdown import md  # escapes metadata (group names, labels) for Markdown

    names = ", ".join(md(m["label"]) for m in doc["models"])
    lines = [f"# Model comparison: {names}", "", f"Baseline: **{md(doc['baseline'])}**.", ""]
    lines += [f"> warning: {md(w)}" for w in doc["warnings"]] + ([""] if doc["warnings"] else [])
    for section in doc["sections"]:
        lines += [f"## {section['title']}", ""]
        lines += [f"- {md(s)}" for s in section.get("sentences", [])]
        if section.get("sentences"):
            lines.append("")
        for table in section["tables"]:
            lines += [f"**{md(table['caption'])}**", "",
                      "| " + " | ".join(md(c) for c in table["columns"]) + " |",
                      "|" + "|".join(["---"] * len(table["columns"])) + "|"]
            lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in table["rows"]]
            lines.append("")
    return "\n".join(lines)


def sentences(doc: dict) -> list[str]:
    """Every section's sentences (the comparison in words), in order."""
    return [text for section in doc["sections"] for text in section.get("sentences", [])]


def read_comparison(path: str | Path) -> dict:
    """Load a comparison.json."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_comparison(results: list[dict], out_dir: Path, labels: list[str] | None = None) -> dict[str, Path]:
    """Write comparison.json, comparison.html and comparison.md into out_dir."""
    doc = _clean(compare(results, labels))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {fmt: safe_join(out_dir, f"comparison.{fmt}") for fmt in ("json", "html", "md")}
    files["json"].write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    files["html"].write_text(render_html(doc), encoding="utf-8")
    files["md"].write_text(render_markdown(doc), encoding="utf-8")
    return files
