"""The dashboard shell every notebook uses: controls above a figure that is recomputed and
redrawn when a control changes, plus the controls in the house layout. The dashboards themselves
live one module per notebook beside this one (see :mod:`mmlearn.widgets`)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets
import numpy as np
from IPython.display import Image, display

from ..plots import Frame
from ..validate import in_range, int_at_least


class Dashboard(ipywidgets.VBox):
    """Controls above a figure that is recomputed and redrawn whenever a control changes.

    ``controls`` maps keyword names to widgets; ``update(**values) -> str`` recomputes, updates
    ``frame``'s artists and returns a status line, printed under the figure (``status`` holds
    the latest one, ``png`` the latest rendered frame).
    """

    def __init__(
        self,
        controls: dict[str, ipywidgets.ValueWidget],
        frame: Frame,
        update: Callable[..., str],
        rows: list[list[str]] | None = None,
    ):
        self.controls, self.frame, self._update = controls, frame, update
        self.output = ipywidgets.Output()
        rows = rows or [list(controls)]
        boxes = [ipywidgets.HBox([controls[name] for name in row]) for row in rows]
        super().__init__([*boxes, self.output])
        for control in controls.values():
            control.observe(self.refresh, names="value")
        self.status, self.png = "", b""
        self._muted = False
        self.refresh()

    def set_values(self, **values) -> None:
        """Set several controls at once, redrawing once (not once per control). All or nothing:
        every value is checked (:func:`check_value`) before any control changes, so a bad one
        leaves the controls and the figure as they were."""
        for name in values:
            choice(name, "the name of a control", self.controls)
        values = {
            name: check_value(self.controls[name], name, value) for name, value in values.items()
        }
        self._muted = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._muted = False
        self.refresh()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self, change=None) -> None:
        """Recompute, redraw and show the new frame (called on every control change)."""
        if self._muted:
            return
        self.status = self._update(**self.values())
        self.png = self.frame.png()
        with self.output:
            self.output.clear_output(wait=True)
            display(Image(data=self.png, format="png"))
            print(self.status)

    def _repr_mimebundle_(self, **kwargs):
        # The live widget for JupyterLab, plus the current frame as a plain PNG for viewers
        # without a kernel (GitHub, nbviewer), which cannot render the widget itself.
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["image/png"] = self.png
        return bundle


def choice(value, name: str, options):
    """``value`` if it is one of ``options``, else a ValueError naming ``name`` and the options
    (a landscape's name, a batch size offered by a dropdown)."""
    if isinstance(value, bool) or not np.isscalar(value) or value not in options:
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")
    return value


def check_value(control: ipywidgets.ValueWidget, name: str, value):
    """``value`` if ``control`` can show it, else an error naming ``name`` and what the control
    allows: a slider's range, a dropdown's options. (Left to itself, a slider would silently
    clamp the value to its range and a dropdown raise a TraitError.)"""
    if isinstance(
        control, (ipywidgets.FloatSlider, ipywidgets.FloatLogSlider, ipywidgets.IntSlider)
    ):
        lo, hi = (
            (control.base**control.min, control.base**control.max)
            if isinstance(control, ipywidgets.FloatLogSlider)
            else (control.min, control.max)
        )
        number = in_range(value, name, -np.inf, np.inf)  # a finite number
        if not lo <= number <= hi:
            raise ValueError(
                f"{name} must be in [{lo:g}, {hi:g}] (the range of its slider), got {value!r}"
            )
        is_int = isinstance(control, ipywidgets.IntSlider)
        return int_at_least(value, name, lo) if is_int else number
    # a dropdown or a selection slider: options are values or (label, value) pairs
    values = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return choice(value, name, values)


def _labelled(
    widget: type[ipywidgets.ValueWidget],
    name: str,
    value,
    label: str,
    width: str | None = None,
    **settings,
) -> ipywidgets.ValueWidget:
    """A ``widget`` control in the house layout — ``label`` as its description, shown whole,
    ``width`` wide (CSS, e.g. ``"320px"``; None: ipywidgets' default) — with the other
    ``settings``, showing ``value``, the dashboard's argument ``name``, once
    :func:`check_value` has accepted it."""
    if width is not None:
        settings["layout"] = ipywidgets.Layout(width=width)
    control = widget(description=label, style={"description_width": "initial"}, **settings)
    control.value = check_value(control, name, value)
    return control


# Each control below is made for one keyword argument of a dashboard, ``name``, whose value is
# checked (never clamped). A slider redraws while it is dragged (continuous=True) when a redraw
# is cheap; one that retrains a network (continuous=False) redraws once, when it is released.


def slider(
    name: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    label: str,
    fmt: str = ".2f",
    continuous: bool = True,
) -> ipywidgets.FloatSlider:
    """A labelled float slider in the house layout."""
    return _labelled(
        ipywidgets.FloatSlider,
        name,
        value,
        label,
        "320px",
        min=lo,
        max=hi,
        step=step,
        readout_format=fmt,
        continuous_update=continuous,
    )


def log_slider(
    name: str, value: float, lo_exp: float, hi_exp: float, label: str, continuous: bool = True
) -> ipywidgets.FloatLogSlider:
    """A labelled slider over 10**lo_exp … 10**hi_exp (steps of 10**0.25), for learning
    rates."""
    return _labelled(
        ipywidgets.FloatLogSlider,
        name,
        value,
        label,
        "300px",
        base=10,
        min=lo_exp,
        max=hi_exp,
        step=0.25,
        readout_format=".1e",
        continuous_update=continuous,
    )


def int_slider(
    name: str, value: int, lo: int, hi: int, label: str, continuous: bool = True
) -> ipywidgets.IntSlider:
    """A labelled integer slider (a layer's width, say)."""
    return _labelled(
        ipywidgets.IntSlider, name, value, label, min=lo, max=hi, continuous_update=continuous
    )


def choice_slider(name: str, options: list, value, label: str) -> ipywidgets.SelectionSlider:
    """A labelled slider over the given values (e.g. the λ of a precomputed sweep), each shown
    as ``f"{value:g}"``."""
    labelled_options = [(f"{option:g}", option) for option in options]
    return _labelled(
        ipywidgets.SelectionSlider, name, value, label, "360px", options=labelled_options
    )


def dropdown(name: str, options, value, label: str) -> ipywidgets.Dropdown:
    """A labelled dropdown in the house layout."""
    return _labelled(ipywidgets.Dropdown, name, value, label, "220px", options=options)
