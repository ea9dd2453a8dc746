"""Drawing helpers and the house style shared by every notebook and dashboard.

The palette is Okabe & Ito's (2008) colour-blind-safe set; figures carry titles, axis labels
and legends. Nothing here computes a lesson's numbers: those come from the numpy modules.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

#: Okabe–Ito colours, distinguishable with the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
COLORS = list(PALETTE.values())

#: Resolution of a dashboard frame and the layout size of every figure (dots per inch). Static
#: figures are rendered at twice this resolution ("retina") and shown at the same size, so they
#: stay sharp on a projector or a HiDPI screen; dashboards keep 80 dpi for their redraw latency.
DPI = 80

STYLE = {
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "legend.framealpha": 0.85,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the house style to matplotlib (call once in a notebook's setup cell).

    In a notebook it also asks the inline backend for 2x ("retina") PNGs: the same size on
    screen, twice the pixels, so static figures stay sharp when projected.
    """
    mpl.rcParams.update(STYLE)
    from IPython import get_ipython

    # only in a notebook or IPython: plain Python scripts have no inline backend
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")


class Frame:
    """A dashboard's figure, redrawn fast by *blitting*.

    Drawing a whole axes (ticks, labels, grid) costs tens of milliseconds; drawing a few lines
    costs well under one. So the static layer is rendered once and kept as a bitmap, and each
    frame restores that bitmap and draws only the artists registered with :meth:`animate`
    (the data lines, a title that changes), looked up by name: ``frame["path"]``. Call
    :meth:`invalidate` after changing a static part (axis limits, labels) so the next frame
    renders it again. A static part that is slow to draw and changes with a control (the
    contours of the chosen landscape) is declared with :meth:`static_layer`.

    The figure is not managed by pyplot, so it is never shown twice in a notebook.
    """

    def __init__(self, ncols: int = 1, nrows: int = 1, width: float = 4.2, height: float = 3.4):
        with mpl.rc_context(STYLE):
            self.fig = Figure(
                figsize=(width * ncols, height * nrows), dpi=DPI, layout="constrained"
            )
            self.axes = self.fig.subplots(nrows, ncols, squeeze=True)
        FigureCanvasAgg(self.fig)
        self.animated: dict[str, Artist] = {}
        self.static_key: Hashable | None = None  # what the static layer shows now
        self._static_artists: list[Artist] = []
        self._background = None

    def animate(self, name: str, artist: Artist) -> Artist:
        """Register ``artist`` under ``name`` as redrawn every frame; returns it."""
        artist.set_animated(True)
        self.animated[name] = artist
        return artist

    def __getitem__(self, name: str) -> Artist:
        return self.animated[name]

    def static_layer(self, key: Hashable, draw: Callable[[], list[Artist]]) -> None:
        """Show the static layer that ``draw()`` adds to the axes for ``key``, e.g. the contours
        of the landscape named ``key``; ``draw`` returns the artists it added.

        ``draw`` runs only when ``key`` differs from the one shown (``static_key``): the
        previous layer's artists are removed first, and the next frame renders the whole figure
        again. Moving any other control costs nothing here.
        """
        if key == self.static_key:
            return
        for artist in self._static_artists:
            artist.remove()
        self._static_artists = list(draw())
        self.static_key = key
        self.invalidate()

    def invalidate(self) -> None:
        """Forget the rendered static bitmap: the next frame renders the whole figure again."""
        self._background = None

    def png(self) -> bytes:
        """Render the current state to PNG bytes (static layer once, then animated artists)."""
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()  # lays out the figure and renders everything not animated
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.animated.values():
            self.fig.draw_artist(artist)
        buf = io.BytesIO()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        image.save(buf, format="png", compress_level=1)
        return buf.getvalue()


def status_text(ax: Axes, text: str = "", color: str = PALETTE["vermillion"]):
    """A short status line in the bottom-left corner of ``ax`` (e.g. "diverged at step 7").

    Returns the ``Text`` artist so a dashboard can update it with ``set_text``.
    """
    return ax.text(
        0.03,
        0.04,
        text,
        transform=ax.transAxes,
        va="bottom",
        ha="left",
        fontsize=10,
        color=color,
        bbox={"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.85},
    )
