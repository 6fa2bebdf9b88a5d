"""Data shown as text: control characters made visible, so a value from a manifest, a model or a
path can neither drive the terminal nor break an XML or Markdown file."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and Unicode bidi overrides / isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ALL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, keep_newlines: bool = True) -> str:
    """`text` with control characters written as `\\x1b`, `\\u202e`...; tab and (unless
    keep_newlines is false) newline are kept."""
    pattern = _CONTROL if keep_newlines else _CONTROL_ALL
    return pattern.sub(_visible, "" if text is None else str(text))


def xml_safe(text: object) -> str:
    """Text that XML 1.0 can hold: controls made visible, newlines and tabs kept, lone surrogates
    and the non-characters U+FFFE/U+FFFF replaced."""
    text = printable(text)
    return re.sub("[\ud800-\udfff\ufffe\uffff]", "\ufffd", text)
