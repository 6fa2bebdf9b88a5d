"""librosa.estimate_tuning on a magnitude spectrogram, with the same result at about half the cost.

librosa's piptrack interpolates peaks over every frequency bin and then keeps those in
[fmin, fmax) (150-4000 Hz). The stencils it uses (gradient, parabolic interpolation, local
maxima) only look one bin either side, so running them on that band plus one bin of margin gives
the same values there; tests check the result equals librosa.estimate_tuning exactly.
"""

from __future__ import annotations

import numpy as np

FMIN, FMAX, THRESHOLD = 150.0, 4000.0, 0.1  # piptrack's defaults


def _stencil():
    """The stencil piptrack uses; private, so None (librosa's own function) without it."""
    try:
        from librosa.core.pitch import _parabolic_interpolation
    except ImportError:  # pragma: no cover - depends on the librosa version
        return None
    return _parabolic_interpolation


def estimate_tuning(S: np.ndarray, sr: int, bins_per_octave: int = 12,
                    resolution: float = 0.01) -> float:
    """Tuning deviation (fractions of a bin) of magnitude spectrogram S (freq x frames)."""
    import librosa  # imported on first use: the CLI starts without it

    _parabolic_interpolation = _stencil()
    if _parabolic_interpolation is None or S.ndim != 2:
        return float(librosa.estimate_tuning(S=S, sr=sr, bins_per_octave=bins_per_octave,
                                             resolution=resolution))
    n_fft = 2 * (S.shape[0] - 1)
    freqs = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    band = np.flatnonzero((FMIN <= freqs) & (freqs < min(FMAX, sr / 2)))
    if band.size == 0:
        return 0.0
    lo, hi = max(band[0] - 1, 0), min(band[-1] + 2, S.shape[0])
    inner = slice(band[0] - lo, band[-1] + 1 - lo)
    part = S[lo:hi]
    ref_value = np.expand_dims(THRESHOLD * np.max(S, axis=-2), -2)
    avg = np.gradient(part, axis=-2)[inner]
    shift = _parabolic_interpolation(part, axis=-2)[inner]
    peaks = librosa.util.localmax(part * (part > ref_value), axis=-2)[inner]
    rows, cols = np.nonzero(peaks)
    pitch = ((rows + band[0] + shift[rows, cols]) * float(sr) / n_fft).astype(S.dtype)
    mag = (part[inner][rows, cols] + (0.5 * avg * shift)[rows, cols]).astype(S.dtype)
    positive = pitch > 0
    threshold = np.median(mag[positive]) if positive.any() else 0.0
    selected = pitch[(mag >= threshold) & positive]
    if selected.size == 0:  # silence: librosa warns and returns 0.0
        return 0.0
    return float(librosa.pitch_tuning(selected, resolution=resolution,
                                      bins_per_octave=bins_per_octave))
