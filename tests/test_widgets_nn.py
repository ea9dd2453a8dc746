"""Dashboards of notebooks 06–09: compute functions, frames and wiring (no screen)."""

import warnings

import numpy as np
import pytest

from mmlearn import widgets as w
from mmlearn import widgets_nn as wn


def test_compute_boundary_trains_and_evaluates_the_grid():
    res = wn.compute_boundary("moons", hidden=16, optimizer="Adam", lr=0.03)
    assert res.proba.shape == (wn.BOUNDARY_GRID, wn.BOUNDARY_GRID)
    assert np.all((res.proba >= 0) & (res.proba <= 1))
    assert res.history.metrics["train_accuracy"][-1] > 0.95
    assert res.X.shape == (200, 2)


def test_boundary_reports_divergence_in_the_figure():
    frame = wn.boundary_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = wn.compute_boundary("spirals", optimizer="SGD", lr=1e4)
        status = wn.draw_boundary(frame, res)
        frame.png()
    assert res.history.diverged and "diverged at step" in status
    assert frame["status"].get_text().startswith("diverged")


@pytest.mark.parametrize("kwargs, message", [({"dataset": "circles"}, "dataset must be"),
                                             ({"optimizer": "LBFGS"}, "optimizer must be")])
def test_compute_boundary_rejects_unknown_names(kwargs, message):
    with pytest.raises(ValueError, match=message):
        wn.compute_boundary(**kwargs)


def test_boundary_dashboard_retrains_on_change():
    dash = w.boundary_dashboard()
    first = dash.png
    dash.set_values(dataset="spirals", optimizer="blend(momentum, Adam)")
    assert dash.png != first and "train accuracy" in dash.status
