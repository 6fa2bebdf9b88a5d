"""Speaker-level bootstrap speed: 1,000 replicates over 2,000 clips x 10 conditions x 3 slicings.

    OMP_NUM_THREADS=1 python benchmarks/bootstrap.py [--replicates 1000] [--naive 3]

Builds a synthetic predictions table shaped like the shared corpus (34 speakers, about 59 clips
each, 6 emotions, probabilities), then times, on one core in this process:

1. serfair's vectorised bootstrap (count vectors per speaker, one matrix product per group, every
   metric of every replicate read off the sums) for all 17 metrics, slicings gender, dataset and
   gender*dataset, 10 conditions;
2. the same plus the speaker-level permutation tests (10,000 relabellings per slicing);
   (and, for reference, the point estimates through fairlearn's MetricFrame, computed once);
3. a naive loop on a subset: per replicate, resample speakers within each group, rebuild the clip
   table and run fairlearn's MetricFrame, timed for a few replicates of one condition and one
   slicing and extrapolated to the full workload.

Prints the times and the ratio naive / vectorised, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from fairlearn.metrics import MetricFrame  # noqa: E402

from serfair.analysis.bootstrap import stream  # noqa: E402
from serfair.analysis.calibration import confidence_of  # noqa: E402
from serfair.analysis.groups import group_table  # noqa: E402
from serfair.analysis.metrics import metric_set  # noqa: E402
from serfair.analysis.slicing import group_labels  # noqa: E402
from serfair.analysis.uncertainty import audit_statistics  # noqa: E402

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")
SLICES = ["gender", "dataset", "gender*dataset"]


def table(clips: int = 2000, speakers: int = 34, conditions: int = 10,
          seed: int = 0) -> pd.DataFrame:
    """A predictions table: one row per (clip, condition), speaker effects, probabilities."""
    rng = np.random.default_rng(seed)
    k = len(LABELS)
    speaker = np.sort(rng.integers(0, speakers, clips))
    y_true = rng.integers(0, k, clips)
    skill = rng.normal(0, 0.6, speakers)
    frames = []
    for c in range(conditions):
        p_right = 1 / (1 + np.exp(-(0.8 + skill[speaker] - 0.2 * c)))
        right = rng.random(clips) < p_right
        y_pred = np.where(right, y_true, (y_true + 1 + rng.integers(0, k - 1, clips)) % k)
        probs = rng.dirichlet(np.ones(k), clips) * 0.5
        probs[np.arange(clips), y_pred] += 0.5
        frame = pd.DataFrame({
            "clip_id": [f"c{i:05d}" for i in range(clips)], "condition": f"cond{c}",
            "speaker_id": [f"s{s:02d}" for s in speaker],
            "gender": np.where(speaker % 2 == 0, "female", "male"),
            "dataset": np.where(speaker < 24, "ravdess", "emodb"),
            "y_true": np.asarray(LABELS)[y_true], "y_pred": np.asarray(LABELS)[y_pred]})
        for j, label in enumerate(LABELS):
            frame[f"p_{label}"] = probs[:, j]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def naive(frame: pd.DataFrame, slice_name: str, replicates: int, infos: dict,
          seed: int = 0) -> float:
    """Seconds for `replicates` naive replicates of one condition and one slicing."""
    groups = group_labels(frame, slice_name)
    speakers = {g: sorted(frame.loc[groups == g, "speaker_id"].unique())
                for g in sorted(set(groups))}
    by_speaker = {s: part for s, part in frame.groupby("speaker_id")}
    rng = stream(seed, "naive")
    metrics = {n: i.function for n, i in infos.items()}
    started = time.perf_counter()
    for _ in range(replicates):
        parts = []
        for members in speakers.values():
            for s in rng.choice(members, size=max(len(members) - 1, 1), replace=True):
                parts.append(by_speaker[s])
        sample = pd.concat(parts, ignore_index=True)
        confidence = confidence_of(sample, LABELS)
        params = {n: {"confidence": confidence} for n, i in infos.items() if i.needs_confidence}
        frame = MetricFrame(metrics=metrics, y_true=sample["y_true"], y_pred=sample["y_pred"],
                            sensitive_features=group_labels(sample, slice_name),
                            sample_params=params)
        assert not frame.by_group.empty
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=3,
                        help="naive replicates to time (then extrapolated)")
    args = parser.parse_args()

    frame = table()
    conditions = sorted(frame["condition"].unique(), key=lambda c: int(c[4:]))
    infos = metric_set(LABELS)
    n_clips = frame["clip_id"].nunique()
    print(f"workload: {n_clips} clips x {len(conditions)} conditions x {len(SLICES)} slicings "
          f"({', '.join(SLICES)}), {frame['speaker_id'].nunique()} speakers, {len(infos)} metrics, "
          f"{args.replicates} replicates")

    started = time.perf_counter()
    audit_statistics(frame, SLICES, conditions, LABELS, infos, replicates=args.replicates,
                     permutations=0, seed=0)
    fast = time.perf_counter() - started
    print(f"serfair bootstrap (vectorised):                {fast:8.2f} s")

    started = time.perf_counter()
    audit_statistics(frame, SLICES, conditions, LABELS, infos, replicates=args.replicates,
                     permutations=10000, seed=0)
    full = time.perf_counter() - started
    print(f"serfair bootstrap + permutation tests (10,000): {full:8.2f} s")

    started = time.perf_counter()
    group_table(frame, SLICES, conditions, infos, LABELS)
    print(f"point estimates (fairlearn MetricFrame, for reference): "
          f"{time.perf_counter() - started:8.2f} s")

    subset = frame[frame["condition"] == conditions[0]]
    per_replicate = naive(subset, "gender*dataset", args.naive, infos) / args.naive
    extrapolated = per_replicate * args.replicates * len(conditions) * len(SLICES)
    print(f"naive MetricFrame loop: {per_replicate:.3f} s per replicate x condition x slicing "
          f"(measured on {args.naive}), extrapolated {extrapolated:8.1f} s")
    print(f"speed-up of the vectorised bootstrap: {extrapolated / fast:.0f}x")


if __name__ == "__main__":
    main()
