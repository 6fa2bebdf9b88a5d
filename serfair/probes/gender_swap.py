"""`gender_swap`: each clip in another voice: women's clips made male-like, men's female-like
(Praat "Change gender" through the `voice` family), beside the resynthesis control (`voice` at its
defaults: the same round trip, no change of voice). Clips of other or unknown gender, and clips
too short for Praat, are left out and counted."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from serfair.errors import SpecError
from serfair.perturb import Condition, parse_condition
from serfair.perturb.babble import choose_pool
from serfair.perturb.voice import min_samples
from serfair.probes.base import Probe, ProbePlan, clip_samples, register

CONTROL = "voice"
TARGETS = {"female": "male", "male": "female"}  # a clip's group -> the voice it is given


class Voice(BaseModel):
    """A target voice: the `voice` family's parameters (docs/perturbations.md)."""

    model_config = ConfigDict(extra="forbid")
    formant: float
    pitch: float = 0.0
    range: float = 1.0
    semitones: float = 0.0

    @model_validator(mode="after")
    def _in_range(self) -> Voice:
        try:
            self.condition()
        except SpecError as exc:
            raise ValueError(str(exc)) from exc
        return self

    def condition(self) -> Condition:
        """The `voice@...` condition of this target (ranges checked by the family)."""
        params = ":".join(f"{k}={v:g}" for k, v in self.model_dump().items())
        return parse_condition(f"voice@{params}")


class GenderSwapSettings(BaseModel):
    """The gender-swap probe's settings; every default is documented in docs/probes.md."""

    model_config = ConfigDict(extra="forbid")
    to_female: Voice = Field(default_factory=lambda: Voice(formant=1.17, semitones=9.0),
                             description="the voice men's clips are given")
    to_male: Voice = Field(default_factory=lambda: Voice(formant=0.85, semitones=-9.0),
                           description="the voice women's clips are given")
    sample: int = Field(16, ge=0, le=500, description="clips per group whose F0 and formants are "
                        "measured before and after (0: no check)")

    def voice_for(self, group: str) -> Condition:
        """The condition a clip of `group` is played under."""
        return (self.to_male if TARGETS[group] == "male" else self.to_female).condition()


def plan(clips: pd.DataFrame, settings: GenderSwapSettings, *, sample_rate: int,
         seed: int) -> ProbePlan:
    """Women's and men's clips long enough for Praat, each with the other group's voice."""
    gender = clips["gender"].astype(str) if "gender" in clips.columns else \
        pd.Series("", index=clips.index)
    known = gender.isin(list(TARGETS))
    long_enough = pd.Series(clip_samples(clips["audio_path"], sample_rate) >= min_samples(sample_rate),
                            index=clips.index)
    chosen = clips[known & long_enough]
    swap = {cid: settings.voice_for(g).name for cid, g in zip(chosen["clip_id"], chosen["gender"])}
    sample: list[str] = []
    if settings.sample:
        for group in sorted(TARGETS):
            part = chosen[chosen["gender"] == group]
            entries = zip(part["clip_id"], part["speaker_id"].astype(str), part["audio_path"])
            sample += [cid for cid, _, _ in choose_pool(entries, seed, settings.sample)]
    return ProbePlan(
        probe="gender_swap", settings=settings.model_dump(), control=parse_condition(CONTROL).name,
        swap=swap, source=dict(zip(chosen["clip_id"], chosen["gender"].astype(str))),
        target={g: TARGETS[g] for g in sorted(set(chosen["gender"]))}, sample=tuple(sample),
        excluded={"other_gender": int((~known).sum()), "too_short": int((known & ~long_enough).sum())},
    )


PROBE = register(Probe(
    name="gender_swap",
    description="women's clips in a male-like voice and men's in a female-like one, beside the "
                "resynthesis control (Praat Change gender)",
    settings=GenderSwapSettings,
    plan=plan,
))
