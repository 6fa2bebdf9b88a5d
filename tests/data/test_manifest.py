"""Manifest reading and validation: columns, rows, paths, normalisation, clear errors."""

from __future__ import annotations

import json

import pytest

from audio_fixtures import write_clip, write_manifest
from serfair.data.manifest import manifest_hash, read_manifest
from serfair.errors import DataError

ROWS = [
    {"path": "a/one.wav", "speaker_id": "s1", "gender": "F", "emotion": "Anger"},
    {"path": "a/two.wav", "speaker_id": "s2", "gender": "m", "emotion": "joy"},
]


def test_reads_paths_relative_to_the_manifest_and_normalises(tmp_path):
    frame = read_manifest(write_manifest(tmp_path, ROWS))
    assert list(frame["gender"]) == ["female", "male"]
    assert list(frame["emotion"]) == ["angry", "happy"]
    assert list(frame["clip_id"]) == ["a/one", "a/two"]
    assert all(p.startswith(str(tmp_path)) for p in frame["audio_path"])


def test_jsonl_manifest(tmp_path):
    for row in ROWS:
        write_clip(tmp_path / row["path"])
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS))
    assert len(read_manifest(path)) == 2


def test_missing_column_names_it_and_the_fix(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "gender"} for r in ROWS]
    with pytest.raises(DataError, match="lacks the column.*gender"):
        read_manifest(write_manifest(tmp_path, rows))


def test_missing_file_names_the_row(tmp_path):
    path = write_manifest(tmp_path, ROWS)
    (tmp_path / "a/two.wav").unlink()
    with pytest.raises(DataError, match=r"row 3: audio file .*two.wav does not exist"):
        read_manifest(path)


def test_empty_required_cell_names_the_row(tmp_path):
    rows = [dict(ROWS[0]), dict(ROWS[1], speaker_id="")]
    with pytest.raises(DataError, match=r"row 3 .*'speaker_id' is empty"):
        read_manifest(write_manifest(tmp_path, rows))


def test_empty_manifest_and_duplicates(tmp_path):
    (tmp_path / "empty.csv").write_text("path,speaker_id,gender,emotion\n")
    with pytest.raises(DataError, match="no rows"):
        read_manifest(tmp_path / "empty.csv")
    with pytest.raises(DataError, match="unique"):
        read_manifest(write_manifest(tmp_path, [ROWS[0], ROWS[0]]))


def test_hash_ignores_row_order(tmp_path):
    frame = read_manifest(write_manifest(tmp_path, ROWS))
    assert manifest_hash(frame) == manifest_hash(frame.iloc[::-1])
    assert manifest_hash(frame) != manifest_hash(frame.assign(emotion="sad"))
