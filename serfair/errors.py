"""Errors a user can cause. The CLI prints them without a traceback and exits 2."""

from __future__ import annotations


class SerfairError(Exception):
    """Base class: the message says what is wrong and how to fix it."""

    exit_code = 2


class DataError(SerfairError):
    """The manifest, a corpus folder or an audio file is unusable."""


class ModelError(SerfairError):
    """The model cannot be loaded, or returned something unusable."""


class SpecError(SerfairError):
    """The audit spec, a flag, a condition or a policy is invalid."""


class LabelError(SerfairError):
    """The model's labels and the data's labels cannot be reconciled."""
