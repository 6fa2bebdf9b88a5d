"""Which front end fits a model's input: the presets (with options) that give a feature width.

A model whose input is [batch, 180] takes features, not a waveform; `suggest_frontends` names
`mfcc_chroma_mel_mean` (MFCC 40 + chroma 12 + mel 128), so the error can say what to pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from serfair.features.config import PRESETS, FrontEndConfig, parse_frontend

SIZE_OF = {"mfcc": "n_mfcc", "chroma": "n_chroma", "mel": "n_mels", "logmel": "n_mels"}
WIDEST = 1024  # a fixed last dimension above this is a waveform (or an image), not features
NARROWEST = 8  # [batch, samples, 1] and the like are not feature vectors


def output_width(config: FrontEndConfig) -> int:
    """Features per frame (or per clip, when pooled) of a front end."""
    return sum(int(getattr(config, SIZE_OF[part])) for part in config.features)


def frontends_for_width(width: int, pooled: bool) -> list[str]:
    """Presets, with the one option that changes their width if needed, that give `width`."""
    found = []
    for name in PRESETS:
        config = parse_frontend(name)
        if (config.pool != "none") != pooled:
            continue
        rest = output_width(config) - int(getattr(config, SIZE_OF[config.features[0]]))
        size = width - rest
        option = SIZE_OF[config.features[0]]
        if size == getattr(config, option):
            found.append(name)
        elif 1 <= size <= (config.n_mels if option == "n_mfcc" else 512):
            found.append(f"{name}:{option}={size}")
    return found


def feature_width(shape: Sequence[object]) -> tuple[int, bool, str] | None:
    """(width, pooled, layout) when an input shape looks like features, else None.

    [batch, W] is one vector per clip; [batch, frames, W] (or [batch, W, frames] with symbolic
    frames: features_first) a sequence. Symbolic dimensions are strings or None."""
    fixed = [d if isinstance(d, int) and d > 0 else None for d in shape]
    if len(fixed) == 2 and fixed[1] is not None:
        width, pooled, layout = fixed[1], True, "frames_first"
    elif len(fixed) == 3 and fixed[2] is not None:
        width, pooled, layout = fixed[2], False, "frames_first"
    elif len(fixed) == 3 and fixed[1] is not None:
        width, pooled, layout = fixed[1], False, "features_first"
    else:
        return None
    return (width, pooled, layout) if NARROWEST <= width <= WIDEST else None


def suggest_frontends(shape: Sequence[object]) -> list[str] | None:
    """`--frontend` values matching a feature-shaped input, [] when none does; None for a shape
    that does not look like features."""
    found = feature_width(shape)
    if found is None:
        return None
    width, pooled, layout = found
    names = frontends_for_width(width, pooled)
    if layout == "features_first":
        names = [n + ("," if ":" in n else ":") + "layout=features_first" for n in names]
    return names
