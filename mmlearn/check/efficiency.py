"""Self-checks of notebook 09 · learning efficiency: the learning-rate range test's schedule
and its suggestion, and early stopping."""

from __future__ import annotations

import numpy as np

from .common import call, coerce, report, self_check, unpack


@self_check
def lr_range_schedule(my_fn) -> None:
    """Exercise: ``my_fn(step, lr_min, lr_max, steps) -> lr``, geometric from lr_min (step 0)
    to lr_max (step steps − 1)."""
    lr_min, lr_max, steps = 1e-4, 1.0, 9
    ref = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    mine = np.array(
        [
            coerce(call(my_fn, "my_fn", k, lr_min, lr_max, steps), f"the lr at step {k}")
            for k in range(steps)
        ]
    )
    if np.allclose(mine, ref, rtol=1e-6, atol=0):
        return report(
            True,
            "geometric spacing: every step multiplies the lr by the same "
            f"factor ({ref[1] / ref[0]:.3g} here), so each decade gets equal steps.",
        )
    if np.allclose(mine, np.linspace(lr_min, lr_max, steps), rtol=1e-6, atol=0):
        return report(
            False,
            "linear spacing spends almost every step near lr_max; multiply "
            "by a constant factor instead.",
        )
    report(
        False,
        f"step 0 should give lr_min, step {steps - 1} lr_max; yours: "
        f"{mine[0]:.3g} … {mine[-1]:.3g}.",
    )


@self_check
def early_stopping(my_fn) -> None:
    """Exercise: ``my_fn(val_losses, patience) -> (stop_epoch, best_epoch)``: stop at the first
    epoch that is ``patience`` epochs after the best so far (or at the last epoch)."""
    cases = [
        ([1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.6], 3),
        ([1.0, 0.8, 0.7, 0.72, 0.71, 0.75], 2),
        ([3.0, 2.0, 1.0], 1),
    ]
    for val_losses, patience in cases:
        out = unpack(
            call(my_fn, "my_fn", list(val_losses), patience), "my_fn", ("stop_epoch", "best_epoch")
        )
        mine = (coerce(out[0], "stop_epoch"), coerce(out[1], "best_epoch"))
        best, stop = 0, len(val_losses) - 1
        for epoch, value in enumerate(val_losses):
            if value < val_losses[best]:
                best = epoch
            if epoch - best >= patience:
                stop = epoch
                break
        if mine != (stop, best):
            return report(
                False,
                f"for {val_losses} with patience {patience}: expected (stop, "
                f"best) = ({stop}, {best}), got ({mine[0]:.10g}, {mine[1]:.10g}). "
                "The best epoch is the lowest loss SO FAR; stop when epoch − best = "
                "patience.",
            )
    report(
        True,
        "stop = best + patience, unless the run ends first; then restore the best "
        "epoch's parameters (train.fit(..., patience=...) does both).",
    )


@self_check
def suggest_lr(my_fn) -> None:
    """Exercise: ``my_fn(lrs, losses) -> lr`` = (the lr of the lowest loss) / 10."""
    lrs = np.geomspace(1e-4, 10, 11)
    losses = np.array([2.3, 2.29, 2.25, 2.0, 1.2, 0.6, 0.4, 0.5, 1.5, 9.0, np.inf])
    lr = coerce(call(my_fn, "my_fn", lrs.copy(), losses.copy()), "the suggested lr")
    ref = lrs[np.argmin(losses)] / 10
    if np.isclose(lr, ref, rtol=1e-6, atol=0):
        return report(
            True,
            f"{ref:.2g}: a decade below the loss minimum, safely on the falling part of the curve.",
        )
    if np.isclose(lr, ref * 10, rtol=1e-6, atol=0):
        return report(
            False,
            "that is the lr of the minimum itself: by then the loss is about "
            "to blow up; back off by a factor 10.",
        )
    report(
        False, f"expected {ref:.3g}: find the lr with the lowest loss (np.argmin), divide it by 10."
    )
