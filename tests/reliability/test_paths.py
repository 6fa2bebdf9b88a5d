"""serfair never writes outside its output folder and never writes over its inputs.

`perturb` and `audit` run on manifests whose paths are absolute, or climb out with `..`; every
source file keeps its sha256 and every file written lies inside `--out`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from audio_fixtures import write_clip
from click.testing import CliRunner
from toy_models import make_energy_onnx

from serfair.cli import main
from serfair.data.manifest import read_manifest
from serfair.errors import DataError
from serfair.perturb import parse_conditions
from serfair.perturb.export import write_perturbed
from serfair.safepath import UnsafePathError, safe_join

ROWS = [("spk1", "female", "angry"), ("spk1", "female", "sad"), ("spk2", "male", "angry"),
        ("spk2", "male", "happy"), ("spk3", "female", "neutral"), ("spk4", "male", "sad")]


def _corpus(root: Path) -> list[Path]:
    return [write_clip(root / "corpus" / spk / f"c{i}.flac", seed=i, freq=150 + 30 * i)
            for i, (spk, _, _) in enumerate(ROWS)]


def _manifest(path: Path, clips: list[Path], style: str) -> Path:
    """A manifest naming the clips by absolute path, or by `../` paths from a sibling folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [str(c) if style == "absolute" else f"../corpus/{c.parent.name}/{c.name}" for c in clips]
    pd.DataFrame([{"path": n, "speaker_id": s, "gender": g, "emotion": e}
                  for n, (s, g, e) in zip(names, ROWS)]).to_csv(path, index=False)
    return path


def _snapshot(root: Path, skip: Path) -> dict[str, str]:
    """sha256 of every file under root, except those under `skip`."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and skip not in p.parents}


@pytest.mark.parametrize("style", ["absolute", "dotdot"])
def test_perturb_and_audit_leave_the_sources_alone(tmp_path, style):
    clips = _corpus(tmp_path)
    manifest = _manifest(tmp_path / "lists" / "m.csv", clips, style)
    (tmp_path / "models").mkdir()
    model = make_energy_onnx(tmp_path / "models" / "m.onnx")
    out = tmp_path / "out"
    before = _snapshot(tmp_path, out)
    runner = CliRunner()
    perturbed = runner.invoke(main, ["perturb", "--data", str(manifest), "--conditions",
                                     "noise@snr=10,gain@db=-6", "--out", str(out / "listen")])
    assert perturbed.exit_code == 0, perturbed.output
    audited = runner.invoke(main, ["audit", "--data", str(manifest), "--model", str(model),
                                   "--conditions", "clean,noise@snr=10", "--slices", "gender",
                                   "--workers", "1", "--out", str(out / "run")])
    assert audited.exit_code == 0, audited.output
    assert _snapshot(tmp_path, out) == before  # nothing changed or added outside --out
    written = read_manifest(out / "listen" / "manifest.csv")
    assert len(written) == len(ROWS) * 3
    assert all(out / "listen" in Path(p).parents for p in written["audio_path"])
    assert not any(".." in c or c.startswith("/") for c in written["source_clip_id"])


def test_clip_ids_are_relative_to_the_manifest_and_deterministic(tmp_path):
    clips = _corpus(tmp_path)
    inside = _manifest(tmp_path / "m.csv", clips, "absolute")
    assert list(read_manifest(inside)["clip_id"])[:2] == ["corpus/spk1/c0", "corpus/spk1/c1"]
    outside = read_manifest(_manifest(tmp_path / "lists" / "m.csv", clips, "absolute"))
    assert outside["clip_id"].iloc[0] == str(clips[0].with_suffix("")).lstrip("/")
    dotdot = read_manifest(_manifest(tmp_path / "lists" / "d.csv", clips, "dotdot"))
    assert list(dotdot["clip_id"]) == list(outside["clip_id"])


@pytest.mark.parametrize("bad", ["../../etc/x", "/tmp/x", "a/../../b", "a//b", "a\\b", "./a", "a\x1bb"])
def test_a_clip_id_column_must_hold_relative_names(tmp_path, bad):
    clips = _corpus(tmp_path)
    frame = pd.DataFrame([{"path": str(c), "speaker_id": s, "gender": g, "emotion": e,
                           "clip_id": f"id{i}"} for i, (c, (s, g, e)) in enumerate(zip(clips, ROWS))])
    frame.loc[1, "clip_id"] = bad
    frame.to_csv(tmp_path / "m.csv", index=False)
    with pytest.raises(DataError, match=r"row 3: clip_id .* cannot be used"):
        read_manifest(tmp_path / "m.csv")


def test_perturb_refuses_to_write_over_an_input(tmp_path):
    # a corpus whose folder is called `clean`, perturbed with --out at its parent: clean/<id>.flac
    # would be the source itself; and --out at the manifest's folder would replace manifest.csv
    clips = [write_clip(tmp_path / "clean" / spk / f"c{i}.flac", seed=i)
             for i, (spk, _, _) in enumerate(ROWS)]
    manifest = _manifest(tmp_path / "clean" / "manifest.csv", clips, "absolute")
    frame = read_manifest(manifest)
    assert frame["clip_id"].iloc[0] == "spk1/c0"
    before = _snapshot(tmp_path, tmp_path / "none")
    with pytest.raises(UnsafePathError, match="one of this run's input files"):
        write_perturbed(frame, parse_conditions("clean"), tmp_path, inputs=(manifest,))
    result = CliRunner().invoke(main, ["perturb", "--data", str(manifest), "--conditions", "gain@db=-3",
                                       "--out", str(tmp_path / "clean")])
    assert result.exit_code == 2 and "input files" in result.output
    assert _snapshot(tmp_path, tmp_path / "none") == before


def test_safe_join_refuses_names_and_symlinks_that_leave_the_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert safe_join(out, "a", "b.flac") == out / "a" / "b.flac"
    for parts in (("/etc/passwd",), ("..", "x"), ("a/../../x",)):
        with pytest.raises(UnsafePathError, match="outside|climbs out"):
            safe_join(out, *parts)
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError, match="outside the output folder"):
        safe_join(out, "link", "x.flac")


def test_an_audit_refuses_an_out_folder_whose_outputs_are_inputs(tmp_path):
    clips = _corpus(tmp_path)
    model = make_energy_onnx(tmp_path / "m.onnx")
    pd.DataFrame([{"path": str(c), "speaker_id": s, "gender": g, "emotion": e}
                  for c, (s, g, e) in zip(clips, ROWS)]).to_csv(tmp_path / "m.csv", index=False)
    (tmp_path / "result.json").symlink_to(model)
    before = _snapshot(tmp_path, tmp_path / "none")
    result = CliRunner().invoke(main, ["audit", "--data", str(tmp_path / "m.csv"), "--model",
                                       str(model), "--conditions", "clean", "--workers", "1", "--slices", "gender",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 2 and "input files" in result.output
    assert _snapshot(tmp_path, tmp_path / "none") == before
