"""Speaker leakage check: which audited speakers and clips were also in a model's training data.

A score is speaker-independent only if no audited speaker was heard in training. This module
compares a training manifest with the audited manifest by speaker id and by a content hash of
the decoded audio (so a FLAC copy of a training WAV still counts as the same clip).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import soundfile as sf

from serfair.errors import DataError
from serfair.vocab.audio_hash import HASH_COLUMN, waveform_hash

__all__ = ["HASH_COLUMN", "check_leakage", "file_audio_hash", "read_training_manifest",
           "waveform_hash"]


def file_audio_hash(path: str | Path) -> str:
    """`waveform_hash` of a file's audio at its own sample rate, channels averaged."""
    try:
        data, _ = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise DataError(f"{path}: cannot decode the audio for the leakage check ({exc})") from exc
    return waveform_hash(data.mean(axis=1) if data.shape[1] > 1 else data[:, 0])


def read_training_manifest(path: str | Path) -> pd.DataFrame:
    """A model's training clips (CSV or JSONL): `speaker_id` required; `audio_sha256` (see
    `waveform_hash`) or `path` (relative to the manifest) let clips be compared too."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"training manifest {path} does not exist; pass the CSV/JSONL list of "
                        f"the clips the model was trained on (at least a speaker_id column)")
    try:
        if path.suffix.lower() in {".jsonl", ".ndjson"}:
            frame = pd.read_json(path, lines=True, dtype=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot parse the training manifest {path}: {exc}") from exc
    if "speaker_id" not in frame.columns:
        raise DataError(f"training manifest {path} has no speaker_id column (found: "
                        f"{', '.join(map(str, frame.columns)) or 'none'}); the leakage check "
                        f"compares speakers, so it needs one")
    frame = frame.astype({"speaker_id": str})
    if HASH_COLUMN not in frame.columns and "path" in frame.columns:
        files = [Path(p) if Path(p).is_absolute() else path.parent / p for p in frame["path"]]
        if files and all(f.is_file() for f in files):
            frame[HASH_COLUMN] = [file_audio_hash(f) for f in files]
    return frame


def check_leakage(train: pd.DataFrame, audited: pd.DataFrame, *, source: str,
                  max_listed: int = 20) -> dict:
    """Overlap of the audited clips (`speaker_id`, `audio_path`, `clip_id`) with the training
    clips: shared speakers, and clips with identical audio when the training side has hashes.

    Returns the `leakage` section of the result document.
    """
    train_speakers = set(train["speaker_id"].astype(str))
    speakers = audited["speaker_id"].astype(str)
    shared = sorted(set(speakers) & train_speakers)
    of_shared = int(speakers.isin(shared).sum())
    hashes_compared = HASH_COLUMN in train.columns
    shared_clips: list[str] = []
    if hashes_compared:
        known = set(train[HASH_COLUMN].astype(str))
        shared_clips = [str(c) for c, p in zip(audited["clip_id"], audited["audio_path"])
                        if file_audio_hash(p) in known]
    independent = not shared and not shared_clips
    n_aud = int(speakers.nunique())
    if independent:
        message = (f"Speaker-independent: none of the {n_aud} audited speakers is among the "
                   f"{len(train_speakers)} training speakers of {source}"
                   + ("; no audited clip has the audio of a training clip." if hashes_compared
                      else " (clips not compared: the training manifest has no audio hashes or "
                           "readable paths)."))
    else:
        message = (f"NOT speaker-independent: {len(shared)} of the {n_aud} audited speakers "
                   f"({of_shared} of {len(audited)} clips) were in the training data ({source})"
                   + (f", and {len(shared_clips)} audited clips are training clips (same audio)"
                      if shared_clips else "")
                   + ". The scores measure how well the model recognises voices it was trained "
                     "on and overstate its performance on new speakers.")
    return {
        "training_data": source,
        "train_clips": len(train),
        "train_speakers": len(train_speakers),
        "audited_clips": len(audited),
        "audited_speakers": n_aud,
        "n_shared_speakers": len(shared),
        "shared_speakers": shared[:max_listed],
        "audited_clips_of_shared_speakers": of_shared,
        "hashes_compared": hashes_compared,
        "n_shared_clips": len(shared_clips) if hashes_compared else None,
        "shared_clips": shared_clips[:max_listed],
        "speaker_independent": independent,
        "message": message,
    }
