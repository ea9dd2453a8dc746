r"""Fusing two modalities — an 8x8 digit image :math:`x_v` (64 pixels) and a caption's
bag-of-words :math:`x_t` (V counts) — into one prediction.

Where the modalities meet decides what a model can represent:

- :class:`EarlyFusion`: concatenate the raw inputs, one MLP: :math:`f([x_v; x_t])`.
- :class:`LateFusion`: one model per modality, predictions mixed at the end — Article B's
  fusion formula :math:`\hat y = \sum_i \alpha_i f_i(x_i)`, here
  :math:`\alpha f_v(x_v) + (1-\alpha) f_t(x_t)`. A *sum* of one-modality functions cannot
  express an interaction such as "the caption names the image's digit".
- :class:`HybridFusion`: encode each modality, then a joint head on the concatenated codes.
- :class:`GatedFusion`: the Gated Multimodal Unit (Arevalo et al. 2017): a learned, per-example
  gate :math:`z` mixes the two codes, :math:`h = z \odot \tanh(W_v x_v) + (1-z) \odot
  \tanh(W_t x_t)`, :math:`z = \sigma(W_z [x_v; x_t])`.
- :class:`TensorFusion` (Zadeh et al. 2017): the outer product :math:`[1; h_v] \otimes [1; h_t]`
  holds every unimodal feature *and* every pairwise product.
- :class:`ConcatLinearFusion`: Article B's Keras model — a small CNN on the image, two dense
  layers on the caption, the two codes concatenated, then *one* linear layer. Its logits are
  an image term plus a text term, so, like late fusion, it cannot learn an interaction.

(Article B names "parallel, serial and hybrid fusion" without defining them; the names above are
the ones the literature uses.)

All are :class:`~mmlearn.nn.Classifier` models with the protocol of :class:`~mmlearn.nn.Model`,
their input ``X`` being the pair ``(images, texts)``: ``fit(X, y, optimizer=None, *, epochs=10,
batch_size=32, seed=0, schedule=None, val=None, patience=None, modality_dropout=0.0) ->
History``, ``predict_proba(X)``, ``predict(X)``, ``score(X, y)``; ``forward(images, texts)`` and
``backward(dlogits) -> (d_images, d_texts)``. ``images`` is (n, 8, 8) or (n, 64), ``texts``
(n, V). **A missing modality** (``None``) is replaced by the training set's mean of that modality
(zeros if it was missing during training too): the model then predicts from what it has. A
modality the model was fitted without (``modalities`` says which it uses) is ignored at
prediction time: it never learned to read it. With ``fit(X, y, modality_dropout=p)``, each
training example loses its image, or else its caption, with probability p each (replaced the same
way), which teaches the model to cope. The constructor says what the model is (its layers),
``fit`` how it is trained.
"""

from __future__ import annotations

import copy

import numpy as np

from . import train, validate
from .data import VOCAB, make_image_text
from .nn import MLP, Classifier, Conv2D, Flatten, Linear, MaxPool2D, ReLU, Sequential, dense, merge
from .validate import float_array, in_range, int_at_least, labels

IMAGE_SIDE = 8
IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE
MODALITIES = ("image", "text")


class FusionModel(Classifier):
    """What every fusion model shares: input checks, imputation, fit/predict/score.
    Subclasses define ``_build(d_image, d_text, classes)`` and ``forward``/``backward``.
    ``fit`` (:meth:`mmlearn.nn.Model.fit`) trains from scratch on ``X = (images, texts)``
    (either may be None) and integer labels ``y``, with softmax cross-entropy; the weights are
    drawn from ``self.seed``, ``seed`` shuffles the batches; ``val = ((images, texts), y)``;
    ``modality_dropout`` in [0, 0.5] (default 0): see the module docstring.

    After ``fit``: ``modalities``, the modalities it was fitted with (``("image", "text")``, or
    one of them), ``classes``, and ``modality_dropout``, the p it was trained with (set it
    through ``fit``; the attribute only records it)."""

    def __init__(self, hidden: int = 32, seed: int = 0) -> None:
        self.hidden = int_at_least(hidden, "hidden")
        self.seed = validate.seed(seed)
        self.modality_dropout = 0.0  # the p of the last fit (a fit keyword)
        self.params, self.grads = {}, {}
        self.modalities: tuple[str, ...] | None = None
        self._means: tuple[np.ndarray, np.ndarray] | None = None

    # --- inputs ---------------------------------------------------------------------------
    @staticmethod
    def _check_pair(X, name: str = "X") -> tuple[np.ndarray | None, np.ndarray | None]:
        """``X = (images, texts)`` checked: float (n, 64) images and (n, V) texts, or None."""
        if not (isinstance(X, tuple) and len(X) == 2):
            raise TypeError(
                f"{name} must be a pair (images, texts) (either may be None), got "
                f"{type(X).__name__}"
            )
        images, texts = X
        if images is None and texts is None:
            raise ValueError("images and texts are both None: at least one modality is needed")
        if images is not None:
            images = float_array(images, "images")
            if images.ndim == 3 and images.shape[1:] == (8, 8):
                images = images.reshape(len(images), IMAGE_SIZE)
            if images.ndim != 2 or images.shape[1] != IMAGE_SIZE:
                raise ValueError(f"images must have shape (n, 8, 8) or (n, 64), got {images.shape}")
        if texts is not None:
            texts = float_array(texts, "texts")
            if texts.ndim != 2:
                raise ValueError(
                    f"texts must be a bag-of-words matrix (n, V), got shape {texts.shape}"
                )
        if images is not None and texts is not None and len(images) != len(texts):
            raise ValueError(
                f"images and texts must have the same number of examples, got "
                f"{len(images)} and {len(texts)}"
            )
        return images, texts

    def check_examples(self, X, y, x_name: str, y_name: str) -> tuple[tuple, np.ndarray]:
        """``((images, texts), y)`` checked: a valid pair and as many integer labels."""
        images, texts = self._check_pair(X, x_name)
        y = labels(y, y_name)
        for name, x in (("images", images), ("texts", texts)):
            if x is not None and len(x) != len(y):
                raise ValueError(
                    f"{name} and {y_name} must have the same number of examples, "
                    f"got {len(x)} and {len(y)}"
                )
        return (images, texts), y

    def _complete(self, images, texts) -> tuple[np.ndarray, np.ndarray]:
        """Both modalities as (n, d) arrays: one that is None, or that the model was fitted
        without, becomes the training mean of that modality."""
        n = len(images) if images is not None else len(texts)
        if images is None or "image" not in self.modalities:
            images = np.broadcast_to(self._means[0], (n, IMAGE_SIZE))
        if texts is None or "text" not in self.modalities:
            texts = np.broadcast_to(self._means[1], (n, self._means[1].size))
        elif texts.shape[1] != self._means[1].size:
            raise ValueError(
                f"texts must have {self._means[1].size} columns (the vocabulary it "
                f"was fitted on), got {texts.shape[1]}"
            )
        return images, texts

    def _drop_modalities(self, batch: tuple, rng: np.random.Generator) -> tuple:
        """Modality dropout: each example loses its image (prob p) or else its text (prob p)."""
        images, texts = batch
        u = rng.random(len(images))[:, None]
        p = self.modality_dropout
        return (
            np.where(u < p, self._means[0], images),
            np.where((u >= p) & (u < 2 * p), self._means[1], texts),
        )

    # --- fit: all or nothing ------------------------------------------------------------------
    def start_fit(
        self, sets: dict[str, tuple], seed: int, modality_dropout: float = 0.0
    ) -> tuple[FusionModel, dict]:
        """``fit(X, y, optimizer=None, *, modality_dropout=0.0, epochs=10, ...)``.

        Training is all or nothing: a copy of the model (same settings, new weights drawn
        from ``self.seed``) is built for these data and trained, and the model takes its
        weights only once training has finished. An error — a bad argument, a schedule that
        fails at step 50 — leaves a fitted model as it was. The sets come back completed (a
        missing modality replaced by the training mean)."""
        modality_dropout = in_range(modality_dropout, "modality_dropout", 0.0, 0.5)
        (images, texts), y = sets["train"]
        d_text = texts.shape[1] if texts is not None else len(VOCAB)
        val_texts = sets["val"][0][1] if "val" in sets else None
        if texts is not None and val_texts is not None and val_texts.shape[1] != d_text:
            raise ValueError(
                f"the texts of val must have {d_text} columns, like the "
                f"training texts, got {val_texts.shape[1]}"
            )
        fresh = copy.copy(self)  # the same settings; it gets new weights, not self
        fresh.modality_dropout = modality_dropout
        fresh.modalities = tuple(m for m, x in zip(MODALITIES, (images, texts)) if x is not None)
        fresh._means = (
            np.zeros(IMAGE_SIZE) if images is None else images.mean(axis=0),
            np.zeros(d_text) if texts is None else texts.mean(axis=0),
        )
        fresh.classes = max(int(y.max()) + 1, 2)
        fresh._build(IMAGE_SIZE, d_text, fresh.classes)
        return fresh, {name: (fresh._complete(*xs), ys) for name, (xs, ys) in sets.items()}

    def fit_step(self, optimizer, inputs: tuple, y: np.ndarray, seed: int):
        """Softmax cross-entropy steps; with ``modality_dropout``, each batch loses
        modalities first (:meth:`_drop_modalities`)."""
        augment = self._drop_modalities if self.modality_dropout else None
        return train.minibatch_step(self, self.loss, optimizer, inputs, y, augment, seed)

    def _inputs(self, X) -> tuple[np.ndarray, np.ndarray]:
        """``X = (images, texts)`` checked and completed, ready for ``forward``."""
        if self._means is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted yet: call fit first")
        return self._complete(*self._check_pair(X))

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (n, classes) for ``X = (images, texts)``."""
        return super().predict_proba(self._inputs(X))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(hidden={self.hidden}, seed={self.seed})"


class EarlyFusion(FusionModel):
    r"""Concatenate, then one MLP: :math:`\text{logits} = \mathrm{MLP}([x_v; x_t])`.

    Every hidden unit sees both modalities, so interactions are learnable."""

    def _build(self, d_image, d_text, classes):
        self.net = MLP([d_image + d_text, self.hidden, classes], seed=self.seed)
        self.params, self.grads = self.net.params, self.net.grads

    def forward(self, images, texts):
        return self.net.forward(np.concatenate([images, texts], axis=1))

    def backward(self, dlogits):
        dX = self.net.backward(dlogits)
        return dX[:, :IMAGE_SIZE], dX[:, IMAGE_SIZE:]


class LateFusion(FusionModel):
    r""":math:`\text{logits} = \alpha f_v(x_v) + (1-\alpha) f_t(x_t)`, one MLP per modality.

    ``alpha=None`` learns :math:`\alpha = \sigma(a)` (parameter ``"alpha_logit"``, starting at
    :math:`\alpha = 0.5`); a number fixes it. Gradients: :math:`\partial L/\partial f_v = \alpha G`,
    :math:`\partial L/\partial f_t = (1-\alpha) G`, :math:`\partial L/\partial a = \sum G \odot
    (f_v - f_t)\;\alpha(1-\alpha)`."""

    def __init__(self, hidden: int = 32, alpha: float | None = None, seed: int = 0) -> None:
        super().__init__(hidden, seed)
        self.fixed_alpha = None if alpha is None else in_range(alpha, "alpha", 0.0, 1.0)

    def _build(self, d_image, d_text, classes):
        rng = np.random.default_rng(self.seed)
        self.image_net = MLP([d_image, self.hidden, classes], seed=int(rng.integers(2**31)))
        self.text_net = MLP([d_text, self.hidden, classes], seed=int(rng.integers(2**31)))
        self.params, self.grads = merge({"image": self.image_net, "text": self.text_net})
        if self.fixed_alpha is None:
            self.params["alpha_logit"], self.grads["alpha_logit"] = np.zeros(1), np.zeros(1)

    @property
    def alpha(self) -> float:
        """The weight of the image model's logits."""
        if self.fixed_alpha is not None:
            return self.fixed_alpha
        return float(1.0 / (1.0 + np.exp(-self.params["alpha_logit"][0])))

    def unimodal_logits(self, X) -> tuple[np.ndarray, np.ndarray]:
        """``(f_image, f_text)`` for ``X = (images, texts)``, each (n, classes): the two models'
        logits before mixing, so that any α can be tried without retraining:
        ``α f_image + (1 − α) f_text``."""
        images, texts = self._inputs(X)
        return self.image_net.forward(images), self.text_net.forward(texts)

    def forward(self, images, texts):
        self._f_image, self._f_text = self.image_net.forward(images), self.text_net.forward(texts)
        return self.alpha * self._f_image + (1.0 - self.alpha) * self._f_text

    def backward(self, dlogits):
        a = self.alpha
        if self.fixed_alpha is None:
            self.grads["alpha_logit"][0] = (
                np.sum(dlogits * (self._f_image - self._f_text)) * a * (1.0 - a)
            )
        return self.image_net.backward(a * dlogits), self.text_net.backward((1.0 - a) * dlogits)


class _TwoEncoders(FusionModel):
    """Models that first encode each modality separately, then combine the codes."""

    def _encoders(self, d_image, d_text, activation):
        rng = np.random.default_rng(self.seed)
        self.image_enc = dense(d_image, self.hidden, activation, seed=rng)
        self.text_enc = dense(d_text, self.hidden, activation, seed=rng)
        return rng


class HybridFusion(_TwoEncoders):
    r"""Encode each modality (:math:`h_v = \mathrm{relu}(x_v W_v)`, same for :math:`h_t`) as late
    fusion does, then a joint MLP head on :math:`[h_v; h_t]` as early fusion does."""

    def _build(self, d_image, d_text, classes):
        rng = self._encoders(d_image, d_text, "relu")
        self.head = MLP([2 * self.hidden, self.hidden, classes], seed=int(rng.integers(2**31)))
        self.params, self.grads = merge(
            {"image": self.image_enc, "text": self.text_enc, "head": self.head}
        )

    def forward(self, images, texts):
        return self.head.forward(
            np.concatenate([self.image_enc.forward(images), self.text_enc.forward(texts)], axis=1)
        )

    def backward(self, dlogits):
        dh = self.head.backward(dlogits)
        return self.image_enc.backward(dh[:, : self.hidden]), self.text_enc.backward(
            dh[:, self.hidden :]
        )


class GatedFusion(_TwoEncoders):
    r"""Gated Multimodal Unit (Arevalo et al. 2017) and an MLP head on its output :math:`h`:

    .. math:: h_v = \tanh(x_v W_v), \; h_t = \tanh(x_t W_t), \;
              z = \sigma([x_v; x_t] W_z), \; h = z \odot h_v + (1 - z) \odot h_t

    Backward: :math:`\partial h_v = z\,\partial h`, :math:`\partial h_t = (1-z)\,\partial h`,
    :math:`\partial z = (h_v - h_t)\,\partial h`; each input's gradient adds its encoder's and
    its part of the gate's. ``gates((images, texts))`` returns :math:`z`:
    near 1, a unit listens to the image; near 0, to the text."""

    def _build(self, d_image, d_text, classes):
        rng = self._encoders(d_image, d_text, "tanh")
        self.gate = dense(d_image + d_text, self.hidden, "sigmoid", seed=rng)
        self.head = MLP([self.hidden, self.hidden, classes], seed=int(rng.integers(2**31)))
        self.params, self.grads = merge(
            {"image": self.image_enc, "text": self.text_enc, "gate": self.gate, "head": self.head}
        )

    def forward(self, images, texts):
        self._h_image, self._h_text = self.image_enc.forward(images), self.text_enc.forward(texts)
        self._z = self.gate.forward(np.concatenate([images, texts], axis=1))
        return self.head.forward(self._z * self._h_image + (1.0 - self._z) * self._h_text)

    def backward(self, dlogits):
        dh = self.head.backward(dlogits)
        d_gate = self.gate.backward((self._h_image - self._h_text) * dh)
        return (
            self.image_enc.backward(self._z * dh) + d_gate[:, :IMAGE_SIZE],
            self.text_enc.backward((1.0 - self._z) * dh) + d_gate[:, IMAGE_SIZE:],
        )

    def gates(self, X) -> np.ndarray:
        """The gate values z (n, hidden) for ``X = (images, texts)``."""
        self.forward(*self._inputs(X))
        return self._z.copy()


class TensorFusion(_TwoEncoders):
    r"""Tensor Fusion (Zadeh et al. 2017): :math:`Z = [1; h_v] \otimes [1; h_t]`, flattened to
    :math:`(\text{hidden}+1)^2` features, then an MLP head. The 1s keep each unimodal code;
    the products :math:`h_{v,i} h_{t,j}` are the interactions.

    Backward, with :math:`G = \partial L/\partial Z`: :math:`\partial [1;h_v] = G\,[1;h_t]`,
    :math:`\partial [1;h_t] = G^\top [1;h_v]` (per example)."""

    def __init__(self, hidden: int = 16, seed: int = 0) -> None:
        super().__init__(hidden, seed)

    def _build(self, d_image, d_text, classes):
        rng = self._encoders(d_image, d_text, "relu")
        self.head = MLP(
            [(self.hidden + 1) ** 2, 2 * self.hidden, classes], seed=int(rng.integers(2**31))
        )
        self.params, self.grads = merge(
            {"image": self.image_enc, "text": self.text_enc, "head": self.head}
        )

    def forward(self, images, texts):
        ones = np.ones((len(images), 1))
        self._v = np.concatenate([ones, self.image_enc.forward(images)], axis=1)
        self._t = np.concatenate([ones, self.text_enc.forward(texts)], axis=1)
        Z = self._v[:, :, None] * self._t[:, None, :]
        return self.head.forward(Z.reshape(len(images), -1))

    def backward(self, dlogits):
        k = self.hidden + 1
        G = self.head.backward(dlogits).reshape(-1, k, k)
        return (
            self.image_enc.backward(np.einsum("nij,nj->ni", G, self._t)[:, 1:]),
            self.text_enc.backward(np.einsum("nij,ni->nj", G, self._v)[:, 1:]),
        )


class ConcatLinearFusion(FusionModel):
    r"""Article B's Keras image + text model, structure for structure, sized for 8x8 digits:

    - image encoder :math:`\varphi_v`: Conv2D(``filters``, 3x3) + ReLU, 2x2 max-pool, flatten:
      (n, 1, 8, 8) -> (n, filters, 6, 6) -> (n, filters, 3, 3) -> (n, 9·filters);
    - caption encoder :math:`\varphi_t`: Dense(2·hidden) + ReLU, Dense(hidden) + ReLU on the
      bag of words (n, V) -> (n, hidden);
    - concatenate :math:`[\varphi_v(x_v); \varphi_t(x_t)]`, then **one** Dense layer to the
      classes (the softmax is in the loss).

    Article B: 32x32x3 images, Conv2D(32 filters), a 100-word text vector, Dense(64) ->
    Dense(32), Dense(10, softmax), Adam, batches of 32. Here ``hidden=32`` gives the same
    Dense(64) -> Dense(32); ``filters=4`` instead of 32 for 64-pixel grey images (their 36
    features tell the digits apart well enough for 0.93+ on ``match`` once ``hidden_after``
    is set; see tests/test_fusion.py).

    Splitting the last layer's weights :math:`W = [W_v; W_t]` by the rows that read each code:

    .. math:: \text{logits} = \varphi_v(x_v) W_v + \varphi_t(x_t) W_t + b

    a **sum of an image term and a text term**, as in late fusion, however deep each encoder.
    Such a sum cannot represent ``match`` (label 1 iff the caption names the image's digit).
    With two classes only the difference of the two logits matters,
    :math:`s = f(x_v) + g(x_t)` (f, g: differences of the class columns' terms). Take images
    of a 3 and a 5 and the captions "3" and "5": match needs :math:`s > 0` for (3, "3") and
    (5, "5") and :math:`s < 0` for (3, "5") and (5, "3"). But the diagonals have the same sum,

    .. math:: s(3, "3") + s(5, "5") = f(3) + f(5) + g("3") + g("5") = s(3, "5") + s(5, "3"),

    which cannot be both > 0 and < 0. Since each modality alone is at chance on ``match``, the
    model stays near chance: 0.47--0.51 on held-out pairs after 60 epochs (three seeds), where
    early fusion reaches 0.96--0.98.

    ``hidden_after=k`` inserts one Dense(k) + ReLU after the concatenation (Dense(k) -> ReLU ->
    Dense(classes)): the hidden units see both codes at once, and the model learns match
    (0.93--0.95 with ``hidden_after=32``, same training).

    Backward: the head gives :math:`\partial L/\partial [\varphi_v; \varphi_t]`, split by
    columns into each encoder's gradient; each encoder backpropagates its part (conv, pool and
    flatten from :mod:`mmlearn.nn`)."""

    def __init__(
        self,
        hidden: int = 32,
        filters: int = 4,
        hidden_after: int | None = None,
        seed: int = 0,
    ) -> None:
        super().__init__(hidden, seed)
        self.filters = int_at_least(filters, "filters")
        self.hidden_after = (
            None if hidden_after is None else int_at_least(hidden_after, "hidden_after")
        )

    def _build(self, d_image, d_text, classes):
        rng = np.random.default_rng(self.seed)
        self.image_enc = Sequential(
            [Conv2D(1, self.filters, 3, seed=rng), ReLU(), MaxPool2D(2), Flatten()]
        )
        self.text_enc = Sequential(
            [
                Linear(d_text, 2 * self.hidden, seed=rng),
                ReLU(),
                Linear(2 * self.hidden, self.hidden, seed=rng),
                ReLU(),
            ]
        )
        pooled = (IMAGE_SIDE - 3 + 1) // 2  # 8x8 -> conv 3x3 -> 6x6 -> max-pool 2 -> 3x3
        self.image_code = self.filters * pooled * pooled
        after = [] if self.hidden_after is None else [self.hidden_after]
        self.head = MLP(
            [self.image_code + self.hidden, *after, classes], seed=int(rng.integers(2**31))
        )
        self.params, self.grads = merge(
            {"image": self.image_enc, "text": self.text_enc, "head": self.head}
        )

    def forward(self, images, texts):
        h_image = self.image_enc.forward(images.reshape(-1, 1, IMAGE_SIDE, IMAGE_SIDE))
        return self.head.forward(np.concatenate([h_image, self.text_enc.forward(texts)], axis=1))

    def backward(self, dlogits):
        dh = self.head.backward(dlogits)
        d_images = self.image_enc.backward(dh[:, : self.image_code])
        return d_images.reshape(-1, IMAGE_SIZE), self.text_enc.backward(dh[:, self.image_code :])

    def __repr__(self) -> str:
        return (
            f"ConcatLinearFusion(hidden={self.hidden}, filters={self.filters}, "
            f"hidden_after={self.hidden_after}, seed={self.seed})"
        )


MODELS = {
    "early": EarlyFusion,
    "late": LateFusion,
    "hybrid": HybridFusion,
    "gated": GatedFusion,
    "tensor": TensorFusion,
    "concat-linear": ConcatLinearFusion,
}


def noise_curve(
    models: dict[str, FusionModel],
    task: str,
    image_noise=0.0,
    caption_noise=0.0,
    n: int = 600,
    seed: int = 1,
) -> dict[str, np.ndarray]:
    """Test accuracy of each fitted model as noise grows: one of ``image_noise`` /
    ``caption_noise`` is a sequence of levels, the other a number. Every model gets both
    modalities; one fitted without a modality ignores it."""
    if not isinstance(models, dict):
        raise TypeError(f"models must be a dict name -> fitted model, got {type(models).__name__}")
    if np.ndim(image_noise) and np.ndim(caption_noise):
        raise ValueError(
            "image_noise and caption_noise cannot both be sequences: vary one, "
            "give the other as a number"
        )
    levels = np.atleast_1d(image_noise if np.ndim(image_noise) else caption_noise)
    scores = {name: np.empty(levels.size) for name in models}
    for i, level in enumerate(levels):
        img, cap = (level, caption_noise) if np.ndim(image_noise) else (image_noise, level)
        test = make_image_text(n, task, float(img), float(cap), seed=seed)
        for name, model in models.items():
            scores[name][i] = model.score((test.images, test.bow), test.labels)
    return scores
