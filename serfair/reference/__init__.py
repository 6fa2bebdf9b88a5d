"""Reference CNN-LSTM models: features, architecture, training recipe and ONNX export.

Needs the `train` extra (torch). Nothing else in serfair imports this package at import time;
import the submodules (`serfair.reference.train`, `.export`, `.model`) explicitly.
"""
