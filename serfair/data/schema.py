"""The manifest schema: one row per clip, the columns serfair reads."""

from __future__ import annotations

REQUIRED_COLUMNS: tuple[str, ...] = ("path", "speaker_id", "gender", "emotion")
OPTIONAL_COLUMNS: tuple[str, ...] = ("clip_id", "dataset", "accent", "language", "age")

# Gender spellings normalised so that slices line up across corpora.
GENDER_SYNONYMS: dict[str, str] = {
    "f": "female", "female": "female", "woman": "female", "w": "female",
    "m": "male", "male": "male", "man": "male",
}


def normalise_gender(value: object) -> str:
    """Map common spellings (F, m, Woman ...) to female/male; keep anything else as given."""
    text = str(value).strip()
    return GENDER_SYNONYMS.get(text.lower(), text)
