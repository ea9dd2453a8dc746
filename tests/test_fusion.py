"""Fusion models: gradients against finite differences, the match-task lesson, missing
modalities, bad input."""

import numpy as np
import pytest
from helpers import assert_grad_close, assert_model_grads_close

from mmlearn import data, fusion, losses, optim

SMALL = data.make_image_text(24, task="greater", seed=0)


def _fitted(name, **kwargs):
    model = fusion.MODELS[name](hidden=4, seed=1, **kwargs)
    model.fit((SMALL.images, SMALL.bow), SMALL.labels, epochs=1, batch_size=8)
    return model


@pytest.mark.parametrize("name", sorted(fusion.MODELS))
def test_every_fusion_gradient_matches_finite_differences(name):
    model = _fitted(name)
    images, texts = SMALL.images[:6].reshape(6, 64), SMALL.bow[:6]
    y = SMALL.labels[:6]
    assert_model_grads_close(model, lambda: losses.softmax_cross_entropy(
        model.forward(images, texts), y))


@pytest.mark.parametrize("name", sorted(fusion.MODELS))
def test_every_fusion_backward_returns_the_gradients_of_both_inputs(name):
    model = _fitted(name)
    images, texts = SMALL.images[:6].reshape(6, 64), SMALL.bow[:6]
    w = np.random.default_rng(0).normal(size=(6, model.classes))  # L = sum(w * logits)

    def d_inputs(images, texts):
        model.forward(images, texts)
        return model.backward(w)
    assert_grad_close(lambda x: float(np.sum(w * model.forward(x, texts))),
                      lambda x: d_inputs(x, texts)[0], images)
    assert_grad_close(lambda x: float(np.sum(w * model.forward(images, x))),
                      lambda x: d_inputs(images, x)[1], texts)


def test_late_fusion_learns_alpha_or_keeps_it_fixed():
    learned = _fitted("late")
    assert "alpha_logit" in learned.params and learned.alpha != 0.5
    fixed = _fitted("late", alpha=0.8)
    assert "alpha_logit" not in fixed.params and fixed.alpha == 0.8


@pytest.fixture(scope="module", params=[0, 1, 2], ids=lambda seed: f"seed{seed}")
def match_scores(request):
    """Test accuracies on the match task; three seeds (data, split, init, shuffling), so the
    acceptance numbers are not one lucky draw."""
    seed = request.param
    train, test = data.make_image_text(3000, task="match", seed=seed).split(0.25, seed=seed)
    scores = {}
    for name in ("early", "hybrid", "late"):
        model = fusion.MODELS[name](seed=seed)
        model.fit((train.images, train.bow), train.labels, epochs=30, seed=seed)
        scores[name] = model.score((test.images, test.bow), test.labels)
    for name, X in {"image only": (train.images, None),
                    "caption only": (None, train.bow)}.items():
        model = fusion.EarlyFusion(seed=seed)
        model.fit(X, train.labels, epochs=10, seed=seed)
        scores[name] = model.score((test.images, test.bow), test.labels)  # ignores the other
    return scores


def test_match_task_early_and_hybrid_fusion_reach_90_percent(match_scores):
    assert match_scores["early"] >= 0.90 and match_scores["hybrid"] >= 0.90, match_scores


def test_match_task_late_fusion_cannot_represent_the_interaction(match_scores):
    assert match_scores["late"] <= 0.80, match_scores


def test_match_task_each_modality_alone_is_near_chance(match_scores):
    assert abs(match_scores["image only"] - 0.5) < 0.06, match_scores
    assert abs(match_scores["caption only"] - 0.5) < 0.06, match_scores


def test_a_missing_modality_at_prediction_time_is_imputed_with_the_training_mean():
    ds = data.make_image_text(600, task="redundant", seed=1)
    model = fusion.EarlyFusion(seed=0)
    model.fit((ds.images, ds.bow), ds.labels, epochs=15)
    assert model.score((ds.images, ds.bow), ds.labels) > 0.95
    assert model.score((ds.images, None), ds.labels) > 0.3  # the image still carries the digit
    assert model.score((None, ds.bow), ds.labels) > 0.3
    mean_text = np.broadcast_to(ds.bow.mean(axis=0), ds.bow.shape)
    assert np.array_equal(model.predict((ds.images, None)), model.predict((ds.images, mean_text)))


def test_a_modality_missing_at_fit_time_is_ignored_at_prediction_time():
    model = fusion.EarlyFusion(hidden=4, seed=0)
    model.fit((SMALL.images, None), SMALL.labels, epochs=2, batch_size=8)
    assert model.modalities == ("image",)
    assert np.array_equal(model.predict_proba((SMALL.images, SMALL.bow)),
                          model.predict_proba((SMALL.images, None)))
    assert np.array_equal(model.predict_proba((SMALL.images, SMALL.bow[:, :5])),  # not read
                          model.predict_proba((SMALL.images, None)))


def test_modality_dropout_changes_training_and_keeps_both_paths_working():
    ds = data.make_image_text(1200, task="redundant", seed=2)
    train, test = ds.split(0.3, seed=0)
    histories, models = {}, {}
    for p in (0.0, 0.3):
        models[p] = fusion.EarlyFusion(seed=0, modality_dropout=p)
        histories[p] = models[p].fit((train.images, train.bow), train.labels, epochs=20)
    assert not np.array_equal(histories[0.0].step_loss, histories[0.3].step_loss)
    # measured: mean imputation alone already gives 0.91 without a caption; dropout 0.93
    assert models[0.3].score((test.images, test.bow), test.labels) > 0.97
    assert models[0.3].score((test.images, None), test.labels) > 0.85
    assert models[0.3].score((None, test.bow), test.labels) > 0.97


def test_gmu_gates_are_in_0_1_per_example_and_unit():
    model = _fitted("gated")
    z = model.gates((SMALL.images[:5], SMALL.bow[:5]))
    assert z.shape == (5, 4) and np.all((z > 0) & (z < 1))


def test_fusion_is_deterministic_and_accepts_any_optimizer():
    a, b = (fusion.HybridFusion(seed=3) for _ in "ab")
    X = (SMALL.images, SMALL.bow)
    ha = a.fit(X, SMALL.labels, optim.SGD(lr=0.1, momentum=0.9), epochs=3)
    hb = b.fit(X, SMALL.labels, optim.SGD(lr=0.1, momentum=0.9), epochs=3)
    assert np.array_equal(ha.step_loss, hb.step_loss)
    assert a.predict_proba(X).shape == (24, 2)


def test_fit_with_a_schedule_validation_and_patience():
    train, test = data.make_image_text(400, task="redundant", seed=0).split(0.25, seed=0)
    model, opt = fusion.EarlyFusion(hidden=8, seed=0), optim.Adam(lr=0.05)
    history = model.fit((train.images, train.bow), train.labels, opt, epochs=40,
                        schedule=lambda k: 0.5, val=((test.images, test.bow), test.labels),
                        patience=2)
    assert opt.lr == 0.05 and history.stopped_early and history.epochs < 40
    best = history.metrics["val_loss"][history.best_epoch]
    restored = losses.softmax_cross_entropy(
        model.forward(test.images.reshape(-1, 64), test.bow), test.labels)[0]
    assert restored == pytest.approx(best, rel=1e-12)
    assert model.score((test.images, test.bow), test.labels) == pytest.approx(
        history.metrics["val_accuracy"][history.best_epoch])


def test_bad_arguments_leave_a_fitted_model_untouched():
    model = _fitted("hybrid")
    before, proba = model.get_params(), model.predict_proba((SMALL.images, SMALL.bow))
    X = (SMALL.images, SMALL.bow)
    for bad in ({"epochs": 0}, {"batch_size": 0}, {"patience": 3}, {"optimizer": "adam"},
                {"val": ((SMALL.images, SMALL.bow[:, :3]), SMALL.labels)}):
        with pytest.raises((ValueError, TypeError)):
            model.fit(X, SMALL.labels, **bad)
    with pytest.raises(ValueError):
        model.fit((SMALL.images[:3], SMALL.bow), SMALL.labels)
    assert all(np.array_equal(before[k], model.params[k]) for k in before)
    assert np.array_equal(proba, model.predict_proba(X))


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.fit((SMALL.images[:5], SMALL.bow[:5]), SMALL.labels), ValueError,
     "images and y must have the same number"),
    (lambda m: m.fit((None, SMALL.bow[:5]), SMALL.labels), ValueError,
     "texts and y must have the same number"),
    (lambda m: m.fit((SMALL.images[:5], SMALL.bow), SMALL.labels), ValueError,
     "images and texts must have the same number"),
    (lambda m: m.fit((SMALL.images.reshape(24, 4, 16), SMALL.bow), SMALL.labels), ValueError,
     r"images must have shape \(n, 8, 8\) or \(n, 64\)"),
    (lambda m: m.fit((None, None), SMALL.labels), ValueError, "both None"),
    (lambda m: m.fit(SMALL.images, SMALL.labels), TypeError, r"X must be a pair \(images, texts\)"),
    (lambda m: m.fit((SMALL.images, SMALL.bow), SMALL.labels.astype(float)), TypeError,
     "integer class labels"),
    (lambda m: m.predict((SMALL.images, SMALL.bow)), RuntimeError, "not fitted"),
    (lambda m: fusion.EarlyFusion(hidden=0), ValueError, "hidden must be"),
    (lambda m: fusion.LateFusion(alpha=2.0), ValueError, "alpha must be"),
    (lambda m: fusion.EarlyFusion(modality_dropout=0.7), ValueError, "modality_dropout"),
])
def test_fusion_bad_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call(fusion.EarlyFusion())


def test_predicting_with_another_vocabulary_is_an_error():
    model = _fitted("early")
    with pytest.raises(ValueError, match=f"texts must have {len(data.VOCAB)} columns"):
        model.predict((SMALL.images, SMALL.bow[:, :10]))
    with pytest.raises(ValueError, match="images and texts must have the same number"):
        model.predict((SMALL.images[:3], SMALL.bow))


def test_late_fusion_unimodal_logits_reproduce_its_output():
    model = _fitted("late")
    f_image, f_text = model.unimodal_logits((SMALL.images, SMALL.bow))
    mixed = model.alpha * f_image + (1 - model.alpha) * f_text
    assert np.allclose(losses.softmax(mixed), model.predict_proba((SMALL.images, SMALL.bow)))
