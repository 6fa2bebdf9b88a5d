"""summary.md: a short Markdown summary for a GitHub step summary or a pull-request comment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from serfair.report.digest import STATUS_WORDS, digest, metric_label, small_cells
from serfair.text import printable

ICONS = {"pass": "✅", "warn": "⚠️", "fail": "❌", "skipped": "⏭️"}
MAX_CHARS = 60_000  # a GitHub comment holds 65,536 characters
MAX_WARNINGS = 10
# What can start emphasis, code, a link or image, a table cell or strikethrough inside a line.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text) -> str:
    """Escape text from metadata so it shows literally inside a Markdown line or table cell
    (GitHub strips most HTML; tags are escaped anyway)."""
    text = printable(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def pct(value) -> str:
    return "–" if value is None else f"{100 * float(value):.1f}"


def _ci(ci) -> str:
    return "" if not ci or None in ci else f" [{pct(ci[0])}, {pct(ci[1])}]"


def _value(row: dict, metric: str) -> str:
    """A group's value with its interval, or, for a small cell, its speaker range (labelled)."""
    text = pct(row.get(metric))
    ci = (row.get("ci") or {}).get(metric)
    if ci and None not in ci:
        return text + _ci(ci)
    spread = (row.get("range") or {}).get(metric)
    if spread and None not in spread:
        return text + f" (range {pct(spread[0])}–{pct(spread[1])})"
    return text


MAX_FINDINGS = 8


def _primary_lines(result: dict) -> list[str]:
    """The primary (confirmatory) comparisons: decision, interval, minimum detectable gap."""
    primary = (result.get("tests") or {}).get("primary") or {}
    comparisons = primary.get("comparisons") or []
    if not comparisons:
        return []
    lines = [
        f"### Primary comparisons: {len(comparisons)}, corrected by "
        f"{md(primary.get('correction_name') or primary.get('correction'))} within them",
        "",
    ]
    for c in comparisons:
        where = f"{md(metric_label(c['metric']))} gap by {md(c['slice'])} under {md(c['condition'])}"
        if c["significant"] is None:
            why = "; ".join(c.get("untested_because") or []) or "no interval"
            lines.append(f"- {where}: {pct(c['value'])} points, **not decided** ({md(why)}).")
            continue
        verdict = "**significant**" if c["significant"] else "not significant"
        lines.append(
            f"- {where}: {pct(c['value'])} points{_ci(c['ci'])}, {verdict} "
            f"({md(c['worst_group'])} below {md(c['best_group'])}). {md(c.get('detectable') or '')}"
            + (" **Too few speakers to support “no gap found”.**"
               if c.get("supports_no_gap") is False else "")
        )
    return lines


def _finding_lines(result: dict, report_name: str) -> list[str]:
    findings = result.get("findings") or []
    if not findings:
        return []
    lines = ["", "### Findings (primary first; exploratory ones are labelled)", ""]
    for f in findings[:MAX_FINDINGS]:
        family = f.get("family")
        tag = f"{f['level']}" + (f", {family}" if family else "")
        lines.append(f"- **{tag}**: {md(f['text'])}")
    if len(findings) > MAX_FINDINGS:
        lines.append(f"- … and {len(findings) - MAX_FINDINGS} more in {report_name}")
    return lines


def _verdict_lines(verdict: dict | None) -> list[str]:
    if not verdict:
        return [
            "No policy was applied: these are measurements, not a pass/fail decision "
            "(`serfair gate result.json --policy P`)."
        ]
    counts = verdict.get("counts", {})
    policy = verdict.get("policy") or {}
    lines = [
        f"### Gate: policy `{md(policy.get('name') or policy.get('path') or 'policy')}` — "
        f"{counts.get('pass', 0)} passed, {counts.get('fail', 0)} failed, "
        f"{counts.get('warn', 0)} warned, {counts.get('skipped', 0)} skipped",
        "",
        *([f"**No rule was evaluated** (every rule skipped): the gate checked nothing"
           f"{' (the policy allows this)' if policy.get('allow_empty') else ''}.", ""]
          if verdict.get("empty") else []),
        "| | rule | severity | result |",
        "|---|---|---|---|",
    ]
    order = {"fail": 0, "warn": 1, "skipped": 2, "pass": 3}
    for rule in sorted(verdict["rules"], key=lambda r: order.get(r["status"], 4)):
        lines.append(
            f"| {ICONS.get(rule['status'], '')} {rule['status']} | `{md(rule['id'])}` | "
            f"{rule['severity']} | {md(rule['message'])} |"
        )
    return lines


def _deployment_lines(dep: dict | None) -> list[str]:
    """The model's footprint in one line (size, single-clip latency, peak memory)."""
    if not dep or dep.get("error") or dep.get("latency_p95_ms") is None:
        return []
    size = "" if dep.get("model_size_mb") is None else f"{dep['model_size_mb']:.2f} MB, "
    memory = ("" if dep.get("peak_memory_mb") is None
              else f", peak inference memory {dep['peak_memory_mb']:.0f} MB")
    return ["", f"Deployment: {size}single-clip latency p50 {dep['latency_p50_ms']:.1f} ms / "
                f"p95 {dep['latency_p95_ms']:.1f} ms ({dep.get('threads', 1)} thread, "
                f"{md(str(dep.get('cpu', 'this CPU')))}){memory}."]


def _group_table(result: dict, metric: str) -> list[str]:
    conditions = [c["name"] for c in result["conditions"]]
    small = small_cells(result)
    cells: dict[tuple[str, str], dict] = {}
    for row in result["metrics"]["groups"]:
        cells.setdefault((row["slice"], row["group"]), {})[row["condition"]] = row
    lines = [
        f"### {metric_label(metric)} (%) by group and condition",
        "",
        "| slice | group | speakers | " + " | ".join(md(c) for c in conditions) + " |",
        "|---|---|---:|" + "---:|" * len(conditions),
    ]
    for (slice_name, group), per in cells.items():
        first = next(iter(per.values()))
        mark = " †" if (slice_name, group) in small else ""
        values = [_value(per[c], metric) if c in per else "–" for c in conditions]
        lines.append(
            f"| {md(slice_name)} | {md(group)}{mark} | {first['n_speakers']} | "
            + " | ".join(values)
            + " |"
        )
    if small:
        lines += ["", "† too few speakers or clips to judge: reported, never gated. A group with "
                  "fewer speakers than the minimum shows the range of its single speakers' "
                  "values, not a confidence interval."]
    return lines


def _probe_lines(result: dict) -> list[str]:
    """Counterfactual probes: flip rates under the swap and the control, findings, voice check."""
    lines: list[str] = []
    for name, p in (result.get("probes") or {}).items():
        lines += ["", f"### Probe {md(name.replace('_', ' '))}: flip rate (%) under the swap vs the resynthesis "
                  f"control (exploratory)", "",
                  "| group | made to sound | clips | speakers | swap | control | excess |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for g in p.get("groups", []):
            lines.append(f"| {md(g['group'])} | {md(g['target'])} | {g['n_clips']} | "
                         f"{g['n_speakers']} | {pct(g['flip_rate'])}{_ci(g['flip_ci'])} | "
                         f"{pct(g['control_flip_rate'])}{_ci(g['control_ci'])} | "
                         f"{pct(g['excess'])}{_ci(g['excess_ci'])} |")
        lines += [""] + [f"- {md(f['text'])}" for f in p.get("findings", [])]
        lines += [f"- {md(m['text'])}" for m in p.get("moves", [])]
        check = p.get("check")
        if check:
            lines += ["", "| group | measure | original | swapped | target group |", "|---|---|---:|---:|---:|"]
            for g in check["groups"]:
                for m, label in check["measures"].items():
                    values = [g["clean"][m], g["swap"][m], g["target_values"][m]]
                    lines.append(f"| {md(g['group'])} → {md(g['target'])} | {md(label)} | "
                                 + " | ".join("–" if v is None else f"{v:.0f}" for v in values) + " |")
    return lines


def _sanity_lines(sanity: dict | None) -> list[str]:
    """Flagged clips per condition and flag (all speakers), and how many were excluded."""
    if not sanity or not sanity.get("n_clips_flagged"):
        return []
    action = "excluded from every condition" if sanity["settings"].get("exclude") else "excluded"
    lines = ["", f"### Audio sanity: {sanity['n_clips_flagged']} of {sanity['n_clips_checked']} "
                 f"clip(s) flagged, {sanity['n_clips_excluded']} {action}", "",
             "| condition | flag | clips | excluded |", "|---|---|---|---|"]
    for row in sanity["counts"]:
        if row["slice"] == "all":
            lines.append(f"| {md(row['condition'])} | {md(row['flag'])} | {row['clips']} | "
                         f"{row['excluded']} |")
    return lines


def render_markdown(result: dict, *, report_name: str = "report.html") -> str:
    """The Markdown summary of a result."""
    d = digest(result)
    verdict = d["verdict"]
    status = verdict["status"] if verdict else None
    title = f"## serfair audit: {md(result['name'])}"
    if status and verdict.get("empty") and not (verdict.get("policy") or {}).get("allow_empty"):
        title += f" — {ICONS['skipped']} NO RULE EVALUATED"
    elif status:
        title += f" — {ICONS[status]} {STATUS_WORDS[status]}"
    model = result["provenance"].get("model", {})
    sha = (model.get("sha256") or "")[:12]
    data = result["data"]
    lines = [
        title,
        "",
        f"Model `{md(model.get('name') or model.get('path') or 'model')}`"
        + (f" (sha256 `{sha}…`)" if sha else "")
        + f", {data['n_clips_scored']} clips from {data['n_speakers']} speakers, "
        f"{len(result['conditions'])} condition(s).",
    ]
    lines += _deployment_lines(result.get("deployment"))
    leakage = result.get("leakage")
    if leakage:
        lines += ["", ("✅ " if leakage["speaker_independent"] else "⛔ **") + md(leakage["message"])
                  + ("" if leakage["speaker_independent"] else "**")]
    if d["overall"] is not None:
        lines += [
            "",
            f"**{d['metric_label']} on {md(d['clean'])} speech: "
            f"{pct(d['overall'].get(d['metric']))} %**"
            + (
                f" (95 % CI {pct(d['overall_ci'][0])}–{pct(d['overall_ci'][1])})"
                if d["overall_ci"]
                else ""
            )
            + f"; chance {pct(d['chance'])} %.",
        ]
    if d["largest_gap"]:
        g = d["largest_gap"]
        lines.append(
            f"Largest gap on {md(d['clean'])} speech: {md(g['slice'])}, "
            f"{pct(g['value'])} points{_ci(g['ci'])} "
            f"({md(g['worst_group'])} below {md(g['best_group'])})."
        )
    if d["worst_drop"]:
        w = d["worst_drop"]
        text = f"Largest drop: {md(w['condition'])} costs {pct(w['drop'])} points overall"
        if w["worst"]:
            text += (
                f", {pct(w['worst']['drop'])} for {md(w['worst']['slice'])} = "
                f"{md(w['worst']['group'])}"
            )
        lines.append(text + ".")
    primary = _primary_lines(result)
    if primary:
        lines += [""] + primary
    lines += [""] + _verdict_lines(verdict)
    lines += _finding_lines(result, report_name)
    lines += [""] + _group_table(result, d["metric"])
    lines += _probe_lines(result)
    lines += _sanity_lines(result.get("sanity"))
    warnings = result.get("warnings", [])
    if warnings:
        lines += ["", f"### Warnings ({len(warnings)})", ""]
        lines += [f"- {md(w['message'])}" for w in warnings[:MAX_WARNINGS]]
        if len(warnings) > MAX_WARNINGS:
            lines.append(f"- … and {len(warnings) - MAX_WARNINGS} more in {report_name}")
    lines += [
        "",
        f"<sub>serfair {md(result['provenance'].get('serfair_version'))} · result schema "
        f"{md(result['schema_version'])} · {md(result['provenance'].get('created'))} · "
        f"full report: {report_name}</sub>",
        "",
    ]
    text = "\n".join(lines)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + f"\n\n… truncated; see {report_name}\n"
    return text


def write_markdown(result: dict, path: Path) -> Path:
    """Write summary.md."""
    path.write_text(render_markdown(result), encoding="utf-8")
    return path


def append_step_summary(text: str, env: Mapping[str, str] | None = None) -> Path | None:
    """Append to $GITHUB_STEP_SUMMARY when it is set (GitHub Actions); returns the file or None."""
    target = (os.environ if env is None else env).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
    return path
