"""The terminal summary prints group names literally (they are data, not rich markup)."""

from __future__ import annotations

from rich.console import Console

import serfair.cli as cli
from report_fixtures import cached_result


def test_summary_survives_markup_in_group_names(monkeypatch):
    result = cached_result(hostile=True)
    for row in result["metrics"]["groups"]:
        if row["slice"] != "all":
            row["group"] = "[/][bold]" + row["group"]
    console = Console(record=True, width=200)
    monkeypatch.setattr(cli, "console", console)
    cli.print_summary(result)
    text = console.export_text()
    assert "[/][bold]" in text and "UAR (%)" in text
