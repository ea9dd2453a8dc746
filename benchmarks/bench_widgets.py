"""Dashboard redraw latency: compute + draw + PNG render, as one slider move costs."""

from __future__ import annotations

import itertools

from harness import Benchmark

from mmlearn import data, fusion, losses, multitask, nn, optim, train, widgets


def _gd_1d():
    frame = widgets.gd_1d_frame()
    settings = itertools.cycle([(1.0, 0.5), (1.0, 1.5), (2.0, 1.2), (4.0, 0.9)])

    def redraw():
        a, lr = next(settings)
        widgets.draw_gd_1d(frame, widgets.compute_gd_1d(a, lr))
        return frame.png()

    return redraw


def _tangent():
    frame = widgets.tangent_frame()
    settings = itertools.cycle(
        [("log-loss", 0.6, -2.0), ("Huber", 0.6, -2.0), ("MAE", 0.01, -1.0), ("MSE", 1.2, -8.0)]
    )

    def redraw():
        widgets.draw_tangent(frame, widgets.compute_tangent(*next(settings)))
        return frame.png()

    return redraw


def _linreg():
    frame = widgets.linreg_frame()
    widgets.draw_linreg_gd(frame, widgets.compute_linreg_gd(1.0, "raw"))  # contours drawn once
    factors = itertools.cycle([0.5, 1.0, 1.9, 2.1])

    def redraw():
        widgets.draw_linreg_gd(frame, widgets.compute_linreg_gd(next(factors), "raw"))
        return frame.png()

    return redraw


def _sgd(batch_size):
    def make():
        frame = widgets.sgd_frame()
        rates = itertools.cycle([0.05, 0.1, 0.2, 0.3])

        def redraw():
            widgets.draw_sgd(frame, widgets.compute_sgd(batch_size, next(rates)))
            return frame.png()

        return redraw

    return make


def _race():
    frame = widgets.race_frame()
    widgets.draw_race(frame, widgets.compute_race("Rosenbrock", 1e-3, 1e-3, 0.9, 1e-2, 0.1, 0.9))
    rates = itertools.cycle([1e-3, 5e-4, 2e-3])

    def redraw():  # one lr slider moved: four optimizers x 250 steps, recomputed and redrawn
        lr = next(rates)
        widgets.draw_race(frame, widgets.compute_race("Rosenbrock", lr, 1e-3, 0.9, 1e-2, 0.1, 0.9))
        return frame.png()

    return redraw


def _blend():
    frame = widgets.race_frame(widgets.BLEND_RACERS)
    widgets.draw_race(frame, widgets.compute_blend("Rosenbrock"))
    weights = itertools.cycle([0.1, 0.4, 0.8])

    def redraw():  # one weight slider moved: 3 members + the blend, 250 steps each
        widgets.draw_race(frame, widgets.compute_blend("Rosenbrock", next(weights), 0.4, 0.4))
        return frame.png()

    return redraw


def _boundary():
    frame = widgets.boundary_frame()
    settings = itertools.cycle(
        [
            ("moons", 16, "Adam", 0.03),
            ("moons", 32, "momentum", 0.1),
            ("moons", 64, "blend(momentum, Adam)", 0.03),
        ]
    )
    widgets.draw_boundary(frame, widgets.compute_boundary())
    frame.png()  # the static layer, drawn once per data set

    def redraw():  # a slider release: retrain 75 epochs and redraw
        widgets.draw_boundary(frame, widgets.compute_boundary(*next(settings)))
        return frame.png()

    return redraw


def _fusion():
    train = data.make_image_text(1200, "redundant", seed=0)
    models = {}
    for name, (images, texts) in {
        "image only": (train.images, None),
        "caption only": (None, train.bow),
        "early": (train.images, train.bow),
        "late": (train.images, train.bow),
    }.items():
        models[name] = fusion.MODELS.get(name, fusion.EarlyFusion)(seed=0)
        models[name].fit((images, texts), train.labels, epochs=5, batch_size=64)
    frame = widgets.fusion_frame([n for n in models if n != "late"] + ["late"])
    settings = itertools.cycle([(0.0, 0.0, 0.5), (0.5, 0.0, 0.3), (0.0, 0.8, 0.7)])
    for image_noise, caption_noise, alpha in [(0.0, 0.0, 0.5), (0.5, 0.0, 0.3), (0.0, 0.8, 0.7)]:
        result = widgets.compute_fusion(models, "redundant", image_noise, caption_noise, alpha)
    widgets.draw_fusion(frame, result)
    frame.png()  # the first, full render happens when the dashboard is shown, not on a slider

    def redraw():  # test sets cached, as after the first visit of each noise level
        widgets.draw_fusion(frame, widgets.compute_fusion(models, "redundant", *next(settings)))
        return frame.png()

    return redraw


def _fusion_new_noise():
    redraw_cached = _fusion()
    widgets.fusion_test_set.cache_clear()
    return redraw_cached  # every call of the cycle now generates its test set the first time


def _multitask():
    images, labels = data.load_digits()
    X, Y = images.reshape(-1, 64), {"digit": labels, "ink": images.sum(axis=(1, 2))}
    sweep = {}
    for lam in (0.01, 0.1, 1.0):
        net = multitask.MultiTaskNet(
            64, {"digit": (10, "cross_entropy"), "ink": (1, "mse")}, trunk=(32,), seed=0
        )
        sweep[lam] = net.fit(X, Y, weighting=multitask.Fixed({"ink": lam}), epochs=2, val=(X, Y))
    frame = widgets.multitask_frame(widgets.compute_multitask(sweep, 0.1))
    lams = itertools.cycle(sweep)

    def redraw():
        widgets.draw_multitask(frame, widgets.compute_multitask(sweep, next(lams)))
        return frame.png()

    return redraw


def _efficiency():
    images, labels = data.load_digits()
    X = images.reshape(-1, 64)
    grid = {
        (name, batch): train.fit(
            nn.MLP([64, 32, 10]),
            losses.softmax_cross_entropy,
            make(),
            X,
            labels,
            epochs=1,
            batch_size=batch,
            val=(X, labels),
        )
        for name, make in {
            "SGD": lambda: optim.SGD(lr=0.1),
            "Adam": lambda: optim.Adam(lr=3e-3),
        }.items()
        for batch in (8, 32, 128)
    }
    frame = widgets.efficiency_frame(grid)
    widgets.draw_efficiency(frame, widgets.compute_efficiency(grid, "SGD"))
    frame.png()
    names = itertools.cycle(["Adam", "SGD"])

    def redraw():  # the optimizer dropdown, on the examples clock (x range unchanged)
        widgets.draw_efficiency(frame, widgets.compute_efficiency(grid, next(names)))
        return frame.png()

    return redraw


BENCHMARKS = [
    Benchmark("00 gd_1d dashboard redraw (compute+draw+png)", _gd_1d, target_ms=60),
    Benchmark("01 tangent dashboard redraw (compute+draw+png)", _tangent, target_ms=60),
    Benchmark("02 linreg dashboard redraw, lr slider (compute+draw+png)", _linreg, target_ms=60),
    Benchmark("03 sgd dashboard redraw, batch 16 (compute+draw+png)", _sgd(16), target_ms=60),
    Benchmark(
        "03 sgd dashboard redraw, batch 1 = 500 steps (compute+draw+png)", _sgd(1), target_ms=60
    ),
    Benchmark("04 race dashboard redraw, 4 x 250 steps (compute+draw+png)", _race, target_ms=60),
    Benchmark("05 blend dashboard redraw, 4 x 250 steps (compute+draw+png)", _blend, target_ms=60),
    Benchmark(
        "06 boundary dashboard: retrain 75 epochs + redraw (slider release)",
        _boundary,
        target_ms=200,
        repeat=9,
    ),
    Benchmark(
        "07 fusion dashboard redraw, cached test set (compute+draw+png)", _fusion, target_ms=60
    ),
    Benchmark(
        "07 fusion dashboard redraw, new noise level (generate 600 pairs)",
        _fusion_new_noise,
        target_ms=200,
        repeat=3,
        warmup=0,
    ),
    Benchmark("08 multitask dashboard redraw (compute+draw+png)", _multitask, target_ms=60),
    Benchmark("09 efficiency dashboard redraw, optimizer change", _efficiency, target_ms=60),
]
