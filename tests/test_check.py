"""Exercise self-checks accept right answers and explain wrong ones."""

import pytest

import mmlearn as mm
from mmlearn import check


@pytest.mark.parametrize("fn, args, answer, ok, says", [
    (check.gd_fastest_lr, (3.0,), 1 / 3, True, "one step"),
    (check.gd_fastest_lr, (3.0,), 0.5, False, "oscillating"),
    (check.gd_fastest_lr, (3.0,), "fast", False, "finite number"),
    (check.gd_stability_limit, (3.0,), 2 / 3, True, "lr < 2/a"),
    (check.gd_stability_limit, (3.0,), 1 / 3, False, "still converge"),
    (check.gd_stability_limit, (3.0,), 1.0, False, "too large"),
    (check.gd_stability_limit, (3.0,), 0.5, False, "too small"),
    (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 11, True, "k = 11"),
    (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 10, False, "off by one"),
    (check.steps_to_tolerance, (1.0, 0.5, 2.0, 1e-3), 20, False, "smallest whole k"),
])
def test_check_messages(capsys, fn, args, answer, ok, says):
    assert fn(*args, answer) is None
    out = capsys.readouterr().out
    assert out.startswith("✓" if ok else "✗") and says in out


def test_show_versions_lists_the_libraries(capsys):
    mm.show_versions()
    out = capsys.readouterr().out
    for name in ("python", "numpy", "matplotlib", "ipywidgets", "mmlearn"):
        assert name in out
