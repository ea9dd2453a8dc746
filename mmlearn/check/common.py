"""The machinery every self-check shares, so that each check reads as its exercise.

A self-check prints one line — ``✓ ...`` when the answer is right, ``✗ ...`` saying what is
wrong and what to look at — and returns nothing, so the cell shows only that line. It never
raises on a student's answer, however odd: answers are read here, once.

- :func:`coerce` reads an answer as one number or as an array of numbers, :func:`coerce_choice`
  as one of a few words (a predicted regime);
- :func:`call` runs a student's function (:func:`function_name` names it as the notebook
  does), :func:`unpack` splits the tuple it returned;
- each raises :class:`WrongAnswer` with the reason when an answer cannot be judged (not answered
  yet, ``None``, text, NaN, the wrong shape, a crash), which :func:`self_check` prints as the
  check's ✗ line;
- :func:`compare` says how a readable array differs from the right one, and :func:`report`
  prints the line.
"""

from __future__ import annotations

import dis
import functools
import inspect
import reprlib
from collections.abc import Callable

import numpy as np

from .. import gradcheck

#: Relative error below which an array answer counts as right: float32 answers pass (their
#: rounding is ~6e-8), any real mistake is far above it.
TOLERANCE = 1e-6


class WrongAnswer(Exception):
    """An answer that cannot be judged; the message says why, to the student."""


def report(ok: bool, message: str) -> None:
    """Print a check's one line: ``✓ message`` or ``✗ message``."""
    print(("✓ " if ok else "✗ ") + message)


def self_check(check: Callable[..., None]) -> Callable[..., None]:
    """Decorate a check so that it never raises: a :class:`WrongAnswer` raised while it reads
    the answer is printed as its ✗ line. Any other error comes from an argument the check could
    not use — a problem argument the notebook computes (``x``, ``grad_norms``) that a later cell
    overwrote, or a typo in one — and is printed as a ✗ line too, naming the check's arguments
    and the error, with what to do: re-run the cells above."""
    signature = f"{check.__name__}({', '.join(inspect.signature(check).parameters)})"

    @functools.wraps(check)
    def checked(*args, **kwargs) -> None:
        try:
            check(*args, **kwargs)
        except WrongAnswer as why:
            report(False, str(why))
        except Exception as error:  # a problem argument it could not use
            report(
                False,
                f"{signature} could not use its arguments: {type(error).__name__}: {error}. "
                "The ones that are not your answer come from the cells above: re-run them "
                "(Run › Run All Above Selected Cell), then this one.",
            )

    return checked


def describe(value) -> str:
    """A short description of any value, for a message: ``'fast' (str)``, ``a function``."""
    if callable(value):
        return "a function"
    one_line = " ".join(reprlib.repr(value).split())  # an array's repr spans lines
    return f"{one_line} ({type(value).__name__})"


def _float_array(value, name: str) -> np.ndarray | None:
    """``value`` as a float64 array, or None when numpy cannot read it as real numbers;
    :class:`WrongAnswer` for complex numbers."""
    try:
        array = np.asarray(value)
    except Exception:  # ragged lists
        return None
    if array.dtype.kind == "c":
        raise WrongAnswer(
            f"{name} has complex values, got {describe(value)}: the answer is "
            "real (is a `j` or np.sqrt of a negative number in there?)"
        )
    try:
        return array.astype(np.float64) if array.dtype.kind in "biufO" else None
    except Exception:  # objects that are not numbers, ints too large for a float
        return None


def coerce(answer, name: str, shape: tuple[int, ...] | None = ()) -> float | np.ndarray:
    """``answer`` read as one finite number (``shape=()``, the default; returned as a float) or
    as a finite float64 array of ``shape`` (``None``: any shape).

    Accepted: Python and numpy numbers alike (an int, a whole-number float, a float32), and for
    arrays also lists and tuples, and arrays of any real dtype (bools count as 0 and 1). Raises
    :class:`WrongAnswer` naming ``name`` for ``...`` (not answered yet), None, text, a bool or an
    array where one number is expected, complex values, NaN or inf, and the wrong shape.
    """
    if answer is Ellipsis:
        raise WrongAnswer(f"not answered yet: {name} is still `...`")
    if answer is None:
        raise WrongAnswer(f"{name} is None — did you forget `return`?")
    wanted = "one number" if shape == () else "numbers"
    array = _float_array(answer, name)
    if array is None or (shape == () and isinstance(answer, (bool, np.bool_))):
        raise WrongAnswer(f"{name} should be {wanted}, got {describe(answer)}")
    if shape == () and array.shape != ():
        raise WrongAnswer(f"{name} should be one number, got an array of shape {array.shape}")
    if shape is not None and array.shape != shape:
        raise WrongAnswer(f"{name} has shape {array.shape}; expected {shape}")
    if not np.all(np.isfinite(array)):
        raise WrongAnswer(
            f"{name} is {float(array)}: not a finite number"
            if shape == ()
            else f"{name} contains NaN or inf"
        )
    return float(array) if shape == () else array


def coerce_choice(answer, name: str, options: tuple[str, ...]) -> str:
    """``answer`` read as one of the words ``options``, e.g. a predicted regime: case, spaces
    around it and ``-``/``_`` for a space do not matter (``"One-step"`` is ``"one step"``).
    Raises :class:`WrongAnswer` naming ``name`` and the options for ``...``, None, a number or
    any other text."""
    if answer is Ellipsis:
        raise WrongAnswer(f"not answered yet: {name} is still `...`")
    if answer is None:
        raise WrongAnswer(f"{name} is None — write one of {list(options)} in quotes")
    words = " ".join(str(answer).lower().replace("-", " ").replace("_", " ").split())
    if not isinstance(answer, str) or words not in options:
        raise WrongAnswer(
            f"{name} should be one of {list(options)} (in quotes), got {describe(answer)}"
        )
    return words


def unpack(values, name: str, parts: tuple[str, ...]) -> tuple:
    """``values`` — what a student's function returned — as a tuple of ``len(parts)`` items: a
    tuple, a list or an array of that length is accepted, e.g. ``(dW, db, dX)``."""
    is_sequence = isinstance(values, (tuple, list)) or (
        isinstance(values, np.ndarray) and values.ndim >= 1
    )
    if not is_sequence or len(values) != len(parts):
        raise WrongAnswer(
            f"{name} should return {len(parts)} values ({', '.join(parts)}), got {describe(values)}"
        )
    return tuple(values)


def _is_stub(fn) -> bool:
    """True for a function whose body does nothing (only ``...``, ``pass`` or a docstring): an
    exercise of the student edition before it is answered."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    steps = [
        (step.opname, step.argval)
        for step in dis.get_instructions(code)
        if step.opname not in ("RESUME", "NOP", "CACHE")
    ]
    return steps in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)])


def call(fn, name: str, *args):
    """``fn(*args)``, a student's function run safely: raises :class:`WrongAnswer` when ``fn``
    is no function, raises an exception (reported with its message), is still a stub whose body
    is ``...`` (not answered yet), or returns None (a forgotten ``return``) or ``...``."""
    if fn is Ellipsis:
        raise WrongAnswer(f"not answered yet: {name} is still `...`")
    if not callable(fn):
        raise WrongAnswer(f"{name} should be a function, got {describe(fn)}")
    try:
        result = fn(*args)
    except Exception as exc:  # the student's bug: reported, not raised
        raise WrongAnswer(f"{name} raised {type(exc).__name__}: {exc}") from None
    if result is Ellipsis or (result is None and _is_stub(fn)):
        raise WrongAnswer(f"not answered yet: the body of {name} is still `...`")
    if result is None:
        raise WrongAnswer(f"{name} returned None — did you forget `return`?")
    return result


def function_name(fn, default: str) -> str:
    """The name the student gave the function ``fn`` (``gd_fixed``), so that a message names
    the function in their notebook; ``default`` for a lambda, ``...`` or anything unnamed."""
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() else default


#: A constant factor c between an answer and the right one, and its usual cause.
FACTOR_HINTS = {
    -1.0: "the sign is flipped",
    2.0: "a factor 2 too many",
    0.5: "a factor 2 is missing",
}


def compare(
    mine,
    ref: np.ndarray,
    what: str,
    noun: str = "answer",
    hints: dict[float, str] | None = None,
    where: Callable[[tuple], str] | None = None,
) -> str | None:
    """Why the array ``mine`` is not ``ref`` — another shape, all zeros, a constant factor (with
    its usual cause from :data:`FACTOR_HINTS`, to which ``hints`` adds a check's own, e.g. the
    mean's 1/N for the gradient of a mean loss), or the worst coordinate (followed by
    ``where(index)``, e.g. the input there) — or None when they agree within :data:`TOLERANCE`
    (relative error). ``noun`` says what ``ref`` is ("the right gradient").

    Raises :class:`WrongAnswer` when ``mine`` cannot be read as numbers (see :func:`coerce`).
    """
    mine = coerce(mine, what, shape=None)
    if mine.shape != ref.shape:
        return f"{what} has shape {mine.shape}; expected {ref.shape}"
    err = gradcheck.relative_error(mine, ref)
    if err < TOLERANCE:
        return None
    if not mine.any():
        return f"{what} is all zeros"
    nonzero = np.abs(ref) > 1e-12
    ratios = mine[nonzero] / ref[nonzero]
    if (
        ratios.size
        and np.allclose(ratios, ratios[0], rtol=1e-6)
        and np.allclose(mine[~nonzero], 0.0, atol=1e-12)
    ):
        c = ratios[0]
        for key, text in {**FACTOR_HINTS, **(hints or {})}.items():
            if np.isclose(c, key, rtol=1e-6):
                return f"{what} is {c:g} × the right {noun}: {text}"
        return f"{what} is {c:g} × the right {noun} everywhere: a constant factor is off"
    worst = np.unravel_index(np.argmax(np.abs(mine - ref)), ref.shape)
    return (
        f"relative error {err:.1e}; the worst coordinate is {tuple(int(i) for i in worst)}: "
        f"yours {mine[worst]:+.6f}, expected {ref[worst]:+.6f}" + (where(worst) if where else "")
    )
