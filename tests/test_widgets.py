"""Dashboards: their pure compute functions, their frames and the slider wiring (no screen)."""

import ast
import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmlearn import widgets as w


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_compute_gd_1d_names_the_regime_and_follows_r_to_the_k():
    res = w.compute_gd_1d(a=2.0, lr=0.75, x0=2.0, steps=20)
    assert res.regime == "oscillating" and res.r == pytest.approx(-0.5)
    np.testing.assert_allclose(res.xs, 2.0 * (-0.5) ** np.arange(21))
    np.testing.assert_allclose(res.fs, 0.5 * 2.0 * res.xs**2)


def test_compute_gd_1d_reports_divergence():
    res = w.compute_gd_1d(a=4.0, lr=2.0)
    assert res.regime == "diverging" and res.diverged_at is not None


def test_frame_renders_each_regime_and_changes_with_the_data():
    frame = w.gd_1d_frame()
    pngs = {}
    for lr in (0.5, 1.5, 3.0):
        status = w.draw_gd_1d(frame, w.compute_gd_1d(a=1.0, lr=lr))
        pngs[lr] = frame.png()
        assert f"lr={lr:.2f}" in status
        assert _image(pngs[lr]).size == (672, 272)
    assert len(set(pngs.values())) == 3
    # |x_k| = 2·2^k first exceeds the bound 1e6 at k = ceil(log2(5e5)) = 19
    assert frame["status"].get_text() == f"diverged at step {int(np.ceil(np.log2(5e5)))}"
    assert frame["title_k"].get_text().startswith("diverging")


def test_the_lr_slider_reaches_beyond_the_stability_limit_for_every_a():
    dash = w.gd_1d_dashboard()
    lr, a = dash.controls["lr"], dash.controls["a"]
    assert (a.min, a.max) == w.GD_1D_A_RANGE and (lr.min, lr.max) == w.GD_1D_LR_RANGE
    assert lr.max > 2 / a.min  # the gentlest curvature can be made to diverge too
    dash.set_values(a=a.min, lr=lr.max)
    assert "diverging" in dash.status


@pytest.mark.parametrize(
    "a, lr, says",
    [
        (1.0, 0.5, ""),
        (1.0, 2.0, "bouncing: |x| stays |x₀| forever"),
        (1.0, 2.5, "diverging: |x| grows ×1.50 per step"),  # 2·1.5^20 < 1e6: not yet beyond
        (1.0, 5.0, "diverged at step 10"),  # 2·4^k > 1e6 first at k = 10
    ],
)
def test_the_status_line_says_how_a_run_ends(a, lr, says):
    assert w.gd_1d_status(w.compute_gd_1d(a=a, lr=lr)) == says


def test_dashboard_redraws_on_slider_change_without_warnings():
    dash = w.gd_1d_dashboard(a=1.0, lr=0.5)
    assert dash.status == "a=1.00, lr=0.50: monotone (r = +0.50)"
    first = dash.png
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dash.controls["lr"].value = 2.0
        dash.controls["a"].value = 4.0
    assert dash.status == "a=4.00, lr=2.00: diverging (r = -7.00)"
    assert dash.png != first


def test_dashboard_offers_a_static_png_for_viewers_without_a_kernel():
    dash = w.gd_1d_dashboard()
    bundle = dash._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["image/png"] == dash.png and _image(dash.png).format == "PNG"


def test_a_static_layer_is_drawn_once_per_key_and_replaced_when_the_key_changes():
    from mmlearn.plots import Frame

    frame, drawn = Frame(), []

    def layer(label):
        drawn.append(label)
        return frame.axes.plot([0, 1], [0, 1], label=label)

    frame.static_layer("a", lambda: layer("a"))
    frame.png()
    frame.static_layer("a", lambda: layer("a"))  # same key: nothing to draw
    assert drawn == ["a"] and [line.get_label() for line in frame.axes.lines] == ["a"]
    before = frame.png()
    frame.static_layer("b", lambda: layer("b"))
    assert drawn == ["a", "b"] and [line.get_label() for line in frame.axes.lines] == ["b"]
    assert frame.static_key == "b" and frame.png() != before  # the background was re-rendered


def _defined_names(path: Path) -> set[str]:
    """The public names a module defines at top level (functions, classes, constants)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return {name for name in found if not name.startswith("_")}


def test_every_public_name_of_the_dashboard_modules_is_in_mm_widgets():
    for path in Path(w.__file__).parent.glob("*.py"):
        if path.name != "__init__.py":
            missing = _defined_names(path) - set(w.__all__)
            assert not missing, f"widgets/{path.name}: add {sorted(missing)} to mm.widgets"
    assert all(hasattr(w, name) for name in w.__all__)


def test_compute_tangent_slopes_and_errors():
    res = w.compute_tangent("MSE", x=1.0, log10_h=-3.0)
    assert res.slope == pytest.approx(2.0)
    assert res.forward == pytest.approx(2.0 + 1e-3)  # (x+h)^2 - x^2 over h = 2x + h
    assert res.central == pytest.approx(2.0, abs=1e-9)
    big_h = np.argmin(np.abs(w.H_GRID - 1e-2))
    assert res.forward_errors[big_h] == pytest.approx(1e-2, rel=1e-3)
    kink = w.compute_tangent("MAE", x=0.01, log10_h=-1.0)  # the secant straddles |x|'s kink
    # (|0.11| - |-0.09|) / 0.2 = 0.1, far from the true slope 1
    assert kink.slope == 1.0 and kink.central == pytest.approx(0.1)


def test_on_the_curved_log_loss_forward_errors_fall_like_h_and_central_like_h_squared():
    res = w.compute_tangent("log-loss", x=0.6)
    i = [int(np.argmin(np.abs(w.H_GRID - h))) for h in (1e-2, 1e-3)]
    assert res.forward_errors[i[0]] / res.forward_errors[i[1]] == pytest.approx(10, rel=0.05)
    assert res.central_errors[i[0]] / res.central_errors[i[1]] == pytest.approx(100, rel=0.05)
    # on MSE, a parabola, the central difference has no h² term: only round-off is left
    assert w.compute_tangent("MSE", x=0.6).central_errors[i[0]] < 1e-12


def test_compute_tangent_rejects_unknown_losses():
    with pytest.raises(ValueError, match="loss must be one of"):
        w.compute_tangent("L3")


def test_tangent_dashboard_reports_the_estimates():
    dash = w.tangent_dashboard(loss="MSE", x=1.0, log10_h=-3.0)
    assert dash.status.startswith(
        "loss=MSE, x=1.00, h=1.0e-03: true slope +2.000000; forward +2.001000 (error 1.00e-03); "
        "central +2.000000 (error"
    )
    dash.controls["loss"].value = "MAE"
    assert dash.status.startswith("loss=MAE") and _image(dash.png).size == (672, 272)


def test_compute_linreg_gd_uses_lr_in_units_of_one_over_L():
    from mmlearn import linreg

    res = w.compute_linreg_gd(lr_times_L=1.0, scaling="standardised")
    x, _ = w.linreg_data("standardised")
    assert res.lr == pytest.approx(1.0 / np.linalg.eigvalsh(linreg.hessian(x))[-1])
    assert res.kappa == pytest.approx(1.0)
    assert res.trajectory.losses[1] - res.best_loss < 1e-12  # a round bowl: one step
    raw = w.compute_linreg_gd(lr_times_L=1.0, scaling="raw")
    assert raw.kappa > 100 and raw.trajectory.losses[-1] - raw.best_loss > 0.1


def test_linreg_dashboard_switches_scaling_and_reports_instability():
    dash = w.linreg_dashboard(lr_times_L=1.0, scaling="raw")
    assert dash.status.startswith("raw feature, lr=0.01249 (lr·λmax=1.00, stable)")
    dash.controls["lr_times_L"].value = 2.1
    assert "unstable (lr·λmax ≥ 2)" in dash.status
    assert dash.frame["status"].get_text() == "lr·λmax ≥ 2: the loss grows every step"
    dash.controls["scaling"].value = "standardised"
    assert dash.status.startswith("standardised feature")
    assert dash.frame.static_key == "standardised"
    with pytest.raises(ValueError, match="scaling must be one of"):
        w.linreg_data("log")


def test_compute_sgd_steps_and_schedules():
    full = w.compute_sgd(batch_size=100, lr=0.5)
    assert len(full.trajectory.xs) == w.SGD_EPOCHS + 1
    sgd = w.compute_sgd(batch_size=1, lr=0.1)
    decayed = w.compute_sgd(batch_size=1, lr=0.1, schedule="step")
    assert len(sgd.trajectory.xs) == 100 * w.SGD_EPOCHS + 1
    gap = lambda r: r.trajectory.losses[-1] - r.best_loss
    assert gap(decayed) < gap(sgd) / 10  # a decaying rate removes the noise floor
    with pytest.raises(ValueError, match="schedule must be one of"):
        w.compute_sgd(schedule="warm")


def test_sgd_dashboard_updates():
    dash = w.sgd_dashboard(batch_size=16, lr=0.1)
    assert dash.status.startswith("batch=16, lr=0.10, schedule=constant: 35 steps")
    dash.controls["batch_size"].value = 1
    dash.controls["schedule"].value = "1/t"
    assert dash.status.startswith("batch=1, lr=0.10, schedule=1/t: 500 steps")


def test_compute_race_runs_every_racer_with_its_own_settings():
    res = w.compute_race("ill-conditioned bowl", 1.0, 0.3, 0.9, 0.1, 0.1, 0.9, steps=50)
    assert list(res.trajectories) == list(w.RACERS)
    assert all(len(t.xs) == 51 for t in res.trajectories.values())
    slow = w.compute_race("ill-conditioned bowl", 1e-3, 0.3, 0.9, 0.1, 0.1, 0.9, steps=50)
    assert slow.trajectories["GD"].losses[-1] > res.trajectories["GD"].losses[-1]
    assert np.array_equal(slow.trajectories["Adam"].xs, res.trajectories["Adam"].xs)
    with pytest.raises(ValueError, match="landscape must be one of"):
        w.compute_race("Ackley")


def test_race_reports_divergence_in_the_figure():
    frame = w.race_frame()
    status = w.draw_race(frame, w.compute_race("Rosenbrock", lr_gd=1.0, steps=50))
    assert "GD diverged" in status
    assert frame["status"].get_text().startswith("GD diverged at step")


@pytest.mark.parametrize("racers", [w.RACERS, w.BLEND_RACERS])
def test_race_paths_stay_visible_where_they_overlap(racers):
    """Where two paths share a stretch (GD's runs under Adam's on the bowl), the one drawn
    first is wider, so it shows around the one on top; styles and markers tell them apart."""
    frame = w.race_frame(racers)
    paths = [frame[f"path {name}"] for name in racers]
    widths = [line.get_linewidth() for line in paths]
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == len(widths)
    assert len({(line.get_linestyle(), line.get_marker()) for line in paths}) == len(paths)
    assert [line.get_label() for line in paths] == list(racers)
    assert frame.axes[0].get_aspect() == 1.0  # equal aspect: a tilted valley looks tilted


def test_race_dashboard_loads_suggested_rates_once_per_landscape_change(monkeypatch):
    dash = w.race_dashboard("ill-conditioned bowl")
    calls = []
    original = dash._update
    dash._update = lambda **v: calls.append(v) or original(**v)
    dash.controls["landscape"].value = "Rosenbrock"
    assert dash.controls["lr_gd"].value == pytest.approx(w.RACE_LRS["Rosenbrock"][0])
    # one redraw for the landscape itself, one for the four new learning rates together
    assert len(calls) == 2 and calls[-1]["lr_gd"] == pytest.approx(1e-3)
    assert dash.status.startswith("Rosenbrock: GD")


def test_compute_blend_matches_a_hand_built_blend_and_handles_zero_weights():
    from mmlearn import optim, trajectories

    res = w.compute_blend("saddle", w_gd=1.0, w_momentum=1.0, w_rmsprop=2.0, steps=40)
    members = list(w.blend_members("saddle").values())
    manual = optim.Blend(list(zip([0.25, 0.25, 0.5], members)))
    ref = trajectories.run(manual, w.RACE_LANDSCAPES["saddle"], steps=40)
    np.testing.assert_allclose(res.trajectories["blend"].xs, ref.xs)
    still = w.compute_blend("saddle", 0.0, 0.0, 0.0, steps=10).trajectories["blend"]
    assert np.all(still.xs == still.xs[0])


def test_blend_dashboard_redraws_on_weight_change():
    dash = w.blend_dashboard("ill-conditioned bowl")
    before = dash.status
    dash.controls["w_rmsprop"].value = 0.0
    assert dash.status != before and dash.status.startswith("ill-conditioned bowl: GD")
