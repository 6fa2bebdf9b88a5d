"""The gender-swap probe: settings are validated with the voice family's ranges, each clip gets
the other gender's voice, and clips it cannot probe are counted, not dropped silently."""

from __future__ import annotations

import pandas as pd
import pytest
import soundfile as sf

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir, load_dataset
from serfair.errors import SpecError
from serfair.probes import PROBES, parse_probes, plan_probes
from serfair.spec import load_spec

TO_MALE = "voice@formant=0.85:pitch=0:range=1:semitones=-9"
TO_FEMALE = "voice@formant=1.17:pitch=0:range=1:semitones=9"


@pytest.mark.parametrize("value", ["gender_swap", ["gender_swap"], {"gender_swap": None},
                                   {"gender_swap": {}}])
def test_one_name_gives_every_default(value):
    settings = parse_probes(value)["gender_swap"]
    assert settings["to_female"] == {"formant": 1.17, "pitch": 0.0, "range": 1.0, "semitones": 9.0}
    assert settings["to_male"]["formant"] == 0.85 and settings["sample"] == 16


def test_settings_can_be_changed_and_are_checked():
    settings = parse_probes({"gender_swap": {"to_female": {"formant": 1.2, "pitch": 210},
                                             "sample": 0}})["gender_swap"]
    assert settings["to_female"] == {"formant": 1.2, "pitch": 210.0, "range": 1.0, "semitones": 0.0}
    with pytest.raises(SpecError, match=r"to_male: voice@formant=2 is out of range.*0.7 and 1.5"):
        parse_probes({"gender_swap": {"to_male": {"formant": 2}}})
    with pytest.raises(SpecError, match="to_male.sharpness"):
        parse_probes({"gender_swap": {"to_male": {"formant": 0.9, "sharpness": 1}}})
    with pytest.raises(SpecError, match="unknown probe 'accent_swap'; valid probes: gender_swap"):
        parse_probes("accent_swap")


def test_spec_line_and_flag_switch_it_on():
    assert "gender_swap" in PROBES
    assert load_spec(None, probes="gender_swap").probes["gender_swap"]["sample"] == 16
    demo = load_spec("audits/demo.yaml")
    assert list(demo.probes) == ["gender_swap"]
    assert load_spec(None).probes == {}


def test_each_clip_gets_the_other_genders_voice_and_a_seeded_sample():
    clips = load_dataset(None)
    plan = plan_probes(parse_probes("gender_swap"), clips, sample_rate=16000, seed=0)[0]
    assert len(plan.swap) == len(clips) and plan.excluded == {"other_gender": 0, "too_short": 0}
    for cid, gender in zip(clips["clip_id"], clips["gender"]):
        assert plan.swap[cid] == (TO_MALE if gender == "female" else TO_FEMALE)
    assert plan.target == {"female": "male", "male": "female"}
    runs = {name: ids for ids, name in plan.runs()}
    assert len(runs["voice@formant=1:pitch=0:range=1:semitones=0"]) == len(clips)
    assert len(runs[TO_MALE]) == (clips["gender"] == "female").sum()
    sample = pd.Series([plan.source[c] for c in plan.sample]).value_counts()
    assert sample.to_dict() == {"female": 16, "male": 16}
    again = plan_probes(parse_probes("gender_swap"), clips, sample_rate=16000, seed=0)[0]
    assert again.sample == plan.sample
    speakers = clips.set_index("clip_id").loc[list(plan.sample), "speaker_id"]
    assert speakers.nunique() == clips["speaker_id"].nunique()  # spread over every speaker


def test_other_genders_and_clips_too_short_for_praat_are_counted(tmp_path):
    demo = demo_data_dir()
    frame = pd.read_csv(demo / "manifest.csv", dtype=str, keep_default_na=False).head(4)
    frame["path"] = [str(demo / p) for p in frame["path"]]
    wave = load_audio(frame["path"].iloc[0], 16000)
    sf.write(tmp_path / "short.wav", wave[:480], 16000)  # 30 ms: Praat needs 40
    sf.write(tmp_path / "other.wav", wave, 16000)
    extra = [{**frame.iloc[0].to_dict(), "path": str(tmp_path / "short.wav")},
             {**frame.iloc[1].to_dict(), "path": str(tmp_path / "other.wav"),
              "gender": "non-binary", "speaker_id": "x1"}]
    manifest = tmp_path / "m.csv"
    pd.concat([frame, pd.DataFrame(extra)]).to_csv(manifest, index=False)
    clips = load_dataset(str(manifest))
    plan = plan_probes(parse_probes("gender_swap"), clips, sample_rate=16000, seed=0)[0]
    assert plan.excluded == {"other_gender": 1, "too_short": 1}
    assert len(plan.swap) == 4
