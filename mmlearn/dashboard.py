"""The dashboard shell every notebook uses: controls above a figure that is recomputed and
redrawn when a control changes, plus the house-style controls. The dashboards themselves live in
:mod:`mmlearn.widgets` (notebooks 00–05) and :mod:`mmlearn.widgets_nn` (06–09)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
from IPython.display import Image, display

from .plots import Frame


class Dashboard(widgets.VBox):
    """Controls above a figure that is recomputed and redrawn whenever a control changes.

    ``controls`` maps keyword names to widgets; ``update(**values) -> str`` recomputes, updates
    ``frame``'s artists and returns a status line, printed under the figure (``status`` holds
    the latest one, ``png`` the latest rendered frame).
    """

    def __init__(self, controls: dict[str, widgets.ValueWidget], frame: Frame,
                 update: Callable[..., str], rows: list[list[str]] | None = None):
        self.controls, self.frame, self._update = controls, frame, update
        self.output = widgets.Output()
        rows = rows or [list(controls)]
        boxes = [widgets.HBox([controls[name] for name in row]) for row in rows]
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


def slider(value: float, lo: float, hi: float, step: float, label: str,
           fmt: str = ".2f") -> widgets.FloatSlider:
    """A labelled float slider in the house layout."""
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=label,
                               readout_format=fmt, continuous_update=True,
                               style={"description_width": "initial"},
                               layout=widgets.Layout(width="320px"))


def log_slider(value: float, lo_exp: float, hi_exp: float, label: str) -> widgets.FloatLogSlider:
    """A labelled slider over 10**lo_exp … 10**hi_exp, for learning rates."""
    return widgets.FloatLogSlider(value=value, base=10, min=lo_exp, max=hi_exp, step=0.25,
                                  description=label, readout_format=".1e",
                                  continuous_update=True, style={"description_width": "initial"},
                                  layout=widgets.Layout(width="300px"))


def dropdown(options, value, label: str) -> widgets.Dropdown:
    """A labelled dropdown in the house layout."""
    return widgets.Dropdown(options=options, value=value, description=label,
                            style={"description_width": "initial"},
                            layout=widgets.Layout(width="220px"))
