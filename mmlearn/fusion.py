r"""Fusing two modalities — an 8x8 digit image :math:`x_v` (64 pixels) and a caption's
bag-of-words :math:`x_t` (V counts) — into one prediction.

Where the modalities meet decides what a model can represent:

- :class:`EarlyFusion`: concatenate the raw inputs, one MLP: :math:`f([x_v; x_t])`.
- :class:`LateFusion`: one model per modality, predictions mixed at the end (the second
  article's :math:`\hat y = \sum_i \alpha_i f_i(x_i)`):
  :math:`\alpha f_v(x_v) + (1-\alpha) f_t(x_t)`. A *sum* of one-modality functions cannot
  express an interaction such as "the caption names the image's digit".
- :class:`HybridFusion`: encode each modality, then a joint head on the concatenated codes.
- :class:`GatedFusion`: the Gated Multimodal Unit (Arevalo et al. 2017): a learned, per-example
  gate :math:`z` mixes the two codes, :math:`h = z \odot \tanh(W_v x_v) + (1-z) \odot
  \tanh(W_t x_t)`, :math:`z = \sigma(W_z [x_v; x_t])`.
- :class:`TensorFusion` (Zadeh et al. 2017): the outer product :math:`[1; h_v] \otimes [1; h_t]`
  holds every unimodal feature *and* every pairwise product.

All share ``fit(images, texts, y, optimizer, epochs, batch_size, seed) -> History``,
``predict_proba``, ``predict``, ``score``. ``images`` is (n, 8, 8) or (n, 64), ``texts`` (n, V).
**A missing modality** (``None``) is replaced by the training set's mean of that modality (zeros if
it was missing during training too): the model then predicts from what it has. With
``modality_dropout=p``, each training example loses its image, or else its caption, with
probability p each (replaced the same way), which teaches the model to cope.
"""

from __future__ import annotations

import numpy as np

from .data import VOCAB, make_image_text
from .losses import softmax, softmax_cross_entropy
from .nn import MLP, Module, dense, merge
from .optim import Adam, Optimizer
from .train import History
from .train import fit as _fit
from .validate import float_array, in_range, int_at_least

IMAGE_SIZE = 64


class FusionModel(Module):
    """What every fusion model shares: input checks, imputation, fit/predict/score.
    Subclasses define ``_build(d_image, d_text, classes)`` and ``forward``/``backward``."""

    def __init__(self, hidden: int = 32, seed: int = 0, modality_dropout: float = 0.0) -> None:
        self.hidden = int_at_least(hidden, "hidden")
        self.seed = seed
        self.modality_dropout = in_range(modality_dropout, "modality_dropout", 0.0, 0.5)
        self.params, self.grads = {}, {}
        self._means: tuple[np.ndarray, np.ndarray] | None = None

    # --- inputs ---------------------------------------------------------------------------
    def _inputs(self, images, texts, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Both modalities as float (n, d) arrays, a missing one imputed with the mean."""
        if images is None and texts is None:
            raise ValueError("images and texts are both None: at least one modality is needed")
        if images is not None:
            images = float_array(images, "images")
            if images.ndim == 3 and images.shape[1:] == (8, 8):
                images = images.reshape(len(images), IMAGE_SIZE)
            if images.ndim != 2 or images.shape[1] != IMAGE_SIZE:
                raise ValueError(f"images must have shape (n, 8, 8) or (n, 64), got "
                                 f"{images.shape}")
        if texts is not None:
            texts = float_array(texts, "texts")
            if texts.ndim != 2:
                raise ValueError(f"texts must be a bag-of-words matrix (n, V), got shape "
                                 f"{texts.shape}")
        if images is not None and texts is not None and len(images) != len(texts):
            raise ValueError(f"images and texts must have the same number of examples, got "
                             f"{len(images)} and {len(texts)}")
        n = len(images) if images is not None else len(texts)
        if self._means is not None:
            if texts is not None and texts.shape[1] != self._means[1].size:
                raise ValueError(f"texts must have {self._means[1].size} columns (the "
                                 f"vocabulary it was fitted on), got {texts.shape[1]}")
            images = np.broadcast_to(self._means[0], (n, IMAGE_SIZE)) if images is None \
                else images
            texts = np.broadcast_to(self._means[1], (n, self._means[1].size)) if texts is None \
                else texts
        return images, texts

    def _drop_modalities(self, batch: tuple, rng: np.random.Generator) -> tuple:
        """Modality dropout: each example loses its image (prob p) or else its text (prob p)."""
        images, texts = batch
        u = rng.random(len(images))[:, None]
        p = self.modality_dropout
        return (np.where(u < p, self._means[0], images),
                np.where((u >= p) & (u < 2 * p), self._means[1], texts))

    # --- the common API ---------------------------------------------------------------------
    def fit(self, images, texts, y, optimizer: Optimizer | None = None, epochs: int = 30,
            batch_size: int = 32, seed: int = 0, val: tuple | None = None,
            patience: int | None = None) -> History:
        """Train from scratch (weights drawn from ``self.seed``) with softmax cross-entropy;
        ``optimizer`` defaults to ``Adam(lr=3e-3)``; ``val = (images, texts, y)``."""
        y = np.asarray(y)
        if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or y.size == 0:
            raise ValueError(f"y must be a non-empty 1-D array of integer labels, got "
                             f"{y.dtype} {y.shape}")
        n = len(y)
        for name, x in (("images", images), ("texts", texts)):
            if x is not None and len(x) != n:
                raise ValueError(f"{name} and y must have the same number of examples, got "
                                 f"{len(x)} and {n}")
        self._means = None
        self.modalities = tuple(m for m, x in (("image", images), ("text", texts))
                                if x is not None)
        images, texts = self._inputs(images, texts)
        d_text = texts.shape[1] if texts is not None else len(VOCAB)
        self._means = (np.zeros(IMAGE_SIZE) if images is None else images.mean(axis=0),
                       np.zeros(d_text) if texts is None else texts.mean(axis=0))
        images, texts = self._inputs(images, texts)
        self.classes = max(int(y.max()) + 1, 2)
        self._build(IMAGE_SIZE, d_text, self.classes)
        if val is not None:
            val = (self._inputs(val[0], val[1]), val[2])
        return _fit(self, softmax_cross_entropy, optimizer or Adam(lr=3e-3), (images, texts),
                    y, epochs, batch_size, seed, val=val, patience=patience,
                    augment=self._drop_modalities if self.modality_dropout else None)

    def _check_fitted(self) -> None:
        if self._means is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted yet: call fit first")

    def predict_proba(self, images, texts) -> np.ndarray:
        """Class probabilities (n, classes)."""
        self._check_fitted()
        return softmax(self.forward(*self._inputs(images, texts)))

    def predict(self, images, texts) -> np.ndarray:
        """The most probable class of each example (n,)."""
        return self.predict_proba(images, texts).argmax(axis=1)

    def score(self, images, texts, y) -> float:
        """Accuracy on (images, texts, y)."""
        return float(np.mean(self.predict(images, texts) == np.asarray(y)))

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
        self.net.backward(dlogits)


class LateFusion(FusionModel):
    r""":math:`\text{logits} = \alpha f_v(x_v) + (1-\alpha) f_t(x_t)`, one MLP per modality.

    ``alpha=None`` learns :math:`\alpha = \sigma(a)` (parameter ``"alpha_logit"``, starting at
    :math:`\alpha = 0.5`); a number fixes it. Gradients: :math:`\partial L/\partial f_v = \alpha G`,
    :math:`\partial L/\partial f_t = (1-\alpha) G`, :math:`\partial L/\partial a = \sum G \odot
    (f_v - f_t)\;\alpha(1-\alpha)`."""

    def __init__(self, hidden: int = 32, alpha: float | None = None, seed: int = 0,
                 modality_dropout: float = 0.0) -> None:
        super().__init__(hidden, seed, modality_dropout)
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

    def unimodal_logits(self, images, texts) -> tuple[np.ndarray, np.ndarray]:
        """``(f_image, f_text)``, each (n, classes): the two models' logits before mixing, so
        that any α can be tried without retraining: ``α f_image + (1 − α) f_text``."""
        self._check_fitted()
        images, texts = self._inputs(images, texts)
        return self.image_net.forward(images), self.text_net.forward(texts)

    def forward(self, images, texts):
        self._f_image, self._f_text = self.image_net.forward(images), self.text_net.forward(texts)
        return self.alpha * self._f_image + (1.0 - self.alpha) * self._f_text

    def backward(self, dlogits):
        a = self.alpha
        self.image_net.backward(a * dlogits)
        self.text_net.backward((1.0 - a) * dlogits)
        if self.fixed_alpha is None:
            self.grads["alpha_logit"][0] = np.sum(dlogits * (self._f_image - self._f_text)) \
                * a * (1.0 - a)


class _TwoEncoders(FusionModel):
    """Models that first encode each modality separately, then combine the codes."""

    def _encoders(self, d_image, d_text, activation):
        rng = np.random.default_rng(self.seed)
        self.image_enc = dense(d_image, self.hidden, activation, rng=rng)
        self.text_enc = dense(d_text, self.hidden, activation, rng=rng)
        return rng


class HybridFusion(_TwoEncoders):
    r"""Encode each modality (:math:`h_v = \mathrm{relu}(x_v W_v)`, same for :math:`h_t`) as late
    fusion does, then a joint MLP head on :math:`[h_v; h_t]` as early fusion does."""

    def _build(self, d_image, d_text, classes):
        rng = self._encoders(d_image, d_text, "relu")
        self.head = MLP([2 * self.hidden, self.hidden, classes], seed=int(rng.integers(2**31)))
        self.params, self.grads = merge({"image": self.image_enc, "text": self.text_enc,
                                         "head": self.head})

    def forward(self, images, texts):
        return self.head.forward(np.concatenate([self.image_enc.forward(images),
                                                 self.text_enc.forward(texts)], axis=1))

    def backward(self, dlogits):
        dh = self.head.backward(dlogits)
        self.image_enc.backward(dh[:, :self.hidden])
        self.text_enc.backward(dh[:, self.hidden:])


class GatedFusion(_TwoEncoders):
    r"""Gated Multimodal Unit (Arevalo et al. 2017) and an MLP head on its output :math:`h`:

    .. math:: h_v = \tanh(x_v W_v), \; h_t = \tanh(x_t W_t), \;
              z = \sigma([x_v; x_t] W_z), \; h = z \odot h_v + (1 - z) \odot h_t

    Backward: :math:`\partial h_v = z\,\partial h`, :math:`\partial h_t = (1-z)\,\partial h`,
    :math:`\partial z = (h_v - h_t)\,\partial h`. ``gates(images, texts)`` returns :math:`z`:
    near 1, a unit listens to the image; near 0, to the text."""

    def _build(self, d_image, d_text, classes):
        rng = self._encoders(d_image, d_text, "tanh")
        self.gate = dense(d_image + d_text, self.hidden, "sigmoid", rng=rng)
        self.head = MLP([self.hidden, self.hidden, classes], seed=int(rng.integers(2**31)))
        self.params, self.grads = merge({"image": self.image_enc, "text": self.text_enc,
                                         "gate": self.gate, "head": self.head})

    def forward(self, images, texts):
        self._h_image, self._h_text = self.image_enc.forward(images), self.text_enc.forward(texts)
        self._z = self.gate.forward(np.concatenate([images, texts], axis=1))
        return self.head.forward(self._z * self._h_image + (1.0 - self._z) * self._h_text)

    def backward(self, dlogits):
        dh = self.head.backward(dlogits)
        self.image_enc.backward(self._z * dh)
        self.text_enc.backward((1.0 - self._z) * dh)
        self.gate.backward((self._h_image - self._h_text) * dh)

    def gates(self, images, texts) -> np.ndarray:
        """The gate values z (n, hidden) for these examples."""
        self._check_fitted()
        self.forward(*self._inputs(images, texts))
        return self._z.copy()


class TensorFusion(_TwoEncoders):
    r"""Tensor Fusion (Zadeh et al. 2017): :math:`Z = [1; h_v] \otimes [1; h_t]`, flattened to
    :math:`(\text{hidden}+1)^2` features, then an MLP head. The 1s keep each unimodal code;
    the products :math:`h_{v,i} h_{t,j}` are the interactions.

    Backward, with :math:`G = \partial L/\partial Z`: :math:`\partial [1;h_v] = G\,[1;h_t]`,
    :math:`\partial [1;h_t] = G^\top [1;h_v]` (per example)."""

    def __init__(self, hidden: int = 16, seed: int = 0, modality_dropout: float = 0.0) -> None:
        super().__init__(hidden, seed, modality_dropout)

    def _build(self, d_image, d_text, classes):
        rng = self._encoders(d_image, d_text, "relu")
        self.head = MLP([(self.hidden + 1) ** 2, 2 * self.hidden, classes],
                        seed=int(rng.integers(2**31)))
        self.params, self.grads = merge({"image": self.image_enc, "text": self.text_enc,
                                         "head": self.head})

    def forward(self, images, texts):
        ones = np.ones((len(images), 1))
        self._v = np.concatenate([ones, self.image_enc.forward(images)], axis=1)
        self._t = np.concatenate([ones, self.text_enc.forward(texts)], axis=1)
        Z = self._v[:, :, None] * self._t[:, None, :]
        return self.head.forward(Z.reshape(len(images), -1))

    def backward(self, dlogits):
        k = self.hidden + 1
        G = self.head.backward(dlogits).reshape(-1, k, k)
        self.image_enc.backward(np.einsum("nij,nj->ni", G, self._t)[:, 1:])
        self.text_enc.backward(np.einsum("nij,ni->nj", G, self._v)[:, 1:])


MODELS = {"early": EarlyFusion, "late": LateFusion, "hybrid": HybridFusion,
          "gated": GatedFusion, "tensor": TensorFusion}


def noise_curve(models: dict[str, FusionModel], task: str, image_noise=0.0, caption_noise=0.0,
                n: int = 600, seed: int = 1) -> dict[str, np.ndarray]:
    """Test accuracy of each fitted model as noise grows: one of ``image_noise`` /
    ``caption_noise`` is a sequence of levels, the other a number. A model fitted without a
    modality (``None``) is evaluated without it too."""
    levels = np.atleast_1d(image_noise if np.ndim(image_noise) else caption_noise)
    scores = {name: np.empty(levels.size) for name in models}
    for i, level in enumerate(levels):
        img, cap = (level, caption_noise) if np.ndim(image_noise) else (image_noise, level)
        test = make_image_text(n, task, float(img), float(cap), seed=seed)
        for name, model in models.items():
            used = getattr(model, "modalities", ("image", "text"))
            scores[name][i] = model.score(test.images if "image" in used else None,
                                          test.bow if "text" in used else None, test.labels)
    return scores
