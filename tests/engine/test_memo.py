"""Stage keys: a stage is reused only with the same key and untouched output files."""

from __future__ import annotations

from serfair.engine.memo import StageCache, digest, file_digest


def test_a_stage_is_reused_with_the_same_key_only(tmp_path):
    out = tmp_path / "result.json"
    out.write_text("{}")
    cache = StageCache(tmp_path / ".serfair")
    cache.record("analysis", digest("a", 1), {"n": 3}, files=[out])
    again = StageCache(tmp_path / ".serfair")  # a new process reads the same folder
    assert again.payload("analysis", digest("a", 1)) == {"n": 3}
    assert again.payload("analysis", digest("a", 2)) is None
    assert again.payload("analysis", None) is None
    assert again.payload("outputs", digest("a", 1)) is None


def test_an_edited_or_deleted_output_invalidates_its_stage(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("<p>1</p>")
    cache = StageCache(tmp_path)
    cache.record("outputs", "k", files=[out])
    out.write_text("<p>2</p>")
    assert cache.payload("outputs", "k") is None
    out.unlink()
    assert cache.payload("outputs", "k") is None


def test_digest_is_canonical_and_file_digest_reads_content(tmp_path):
    assert digest({"b": 1, "a": 2}) == digest({"a": 2, "b": 1})
    assert digest([1, 2]) != digest([2, 1])
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert file_digest(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert file_digest(tmp_path / "missing") is None
