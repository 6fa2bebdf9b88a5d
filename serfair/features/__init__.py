"""Declarative front ends for the common SER tutorial recipes (librosa features, no code).

    >>> from serfair.features import FrontEnd
    >>> FrontEnd("mfcc_chroma_mel_mean", 16000)(wave).shape
    (180,)
"""

from serfair.features.config import PRESET_HELP, PRESETS, FrontEndConfig, parse_frontend
from serfair.features.frontend import FrontEnd, fix_duration

__all__ = ["PRESETS", "PRESET_HELP", "FrontEnd", "FrontEndConfig", "fix_duration", "parse_frontend"]
