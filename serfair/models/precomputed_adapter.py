"""Precomputed predictions: audit a CSV or Parquet of (clip, condition, probabilities).

No model runs and no audio is decoded. Columns: `clip_id` (or `path`), optionally `condition`
(default `clean`), and one probability column per label, `p_<label>` (or named by --labels);
or a `prediction` column of hard labels, turned into one-hot rows. Clip ids match the manifest's
`clip_id` (the path without its suffix), or just the file name when that is unambiguous.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import numpy as np

from serfair.errors import ModelError
from serfair.models.base import AdapterKind, ModelSpec, file_sha256, register
from serfair.models.io import resolve_io

ID_COLUMNS = ("clip_id", "path")
HARD_COLUMNS = ("prediction", "y_pred", "predicted", "label_pred")

if TYPE_CHECKING:
    import pandas as pd


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or Parquet file as a DataFrame."""
    import pandas as pd  # slow to import: only when a predictions file is read

    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pd.read_parquet(path)
        return pd.read_csv(path, keep_default_na=False)
    except Exception as exc:
        raise ModelError(f"cannot read predictions file {path}: {exc}") from exc


def _stem_id(value: str) -> str:
    """A `path` cell as a clip id: without its suffix, and an absolute path without its leading
    `/` (as the manifest names clips outside its folder, serfair.data.clip_ids)."""
    text = str(value).replace("\\", "/")
    return (str(PurePosixPath(text).with_suffix("")) if "." in text else text).lstrip("/")


class PrecomputedAdapter:
    """Looks predictions up by (clip id, condition); never sees audio."""

    def __init__(self, spec: ModelSpec):
        self.path = Path(spec.source)
        if not self.path.is_file():
            raise ModelError(f"predictions file {self.path} does not exist")
        table = read_table(self.path)
        id_column = next((c for c in ID_COLUMNS if c in table.columns), None)
        if id_column is None:
            raise ModelError(f"{self.path.name} needs a clip_id (or path) column; it has "
                             f"{', '.join(map(str, table.columns))}")
        ids = table[id_column].astype(str)
        ids = ids.map(_stem_id) if id_column == "path" else ids
        conditions = (table["condition"].astype(str) if "condition" in table.columns
                      else table[id_column].map(lambda _: "clean"))
        matrix, labels = self._probabilities(table, spec)
        self.io = resolve_io(spec, f"predictions file {self.path.name}", native_labels=labels,
                             native_rate=16000)
        self.labels = self.io.labels
        self.sample_rate = self.io.sample_rate
        self.conditions = tuple(dict.fromkeys(conditions))
        self._rows = {(i, c): r for r, (i, c) in enumerate(zip(ids, conditions))}
        if len(self._rows) < len(table):
            raise ModelError(f"{self.path.name} has {len(table) - len(self._rows)} duplicated "
                             f"(clip_id, condition) rows; keep one row per clip and condition")
        names: dict[tuple[str, str], list[int]] = {}
        for (i, c), r in self._rows.items():
            names.setdefault((PurePosixPath(i).name, c), []).append(r)
        self._by_name = {k: v[0] for k, v in names.items() if len(v) == 1}
        self.matrix = matrix
        self._sha256 = file_sha256(self.path)

    def _probabilities(self, table: pd.DataFrame, spec: ModelSpec) -> tuple[np.ndarray, list[str]]:
        prob_columns = [c for c in table.columns if str(c).startswith("p_")]
        if prob_columns and spec.labels:  # --labels chooses and orders the p_<label> columns
            wanted = [f"p_{label}" for label in spec.labels]
            absent = [c for c in wanted if c not in table.columns]
            if absent:
                raise ModelError(f"{self.path.name} has no column(s) {', '.join(absent)}; its "
                                 f"probability columns are {', '.join(map(str, prob_columns))}")
            return table[wanted].to_numpy(dtype=np.float64), list(spec.labels)
        if prob_columns:
            return table[prob_columns].to_numpy(dtype=np.float64), [str(c)[2:] for c in prob_columns]
        if spec.labels and all(label in table.columns for label in spec.labels):
            return table[list(spec.labels)].to_numpy(dtype=np.float64), list(spec.labels)
        hard = next((c for c in HARD_COLUMNS if c in table.columns), None)
        if hard is not None:
            values = table[hard].astype(str)
            labels = list(spec.labels) if spec.labels else sorted(values.unique())
            unknown = sorted(set(values) - set(labels))
            if unknown:
                raise ModelError(f"{self.path.name}: predictions {', '.join(unknown)} are not among "
                                 f"--labels {', '.join(labels)}")
            onehot = np.zeros((len(table), len(labels)))
            onehot[np.arange(len(table)), [labels.index(v) for v in values]] = 1.0
            return onehot, labels
        raise ModelError(
            f"{self.path.name} has no probability columns: name them p_<label> (p_angry, p_happy, "
            f"...), or pass --labels naming the columns, or give a `prediction` column of labels"
        )

    def predict_ids(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Probabilities for (clip id, condition) pairs, in order."""
        rows, missing = [], []
        for clip_id, condition in pairs:
            row = self._rows.get((clip_id, condition))
            if row is None:
                row = self._by_name.get((PurePosixPath(clip_id).name, condition))
            if row is None:
                missing.append((clip_id, condition))
            rows.append(row)
        if missing:
            example = next(iter(self._rows))
            raise ModelError(
                f"{self.path.name} has no row for {len(missing)} of {len(pairs)} (clip, condition) "
                f"pairs, e.g. clip '{missing[0][0]}' under '{missing[0][1]}' (the file has e.g. "
                f"'{example[0]}' under '{example[1]}'; its conditions: {', '.join(self.conditions)}). "
                f"Audit only its conditions (--conditions) and clips whose ids match the manifest's"
            )
        return self.io.finish(self.matrix[rows], len(pairs))

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Not possible: a predictions file cannot run on new audio."""
        raise ModelError(f"{self.path.name} holds precomputed predictions; it cannot predict on "
                         f"audio (use predict_ids)")

    def describe(self) -> dict:
        """Provenance: the file, its hash, conditions, labels."""
        return {"format": "precomputed", "path": str(self.path), "name": self.path.stem,
                "sha256": self._sha256, "conditions": list(self.conditions),
                "n_rows": int(self.matrix.shape[0]), **self.io.describe()}


register(AdapterKind(
    name="precomputed", suffixes=(".csv", ".parquet", ".pq"), build=PrecomputedAdapter,
    needs_audio=False,
    description="precomputed predictions (CSV/Parquet of clip_id, condition, p_<label>)",
    example="serfair audit --model predictions.csv --data manifest.csv --conditions clean",
    order=40,
))
