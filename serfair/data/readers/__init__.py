"""Corpus readers, one file each; importing this package registers them all."""

from serfair.data.readers import emodb, ravdess  # noqa: F401  (registration)
from serfair.data.readers.base import READERS, CorpusReader, register

__all__ = ["READERS", "CorpusReader", "register"]
