"""`reverb@rt60=S:drr=DB`: a reverberant room, simulated by convolving with a synthetic impulse
response drawn from the clip's generator (numpy + scipy).

The impulse response is a direct-path impulse followed by exponentially decaying Gaussian noise
whose energy falls by 60 dB in `rt60` seconds; `drr` sets the energy of the direct path over the
reverberant tail. The output is cut to the clip's length and scaled back to the clip's RMS, so
reverb does not also change the loudness. (audiomentations RoomSimulator was not used: with ray
tracing it costs ~144 ms per clip, and without it the tail does not reach the target RT60.)
"""

from __future__ import annotations

import math

import numpy as np

from serfair.perturb.base import Family, Param, register

PRE_DELAY_S = 0.002  # gap between the direct sound and the first reflections
DECAY_60DB = math.log(1000.0)  # amplitude ratio of 60 dB, in nepers


def impulse_response(rt60: float, drr: float, sample_rate: int,
                     rng: np.random.Generator) -> np.ndarray:
    """Direct impulse + exponentially decaying noise tail (energy ratio `drr` dB), float64."""
    n_tail = max(1, round(rt60 * sample_rate))
    t = np.arange(n_tail) / sample_rate
    tail = rng.standard_normal(n_tail) * np.exp(-DECAY_60DB * t / rt60)
    tail *= math.sqrt(10.0 ** (-drr / 10.0) / float(np.sum(tail ** 2)))
    delay = round(PRE_DELAY_S * sample_rate)
    ir = np.zeros(delay + n_tail)
    ir[0] = 1.0
    ir[delay:] += tail
    return ir


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, rt60: float,
          drr: float) -> np.ndarray:
    """Convolve with a fresh impulse response; same length and RMS as the input."""
    from scipy.signal import fftconvolve  # slow to import: only when used
    ir = impulse_response(rt60, drr, sample_rate, rng)
    dry = wave.astype(np.float64)
    wet = fftconvolve(dry, ir)[: dry.shape[0]]
    rms_dry, rms_wet = math.sqrt(float(np.mean(dry ** 2))), math.sqrt(float(np.mean(wet ** 2)))
    if rms_wet > 0:
        wet *= rms_dry / rms_wet
    return wet.astype(np.float32)


FAMILY = register(Family(
    name="reverb",
    description="room reverberation from a synthetic impulse response with a given RT60",
    params=(
        Param("rt60", "s", 0.1, 3.0, 0.6, "reverberation time: seconds for a 60 dB decay"),
        Param("drr", "dB", -10.0, 20.0, 0.0,
              "direct-to-reverberant energy ratio; lower sounds farther from the microphone"),
    ),
    apply=apply,
    severity=lambda rt60, drr: rt60,
))
