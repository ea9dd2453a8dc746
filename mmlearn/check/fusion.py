"""Self-checks of notebook 07 · image + text fusion: a caption's bag of words, late fusion's
weighted vote, tensor fusion's outer-product features, the 2×2 argument's fourth cell, and a
prediction about Article B's model on the `greater` task."""

from __future__ import annotations

import numpy as np

from .. import data, validate
from .common import WrongAnswer, call, coerce, compare, report, self_check


@self_check
def bag_of_words(my_fn) -> None:
    """Exercise: ``my_fn(captions, vocab) -> (n, V)`` word counts (words outside vocab ignored)."""
    captions = ["The number 7, the digit 7", "a handwritten SEVEN", "sevn"]
    vocab = data.VOCAB
    mine = coerce(call(my_fn, "my_fn", list(captions), list(vocab)), "the bag of words", shape=None)
    ref = data.bag_of_words(captions, vocab)
    why = compare(mine, ref, "the bag of words")
    if why is None:
        return report(
            True, "counts per vocabulary word, case-insensitive, unknown words (typos) ignored."
        )
    if mine.shape == ref.shape and np.array_equal(mine, np.minimum(ref, 1)):
        return report(False, "you marked presence (0/1); count repeated words: 'the ... the' is 2.")
    if mine.shape == ref.shape and mine.sum() < ref.sum():
        return report(
            False,
            "some words are missing: lower-case the caption and split off "
            "punctuation (mm.data.tokenize does both).",
        )
    report(False, why)


@self_check
def late_fusion_logits(my_fn) -> None:
    """Exercise: ``my_fn(f_image, f_text, alpha) -> logits`` = α f_image + (1 − α) f_text."""
    rng = np.random.default_rng(8)
    f_image, f_text = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    mine = coerce(
        call(my_fn, "my_fn", f_image.copy(), f_text.copy(), 0.3), "the logits", shape=None
    )
    ref = 0.3 * f_image + 0.7 * f_text
    why = compare(mine, ref, "the logits")
    if why is None:
        return report(True, "α f_image + (1 − α) f_text: a weighted vote of two unimodal models.")
    if mine.shape == ref.shape and np.allclose(mine, 0.7 * f_image + 0.3 * f_text):
        return report(False, "α weighs the image model, 1 − α the text model: swapped.")
    if mine.shape == ref.shape and np.allclose(mine, 0.3 * f_image + f_text):
        return report(False, "the text model's weight is 1 − α, not 1.")
    report(False, why)


@self_check
def tensor_features(my_fn) -> None:
    """Exercise: ``my_fn(h_image (n, a), h_text (n, b)) -> (n, (a+1)(b+1))``, the flattened
    outer product of [1; h_image] and [1; h_text] (image index outer)."""
    rng = np.random.default_rng(9)
    h_image, h_text = rng.normal(size=(3, 2)), rng.normal(size=(3, 4))
    mine = coerce(call(my_fn, "my_fn", h_image.copy(), h_text.copy()), "the features", shape=None)
    ones = np.ones((3, 1))
    v, t = np.hstack([ones, h_image]), np.hstack([ones, h_text])
    ref = (v[:, :, None] * t[:, None, :]).reshape(3, -1)
    why = compare(mine, ref, "the features")
    if why is None:
        return report(
            True,
            "(a+1)(b+1) features: a 1, both unimodal codes and every product h_image,i · h_text,j.",
        )
    if mine.shape == (3, 8):
        return report(
            False,
            "shape (n, a·b): prepend a 1 to each code first, or the unimodal features are lost.",
        )
    if mine.shape == ref.shape and np.allclose(np.sort(mine, axis=1), np.sort(ref, axis=1)):
        return report(
            False,
            "the right numbers in another order: flatten with the image "
            "index outer, e.g. (v[:, :, None] * t[:, None, :]).reshape(n, -1).",
        )
    report(False, why)


@self_check
def fourth_score(my_fn) -> None:
    """Exercise: ``my_fn(s33, s35, s53) -> s55`` for a score that is a sum
    s(v, t) = f(v) + g(t) of an image part and a caption part (Article B's model, late fusion)."""
    rng = np.random.default_rng(11)
    for _ in range(3):
        f3, f5, g3, g5 = rng.normal(size=4)
        s33, s35, s53 = f3 + g3, f3 + g5, f5 + g3
        mine = coerce(call(my_fn, "my_fn", s33, s35, s53), "s55")
        ref = f5 + g5
        if np.isclose(mine, ref, rtol=1e-6, atol=1e-6):  # float32 answers pass
            continue
        if np.isclose(mine, s33 - s35 - s53) or np.isclose(mine, -ref):
            hint = "the sign is flipped"
        elif np.isclose(mine, s33 + s35 + s53):
            hint = "s33 is counted with the wrong sign: it is the one term to subtract"
        else:
            hint = "write each of the four cells as f(·) + g(·) and combine three of them"
        return report(
            False,
            f"for s33={s33:.3f}, s35={s35:.3f}, s53={s53:.3f} the right s55 is {ref:.3f}, "
            f"you gave {mine:.3f}: {hint}.",
        )
    report(
        True,
        "s55 = s35 + s53 − s33: three cells fix the fourth, so s33 > 0, s35 < 0, s53 < 0 "
        "force s55 < 0 — the model gets one of the four pairs wrong.",
    )


@self_check
def greater_prediction(prediction, measured: float) -> None:
    """Predict-then-check: ``prediction`` = the test accuracy of Article B's model (no hidden
    layer after the concatenation) on `greater`, written down before ``measured`` was run.

    The question is which side of the 2×2 argument `greater` is on, so any prediction clearly
    above chance (the most frequent label is about 0.55 of the pairs) is on the right side; one
    within 0.1 of ``measured`` is also close in number."""
    mine = coerce(prediction, "prediction")
    if not 0.0 <= mine <= 1.0:
        raise WrongAnswer(f"an accuracy is between 0 and 1, got {mine:g}")
    measured = validate.in_range(measured, "measured", 0.0, 1.0)  # the accuracy the notebook ran
    learnable = 0.65  # clearly above chance on `greater` (the most frequent label, about 0.55)
    said = f"you predicted {mine:.2f}, the model reached {measured:.3f}. "
    if mine < learnable:
        return report(
            False,
            said + "Which side of the 2×2 argument is 'greater' on: does the label depend on a "
            "sum of an image part and a caption part?",
        )
    additive = (
        "'greater' is additive (image digit − caption number > 0), so an image term plus a "
        "text term can express it"
    )
    if abs(mine - measured) <= 0.1:
        return report(True, said + f"Right: {additive}.")
    report(
        True,
        said + f"Right side of the argument: {additive}. How high it gets is another matter: "
        "that depends on how well each encoder reads its digit (here 4 convolution filters "
        "read out by one linear layer) and on training.",
    )
