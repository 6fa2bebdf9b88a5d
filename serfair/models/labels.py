"""Emotion label names: normalisation and mapping between a model's and a corpus's labels."""

from __future__ import annotations

SYNONYMS: dict[str, str] = {
    "anger": "angry", "angry": "angry", "ang": "angry", "mad": "angry",
    "happiness": "happy", "happy": "happy", "hap": "happy", "joy": "happy", "joyful": "happy",
    "sadness": "sad", "sad": "sad",
    "fear": "fearful", "fearful": "fearful", "fea": "fearful", "afraid": "fearful", "scared": "fearful",
    "disgust": "disgust", "disgusted": "disgust", "dis": "disgust",
    "surprise": "surprised", "surprised": "surprised", "sur": "surprised", "ps": "surprised",
    "pleasant_surprise": "surprised", "pleasant surprise": "surprised",
    "neutral": "neutral", "neu": "neutral",
    "calm": "calm", "boredom": "boredom", "bored": "boredom",
    "excited": "excited", "exc": "excited", "frustrated": "frustrated", "fru": "frustrated",
    "contempt": "contempt",
}


def normalise_label(value: object) -> str:
    """Lower-case and map common synonyms (anger -> angry, joy -> happy, ps -> surprised)."""
    text = str(value).strip().lower()
    return SYNONYMS.get(text, text)


def map_labels(labels: list[str] | tuple[str, ...], mapping: dict[str, str] | None = None) -> list[str]:
    """Normalise labels, then apply an explicit mapping (from -> to) given by a spec."""
    mapping = {normalise_label(k): normalise_label(v) for k, v in (mapping or {}).items()}
    out = []
    for label in labels:
        norm = normalise_label(label)
        out.append(mapping.get(norm, norm))
    return out
