"""Data sets: synthetic ones generated from an explicit seed, and one small real one shipped in
the package (nothing is ever downloaded).

- :func:`make_linear_regression` — one feature, y = w·x + b + noise (notebook 02).
- :func:`make_moons`, :func:`make_spirals` — 2-D classification with a curved boundary (06).
- :func:`load_digits` — 1 797 real 8x8 handwritten digits (UCI, Alpaydin & Kaynak 1998).
- :func:`make_image_text` — a real digit image paired with a templated caption (fusion, 07).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from . import validate
from .validate import in_range, int_at_least


def make_linear_regression(
    n: int = 100,
    noise: float = 1.0,
    seed: int = 0,
    w: float = 2.0,
    b: float = 3.0,
    x_range: tuple[float, float] = (0.0, 10.0),
) -> tuple[np.ndarray, np.ndarray]:
    r"""``(x, y)``, each (n,): :math:`x \sim U(x_{lo}, x_{hi})`, :math:`y = w x + b + \varepsilon`
    with :math:`\varepsilon \sim N(0, \text{noise}^2)`.

    The default feature is not centred (mean 5, in [0, 10]): that is what makes plain gradient
    descent slow on it, and standardising it fast (notebook 02).

    >>> x, y = make_linear_regression(3, noise=0.0)
    >>> np.allclose(y, 2.0 * x + 3.0)
    True
    """
    n, noise = int_at_least(n, "n", 2), in_range(noise, "noise")
    w, b = in_range(w, "w", -np.inf), in_range(b, "b", -np.inf)
    if not (isinstance(x_range, (tuple, list, np.ndarray)) and len(x_range) == 2):
        raise TypeError(f"x_range must be a pair (low, high), e.g. (0.0, 10.0), got {x_range!r}")
    lo, hi = (in_range(v, f"x_range[{i}]", -np.inf) for i, v in enumerate(x_range))
    if not hi > lo:
        raise ValueError(f"x_range must be (low, high) with low < high, got {x_range!r}")
    rng = np.random.default_rng(validate.seed(seed))
    x = rng.uniform(lo, hi, size=n)
    return x, w * x + b + noise * rng.normal(size=n)


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles: ``X`` (n, 2), ``y`` (n,) in {0, 1}, shuffled.

    Class 0: :math:`(\cos t, \sin t)`; class 1: :math:`(1 - \cos t, \tfrac12 - \sin t)`,
    :math:`t \sim U(0, \pi)`, plus :math:`N(0, \text{noise}^2)` on each coordinate. No straight
    line separates them: a linear model tops out near 0.88 accuracy, an MLP reaches ~1.

    >>> X, y = make_moons(6, seed=0)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    n, noise = int_at_least(n, "n", 2), in_range(noise, "noise")
    rng = np.random.default_rng(validate.seed(seed))
    y = np.arange(n) % 2
    t = rng.uniform(0.0, np.pi, size=n)
    X = np.stack(
        [
            np.where(y == 0, np.cos(t), 1.0 - np.cos(t)),
            np.where(y == 0, np.sin(t), 0.5 - np.sin(t)),
        ],
        axis=1,
    )
    X += noise * rng.normal(size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def make_spirals(
    n: int = 300, noise: float = 0.05, seed: int = 0, classes: int = 2, turns: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""``classes`` interleaved spiral arms: ``X`` (n, 2), ``y`` (n,) in {0..classes-1}.

    Arm k: radius :math:`r = t`, angle :math:`2\pi(\text{turns}\cdot t + k/\text{classes})`,
    :math:`t \sim U(0.05, 1)`, plus :math:`N(0, \text{noise}^2)` per coordinate. Harder than
    the moons: the boundary winds around the origin. Every class gets at least one point
    (``n >= classes``); ``turns`` is at most 100 (beyond, neighbouring points of an arm are
    further apart than the arms).

    >>> X, y = make_spirals(9, classes=3)
    >>> X.shape, sorted(set(y.tolist()))
    ((9, 2), [0, 1, 2])
    """
    n, noise = int_at_least(n, "n", 2), in_range(noise, "noise")
    classes = int_at_least(classes, "classes", 2)
    turns = in_range(turns, "turns", 0.0, 100.0, lo_open=True)
    if n < classes:
        raise ValueError(
            f"n must be >= classes (one point per class at least), got n={n} and classes={classes}"
        )
    rng = np.random.default_rng(validate.seed(seed))
    y = np.arange(n) % classes
    t = rng.uniform(0.05, 1.0, size=n)
    angle = 2 * np.pi * (turns * t + y / classes)
    X = t[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    X += noise * rng.normal(size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def split_indices(
    n: int, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``(train_idx, test_idx)``: a seeded random split of ``range(n)``.

    >>> train_idx, test_idx = split_indices(8, 0.25, seed=0)
    >>> len(train_idx), len(test_idx), sorted([*train_idx, *test_idx]) == list(range(8))
    (6, 2, True)
    """
    n = int_at_least(n, "n", 2)
    test_fraction = in_range(test_fraction, "test_fraction", 0.0, 1.0, lo_open=True, hi_open=True)
    order = np.random.default_rng(validate.seed(seed)).permutation(n)
    n_test = min(max(round(test_fraction * n), 1), n - 1)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


@lru_cache(maxsize=1)
def _digits_file() -> tuple[np.ndarray, np.ndarray]:
    with (
        resources.files("mmlearn").joinpath("_data/digits.npz").open("rb") as f,
        np.load(f) as archive,
    ):
        return archive["images"], archive["labels"]


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The real 8x8 handwritten digits: ``images`` (1797, 8, 8) in [0, 1], ``labels`` (1797,).

    The test set of the UCI *Optical Recognition of Handwritten Digits* data (E. Alpaydin and
    C. Kaynak, 1998; CC BY 4.0): 32x32 bitmaps from 13 writers, each 4x4 block counted into
    0..16, here divided by 16. Shipped in the package (``mmlearn/_data/digits.npz``, 45 kB);
    see NOTICE. Each call returns fresh arrays, so changing them changes nothing else.

    >>> images, labels = load_digits()
    >>> images.shape, labels[:5].tolist()
    ((1797, 8, 8), [0, 1, 2, 3, 4])
    """
    pixels, labels = _digits_file()
    return pixels / 16.0, labels.astype(np.int64)


# --- image + caption pairs (notebook 07) -------------------------------------------------------

TASKS = ("redundant", "greater", "match")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NUMBER_FORMS = [
    (word, str(d)) + (("nought", "nil") if d == 0 else ()) for d, word in enumerate(NUMBER_WORDS)
]
TEMPLATES = (
    "a handwritten {n}",
    "the {noun} {n}",
    "{n}",
    "this is a {n}",
    "a {pic} of the {noun} {n}",
    "{n} written by hand",
    "handwritten {noun} {n}",
    "the {noun} shown is {n}",
    "{n} is the {noun} in this {pic}",
    "an image of a {n}",
)
FILLERS = {"noun": ("number", "digit", "numeral"), "pic": ("picture", "photo", "drawing")}


def tokenize(caption: str) -> list[str]:
    """Lower-case words and numbers: ``"The number 7!" -> ["the", "number", "7"]``."""
    return re.findall(r"[a-z0-9]+", caption.lower())


VOCAB = sorted(
    {w for t in TEMPLATES for w in tokenize(t.format(n="", noun="", pic=""))}
    | {w for fill in FILLERS.values() for w in fill}
    | {form for forms in NUMBER_FORMS for form in forms}
)


def bag_of_words(captions: list[str], vocab: list[str] = VOCAB) -> np.ndarray:
    """(n, V) word counts over ``vocab``; words outside it (typos) are ignored. ``captions`` is
    a list of strings, one row each: a single string is refused (it would be read as a list of
    one-letter captions), pass ``[caption]``."""
    if not (
        isinstance(captions, (list, tuple, np.ndarray))
        and all(isinstance(c, str) for c in captions)
    ):
        raise TypeError(
            f"captions must be a list of captions (strings); for one caption "
            f"pass [caption], got {captions!r:.60}"
        )
    index = {w: j for j, w in enumerate(vocab)}
    bow = np.zeros((len(captions), len(vocab)))
    for i, caption in enumerate(captions):
        for word in tokenize(caption):
            if word in index:
                bow[i, index[word]] += 1.0
    return bow


def _caption(digit: int, rng: np.random.Generator, noise: float) -> str:
    """One templated caption naming ``digit``; each word, with probability ``noise``, is
    dropped or misspelt (one letter deleted) -- which usually takes it out of the vocabulary."""
    forms = NUMBER_FORMS[digit]
    number = forms[0] if rng.random() < 0.55 else forms[1 + rng.integers(len(forms) - 1)]
    template = TEMPLATES[rng.integers(len(TEMPLATES))]
    text = template.format(n=number, **{k: v[rng.integers(len(v))] for k, v in FILLERS.items()})
    words = []
    for word in text.split():
        if rng.random() < noise:
            if rng.random() < 0.5 or len(word) == 1:
                continue  # dropped
            cut = rng.integers(len(word))
            word = word[:cut] + word[cut + 1 :]  # a typo
        words.append(word)
    return " ".join(words)


@dataclass(frozen=True)
class ImageTextDataset:
    """Digit images paired with captions. ``images`` (n, 8, 8) in [0, 1]; ``captions`` (n str);
    ``bow`` (n, V) counts over ``vocab``; ``labels`` (n,) the task's target; ``digits`` (n,) the
    image's digit; ``caption_digits`` (n,) the number the caption names; ``image_ids`` (n,)
    which of the 1 797 source images was used (``split`` keeps each in one part only)."""

    images: np.ndarray
    captions: list[str]
    bow: np.ndarray
    vocab: list[str]
    labels: np.ndarray
    digits: np.ndarray
    caption_digits: np.ndarray
    image_ids: np.ndarray
    task: str

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, idx) -> ImageTextDataset:
        """The examples ``idx`` (integer indices in [-n, n) or a boolean mask of n entries),
        as a new data set."""
        n, idx = len(self), np.asarray(idx)
        if idx.ndim != 1:
            raise ValueError(f"idx must be a 1-D array of indices or a mask, got shape {idx.shape}")
        if idx.dtype == np.bool_ and idx.size != n:
            raise ValueError(f"a boolean mask idx must have n = {n} entries, got {idx.size}")
        if idx.dtype != np.bool_ and idx.size:
            if not np.issubdtype(idx.dtype, np.integer):
                raise TypeError(
                    f"idx must be integer indices or a boolean mask, got dtype {idx.dtype}"
                )
            outside = idx[(idx < -n) | (idx >= n)]
            if outside.size:
                raise IndexError(
                    f"idx holds {outside[0]}, outside the n = {n} examples "
                    f"(indices -{n} to {n - 1})"
                )
        idx = np.arange(n)[idx]
        return ImageTextDataset(
            self.images[idx],
            [self.captions[i] for i in idx],
            self.bow[idx],
            self.vocab,
            self.labels[idx],
            self.digits[idx],
            self.caption_digits[idx],
            self.image_ids[idx],
            self.task,
        )

    def split(
        self, test_fraction: float = 0.25, seed: int = 0
    ) -> tuple[ImageTextDataset, ImageTextDataset]:
        """``(train, test)``, splitting by *source image*: a digit image seen in training never
        reappears in the test set (with noise on top), so the test measures generalisation."""
        test_fraction = in_range(
            test_fraction, "test_fraction", 0.0, 1.0, lo_open=True, hi_open=True
        )
        ids = np.unique(self.image_ids)
        n_test = round(test_fraction * ids.size)
        if not 1 <= n_test < ids.size:
            raise ValueError(
                f"test_fraction = {test_fraction} of the {ids.size} source images "
                f"leaves {'the test' if n_test < 1 else 'the training'} set empty: "
                f"use at least {1 / ids.size:.3g} and at most "
                f"{1 - 1 / ids.size:.3g} (or more examples)"
            )
        test_ids = np.random.default_rng(validate.seed(seed)).permutation(ids)[:n_test]
        in_test = np.isin(self.image_ids, test_ids)
        return self.subset(~in_test), self.subset(in_test)


def concat(parts: list[ImageTextDataset]) -> ImageTextDataset:
    """One data set holding the examples of ``parts`` (same task and vocabulary), in order —
    e.g. clean and noisy examples mixed for training."""
    if not (
        isinstance(parts, (list, tuple)) and all(isinstance(p, ImageTextDataset) for p in parts)
    ):
        raise TypeError(
            f"parts must be a list of data sets, e.g. [clean, noisy], got {type(parts).__name__}"
        )
    if not parts or len({(p.task, tuple(p.vocab)) for p in parts}) != 1:
        raise ValueError("parts must be a non-empty list of data sets of one task and vocabulary")
    return ImageTextDataset(
        np.concatenate([p.images for p in parts]),
        [c for p in parts for c in p.captions],
        np.concatenate([p.bow for p in parts]),
        parts[0].vocab,
        *(
            np.concatenate([getattr(p, k) for p in parts])
            for k in ("labels", "digits", "caption_digits", "image_ids")
        ),
        parts[0].task,
    )


def make_image_text(
    n: int = 2000,
    task: str = "match",
    image_noise: float = 0.0,
    caption_noise: float = 0.0,
    seed: int = 0,
) -> ImageTextDataset:
    r"""Pairs (a real handwritten digit image, a caption naming a number), for one of three tasks:

    - ``"redundant"``: the caption names the image's digit; label = the digit. Either modality
      alone suffices.
    - ``"greater"``: independent digits; label = [image digit > caption number]. Each modality
      carries part of the answer, and the parts *add*.
    - ``"match"``: label = [the caption names the image's digit], balanced 50/50; when it does
      not, the caption names one of the other nine digits at random. Then the caption's number
      and the image's digit are *each* uniform whatever the label: each modality alone is at
      chance (0.5), only their combination answers.

    ``image_noise`` is the std of Gaussian pixel noise (images clipped to [0, 1]);
    ``caption_noise`` the probability that each caption word is dropped or misspelt.

    >>> data = make_image_text(4, task="redundant", seed=1)
    >>> data.images.shape, (data.labels == data.caption_digits).all()
    ((4, 8, 8), np.True_)
    """
    n = int_at_least(n, "n")
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    image_noise = in_range(image_noise, "image_noise")
    caption_noise = in_range(caption_noise, "caption_noise", 0.0, 1.0)
    rng = np.random.default_rng(validate.seed(seed))
    pool, pool_labels = load_digits()
    by_digit = [np.flatnonzero(pool_labels == d) for d in range(10)]
    digits = rng.integers(0, 10, size=n)
    image_ids = np.array(
        [by_digit[d][rng.integers(by_digit[d].size)] for d in digits], dtype=np.int64
    )
    if task == "redundant":
        caption_digits, labels = digits.copy(), digits.copy()
    elif task == "greater":
        caption_digits = rng.integers(0, 10, size=n)
        labels = (digits > caption_digits).astype(np.int64)
    else:
        labels = (rng.random(n) < 0.5).astype(np.int64)
        other = (digits + rng.integers(1, 10, size=n)) % 10
        caption_digits = np.where(labels == 1, digits, other)
    images = np.clip(pool[image_ids] + image_noise * rng.normal(size=(n, 8, 8)), 0.0, 1.0)
    captions = [_caption(int(d), rng, caption_noise) for d in caption_digits]
    return ImageTextDataset(
        images,
        captions,
        bag_of_words(captions),
        list(VOCAB),
        labels,
        digits,
        caption_digits,
        image_ids,
        task,
    )
