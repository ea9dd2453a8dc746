"""The dashboard shell every notebook uses: controls above a figure that is recomputed and
redrawn when a control changes, plus the controls in the house layout. The dashboards themselves
live one module per notebook beside this one (see :mod:`mmlearn.widgets`)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets
from IPython.display import Image, display

from ..plots import Frame


class Dashboard(ipywidgets.VBox):
    """Controls above a figure that is recomputed and redrawn whenever a control changes.

    ``controls`` maps keyword names to widgets; ``update(**values) -> str`` recomputes, updates
    ``frame``'s artists and returns a status line, printed under the figure (``status`` holds
    the latest one, ``png`` the latest rendered frame).
    """

    def __init__(self, controls: dict[str, ipywidgets.ValueWidget], frame: Frame,
                 update: Callable[..., str], rows: list[list[str]] | None = None):
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
        """Set several controls at once, redrawing once (not once per control)."""
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


# A slider redraws while it is dragged (continuous=True) when a redraw is cheap; one that retrains
# a network (continuous=False) redraws once, when it is released.

def slider(value: float, lo: float, hi: float, step: float, label: str, fmt: str = ".2f",
           continuous: bool = True) -> ipywidgets.FloatSlider:
    """A labelled float slider in the house layout."""
    return ipywidgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=label,
                                  readout_format=fmt, continuous_update=continuous,
                                  style={"description_width": "initial"},
                                  layout=ipywidgets.Layout(width="320px"))


def log_slider(value: float, lo_exp: float, hi_exp: float, label: str,
               continuous: bool = True) -> ipywidgets.FloatLogSlider:
    """A labelled slider over 10**lo_exp … 10**hi_exp, for learning rates."""
    return ipywidgets.FloatLogSlider(value=value, base=10, min=lo_exp, max=hi_exp, step=0.25,
                                     description=label, readout_format=".1e",
                                     continuous_update=continuous,
                                     style={"description_width": "initial"},
                                     layout=ipywidgets.Layout(width="300px"))


def int_slider(value: int, lo: int, hi: int, label: str,
               continuous: bool = True) -> ipywidgets.IntSlider:
    """A labelled integer slider (a layer's width, say)."""
    return ipywidgets.IntSlider(value=value, min=lo, max=hi, description=label,
                                continuous_update=continuous,
                                style={"description_width": "initial"})


def choice_slider(options: list, value, label: str) -> ipywidgets.SelectionSlider:
    """A labelled slider over the given values (e.g. the λ of a precomputed sweep), each shown
    as ``f"{value:g}"``."""
    return ipywidgets.SelectionSlider(options=[(f"{option:g}", option) for option in options],
                                      value=value, description=label,
                                      style={"description_width": "initial"},
                                      layout=ipywidgets.Layout(width="360px"))


def dropdown(options, value, label: str) -> ipywidgets.Dropdown:
    """A labelled dropdown in the house layout."""
    return ipywidgets.Dropdown(options=options, value=value, description=label,
                               style={"description_width": "initial"},
                               layout=ipywidgets.Layout(width="220px"))
