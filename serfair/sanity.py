"""Fail early and never score degenerate audio silently: one batch through the adapter before
the long run (naming the adapter), and every clip screened for degenerate audio before inference
(serfair.data.quality), counted per group and condition for result.json."""

from __future__ import annotations

import pandas as pd

from serfair.data.audio import decode, duration, load_audio
from serfair.data.quality import AudioLimits, length_flags, level_flags
from serfair.errors import DataError, ModelError, SerfairError
from serfair.models import predicts_by_id
from serfair.models.base import Adapter, check_probabilities
from serfair.perturb import FAMILIES, Condition


def adapter_name(adapter: Adapter) -> str:
    """`onnx adapter (model.onnx)`: the format and what it was built from."""
    try:
        info = adapter.describe()
    except Exception:  # noqa: BLE001 - a user's adapter may not describe itself well
        info = {}
    fmt = info.get("format", type(adapter).__name__)
    source = info.get("path") or info.get("name")
    return f"{fmt} adapter ({source})" if source else f"{fmt} adapter"


def sanity_check(adapter: Adapter, clips: pd.DataFrame, n: int = 2,
                 max_seconds: float | None = None) -> None:
    """Run `n` clips; raise ModelError if the output is not (n, labels) finite probabilities.

    Adapters that look predictions up by clip id are checked on their first condition, without
    decoding audio.
    """
    sample = clips.head(n)
    name = adapter_name(adapter)
    who = f"{name}, sanity check on {len(sample)} clip(s)"
    try:
        if predicts_by_id(adapter):
            condition = "clean" if "clean" in adapter.conditions else adapter.conditions[0]
            out = adapter.predict_ids([(c, condition) for c in sample["clip_id"]])
        else:
            waves = [load_audio(p, adapter.sample_rate, clip_id=c, max_seconds=max_seconds)
                     for p, c in zip(sample["audio_path"], sample["clip_id"])]
            out = adapter.predict_proba(waves)
    except SerfairError as exc:
        if isinstance(exc, ModelError) and name not in str(exc):
            raise ModelError(f"{name} failed its sanity check: {exc}") from exc
        raise
    except Exception as exc:  # anything else from a user's model, hook or server
        raise ModelError(f"{name} failed its sanity check on {len(sample)} clip(s): "
                         f"{type(exc).__name__}: {exc}") from exc
    check_probabilities(out, len(sample), tuple(adapter.labels), who)


# -- degenerate audio: every clip screened before inference, counted per group and condition --


def audio_limits(section) -> AudioLimits:
    """The spec's `sanity:` section as the picklable limits the workers use."""
    return AudioLimits(**section.model_dump())


def screen_clips(clips: pd.DataFrame, conditions: list[Condition],
                 limits: AudioLimits) -> dict[str, tuple[str, ...]]:
    """Decode every clip once before inference (at most max_duration_s of it) and flag the
    degenerate ones: {clip id: flags}, only flagged clips. DataError (exit 2) for a clip that
    cannot be decoded and, when flagged clips are kept (`exclude: false`), for one too short for a
    condition (e.g. under 0.1 s for codec), naming the clip and the condition."""
    floor = max((FAMILIES[c.family].min_seconds for c in conditions), default=0.0)
    needs = {c.family: FAMILIES[c.family].min_seconds for c in conditions}
    found: dict[str, tuple[str, ...]] = {}
    for cid, path in zip(clips["clip_id"], clips["audio_path"]):
        seconds = duration(path, clip_id=cid)
        flags = length_flags(seconds, limits, floor)
        if not limits.exclude and seconds < floor:
            family = max(needs, key=needs.get)
            raise DataError(f"clip '{cid}' ({path}) lasts {seconds:.3g} s, shorter than the "
                            f"{needs[family]:g} s condition family '{family}' needs; remove it "
                            f"from the manifest, drop the condition, or set sanity.exclude: true")
        if "too_long" not in flags:  # an excluded long clip is not decoded at all
            wave, _ = decode(path, clip_id=cid, max_seconds=limits.crop_seconds)
            flags += level_flags(wave, limits)
        if flags:
            found[cid] = tuple(flags)
    return found


def excluded_clips(clean_flags: dict[str, tuple[str, ...]], table: pd.DataFrame,
                   limits: AudioLimits) -> set[str]:
    """Clips left out of every condition: flagged clean, or a version the limits exclude (so that
    every condition is scored on the same clips)."""
    out = {cid for cid, flags in clean_flags.items() if limits.excludes(flags)}
    perturbed = table[table["flags"] != ""] if "flags" in table.columns else table.iloc[:0]
    out |= {cid for cid, flags in zip(perturbed["clip_id"], perturbed["flags"])
            if limits.excludes(flags.split(","))}
    return out
