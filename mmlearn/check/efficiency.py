"""Self-checks of notebook 09 · learning efficiency: a prediction about progress per optimizer
step, the learning rate at which a range test stopped (a derivation), and early stopping (a
debugging exercise)."""

from __future__ import annotations

import numpy as np

from .common import call, coerce, report, self_check, unpack


@self_check
def slowest_batch_per_step(answer, losses: dict[str, dict[int, float]]) -> None:
    """Predict-then-check: the batch size whose training loss is highest after the same number
    of optimizer steps, for every optimizer. ``losses[optimizer][batch]``: the measured loss."""
    batch = coerce(answer, "your batch size")
    batches = sorted({b for per_batch in losses.values() for b in per_batch})
    if batch not in batches:
        return report(False, f"pick one of the batch sizes {batches}, got {batch:g}.")
    slowest = {name: max(per_batch, key=per_batch.get) for name, per_batch in losses.items()}
    table = "; ".join(
        f"{name}: " + ", ".join(f"{b} → {loss:.3f}" for b, loss in sorted(per_batch.items()))
        for name, per_batch in losses.items()
    )
    if all(b == batch for b in slowest.values()):
        return report(
            True,
            f"batch {batch:g} is behind per step for every optimizer: each of its steps "
            "averages the fewest examples, so its gradient is the noisiest.",
        )
    right_for = [name for name, b in slowest.items() if b == batch]
    report(
        False,
        f"batch {batch:g} is the slowest per step for {right_for or 'no optimizer'}; the "
        f"measured losses are {table}. Count examples per step, not per epoch.",
    )


@self_check
def range_test_lr(answer, lr_min: float, lr_max: float, steps: int, stopped_after: int) -> None:
    """Exercise (derive): the learning rate of the last step of a range test from ``lr_min``
    (step 0) to ``lr_max`` (step ``steps − 1``) that stopped after ``stopped_after`` steps."""
    lr = coerce(answer, "your learning rate")
    ratio = lr_max / lr_min
    ref = lr_min * ratio ** ((stopped_after - 1) / (steps - 1))
    if np.isclose(lr, ref, rtol=1e-6):
        return report(
            True,
            f"{ref:.4g}: the steps are numbered from 0, so the last of {stopped_after} steps is "
            f"step {stopped_after - 1}, at lr_min × (lr_max/lr_min)^({stopped_after - 1}/"
            f"{steps - 1}).",
        )
    hints = {
        lr_min * ratio ** (stopped_after / (steps - 1)): "that is one step later: the steps "
        f"are numbered from 0, so the last of {stopped_after} steps is step {stopped_after - 1}",
        lr_min * ratio ** ((stopped_after - 1) / steps): f"the exponent divides by {steps - 1} "
        f"(the last step's number), not {steps}: lr_max is reached at step {steps - 1}",
        lr_min + (lr_max - lr_min) * (stopped_after - 1) / (steps - 1): "that is linear "
        "spacing; the range test multiplies the lr by the same factor every step",
    }
    for value, hint in hints.items():
        if np.isclose(lr, value, rtol=1e-6):
            return report(False, f"{lr:.4g}: {hint}.")
    report(
        False,
        f"{lr:.4g} is not it: write lr_k = lr_min·(lr_max/lr_min)^(k/(steps − 1)) and find k "
        "for the last step taken.",
    )


@self_check
def early_stopping(my_fn) -> None:
    """Exercise (debug): ``my_fn(val_losses, patience) -> (stop_epoch, best_epoch)``: stop at
    the first epoch that is ``patience`` epochs after the best so far (or at the last epoch)."""
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
