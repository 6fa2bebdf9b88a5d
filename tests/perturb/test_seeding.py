"""Seeds derive from (run seed, clip, condition) only; global random state is left alone."""

from __future__ import annotations

import random

import numpy as np
from audiomentations import AddGaussianSNR

from serfair.perturb.seeding import derive_seed, global_seed, rng_for, run_transform


def test_seed_depends_on_run_seed_clip_and_condition_only():
    base = derive_seed(0, "clip-1", "noise@snr=10")
    assert base == derive_seed(0, "clip-1", "noise@snr=10")
    assert len({base, derive_seed(1, "clip-1", "noise@snr=10"), derive_seed(0, "clip-2", "noise@snr=10"),
                derive_seed(0, "clip-1", "noise@snr=0")}) == 4
    assert 0 <= base < 2**63
    assert rng_for(0, "c", "x").random() == rng_for(0, "c", "x").random()


def test_global_state_is_restored_and_does_not_leak_into_transforms():
    random.seed(123)
    np.random.seed(123)
    expected_py, expected_np = random.random(), np.random.random()
    random.seed(123)
    np.random.seed(123)
    wave = np.ones(1000, dtype=np.float32)
    first = run_transform(AddGaussianSNR(10, 10, p=1.0), wave, 16000, seed=7)
    with global_seed(99):
        random.random()
    assert random.random() == expected_py and np.random.random() == expected_np
    np.random.seed(5)  # a caller's global state does not change what the transform does
    again = run_transform(AddGaussianSNR(10, 10, p=1.0), wave, 16000, seed=7)
    np.testing.assert_array_equal(first, again)
