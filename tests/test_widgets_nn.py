"""Dashboards of notebooks 06–09: compute functions, frames and wiring (no screen)."""

import warnings

import numpy as np
import pytest

from mmlearn import widgets as w


def test_compute_boundary_trains_and_evaluates_the_grid():
    res = w.compute_boundary("moons", hidden=16, optimizer="Adam", lr=0.03)
    assert res.proba.shape == (w.BOUNDARY_GRID, w.BOUNDARY_GRID)
    assert np.all((res.proba >= 0) & (res.proba <= 1))
    assert res.history.metrics["train_accuracy"][-1] > 0.95
    assert res.X.shape == (200, 2)


def test_boundary_reports_divergence_in_the_figure():
    frame = w.boundary_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = w.compute_boundary("spirals", optimizer="SGD", lr=1e4)
        status = w.draw_boundary(frame, res)
        frame.png()
    assert res.history.diverged and "diverged at step" in status
    assert frame["status"].get_text().startswith("diverged")


@pytest.mark.parametrize(
    "kwargs, message",
    [({"dataset": "circles"}, "dataset must be"), ({"optimizer": "LBFGS"}, "optimizer must be")],
)
def test_compute_boundary_rejects_unknown_names(kwargs, message):
    with pytest.raises(ValueError, match=message):
        w.compute_boundary(**kwargs)


def test_boundary_dashboard_retrains_on_change():
    dash = w.boundary_dashboard()
    first = dash.png
    dash.set_values(dataset="spirals", optimizer="blend(momentum, Adam)")
    assert dash.png != first and "train accuracy" in dash.status


@pytest.fixture(scope="module")
def redundant_models():
    from mmlearn import data, fusion

    train = data.make_image_text(600, "redundant", seed=0)
    models = {}
    for name, (img, txt) in {
        "image only": (train.images, None),
        "early": (train.images, train.bow),
        "late": (train.images, train.bow),
    }.items():
        models[name] = fusion.MODELS.get(name, fusion.EarlyFusion)(seed=0)
        models[name].fit((img, txt), train.labels, epochs=8, batch_size=64)
    return models


def test_compute_fusion_remixes_late_fusion_for_every_alpha(redundant_models):
    res = w.compute_fusion(redundant_models, "redundant", image_noise=0.6, alpha=1.0)
    assert list(res.scores) == ["image only", "early", "late"]
    assert res.late_curve.shape == w.FUSION_ALPHAS.shape
    assert res.scores["late"] == pytest.approx(res.late_curve[-1])  # α = 1 is the last point
    # with noisy images, leaning on the caption (small α) beats leaning on the image
    assert res.late_curve[0] > res.late_curve[-1]
    assert 0.09 < res.chance < 0.2


def test_fusion_dashboard_redraws_and_requires_a_late_model(redundant_models):
    dash = w.fusion_dashboard(redundant_models, "redundant")
    first = dash.png
    dash.set_values(image_noise=0.5, alpha=0.2)
    assert dash.png != first and "α = 0.20" in dash.status
    with pytest.raises(ValueError, match="must include 'late'"):
        w.compute_fusion({"early": redundant_models["early"]}, "redundant")


def test_noise_curve_evaluates_unimodal_models_without_the_missing_input(redundant_models):
    from mmlearn import fusion

    curves = fusion.noise_curve(redundant_models, "redundant", image_noise=[0.0, 0.8], n=200)
    assert curves["image only"][0] > curves["image only"][1] + 0.2
    assert curves["late"][1] > curves["image only"][1]


@pytest.fixture(scope="module")
def lambda_sweep():
    from mmlearn import data, multitask

    images, labels = data.load_digits()
    X, Y = (
        images.reshape(-1, 64)[:300],
        {"digit": labels[:300], "ink": images[:300].sum(axis=(1, 2))},
    )
    sweep = {}
    for lam in (0.01, 1.0):
        net = multitask.MultiTaskNet(
            64, {"digit": (10, "cross_entropy"), "ink": (1, "mse")}, trunk=(16,), seed=0
        )
        sweep[lam] = net.fit(X, Y, weighting=multitask.Fixed({"ink": lam}), epochs=3, val=(X, Y))
    return sweep


def test_compute_multitask_summarises_the_sweep(lambda_sweep):
    res = w.compute_multitask(lambda_sweep, 1.0)
    assert res.lambdas.tolist() == [0.01, 1.0] and res.selected == 1
    assert res.accuracy[1] == lambda_sweep[1.0].metrics["val_digit_accuracy"][-1]
    assert np.allclose(res.weighted_aux_loss, lambda_sweep[1.0].extras["task_loss"]["ink"])
    with pytest.raises(ValueError, match="one of the swept values"):
        w.compute_multitask(lambda_sweep, 0.5)


def test_multitask_dashboard_moves_the_selection(lambda_sweep):
    dash = w.multitask_dashboard(lambda_sweep)
    first = dash.png
    dash.set_values(lam=0.01)
    assert dash.png != first and dash.status.startswith("λ = 0.01")


@pytest.fixture(scope="module")
def efficiency_grid():
    from mmlearn import data, losses, nn, optim, train

    X, y = data.make_moons(120, seed=0)
    grid = {}
    makers = {"SGD": lambda: optim.SGD(lr=0.1), "Adam": lambda: optim.Adam(lr=0.01)}
    for name, make in makers.items():
        for batch in (8, 32):
            grid[name, batch] = train.fit(
                nn.MLP([2, 8, 2], seed=0),
                losses.softmax_cross_entropy,
                make(),
                X,
                y,
                epochs=2,
                batch_size=batch,
                val=(X, y),
            )
    return grid


@pytest.mark.parametrize("clock", list(w.CLOCKS))
def test_compute_efficiency_puts_each_run_on_the_chosen_clock(efficiency_grid, clock):
    res = w.compute_efficiency(efficiency_grid, "Adam", clock)
    assert sorted(res.curves) == [8, 32]
    x, y = res.curves[8]
    h = efficiency_grid["Adam", 8]
    expected = {
        "examples seen": h.samples_seen,
        "optimizer steps": np.arange(1, 31),
        "seconds": h.step_time,
    }[clock]
    assert np.array_equal(x, expected) and y.shape == x.shape
    assert res.final_accuracy["SGD", 32] == efficiency_grid["SGD", 32].metrics["val_accuracy"][-1]


def test_efficiency_dashboard_switches_clock_and_optimizer(efficiency_grid):
    dash = w.efficiency_dashboard(efficiency_grid)
    first = dash.png
    dash.set_values(optimizer="Adam", clock="optimizer steps")
    assert dash.png != first and dash.status.startswith("Adam")
    with pytest.raises(ValueError, match="clock must be one of"):
        w.compute_efficiency(efficiency_grid, "Adam", "epochs")
    with pytest.raises(ValueError, match="optimizer must be one of"):
        w.compute_efficiency(efficiency_grid, "Lion")


def test_every_batch_curve_stays_visible_where_the_curves_overlap(efficiency_grid):
    # on the seconds clock the curves lie on top of each other: each batch size needs its own
    # line style and an end-of-run marker, the shorter (larger-batch) curves drawn on top
    frame = w.efficiency_frame(efficiency_grid)
    w.draw_efficiency(frame, w.compute_efficiency(efficiency_grid, "SGD", "seconds"))
    lines = [frame[f"batch{b}"] for b in (8, 32)]
    assert len({line.get_linestyle() for line in lines}) == 2
    assert len({line.get_marker() for line in lines}) == 2
    assert all(line.get_markevery() == [-1] for line in lines)
    assert lines[1].get_zorder() > lines[0].get_zorder()
