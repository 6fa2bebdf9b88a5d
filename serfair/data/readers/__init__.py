"""Corpus readers, one file each (facts in a YAML beside it); importing this registers them all."""

from serfair.data.readers import (  # noqa: F401  (registration)
    cremad,
    emodb,
    iemocap,
    ravdess,
    savee,
    tess,
)
from serfair.data.readers.base import READERS, CorpusReader, corpus_info, register

__all__ = ["READERS", "CorpusReader", "corpus_info", "register"]
