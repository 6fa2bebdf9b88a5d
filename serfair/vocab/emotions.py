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


def parse_mapping(value: str | dict | None, what: str = "--label-map") -> dict[str, str]:
    """`from=to,from=to` text (or a mapping) as a dict; a clear error for anything else."""
    from serfair.errors import SpecError

    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {str(k).strip(): str(v).strip() for k, v in value.items()}
    mapping: dict[str, str] = {}
    for item in str(value).split(","):
        if not item.strip():
            continue
        source, sep, target = item.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise SpecError(f"{what}: '{item.strip()}' must look like from=to "
                            f"(e.g. {what} 'anger=angry,joy=happy')")
        mapping[source.strip()] = target.strip()
    return mapping
