"""The stand-in for a reader's own model in docs/tutorial.md: the classic tutorial recipe, an MLP
on 180 librosa features, exported by skl2onnx with no serfair metadata at all."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from skl2onnx import to_onnx
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir
from serfair.features import FrontEnd

EMOTIONS = ("angry", "disgust", "fearful", "happy", "neutral", "sad")  # the sidecar's label order


def make_my_model(path: Path, per_speaker: int = 24) -> Path:
    """Fit on half the demo speakers of each gender in each corpus; write `path` (ONNX, [N, 180])."""
    demo = demo_data_dir()
    clips = pd.read_csv(demo / "manifest.csv", dtype=str, keep_default_na=False)
    speakers = clips.drop_duplicates("speaker_id").sort_values("speaker_id")
    half = speakers.groupby(["gender", "dataset"])["speaker_id"].apply(lambda s: s.iloc[::2])
    clips = clips[clips["speaker_id"].isin(set(half)) & clips["emotion"].isin(EMOTIONS)]
    clips = clips.groupby("speaker_id").head(per_speaker)
    frontend = FrontEnd("mfcc_chroma_mel_mean", 16000)
    x = np.stack([frontend(load_audio(demo / p, 16000)) for p in clips["path"]]).astype(np.float32)
    model = make_pipeline(StandardScaler(), MLPClassifier((64,), max_iter=400, random_state=0))
    with warnings.catch_warnings():  # a stand-in model: not trained to convergence on purpose
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, clips["emotion"].to_numpy())
    onx = to_onnx(model, x[:1], options={id(model): {"zipmap": False}}, target_opset=17)
    path.write_bytes(onx.SerializeToString())
    return path
