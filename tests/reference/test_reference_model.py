"""The reference CNN-LSTM in torch: front end, length bookkeeping, padding invariance."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.train


@pytest.fixture(scope="module")
def torch():
    import torch

    torch.set_num_threads(1)
    return torch


def _small_model(torch, seed=0):
    from serfair.reference.model import CnnLstm, ModelConfig

    torch.manual_seed(seed)
    model = CnnLstm(ModelConfig(n_mels=40, conv_channels=(16, 24), lstm_hidden=16))
    for m in model.modules():  # non-trivial BatchNorm statistics
        if isinstance(m, torch.nn.BatchNorm1d):
            m.running_mean.normal_(0.0, 0.3)
            m.running_var.uniform_(0.5, 2.0)
    return model.eval()


def test_valid_frames_formula(torch):
    from serfair.reference.features import valid_frames

    lengths = torch.tensor([1, 399, 400, 559, 560, 16000], dtype=torch.int64)
    assert valid_frames(lengths, 400, 160).tolist() == [1, 1, 1, 1, 2, 98]


def test_reverse_within_length(torch):
    from serfair.reference.model import reverse_within_length

    x = torch.arange(2 * 5, dtype=torch.float32).reshape(2, 5, 1)
    out = reverse_within_length(x, torch.tensor([3, 5]))
    assert out[0, :, 0].tolist() == [2.0, 1.0, 0.0, 3.0, 4.0]
    assert out[1, :, 0].tolist() == [9.0, 8.0, 7.0, 6.0, 5.0]
    assert torch.equal(reverse_within_length(out, torch.tensor([3, 5])), x)


def test_logmel_zero_past_end_and_normalised(torch):
    from serfair.reference.features import LogMel

    fe = LogMel(n_mels=40)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((2, 8000)).astype(np.float32))
    x[1, 4000:] = 0
    feats, n = fe(x, torch.tensor([8000, 4000]))
    assert n.tolist() == [48, 23]
    assert feats.shape[1] == 40
    assert torch.all(feats[1, :, 23:] == 0)
    valid = feats[1, :, :23]
    assert torch.allclose(valid.mean(-1), torch.zeros(40), atol=1e-4)
    assert torch.allclose(valid.std(-1, unbiased=False), torch.ones(40), atol=1e-2)


def test_torch_padding_invariance(torch):
    model = _small_model(torch)
    rng = np.random.default_rng(1)
    lens = [400, 561, 3333, 12000, 20000]
    waves = [rng.standard_normal(n).astype(np.float32) * 0.1 for n in lens]
    batch = np.zeros((len(lens), max(lens)), np.float32)
    for i, w in enumerate(waves):
        batch[i, : len(w)] = w
    with torch.no_grad():
        together = model(torch.from_numpy(batch), torch.tensor(lens)).numpy()
        for i, w in enumerate(waves):
            alone = model(torch.from_numpy(w[None]), torch.tensor([len(w)])).numpy()
            np.testing.assert_allclose(alone[0], together[i], atol=1e-5)
    np.testing.assert_allclose(together.sum(1), 1.0, atol=1e-5)
