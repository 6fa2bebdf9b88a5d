"""The model card: found and read once at audit time, then stored in the result document.

Where it comes from, first match wins: the spec's `model_card` path; the model sidecar's
`model_card` key (relative to the sidecar); `<model>.card.md` next to the model file (the
reference models ship theirs that way). `serfair.report.model_card` renders the stored text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from serfair.errors import SpecError
from serfair.models.sidecar import read_sidecar

MAX_CHARS = 200_000


def find_model_card(
    model_path: str | Path | None, explicit: str | Path | None = None
) -> Path | None:
    """The card file for a model, or None."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise SpecError(
                f"model_card {path} does not exist; give the path of the model card "
                f"(Markdown) relative to the audit spec"
            )
        return path
    if not model_path or "://" in str(model_path):
        return None
    model_path = Path(model_path)
    if not model_path.is_file():
        return None
    sidecar = read_sidecar(model_path)
    if sidecar.get("model_card"):
        path = model_path.parent / str(sidecar["model_card"])
        if not path.is_file():
            raise SpecError(
                f"the sidecar of {model_path.name} names model_card {path}, which does not exist"
            )
        return path
    for candidate in (model_path.with_suffix(".card.md"), Path(f"{model_path}.card.md")):
        if candidate.is_file():
            return candidate
    return None


def load_model_card(
    model_path: str | Path | None, explicit: str | Path | None = None
) -> dict | None:
    """{path, sha256, markdown} for the result document, or None when there is no card."""
    path = find_model_card(model_path, explicit)
    if path is None:
        return None
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS] + "\n\n*(model card truncated)*\n"
    return {"path": str(path), "sha256": hashlib.sha256(raw).hexdigest(), "markdown": text}
