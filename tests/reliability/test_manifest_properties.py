"""Manifests as a hostile or careless tool would write them: random values, paths and encodings.

Whatever the file holds, reading it either gives clips with relative, portable ids that stay inside
any output folder, or a DataError saying what is wrong; never another exception.
"""

from __future__ import annotations

import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serfair.data.clip_ids import clip_id_problem, derived_clip_id
from serfair.data.manifest import read_manifest
from serfair.errors import DataError
from serfair.safepath import safe_join

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
segment = st.one_of(st.sampled_from(["..", ".", "", "a", "b.wav", "c d", "é", "x.flac"]),
                    st.text(alphabet=string.ascii_letters + string.digits + "._- ", min_size=1,
                            max_size=8))
paths = st.builds(lambda lead, parts, suffix: lead + "/".join(parts) + suffix,
                  st.sampled_from(["", "/", "./", "../", "../../", "/abs/"]),
                  st.lists(segment, min_size=1, max_size=5), st.sampled_from(["", ".wav", ".flac"]))
cell = st.text(max_size=12)  # any unicode, commas, quotes, newlines, control characters


def _read(folder: Path, frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    path = folder / "m.csv"
    frame.to_csv(path, index=False, **kwargs)
    return read_manifest(path, check_files=False)


@SETTINGS
@given(path=paths)
def test_derived_ids_are_relative_deterministic_and_stay_inside_any_out_folder(tmp_path, path):
    root = tmp_path / "lists"
    try:
        clip_id = derived_clip_id(path, root)
    except DataError as exc:
        assert "names no file" in str(exc)
        return
    assert clip_id == derived_clip_id(path, root)
    assert clip_id_problem(clip_id) is None, clip_id
    out = tmp_path / "out"
    assert out in safe_join(out, "noise@snr=10", f"{clip_id}.flac").parents


@SETTINGS
@given(rows=st.lists(st.tuples(paths, cell, cell, cell), min_size=1, max_size=6))
def test_random_rows_read_or_fail_with_a_data_error(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["path", "speaker_id", "gender", "emotion"])
    try:
        clips = _read(tmp_path, frame)
    except DataError:
        return
    assert len(clips) == len(frame)
    assert clips["clip_id"].is_unique
    assert all(clip_id_problem(c) is None for c in clips["clip_id"])


@SETTINGS
@given(ids=st.lists(st.text(max_size=10), min_size=2, max_size=5))
def test_a_clip_id_column_is_used_as_given_or_refused(tmp_path, ids):
    frame = pd.DataFrame({"path": [f"c{i}.wav" for i in range(len(ids))], "speaker_id": "s",
                          "gender": "female", "emotion": "angry", "clip_id": ids})
    try:
        clips = _read(tmp_path, frame)
    except DataError as exc:
        assert "row" in str(exc) or "clip id" in str(exc)
        return
    for given_id, clip_id in zip(ids, clips["clip_id"]):
        assert clip_id == (given_id.strip() or clip_id)
        assert tmp_path in safe_join(tmp_path, f"{clip_id}.flac").parents


@SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_read_or_fail_with_a_data_error(tmp_path, data):
    path = tmp_path / "m.csv"
    path.write_bytes(b"path,speaker_id,gender,emotion\n" + data)
    try:
        clips = read_manifest(path, check_files=False)
    except DataError as exc:
        assert str(path) in str(exc) or "row" in str(exc)
        return
    assert {"clip_id", "audio_path"} <= set(clips.columns) and len(clips)


@SETTINGS
@given(encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]),
       name=st.sampled_from(["Zoë", "José", "plain", "Ærø"]))
def test_encodings_are_read_as_utf8_or_named_in_the_error(tmp_path, encoding, name):
    text = f"path,speaker_id,gender,emotion\n{name}.wav,{name},female,angry\n"
    path = tmp_path / "m.csv"
    path.write_bytes(text.encode(encoding))
    try:
        clips = read_manifest(path, check_files=False)
    except DataError as exc:
        assert "not UTF-8" in str(exc) and "iconv" in str(exc)
        return
    assert clips["speaker_id"].iloc[0] == name


@SETTINGS
@given(gender=st.text(min_size=1, max_size=10).filter(lambda g: g.strip() and "\x00" not in g))
def test_gender_values_are_kept_as_written_unless_a_known_spelling(tmp_path, gender):
    frame = pd.DataFrame({"path": ["a.wav"], "speaker_id": ["s"], "gender": [gender],
                          "emotion": ["angry"]})
    try:
        clips = _read(tmp_path, frame)
    except DataError:
        return
    value = clips["gender"].iloc[0]
    assert value in ("female", "male") or value == gender.strip()


# -- the smaller points of issue 9, one example each ------------------------------------------

def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "m.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_duplicates_name_their_rows_and_suggest_a_clip_id_column(tmp_path):
    path = _write(tmp_path, "path,speaker_id,gender,emotion\na.flac,s,f,angry\nb.wav,s,f,sad\n"
                            "a.wav,s,f,sad\n")
    with pytest.raises(DataError, match=r"'a' appears in rows 2, 4 \(a.flac, a.wav\).*differ only by "
                                        r"suffix.*add a clip_id column"):
        read_manifest(path, check_files=False)
    given = _write(tmp_path, "path,speaker_id,gender,emotion,clip_id\na.flac,s,f,angry,a-flac\n"
                             "a.wav,s,f,sad,a-wav\n")
    assert list(read_manifest(given, check_files=False)["clip_id"]) == ["a-flac", "a-wav"]


def test_a_folder_as_a_clip_is_called_a_folder(tmp_path):
    (tmp_path / "clips").mkdir()
    path = _write(tmp_path, "path,speaker_id,gender,emotion\nclips,s,f,angry\n")
    with pytest.raises(DataError, match="row 2: audio file .*clips is a folder"):
        read_manifest(path)


@pytest.mark.parametrize("text, message", [
    ("path;speaker_id;gender;emotion\na.wav;s;f;angry\n", "separated by semicolons"),
    ("path,speaker_id,gender,emotion\na.wav,s,f,angry,extra\n", r"line 2: 5 field\(s\) but the header has 4"),
    ("path,speaker_id,gender,emotion\na.wav,s\n", r"line 2: 2 field\(s\)"),
    ("path,speaker_id,gender,emotion,path\na.wav,s,f,angry,b\n", "names the column.*path twice"),
    ("path,speaker_id,gender,emotion\nZo\xeb.wav,s,f,angry\n".encode("latin-1"),
     r"not UTF-8 text \(byte 0xeb on line 2\)"),
])
def test_malformed_csv_gets_a_clear_error(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        read_manifest(_write(tmp_path, text), check_files=False)
