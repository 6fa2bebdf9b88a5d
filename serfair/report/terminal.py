"""The terminal summary: UAR (%) per group and condition as rich tables that fit the terminal.

Few conditions: a row per group, a column per condition; many: a row per condition (clean and each
family's harshest), a column per group. Either way, columns that do not fit the width go into a
further table with the same row labels, so no name is cut short. Names are data: shown as text,
never read as rich markup, control characters made visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from serfair.report.robustness_figures import short_label, summary_conditions
from serfair.text import printable

FEW_CONDITIONS = 6  # up to this many conditions, conditions are the columns
BORDER = 3  # a column's share of the box: a rule and a space either side


@dataclass(frozen=True)
class Layout:
    """One orientation of the summary: row labels, value columns and their cells."""

    title: str
    row_headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    columns: list[str]
    cells: list[list[str]]  # cells[row][column]
    right: tuple[bool, ...] = ()  # row label columns aligned right


def _uar(row: dict | None) -> str:
    return "–" if row is None or row.get("uar") is None else f"{100 * row['uar']:.1f}"


def by_group(result: dict, conditions: list[str]) -> Layout:
    """A row per group (slice, group, speakers), a column per condition."""
    cells = {(r["slice"], r["group"], r["condition"]): r for r in result["metrics"]["groups"]}
    groups = list(dict.fromkeys((r["slice"], r["group"]) for r in result["metrics"]["groups"]))
    rows = [(s, g, str(cells.get((s, g, conditions[0]), {}).get("n_speakers", "–"))) for s, g in groups]
    return Layout(f"UAR (%) by group and condition: {result['name']}", ("slice", "group", "speakers"),
                  rows, [short_label(result, c) for c in conditions],
                  [[_uar(cells.get((s, g, c))) for c in conditions] for s, g in groups],
                  right=(False, False, True))


def by_condition(result: dict, conditions: list[str]) -> Layout:
    """A row per condition, a column per group (with its speakers)."""
    cells = {(r["slice"], r["group"], r["condition"]): r for r in result["metrics"]["groups"]}
    groups = list(dict.fromkeys((r["slice"], r["group"]) for r in result["metrics"]["groups"]))
    columns = [f"{g} ({cells.get((s, g, conditions[0]), {}).get('n_speakers', '–')})"
               for s, g in groups]
    note = " (each family at its harshest; report.html has every severity)" \
        if len(conditions) < len(result["conditions"]) else ""
    return Layout(f"UAR (%) by condition and group: {result['name']}{note}", ("condition",),
                  [(short_label(result, c),) for c in conditions], columns,
                  [[_uar(cells.get((s, g, c))) for s, g in groups] for c in conditions])


def _natural(texts: list[str], wrap: bool) -> int:
    """The width a column needs: its longest cell, or with wrapping its longest word."""
    parts = [w for t in texts for w in (t.split() if wrap else [t])] or [""]
    return max(len(p) for p in parts)


def label_widths(layout: Layout) -> list[int]:
    """The row label columns' widths: their longest text (never wrapped)."""
    return [_natural([h, *[r[i] for r in layout.rows]], False) for i, h in enumerate(layout.row_headers)]


def column_widths(layout: Layout, j: int) -> tuple[int, int]:
    """A value column's (narrowest, natural) width: header wrapped at spaces, or on one line."""
    cells = _natural([row[j] for row in layout.cells], False)
    header = layout.columns[j]
    return max(_natural([header], True), cells), max(len(header), cells)


def chunks(layout: Layout, width: int) -> list[list[int]]:
    """Value columns split into groups that each fit `width` beside the row labels."""
    fixed = sum(w + BORDER for w in label_widths(layout)) + 1
    out: list[list[int]] = [[]]
    used = fixed
    for j in range(len(layout.columns)):
        need = column_widths(layout, j)[0] + BORDER
        if out[-1] and used + need > width:
            out.append([])
            used = fixed
        out[-1].append(j)
        used += need
    return out


def tables(layout: Layout, width: int) -> list[Table]:
    """The layout as tables no wider than `width` (row labels repeated in each); headers wrap
    at spaces only when their table would not fit otherwise."""
    found = []
    labels = label_widths(layout)
    fixed = sum(w + BORDER for w in labels) + 1
    parts = chunks(layout, width)
    for n, part in enumerate(parts):
        widths = {j: column_widths(layout, j) for j in part}
        natural = fixed + sum(full + BORDER for _, full in widths.values()) <= width
        title = layout.title if n == 0 else f"{layout.title} (continued, {n + 1} of {len(parts)})"
        table = Table(title=Text(printable(title)), title_justify="left")
        for i, header in enumerate(layout.row_headers):
            right = bool(layout.right) and layout.right[i]
            table.add_column(Text(printable(header)), justify="right" if right else "left", width=labels[i],
                             no_wrap=True)
        for j in part:
            table.add_column(Text(printable(layout.columns[j])), justify="right", overflow="fold",
                             width=widths[j][1] if natural else widths[j][0])
        for row, values in zip(layout.rows, layout.cells):
            table.add_row(*[Text(printable(v)) for v in row], *[Text(printable(values[j])) for j in part])
        found.append(table)
    return found


def summary_tables(result: dict, width: int = 80) -> list[Table]:
    """The summary in the orientation that needs fewer tables at this width (ties: conditions as
    columns when they are few)."""
    conditions = summary_conditions(result, FEW_CONDITIONS)
    layouts = [by_group(result, conditions), by_condition(result, conditions)]
    if len(conditions) > FEW_CONDITIONS:
        layouts.reverse()
    return min((tables(layout, width) for layout in layouts), key=len)
