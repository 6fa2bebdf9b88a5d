"""A local Hugging Face audio classifier folder (needs the hf extra: pip install 'serfair[hf]').

    python examples/byom/hf_model.py --out models/tiny-wav2vec2
    serfair audit --model models/tiny-wav2vec2 --label-map calm=neutral

Builds a tiny, randomly initialised wav2vec2 classifier and saves it with save_pretrained: the
same folder layout as a fine-tuned checkpoint (config.json with id2label, weights,
preprocessor_config.json). Nothing is downloaded. Random weights: chance-level predictions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

LABELS = ["angry", "happy", "neutral", "sad"]


def make_tiny_model(out: Path, labels: list[str] = LABELS, seed: int = 0) -> Path:
    """Save a tiny random Wav2Vec2ForSequenceClassification and its feature extractor to `out`."""
    import torch
    from transformers import (
        Wav2Vec2Config,
        Wav2Vec2FeatureExtractor,
        Wav2Vec2ForSequenceClassification,
    )

    config = Wav2Vec2Config(
        hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        conv_dim=(8, 8), conv_kernel=(10, 3), conv_stride=(5, 2), num_conv_pos_embeddings=8,
        num_conv_pos_embedding_groups=2, classifier_proj_size=8, num_labels=len(labels),
        id2label=dict(enumerate(labels)), label2id={k: i for i, k in enumerate(labels)},
    )
    torch.manual_seed(seed)
    Wav2Vec2ForSequenceClassification(config).save_pretrained(out)
    Wav2Vec2FeatureExtractor(sampling_rate=16000, return_attention_mask=True).save_pretrained(out)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("models/tiny-wav2vec2"))
    args = parser.parse_args()
    print(f"wrote {make_tiny_model(args.out)}")
