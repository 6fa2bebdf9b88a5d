"""Calibration of serfair's gap intervals and primary decisions, by simulation.

    OMP_NUM_THREADS=1 python benchmarks/calibration.py [--replicates 400] [--bootstrap 500]
        [--fairlearn-replicates 10] [--fairlearn-boot 40] [--seed 0]

A hierarchical speaker model: every speaker has a skill (logit shift, sd 0.5) and every speaker x
emotion pair its own shift (sd 0.5) around the emotion's difficulty; each clip is recognised with
the resulting probability and otherwise mislabelled uniformly. The designs are those of the
shipped corpora: RAVDESS by gender (12 vs 12 speakers), EmoDB by gender (5 vs 5), and the 2-3
speaker cells of gender x corpus intersections (3 vs 2), each with 8 clips per emotion and
speaker, 6 emotions. Two worlds: `fair` (equal population UAR) and `planted` (women's population
UAR 10 points lower). The true gap is the population UAR difference.

Per design and world it prints one line a script can read:

    calibration design=12v12 world=planted coverage=0.951 false_flags=0.000 power=0.508 oracle_power=0.519

- coverage: share of replicates whose 95 % gap interval (serfair's, as in result.json) holds the
  true gap; `nan` when serfair gives no interval (a group below min_speakers = 5);
- false_flags: share of fair-world replicates in which the primary comparison is called
  significant (0 in the planted world, where every call is right);
- power: share of planted-world replicates called significant (0 in the fair world);
- oracle_power: the same for a speaker-level Welch t-test on the speakers' own UARs, which knows
  the speaker structure and the normal model (rejection rate: its false flags in the fair world).

then the same for fairlearn's own bootstrap (MetricFrame with n_boot and ci_quantiles: clips
resampled, `difference_ci` of the between-group difference), on fewer replicates because it
is slow:

    calibration-fairlearn design=12v12 world=planted replicates=20 coverage=... false_flags=... power=...

and details: the coverage of one group's 95 % interval (`what=group_interval`), the speaker range
shown for small cells (`what=speaker_range`, a description, not an interval), the interval a
small cell would get if it were shown (`what=withheld_interval`), and the mean minimum detectable
gap of the primary comparison (`mdg`).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from dataclasses import dataclass

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from scipy.optimize import brentq  # noqa: E402
from scipy.special import expit  # noqa: E402
from scipy.stats import ttest_ind  # noqa: E402

from serfair.analysis.bootstrap import (  # noqa: E402
    bootstrap_weights,
    gap_interval,
    gap_p_value,
    group_interval,
    group_sums,
    speaker_range,
    stream,
    welch_df,
)
from serfair.analysis.counts import Layout, cluster_statistics, metrics_from_counts  # noqa: E402
from serfair.analysis.metrics import MetricInfo, uar  # noqa: E402
from serfair.analysis.multiple_testing import decision_levels  # noqa: E402
from serfair.analysis.power import minimum_detectable_gap  # noqa: E402
from serfair.analysis.slicing import Clusters  # noqa: E402

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")
K = len(LABELS)
DIFFICULTY = np.linspace(-0.6, 0.6, K)  # emotion effects on the logit
SPEAKER_SD, EMOTION_SD = 0.5, 0.5
BASE = 0.3
GAP = 0.10
CLIPS_PER_EMOTION = 8
MIN_SPEAKERS = 5
ALPHA = 0.05
INFOS = {"uar": MetricInfo("uar", "UAR", uar)}
LAYOUT = Layout(LABELS, calibration=False)
DESIGNS = {"12v12": (12, 12), "5v5": (5, 5), "3v2": (3, 2)}


def population_uar(base: float) -> float:
    """Population UAR of a group whose logit centre is `base` (Gauss-Hermite over speakers)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    sd = np.hypot(SPEAKER_SD, EMOTION_SD)
    recall = expit(base + DIFFICULTY[:, None] + sd * nodes[None, :]) @ weights / weights.sum()
    return float(recall.mean())


@dataclass(frozen=True)
class World:
    name: str
    women: float  # logit centre
    men: float

    @property
    def true_gap(self) -> float:
        """Men's minus women's population UAR."""
        return population_uar(self.men) - population_uar(self.women)


def worlds() -> list[World]:
    target = population_uar(BASE) - GAP
    women = brentq(lambda b: population_uar(b) - target, BASE - 3, BASE)
    return [World("fair", BASE, BASE), World("planted", women, BASE)]


def simulate(n_women: int, n_men: int, world: World, rng: np.random.Generator):
    """Clips of one replicate: (y_true, y_pred, cluster, clusters, per-speaker UAR)."""
    n = n_women + n_men
    centre = np.r_[np.full(n_women, world.women), np.full(n_men, world.men)]
    logit = (centre[:, None] + DIFFICULTY[None, :] + rng.normal(0, SPEAKER_SD, (n, 1))
             + rng.normal(0, EMOTION_SD, (n, K)))
    y_true = np.tile(np.repeat(np.arange(K), CLIPS_PER_EMOTION), n)
    cluster = np.repeat(np.arange(n), K * CLIPS_PER_EMOTION)
    correct = rng.random(y_true.size) < expit(logit[cluster, y_true])
    wrong = (y_true + 1 + rng.integers(0, K - 1, y_true.size)) % K
    y_pred = np.where(correct, y_true, wrong)
    groups = np.r_[np.zeros(n_women, np.int64), np.ones(n_men, np.int64)]
    clusters = Clusters(slice="gender", groups=("female", "male"), cluster_group=groups,
                        cluster_speaker=tuple(f"s{i:02d}" for i in range(n)), row_cluster=cluster)
    return y_true, y_pred, clusters


@dataclass
class Tally:
    covered: int = 0
    with_interval: int = 0
    called: int = 0
    oracle: int = 0
    group_covered: int = 0
    group_with_interval: int = 0
    range_covered: np.ndarray | None = None
    withheld_covered: int = 0
    mdg: float = 0.0
    n: int = 0


def one_replicate(design: tuple[int, int], world: World, rng: np.random.Generator, seed: int,
                  bootstrap: int, tally: Tally) -> None:
    """serfair's interval and primary decision, the Welch oracle, on one simulated audit."""
    n_women, n_men = design
    y_true, y_pred, clusters = simulate(n_women, n_men, world, rng)
    stats = cluster_statistics(y_true, y_pred, None, clusters.row_cluster,
                               np.zeros(y_true.size, np.int64), clusters.n_clusters, 1, LAYOUT)
    point = metrics_from_counts(group_sums(np.ones((1, clusters.n_clusters)), stats, clusters)[0],
                                LAYOUT, INFOS)[:, 0, 0]  # [female, male]
    reps = metrics_from_counts(group_sums(bootstrap_weights(clusters, bootstrap, seed), stats,
                                          clusters), LAYOUT, INFOS)[:, :, 0, 0]
    alone = metrics_from_counts(stats, LAYOUT, INFOS)[:, 0, 0]  # each speaker's own UAR
    low, high = (0, 1) if point[0] <= point[1] else (1, 0)
    truth = world.true_gap * (1 if high == 1 else -1)  # the true value of high minus low
    samples = reps[:, high] - reps[:, low]
    sizes = clusters.sizes()
    df = float(welch_df(reps[:, low], reps[:, high], sizes[low], sizes[high]))
    value = point[high] - point[low]
    ci = gap_interval(samples, value, 1 - ALPHA, df)  # as disparities.py: 95 % interval
    shown = min(sizes) >= MIN_SPEAKERS
    if shown:
        tally.with_interval += 1
        tally.covered += bool(ci[0] <= truth <= ci[1])
        p = gap_p_value(samples, value, df)
        level = decision_levels(np.array([p]), "holm", ALPHA)[0]  # one primary comparison
        tally.called += bool(p < level)
        tally.mdg += minimum_detectable_gap(samples, ALPHA, df) or np.nan
    else:
        tally.withheld_covered += bool(ci[0] <= truth <= ci[1])
    women, men = alone[clusters.cluster_group == 0], alone[clusters.cluster_group == 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # two speakers with equal UAR
        tally.oracle += bool(ttest_ind(men, women, equal_var=False).pvalue < ALPHA)
    # one group's interval (women), as shown per group in result.json
    true_women = population_uar(world.women)
    if n_women >= MIN_SPEAKERS:
        group_ci = group_interval(reps[:, 0], point[0], 1 - ALPHA, n_women - 1.0)
        tally.group_with_interval += 1
        tally.group_covered += bool(group_ci[0] <= true_women <= group_ci[1])
    else:
        spans = speaker_range(alone[:, None], clusters, point[:, None])[:, 0]
        truths = np.array([true_women, population_uar(world.men)])
        hit = ((spans[:, 0] <= truths) & (truths <= spans[:, 1])).astype(np.int64)
        tally.range_covered = hit if tally.range_covered is None else tally.range_covered + hit
    tally.n += 1


def fairlearn_replicate(design: tuple[int, int], world: World, rng: np.random.Generator,
                        n_boot: int, seed: int) -> tuple[bool, bool]:
    """(covered, excludes 0) for fairlearn's clip-level bootstrap difference_ci."""
    from fairlearn.metrics import MetricFrame

    y_true, y_pred, clusters = simulate(*design, world, rng)
    sex = np.array(clusters.groups)[clusters.cluster_group[clusters.row_cluster]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = MetricFrame(metrics=_uar, y_true=y_true, y_pred=y_pred, sensitive_features=sex,
                            n_boot=n_boot, ci_quantiles=[ALPHA / 2, 1 - ALPHA / 2],
                            random_state=seed)
        lo, hi = (float(v) for v in frame.difference_ci())
    return bool(lo <= abs(world.true_gap) <= hi), bool(lo > 0)


def _uar(y_true, y_pred) -> float:
    """UAR from label codes (fast; the same value as sklearn's balanced_accuracy_score)."""
    counts = np.bincount(np.asarray(y_true) * K + np.asarray(y_pred), minlength=K * K)
    confusion = counts.reshape(K, K)
    present = confusion.sum(axis=1) > 0
    return float((np.diag(confusion)[present] / confusion.sum(axis=1)[present]).mean())


def fmt(x: float) -> str:
    return "nan" if not np.isfinite(x) else f"{x:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicates", type=int, default=400)
    parser.add_argument("--bootstrap", type=int, default=500)
    parser.add_argument("--fairlearn-replicates", type=int, default=10)
    parser.add_argument("--fairlearn-boot", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.time()
    print(f"# {args.replicates} replicates x {args.bootstrap} speaker-level bootstrap draws; "
          f"fairlearn: {args.fairlearn_replicates} replicates x n_boot {args.fairlearn_boot}; "
          f"true UAR {population_uar(BASE):.3f}, planted gap {GAP:.2f}")
    for design_name, design in DESIGNS.items():
        for world in worlds():
            tally = Tally()
            rng = stream(args.seed, "calibration", design_name, world.name)
            for i in range(args.replicates):
                one_replicate(design, world, rng, args.seed * 100_003 + i, args.bootstrap, tally)
            n = tally.n
            coverage = tally.covered / tally.with_interval if tally.with_interval else np.nan
            rate = tally.called / n if tally.with_interval else 0.0
            fair = world.name == "fair"
            print(f"calibration design={design_name} world={world.name} coverage={fmt(coverage)} "
                  f"false_flags={fmt(rate if fair else 0.0)} power={fmt(0.0 if fair else rate)} "
                  f"oracle_power={fmt(tally.oracle / n)}", flush=True)
            if tally.with_interval:
                print(f"calibration-detail design={design_name} world={world.name} what=mdg "
                      f"mean_mdg={fmt(tally.mdg / tally.with_interval)}")
            if tally.group_with_interval:
                print(f"calibration-detail design={design_name} world={world.name} "
                      f"what=group_interval speakers={design[0]} "
                      f"coverage={fmt(tally.group_covered / tally.group_with_interval)}")
            if tally.range_covered is not None:
                for size, hits in zip(design, tally.range_covered):
                    print(f"calibration-detail design={design_name} world={world.name} "
                          f"what=speaker_range speakers={size} coverage={fmt(hits / n)}")
                print(f"calibration-detail design={design_name} world={world.name} "
                      f"what=withheld_interval coverage={fmt(tally.withheld_covered / n)}")
            if args.fairlearn_replicates:
                frng = stream(args.seed, "fairlearn", design_name, world.name)
                results = [fairlearn_replicate(design, world, frng, args.fairlearn_boot, j)
                           for j in range(args.fairlearn_replicates)]
                covered = np.mean([c for c, _ in results])
                flagged = np.mean([f for _, f in results])
                print(f"calibration-fairlearn design={design_name} world={world.name} "
                      f"replicates={len(results)} coverage={fmt(covered)} "
                      f"false_flags={fmt(flagged if fair else 0.0)} "
                      f"power={fmt(0.0 if fair else flagged)}", flush=True)
    print(f"# {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
