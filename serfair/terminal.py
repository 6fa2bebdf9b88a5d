"""Terminal output: data is printed as plain text, never parsed as rich markup.

Paths, group names, messages and anything else that comes from data go through `plain` (for
markup strings such as table cells) or are printed as `Text` objects; control characters are
made visible first (serfair.text.printable).
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from serfair.text import printable


def plain(value: object) -> str:
    """A value to put inside a rich markup string: controls visible, brackets escaped."""
    return escape(printable(value))


def line(*parts: str | tuple[str, str]) -> Text:
    """A line of plain text; (text, style) pairs are styled. Nothing in it is parsed as markup."""
    return Text.assemble(*[(printable(p[0]), p[1]) if isinstance(p, tuple) else printable(p)
                           for p in parts])


def wrote(console: Console, path: object, what: str = "wrote") -> None:
    """`wrote <path>`, the path in bold and printed exactly."""
    console.print(line(f"{what} ", (str(path), "bold")), soft_wrap=True)


def error(console: Console, message: object, label: str = "error:", style: str = "bold red") -> None:
    """`error: <message>` with the message printed exactly as it is."""
    console.print(line((label, style), " ", str(message)), soft_wrap=True, highlight=False)


def write_crash_log(exc: BaseException, folder: str | os.PathLike | None) -> Path:
    """Write the traceback to serfair-error-<time>-<pid>.log in `folder` (the run folder), or in a
    temporary folder when that one is missing or not writable; return the log's path."""
    text = "".join(traceback.format_exception(exc))
    name = f"serfair-error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    candidates = [Path(folder)] if folder else []
    candidates.append(Path(tempfile.gettempdir()) / "serfair-errors")
    for candidate in candidates:
        try:
            if candidate == candidates[-1]:
                candidate.mkdir(parents=True, exist_ok=True)
            if not candidate.is_dir():
                continue
            path = candidate / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    fd, fallback = tempfile.mkstemp(prefix="serfair-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(fallback)
