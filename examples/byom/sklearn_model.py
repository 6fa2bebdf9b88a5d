"""A feature-input scikit-learn model, the classic tutorial recipe, brought to serfair three ways.

Features: the 180-d MFCC(40) + chroma(12) + mel(128) means (serfair's `mfcc_chroma_mel_mean` front
end computes exactly what the tutorials' librosa calls do). Model: a scaled logistic regression.

    python examples/byom/sklearn_model.py --out models/        # writes three files:
      models/ser-logreg.onnx   skl2onnx export with serfair metadata (labels, rate, front end)
      models/ser-logreg.skops  the same estimator for the sklearn adapter (+ a sidecar YAML)
      models/ser-logreg.joblib a pickle: only audited with --trust-pickle
    serfair audit --model models/ser-logreg.onnx --data models/clips.csv   # held-out speakers

With --target gender_emotion the classes are female_angry, male_angry, ...: audit it mapped down
to emotions with --postprocess 'female_*=*,male_*=*'.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import joblib
import numpy as np
import onnx
import skops.io as sio
import yaml
from common import pick_clips, waves, write_manifest
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from serfair.features import FrontEnd

FRONTEND = "mfcc_chroma_mel_mean"
SAMPLE_RATE = 16000


def train(data: str | None, target: str, per_emotion: int):
    """Fit on half the speakers of each gender; returns the pipeline and the held-out clips."""
    clips = pick_clips(data, per_emotion)
    speakers = clips.drop_duplicates("speaker_id").sort_values(["gender", "speaker_id"])
    training = set(speakers.groupby("gender")["speaker_id"].apply(lambda s: s.iloc[::2]).explode())
    train_clips = clips[clips["speaker_id"].isin(training)]
    frontend = FrontEnd(FRONTEND, SAMPLE_RATE)
    features = np.stack([frontend(w) for w in waves(train_clips, SAMPLE_RATE)])
    y = train_clips["emotion"] if target == "emotion" else (
        train_clips["gender"] + "_" + train_clips["emotion"])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=0.1))
    model.fit(features, y.to_numpy())
    return model, clips[~clips["speaker_id"].isin(training)], features


def export_onnx(model, n_features: int, path: Path) -> Path:
    """skl2onnx export without ZipMap, with the facts serfair reads from ONNX metadata."""
    onx = to_onnx(model, np.zeros((1, n_features), dtype=np.float32),
                  options={id(model): {"zipmap": False}}, target_opset=17)
    props = {"serfair.labels": json.dumps([str(c) for c in model.classes_]),
             "serfair.sample_rate": str(SAMPLE_RATE), "serfair.frontend": FRONTEND,
             "serfair.output": "probabilities", "serfair.name": path.stem}
    onnx.helper.set_model_props(onx, props)
    onnx.save(onx, str(path))
    return path


def main(argv: list[str] | None = None) -> dict[str, Path]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("models"))
    parser.add_argument("--data", help="manifest or corpus folder (default: the demo set)")
    parser.add_argument("--target", choices=("emotion", "gender_emotion"), default="emotion")
    parser.add_argument("--per-emotion", type=int, default=2, help="clips per speaker and emotion")
    args = parser.parse_args(argv)
    model, clips, features = train(args.data, args.target, args.per_emotion)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / ("ser-logreg" if args.target == "emotion" else "ser-gender-emotion")
    onnx_path = export_onnx(model, features.shape[1], stem.with_suffix(".onnx"))
    sio.dump(model, stem.with_suffix(".skops"))
    # the skops file has no metadata slot: its sidecar says which features and rate it expects
    stem.with_suffix(".yaml").write_text(yaml.safe_dump(
        {"sample_rate": SAMPLE_RATE, "frontend": FRONTEND}))
    joblib.dump(model, stem.with_suffix(".joblib"))
    manifest = write_manifest(clips, args.out / "clips.csv")
    print(f"trained on {len(features)} clips: classes {', '.join(map(str, model.classes_))}; "
          f"{len(clips)} clips of other speakers kept for the audit")
    for path in (onnx_path, stem.with_suffix(".skops"), stem.with_suffix(".joblib"), manifest):
        print(f"wrote {path}")
    return {"onnx": onnx_path, "skops": stem.with_suffix(".skops"),
            "joblib": stem.with_suffix(".joblib"), "manifest": manifest}


if __name__ == "__main__":
    main()
