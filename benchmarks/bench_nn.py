"""MLP training speed on digits-sized data: one epoch of ``train.fit`` (1 797 examples of 64
features, MLP 64-64-10, batch 32, SGD with momentum), against the same loop in torch when it is
installed (an optional peer: float64 like ours, and torch's default float32)."""

from __future__ import annotations

from harness import Benchmark, Comparison, optional_torch

from mmlearn import data, losses, nn, optim, train

SIZES, BATCH, LR, MOMENTUM = [64, 64, 10], 32, 0.05, 0.9


def _digits():
    images, labels = data.load_digits()
    return images.reshape(len(images), -1), labels


def _ours():
    X, y = _digits()
    net = nn.MLP(SIZES, seed=0)
    opt = optim.SGD(lr=LR, momentum=MOMENTUM)
    return lambda: train.fit(
        net, losses.softmax_cross_entropy, opt, X, y, epochs=1, batch_size=BATCH
    )


def _torch(dtype_name: str):
    def make():
        torch = optional_torch()
        if torch is None:
            return None
        dtype = getattr(torch, dtype_name)
        X, y = _digits()
        Xt, yt = torch.tensor(X, dtype=dtype), torch.tensor(y)
        torch.manual_seed(0)
        net = torch.nn.Sequential(
            torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)
        ).to(dtype)
        opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
        loss_fn, gen = torch.nn.CrossEntropyLoss(), torch.Generator().manual_seed(0)

        def epoch():
            for idx in torch.randperm(len(Xt), generator=gen).split(BATCH):
                opt.zero_grad()
                loss_fn(net(Xt[idx]), yt[idx]).backward()
                opt.step()

        return epoch

    return make


COMPARISONS = [
    Comparison(
        "MLP epoch on digits: fit vs torch float64",
        _ours,
        _torch("float64"),
        target_ratio=1.0,
        rounds=9,
        calls=3,
    ),
    Comparison(
        "MLP epoch on digits: fit vs torch float32",
        _ours,
        _torch("float32"),
        target_ratio=1.0,
        rounds=9,
        calls=3,
    ),
]

BENCHMARKS = [
    Benchmark("fit: 1 epoch of digits, MLP 64-64-10, batch 32", lambda: _ours(), None, repeat=9)
]
