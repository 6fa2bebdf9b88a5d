"""Renderers: every output is written from the result document alone."""

from __future__ import annotations

from pathlib import Path

from serfair.errors import SerfairError
from serfair.report.html import write_html
from serfair.report.json_out import _clean, write_json
from serfair.report.junit import write_junit
from serfair.report.markdown import write_markdown
from serfair.safepath import safe_join

RENDERERS = {"json": ("result.json", write_json), "html": ("report.html", write_html),
             "md": ("summary.md", write_markdown), "junit": ("junit.xml", write_junit)}


def write_outputs(result: dict, out_dir: Path, formats: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Write each format's file into out_dir; returns {format: path}."""
    result = _clean(result)
    files = {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt in formats or tuple(RENDERERS):
            filename, write = RENDERERS[fmt]
            files[fmt] = write(result, safe_join(out_dir, filename))
    except OSError as exc:  # a folder the user named that cannot be written: bad input, not a bug
        raise SerfairError(f"cannot write the outputs into {out_dir} ({exc.strerror or exc}); "
                           f"choose a folder you can write (--out)") from exc
    return files
