"""The model card: found and read once at audit time, then stored in the result document.

Where it comes from, first match wins: the spec's `model_card` path; the model sidecar's
`model_card` key (relative to the sidecar); `<model>.card.md` next to the model file (the
reference models ship theirs that way). A card found through the sidecar or beside the model must
lie inside the model's folder once symlinks are resolved (the spec's is checked by serfair.spec):
a model file cannot copy `/etc/passwd` into a report. `serfair.report.model_card` renders the
stored text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from serfair.errors import SpecError
from serfair.models.sidecar import find_sidecar, read_sidecar
from serfair.paths import shown_path
from serfair.trust import TrustError

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
        return inside_model_folder(path, model_path, f"key 'model_card' of sidecar "
                                                     f"{find_sidecar(model_path)}")
    for candidate in (model_path.with_suffix(".card.md"), Path(f"{model_path}.card.md")):
        if candidate.is_file():
            return inside_model_folder(candidate, model_path, f"the model card {candidate.name}")
    return None


def inside_model_folder(path: Path, model_path: Path, named_by: str) -> Path:
    """`path` if it lies inside the model's folder (symlinks resolved), else TrustError."""
    folder = model_path.parent.resolve()
    target = path.resolve()
    if folder not in target.parents:
        raise TrustError(
            f"{named_by} points to {target}, outside the model's folder {folder}; a model's files "
            f"may only name files beside it. Put the card in the model's folder")
    return path


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
    return {"path": shown_path(path), "sha256": hashlib.sha256(raw).hexdigest(), "markdown": text}
