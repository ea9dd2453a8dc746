"""Notebook 07's dashboard: fitted fusion models under image and caption noise, and late fusion
re-mixed at every weight α without retraining.

A new noise level generates a fresh test set (tens of milliseconds), so the two noise sliders
redraw when released (``continuous=False``); α only re-mixes logits and follows the drag."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import data
from ..plots import PALETTE, Frame
from ..validate import in_range
from .dashboard import Dashboard, slider

FUSION_TEST_N, FUSION_ALPHAS = 600, np.linspace(0.0, 1.0, 21)


@dataclass(frozen=True)
class FusionResult:
    """Test accuracies at one noise setting: ``scores[name]`` for every model (``"late"`` at
    the chosen ``alpha``), and ``late_curve`` — late fusion's accuracy for each α in
    ``FUSION_ALPHAS`` — with ``chance`` (the majority class share)."""

    task: str
    image_noise: float
    caption_noise: float
    alpha: float
    scores: dict[str, float]
    late_curve: np.ndarray
    chance: float


@lru_cache(maxsize=64)
def fusion_test_set(task: str, image_noise: float, caption_noise: float) -> data.ImageTextDataset:
    """The dashboard's test set for one noise setting (seed 1), kept once generated."""
    return data.make_image_text(FUSION_TEST_N, task, image_noise, caption_noise, seed=1)


def _check_models(models: dict) -> None:
    if not isinstance(models, dict) or "late" not in models:
        raise ValueError(
            "models must include 'late' (a fitted LateFusion): a dict name -> "
            f"fitted model, got {type(models).__name__} {list(models or [])}"
        )


def compute_fusion(
    models: dict,
    task: str,
    image_noise: float = 0.0,
    caption_noise: float = 0.0,
    alpha: float = 0.5,
) -> FusionResult:
    """Evaluate fitted ``models`` (one must be ``"late"``, a LateFusion) on a fresh test set
    with the given noise; late fusion is re-mixed at every α without retraining. ``alpha`` is in
    [0, 1], as for ``LateFusion(alpha=...)``; the noise levels as for ``make_image_text``."""
    in_range(image_noise, "image_noise")
    in_range(caption_noise, "caption_noise", 0.0, 1.0)
    in_range(alpha, "alpha", 0.0, 1.0)
    _check_models(models)
    test = fusion_test_set(task, round(float(image_noise), 3), round(float(caption_noise), 3))
    scores = {}
    for name, model in models.items():
        if name != "late":  # a model fitted without a modality ignores it
            scores[name] = model.score((test.images, test.bow), test.labels)
    f_image, f_text = models["late"].unimodal_logits((test.images, test.bow))
    mixed = FUSION_ALPHAS[:, None, None] * f_image + (1 - FUSION_ALPHAS)[:, None, None] * f_text
    curve = (mixed.argmax(axis=2) == test.labels).mean(axis=1)
    scores["late"] = float(
        np.mean((alpha * f_image + (1 - alpha) * f_text).argmax(axis=1) == test.labels)
    )
    chance = float(np.bincount(test.labels).max() / len(test))
    return FusionResult(task, image_noise, caption_noise, alpha, scores, curve, chance)


def fusion_frame(names: list[str]) -> Frame:
    """Left: one bar per model in ``names`` (test accuracy) and the chance level, each bar and
    its value label registered under the model's name (``"bar late"``, ``"label late"``).
    Right: late fusion's accuracy against α, with the chosen α marked."""
    frame = Frame(ncols=2, width=4.3, height=3.4)
    ax, ax_alpha = frame.axes
    ax.set(title="test accuracy at this noise", ylabel="accuracy", ylim=(0, 1.05))
    colors = [
        PALETTE[c] for c in ("sky", "orange", "blue", "vermillion", "green", "purple", "yellow")
    ]
    bars = ax.bar(range(len(names)), np.zeros(len(names)), color=colors[: len(names)])
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    for i, (name, bar) in enumerate(zip(names, bars)):
        frame.animate(f"bar {name}", bar)
        frame.animate(f"label {name}", ax.text(i, 0, "", ha="center", va="bottom", fontsize=9))
    frame.animate("chance", ax.axhline(0.5, color=PALETTE["black"], ls=":", lw=1))
    frame.animate(
        "chance_label",
        ax.text(len(names) - 0.5, 0.5, "chance", ha="right", va="bottom", fontsize=9),
    )
    ax_alpha.set(
        title="late fusion: α f_image + (1 − α) f_text",
        xlabel="α (weight of the image)",
        ylabel="accuracy",
        xlim=(0, 1),
        ylim=(0, 1.05),
    )
    frame.animate(
        "curve", ax_alpha.plot([], [], color=PALETTE["vermillion"], label="accuracy for each α")[0]
    )
    frame.animate("alpha", ax_alpha.axvline(0.5, color=PALETTE["black"], lw=1.5, label="your α"))
    ax_alpha.legend(loc="lower center")
    return frame


def draw_fusion(frame: Frame, res: FusionResult) -> str:
    """Show ``res`` in a :func:`fusion_frame`; returns the status line. Each score goes to the
    bar made for its model's name, whatever the order of ``res.scores``."""
    missing = [name for name in res.scores if f"bar {name}" not in frame.animated]
    if missing:
        raise ValueError(
            f"the frame has no bar for {missing}: make it with fusion_frame() of "
            "the same model names"
        )
    for name, value in res.scores.items():
        bar = frame[f"bar {name}"]
        bar.set_height(value)
        frame[f"label {name}"].set_position((bar.get_x() + bar.get_width() / 2, value + 0.01))
        frame[f"label {name}"].set_text(f"{value:.2f}")
    frame["chance"].set_ydata([res.chance, res.chance])
    frame["chance_label"].set_y(res.chance)
    frame["curve"].set_data(FUSION_ALPHAS, res.late_curve)
    frame["alpha"].set_xdata([res.alpha, res.alpha])
    best = FUSION_ALPHAS[int(np.argmax(res.late_curve))]
    return (
        f"{res.task}: image noise {res.image_noise:.2f}, caption noise "
        f"{res.caption_noise:.2f} — late fusion {res.scores['late']:.3f} at α = "
        f"{res.alpha:.2f} (best α here {best:.2f})"
    )


def fusion_dashboard(models: dict, task: str) -> Dashboard:
    """Image noise, caption noise and late fusion's α, for models fitted on ``task``."""
    _check_models(models)
    names = [n for n in models if n != "late"] + ["late"]
    ordered = {n: models[n] for n in names}
    frame = fusion_frame(names)
    controls = {
        "image_noise": slider("image_noise", 0.0, 0.0, 0.8, 0.05, "image noise", continuous=False),
        "caption_noise": slider(
            "caption_noise", 0.0, 0.0, 0.9, 0.05, "caption noise", continuous=False
        ),
        "alpha": slider("alpha", 0.5, 0.0, 1.0, 0.05, "late fusion α"),
    }
    return Dashboard(
        controls,
        frame,
        lambda **v: draw_fusion(frame, compute_fusion(ordered, task, **v)),
        rows=[list(controls)],
    )
