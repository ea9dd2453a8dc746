"""Self-checks for the exercises of notebooks 06–09 (re-exported by :mod:`mmlearn.check`, so a
notebook calls ``mm.check.linear_backward(...)``). Same contract as there: one printed line,
``✓`` or ``✗`` with what is wrong; never raises on a wrong answer; returns nothing."""

from __future__ import annotations

import numpy as np

from . import data, nn
from ._selfcheck import _call, _compare, _number, _report

# --- 06 · neural networks -------------------------------------------------------------------

def linear_backward(my_fn) -> None:
    """Exercise: ``my_fn(X, W, dout) -> (dW, db, dX)`` for Y = X W + b."""
    rng = np.random.default_rng(6)
    X, W, dout = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(5, 2))
    out, error = _call(my_fn, "my_fn", X.copy(), W.copy(), dout.copy())
    if error:
        return _report(False, error)
    if not isinstance(out, tuple) or len(out) != 3:
        return _report(False, "return three arrays: (dW, db, dX)")
    layer = nn.Linear(3, 2)
    layer.params["W"][...] = W
    layer.forward(X)
    dX_ref = layer.backward(dout)
    refs = {"dW": layer.grads["W"], "db": layer.grads["b"], "dX": dX_ref}
    hints = {"dW": "dW = Xᵀ · dout, shape (fan_in, fan_out) like W",
             "db": "db sums dout over the batch (axis 0): every example adds to the same b",
             "dX": "dX = dout · Wᵀ, shape (n, fan_in) like X"}
    for (name, ref), mine in zip(refs.items(), out):
        why = _compare(mine, ref, name)
        if why:
            return _report(False, f"{why}. Hint: {hints[name]}.")
    _report(True, "dW = XᵀG, db = Σₙ G, dX = GWᵀ: all three agree with mmlearn.nn.Linear.")


def relu_backward(my_fn) -> None:
    """Exercise: ``my_fn(X, dout) -> dX`` for ReLU(X)."""
    rng = np.random.default_rng(7)
    X, dout = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    X[0, 0] = 0.0  # torch's convention at the kink: gradient 0
    mine, error = _call(my_fn, "my_fn", X.copy(), dout.copy())
    if error:
        return _report(False, error)
    ref = dout * (X > 0)
    why = _compare(mine, ref, "dX")
    if why is None:
        return _report(True, "dX = dout ⊙ [X > 0]: the gradient passes where the unit was on.")
    mine = np.asarray(mine, dtype=np.float64)
    if mine.shape == ref.shape and np.allclose(mine, (X > 0)):
        return _report(False, "you returned the mask [X > 0] alone: multiply it by dout "
                       "(chain rule).")
    if mine.shape == ref.shape and np.allclose(mine, dout * np.maximum(X, 0)):
        return _report(False, "that is dout ⊙ ReLU(X); the derivative of ReLU is 1 or 0, "
                       "not ReLU itself.")
    _report(False, why)


def parameter_count(my_fn) -> None:
    """Exercise: ``my_fn(sizes) -> int``, the number of learnable numbers of MLP(sizes)."""
    for sizes in ([2, 16, 2], [64, 32, 10], [64, 128, 64, 10], [3, 1]):
        mine, error = _call(my_fn, "my_fn", list(sizes))
        if error:
            return _report(False, error)
        ref = nn.MLP(sizes).parameter_count()
        if mine != ref:
            weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
            hint = ("you counted the weights but not the biases (one per output unit)"
                    if mine == weights else "each layer has fan_in·fan_out weights and fan_out "
                    "biases")
            return _report(False, f"MLP({sizes}) has {ref} parameters, you said {mine!r}: "
                           f"{hint}.")
    _report(True, "Σ (fan_in + 1)·fan_out, e.g. MLP([64, 32, 10]) has 2 410 parameters.")


# --- 07 · image + text fusion ---------------------------------------------------------------

def bag_of_words(my_fn) -> None:
    """Exercise: ``my_fn(captions, vocab) -> (n, V)`` word counts (words outside vocab ignored)."""
    captions = ["The number 7, the digit 7", "a handwritten SEVEN", "sevn"]
    vocab = data.VOCAB
    mine, error = _call(my_fn, "my_fn", list(captions), list(vocab))
    if error:
        return _report(False, error)
    ref = data.bag_of_words(captions, vocab)
    why = _compare(mine, ref, "the bag of words")
    if why is None:
        return _report(True, "counts per vocabulary word, case-insensitive, unknown words "
                       "(typos) ignored.")
    mine = np.asarray(mine, dtype=np.float64)
    if mine.shape == ref.shape and np.array_equal(mine, np.minimum(ref, 1)):
        return _report(False, "you marked presence (0/1); count repeated words: 'the ... "
                       "the' is 2.")
    if mine.shape == ref.shape and mine.sum() < ref.sum():
        return _report(False, "some words are missing: lower-case the caption and split off "
                       "punctuation (mm.data.tokenize does both).")
    _report(False, why)


def late_fusion_logits(my_fn) -> None:
    """Exercise: ``my_fn(f_image, f_text, alpha) -> logits`` = α f_image + (1 − α) f_text."""
    rng = np.random.default_rng(8)
    f_image, f_text = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    mine, error = _call(my_fn, "my_fn", f_image.copy(), f_text.copy(), 0.3)
    if error:
        return _report(False, error)
    ref = 0.3 * f_image + 0.7 * f_text
    why = _compare(mine, ref, "the logits")
    if why is None:
        return _report(True, "α f_image + (1 − α) f_text: a weighted vote of two unimodal "
                       "models.")
    mine = np.asarray(mine, dtype=np.float64)
    if mine.shape == ref.shape and np.allclose(mine, 0.7 * f_image + 0.3 * f_text):
        return _report(False, "α weighs the image model, 1 − α the text model: swapped.")
    if mine.shape == ref.shape and np.allclose(mine, 0.3 * f_image + f_text):
        return _report(False, "the text model's weight is 1 − α, not 1.")
    _report(False, why)


def tensor_features(my_fn) -> None:
    """Exercise: ``my_fn(h_image (n, a), h_text (n, b)) -> (n, (a+1)(b+1))``, the flattened
    outer product of [1; h_image] and [1; h_text] (image index outer)."""
    rng = np.random.default_rng(9)
    h_image, h_text = rng.normal(size=(3, 2)), rng.normal(size=(3, 4))
    mine, error = _call(my_fn, "my_fn", h_image.copy(), h_text.copy())
    if error:
        return _report(False, error)
    ones = np.ones((3, 1))
    v, t = np.hstack([ones, h_image]), np.hstack([ones, h_text])
    ref = (v[:, :, None] * t[:, None, :]).reshape(3, -1)
    why = _compare(mine, ref, "the features")
    if why is None:
        return _report(True, "(a+1)(b+1) features: a 1, both unimodal codes and every product "
                       "h_image,i · h_text,j.")
    mine = np.asarray(mine, dtype=np.float64)
    if mine.shape == (3, 8):
        return _report(False, "shape (n, a·b): prepend a 1 to each code first, or the "
                       "unimodal features are lost.")
    if mine.shape == ref.shape and np.allclose(np.sort(mine, axis=1), np.sort(ref, axis=1)):
        return _report(False, "the right numbers in another order: flatten with the image "
                       "index outer, e.g. (v[:, :, None] * t[:, None, :]).reshape(n, -1).")
    _report(False, why)


# --- 08 · multi-task learning ---------------------------------------------------------------

def pcgrad_project(my_fn) -> None:
    """Exercise: ``my_fn(g_i, g_j) -> g_i`` after PCGrad's projection (only on conflict)."""
    cases = [(np.array([1.0, 0.0]), np.array([-1.0, 1.0])),
             (np.array([1.0, 2.0]), np.array([1.0, 1.0])),
             (np.array([3.0, -1.0, 2.0]), np.array([-1.0, 0.5, 0.0]))]
    for g_i, g_j in cases:
        mine, error = _call(my_fn, "my_fn", g_i.copy(), g_j.copy())
        if error:
            return _report(False, error)
        dot = g_i @ g_j
        ref = g_i - dot / (g_j @ g_j) * g_j if dot < 0 else g_i
        why = _compare(mine, ref, "the projected gradient")
        if why is None:
            continue
        mine = np.asarray(mine, dtype=np.float64)
        if dot >= 0:
            return _report(False, f"g_i = {g_i} and g_j = {g_j} do not conflict (g_i·g_j = "
                           f"{dot:g} ≥ 0): leave g_i unchanged.")
        if mine.shape == ref.shape and np.allclose(mine, g_i - dot / (g_i @ g_i) * g_j):
            return _report(False, "divide by ‖g_j‖², the vector you project onto, not ‖g_i‖².")
        return _report(False, f"for g_i = {g_i}, g_j = {g_j}: {why}.")
    _report(True, "on conflict g_i − (g_i·g_j/‖g_j‖²) g_j, which is orthogonal to g_j; "
            "otherwise g_i unchanged.")


def uncertainty_loss(my_fn) -> None:
    """Exercise: ``my_fn(task_losses (T,), s (T,)) -> (total, dtotal/ds)`` for
    total = Σ exp(−s_t) L_t + s_t."""
    L, s = np.array([2.3, 380.0]), np.array([0.5, 3.0])
    out, error = _call(my_fn, "my_fn", L.copy(), s.copy())
    if error:
        return _report(False, error)
    if not isinstance(out, tuple) or len(out) != 2:
        return _report(False, "return (total, grad_s)")
    total, grad = _number(out[0]), out[1]
    ref_total, ref_grad = float(np.sum(np.exp(-s) * L + s)), 1.0 - np.exp(-s) * L
    if total is None or not np.isclose(total, ref_total, rtol=1e-9):
        hint = (" — the + s_t term is missing: without it every s_t would grow forever"
                if total is not None and np.isclose(total, np.sum(np.exp(-s) * L)) else "")
        return _report(False, f"total should be {ref_total:.6g}, got {out[0]!r}{hint}.")
    why = _compare(grad, ref_grad, "dtotal/ds")
    if why:
        return _report(False, f"{why}. Differentiate e^(−s)·L + s: −e^(−s)·L + 1.")
    _report(True, "total and gradient agree; the gradient vanishes at s_t = log L_t, so "
            "the weight e^(−s_t) becomes 1/L_t.")


def balancing_weight(answer, grad_norms: dict[str, float]) -> None:
    """Exercise: λ for the ink task that makes λ·‖∇L_ink‖ = ‖∇L_digit‖ on the trunk."""
    value, ref = _number(answer), grad_norms["digit"] / grad_norms["ink"]
    if value is None:
        return _report(False, f"answer should be a number, got {answer!r}")
    if np.isclose(value, ref, rtol=1e-6):
        return _report(True, f"λ = ‖∇L_digit‖ / ‖∇L_ink‖ = {ref:.3g}: both tasks pull on "
                       "the trunk equally hard at the start.")
    if np.isclose(value, 1 / ref, rtol=1e-6):
        return _report(False, "upside down: scale the ink gradient DOWN to the digit one.")
    _report(False, f"λ = {value:.3g} gives λ·‖∇L_ink‖ = {value * grad_norms['ink']:.3g}, "
            f"but ‖∇L_digit‖ = {grad_norms['digit']:.3g}.")


# --- 09 · learning efficiency ---------------------------------------------------------------

def lr_range_schedule(my_fn) -> None:
    """Exercise: ``my_fn(step, lr_min, lr_max, steps) -> lr``, geometric from lr_min (step 0)
    to lr_max (step steps − 1)."""
    lr_min, lr_max, steps = 1e-4, 1.0, 9
    ref = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    mine = []
    for k in range(steps):
        value, error = _call(my_fn, "my_fn", k, lr_min, lr_max, steps)
        if error:
            return _report(False, error)
        mine.append(_number(value))
    if None in mine:
        return _report(False, "my_fn should return a finite number for every step")
    mine = np.array(mine)
    if np.allclose(mine, ref, rtol=1e-9):
        return _report(True, "geometric spacing: every step multiplies the lr by the same "
                       f"factor ({ref[1] / ref[0]:.3g} here), so each decade gets equal steps.")
    if np.allclose(mine, np.linspace(lr_min, lr_max, steps), rtol=1e-9):
        return _report(False, "linear spacing spends almost every step near lr_max; multiply "
                       "by a constant factor instead.")
    _report(False, f"step 0 should give lr_min, step {steps - 1} lr_max; yours: "
            f"{mine[0]:.3g} … {mine[-1]:.3g}.")


def early_stopping(my_fn) -> None:
    """Exercise: ``my_fn(val_losses, patience) -> (stop_epoch, best_epoch)``: stop at the first
    epoch that is ``patience`` epochs after the best so far (or at the last epoch)."""
    cases = [([1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.6], 3), ([1.0, 0.8, 0.7, 0.72, 0.71, 0.75], 2),
             ([3.0, 2.0, 1.0], 1)]
    for losses, patience in cases:
        out, error = _call(my_fn, "my_fn", list(losses), patience)
        if error:
            return _report(False, error)
        best, stop = 0, len(losses) - 1
        for epoch, value in enumerate(losses):
            if value < losses[best]:
                best = epoch
            if epoch - best >= patience:
                stop = epoch
                break
        if tuple(out) != (stop, best):
            return _report(False, f"for {losses} with patience {patience}: expected (stop, "
                           f"best) = ({stop}, {best}), got {tuple(out)}. The best epoch is the "
                           "lowest loss SO FAR; stop when epoch − best = patience.")
    _report(True, "stop = best + patience, unless the run ends first; then restore the best "
            "epoch's parameters (train.fit(..., patience=...) does both).")


def suggest_lr(my_fn) -> None:
    """Exercise: ``my_fn(lrs, losses) -> lr`` = (the lr of the lowest loss) / 10."""
    lrs = np.geomspace(1e-4, 10, 11)
    losses = np.array([2.3, 2.29, 2.25, 2.0, 1.2, 0.6, 0.4, 0.5, 1.5, 9.0, np.inf])
    value, error = _call(my_fn, "my_fn", lrs.copy(), losses.copy())
    if error:
        return _report(False, error)
    value, ref = _number(value), lrs[np.argmin(losses)] / 10
    if value is not None and np.isclose(value, ref, rtol=1e-9):
        return _report(True, f"{ref:.2g}: a decade below the loss minimum, safely on the "
                       "falling part of the curve.")
    if value is not None and np.isclose(value, ref * 10, rtol=1e-9):
        return _report(False, "that is the lr of the minimum itself: by then the loss is about "
                       "to blow up; back off by a factor 10.")
    _report(False, f"expected {ref:.3g}: find the lr with the lowest loss (np.argmin), "
            "divide it by 10.")

