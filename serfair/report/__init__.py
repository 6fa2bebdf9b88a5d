"""Renderers: every output is written from the result document alone."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from serfair.errors import SerfairError
from serfair.report.json_out import _clean
from serfair.safepath import safe_join

# format -> (file name, "module:function"); a renderer's module (matplotlib, jinja2 for html) is
# imported only when that format is written.
RENDERERS = {"json": ("result.json", "serfair.report.json_out:write_json"),
             "html": ("report.html", "serfair.report.html:write_html"),
             "md": ("summary.md", "serfair.report.markdown:write_markdown"),
             "junit": ("junit.xml", "serfair.report.junit:write_junit")}


def renderer(fmt: str):
    """The write function of one format."""
    module, name = RENDERERS[fmt][1].split(":")
    return getattr(import_module(module), name)


def write_outputs(result: dict, out_dir: Path, formats: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Write each format's file into out_dir; returns {format: path}."""
    result = _clean(result)
    files = {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt in formats or tuple(RENDERERS):
            files[fmt] = renderer(fmt)(result, safe_join(out_dir, RENDERERS[fmt][0]))
    except OSError as exc:  # a folder the user named that cannot be written: bad input, not a bug
        raise SerfairError(f"cannot write the outputs into {out_dir} ({exc.strerror or exc}); "
                           f"choose a folder you can write (--out)") from exc
    return files
