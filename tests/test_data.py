"""Data sets: 2-D classification, the shipped digits, image+caption pairs."""

import hashlib

import numpy as np
import pytest

from mmlearn import data


@pytest.mark.parametrize("make", [data.make_moons, data.make_spirals])
def test_2d_sets_are_seeded_balanced_and_shaped(make):
    X, y = make(101, noise=0.1, seed=5)
    X2, y2 = make(101, noise=0.1, seed=5)
    assert X.shape == (101, 2) and y.shape == (101,) and y.dtype.kind == "i"
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 1
    assert not np.array_equal(X, make(101, noise=0.1, seed=6)[0])


def test_noise_free_moons_lie_on_their_half_circles():
    X, y = data.make_moons(200, noise=0.0)
    centre = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    assert np.allclose(np.linalg.norm(X - centre, axis=1), 1.0)


def test_spirals_support_more_classes_and_wind_outwards():
    X, y = data.make_spirals(300, noise=0.0, classes=3)
    assert set(y.tolist()) == {0, 1, 2}
    assert np.linalg.norm(X, axis=1).max() <= 1.0


def test_the_shipped_digits_are_the_uci_test_set():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    pixels = np.rint(images * 16).astype(np.uint8)  # the original 0..16 counts
    assert hashlib.sha256(pixels.tobytes()).hexdigest() == (
        "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3"
    )


def test_load_digits_returns_fresh_arrays():
    images, _ = data.load_digits()
    images[:] = 0
    assert data.load_digits()[0].max() == 1.0


def test_redundant_task_captions_name_the_image_digit():
    ds = data.make_image_text(300, task="redundant", seed=0)
    assert np.array_equal(ds.labels, ds.digits) and np.array_equal(ds.digits, ds.caption_digits)
    _, labels = data.load_digits()
    assert np.array_equal(labels[ds.image_ids], ds.digits)


def test_every_noise_free_caption_names_its_number():
    ds = data.make_image_text(500, task="greater", seed=1)
    for caption, d in zip(ds.captions, ds.caption_digits):
        words = data.tokenize(caption)
        named = [k for k, forms in enumerate(data.NUMBER_FORMS) if set(forms) & set(words)]
        assert named == [d], caption
    assert np.array_equal(ds.labels, (ds.digits > ds.caption_digits).astype(int))


def test_match_is_balanced_and_each_modality_alone_is_uninformative():
    ds = data.make_image_text(20000, task="match", seed=2)
    assert abs(ds.labels.mean() - 0.5) < 0.02
    assert np.array_equal(ds.labels, (ds.digits == ds.caption_digits).astype(int))
    # P(label = 1 | image digit) and P(label = 1 | caption number) are 1/2 for every digit
    for digits in (ds.digits, ds.caption_digits):
        rates = [ds.labels[digits == d].mean() for d in range(10)]
        assert np.allclose(rates, 0.5, atol=0.05), rates


def test_bag_of_words_counts_words_in_the_vocabulary_only():
    bow = data.bag_of_words(["the number 7 7", "sevn"])
    vocab = data.VOCAB
    assert bow.shape == (2, len(vocab))
    assert bow[0, vocab.index("7")] == 2 and bow[0, vocab.index("the")] == 1
    assert bow[1].sum() == 0  # a typo is not in the vocabulary


def test_noise_degrades_both_modalities():
    clean = data.make_image_text(400, task="redundant", seed=3)
    noisy = data.make_image_text(400, task="redundant", seed=3, image_noise=0.3, caption_noise=0.5)
    assert noisy.images.min() >= 0 and noisy.images.max() <= 1
    assert np.abs(noisy.images - clean.images).mean() > 0.1
    assert noisy.bow.sum() < 0.8 * clean.bow.sum()  # words dropped or misspelt


def test_split_keeps_each_source_image_on_one_side():
    ds = data.make_image_text(3000, seed=4)
    train, test = ds.split(0.25, seed=0)
    assert len(train) + len(test) == len(ds)
    assert not set(train.image_ids.tolist()) & set(test.image_ids.tolist())
    assert 0.2 < len(test) / len(ds) < 0.3
    assert test.captions[0] == ds.captions[np.flatnonzero(np.isin(ds.image_ids, test.image_ids))[0]]


def test_image_text_is_seeded():
    a, b = data.make_image_text(50, seed=7), data.make_image_text(50, seed=7)
    assert a.captions == b.captions and np.array_equal(a.images, b.images)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"task": "xor"}, "task must be one of"),
        ({"n": 0}, "n must be an int >= 1"),
        ({"image_noise": -0.1}, "image_noise must be"),
        ({"caption_noise": 1.5}, r"caption_noise must be a finite number in \[0, 1\]"),
    ],
)
def test_image_text_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make_image_text(**kwargs)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: data.make_moons(1), "n must be an int >= 2"),
        (lambda: data.make_spirals(10, classes=1), "classes must be an int >= 2"),
        (lambda: data.make_moons(10, noise=-1), "noise must be"),
        (lambda: data.make_image_text(10).split(1.0), "test_fraction must be"),
    ],
)
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_concat_keeps_every_example_in_order():
    a, b = data.make_image_text(5, seed=1), data.make_image_text(7, seed=2)
    both = data.concat([a, b])
    assert len(both) == 12 and both.captions == a.captions + b.captions
    assert np.array_equal(both.images[5:], b.images)
    with pytest.raises(ValueError, match="one task"):
        data.concat([a, data.make_image_text(3, task="greater")])


def test_split_indices_partitions_and_is_seeded():
    train_idx, test_idx = data.split_indices(100, 0.2, seed=3)
    assert len(test_idx) == 20 and sorted([*train_idx, *test_idx]) == list(range(100))
    assert np.array_equal(test_idx, data.split_indices(100, 0.2, seed=3)[1])
