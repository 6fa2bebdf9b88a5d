"""Front-end settings: named presets for the common tutorial recipes, librosa's parameters."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace

from serfair.errors import SpecError
from serfair.features.pooling import POOLS

# Feature parts by name, (Spectra) -> (n_features, frames); filled by serfair.features.parts, which
# the package imports, so this module needs none of the signal code.
PARTS: dict[str, Callable] = {}

PRESETS: dict[str, dict] = {
    "mfcc_mean": {"features": ("mfcc",), "pool": "mean"},
    "mfcc_chroma_mel_mean": {"features": ("mfcc", "chroma", "mel"), "pool": "mean"},
    "logmel_seq": {"features": ("logmel",), "pool": "none"},
    "mfcc_seq": {"features": ("mfcc",), "pool": "none"},
}
PRESET_HELP = {
    "mfcc_mean": "MFCC(n_mfcc) averaged over frames: one vector per clip",
    "mfcc_chroma_mel_mean": "MFCC(40) + chroma(12) + mel power(128) means: the classic 180-d vector",
    "logmel_seq": "log-mel (dB) frames x n_mels sequence",
    "mfcc_seq": "MFCC frames x n_mfcc sequence",
}


@dataclass(frozen=True)
class FrontEndConfig:
    """What to compute from a waveform; defaults are librosa's (and the tutorials')."""

    features: tuple[str, ...] = ("mfcc",)
    pool: str = "mean"
    layout: str = "frames_first"
    n_fft: int = 2048
    hop_length: int = 512
    win_length: int | None = None
    window: str = "hann"
    center: bool = True
    pad_mode: str = "constant"
    n_mels: int = 128
    fmin: float = 0.0
    fmax: float | None = None
    htk: bool = False
    mel_norm: str | None = "slaney"
    n_mfcc: int = 40
    n_chroma: int = 12
    chroma_power: float = 1.0
    tuning: float | None = None
    top_db: float | None = 80.0
    duration: float | None = None
    offset: float = 0.0
    preset: str | None = None

    def __post_init__(self) -> None:
        unknown = [f for f in self.features if f not in PARTS]
        if not self.features or unknown:
            raise SpecError(f"front end: unknown feature(s) {', '.join(unknown) or '(none)'}; "
                            f"choose from {', '.join(PARTS)}")
        if self.pool not in POOLS:
            raise SpecError(f"front end: pool must be one of {', '.join(POOLS)}, not '{self.pool}'")
        if self.layout not in ("frames_first", "features_first"):
            raise SpecError("front end: layout must be frames_first or features_first")
        for name, low in (("n_fft", 16), ("hop_length", 1), ("n_mels", 1), ("n_mfcc", 1),
                          ("n_chroma", 1)):
            if int(getattr(self, name)) < low:
                raise SpecError(f"front end: {name} must be at least {low}, not {getattr(self, name)}")
        if self.win_length is not None and not 1 <= self.win_length <= self.n_fft:
            raise SpecError(f"front end: win_length must be in [1, n_fft={self.n_fft}]")
        if self.duration is not None and self.duration <= 0:
            raise SpecError(f"front end: duration must be > 0 seconds, not {self.duration}")
        if self.offset < 0:
            raise SpecError(f"front end: offset must be >= 0 seconds, not {self.offset}")
        if "mfcc" in self.features and self.n_mfcc > self.n_mels:
            raise SpecError(f"front end: n_mfcc ({self.n_mfcc}) cannot exceed n_mels ({self.n_mels})")

    def to_dict(self) -> dict:
        """Plain settings, e.g. for provenance or ONNX metadata."""
        data = asdict(self)
        data["features"] = list(self.features)
        return data


FIELDS = {f.name for f in fields(FrontEndConfig)}


def parse_frontend(value: str | dict | FrontEndConfig | None) -> FrontEndConfig | None:
    """A config from a preset name, `preset:key=value,...`, JSON text or a mapping."""
    if value is None or value == "" or isinstance(value, FrontEndConfig):
        return value or None
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise SpecError(f"front end {text!r} is not valid JSON: {exc}") from exc
        else:
            name, _, rest = text.partition(":")
            value = {"preset": name.strip()}
            for item in filter(None, (x.strip() for x in rest.split(","))):
                key, sep, raw = item.partition("=")
                if not sep:
                    raise SpecError(f"front end option '{item}' must look like key=value")
                value[key.strip()] = _scalar(raw.strip())
    if not isinstance(value, dict):
        raise SpecError(f"front end must be a preset name or a mapping, not {type(value).__name__}")
    settings = dict(value)
    preset = settings.get("preset")
    base: dict = {}
    if preset is not None:
        if preset not in PRESETS:
            raise SpecError(f"unknown front end preset '{preset}'; choose from {', '.join(PRESETS)}")
        base = dict(PRESETS[preset])
    unknown = sorted(set(settings) - FIELDS)
    if unknown:
        raise SpecError(f"front end: unknown setting(s) {', '.join(unknown)}; "
                        f"valid: {', '.join(sorted(FIELDS))}")
    base.update(settings)
    if isinstance(base.get("features"), str):
        base["features"] = [x.strip() for x in base["features"].split("+")]
    base["features"] = tuple(base.get("features", ("mfcc",)))
    try:
        return FrontEndConfig(**base)
    except TypeError as exc:
        raise SpecError(f"front end settings are invalid: {exc}") from exc


def _scalar(text: str) -> object:
    """`512` -> 512, `0.5` -> 0.5, `true` -> True, `none` -> None, else the text."""
    lowered = text.lower()
    if lowered in ("none", "null"):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def with_defaults(config: FrontEndConfig, **changes: object) -> FrontEndConfig:
    """A copy with some settings changed."""
    return replace(config, **changes)
