"""Fitting the abstention thresholds and scoring them leave-one-notice-out, on signals written for the
test: covered items score high, uncovered ones low, and one notice is unlike the others."""

from __future__ import annotations

from planqa.answering.abstention import NEVER, Abstention
from planqa.eval.calibrate import Signal, accuracy, calibrate, fit


def _signal(group: str, answerable: bool, score: float, matched: float = 0.0, right: bool = True) -> Signal:
    return Signal(f"{group}-{score}", group, answerable, right and answerable, False, False, score, matched)


def test_an_item_is_right_as_its_thresholds_decide() -> None:
    covered = _signal("a", True, 0.8)
    uncovered = _signal("a", False, 0.2)
    strict = Abstention(0.5, 0.5, 0.0)
    assert covered.right(strict) and uncovered.right(strict)
    assert covered.right(NEVER) and not uncovered.right(NEVER)
    forced = Signal("f", "a", True, True, True, False, 0.9, 9.0)  # refused whatever the thresholds
    assert not forced.right(NEVER)


def test_the_fit_separates_covered_from_uncovered() -> None:
    items = [_signal(g, True, 0.6 + i / 100) for g in "abc" for i in range(5)]
    items += [_signal(g, False, 0.2 + i / 100) for g in "abc" for i in range(3)]
    best = fit(items)
    assert accuracy(items, best) == 1.0
    assert 0.25 <= best.min_coverage <= 0.6


def test_leave_one_notice_out_scores_each_notice_with_thresholds_fitted_without_it() -> None:
    typical = [_signal(g, True, 0.7) for g in "abc"] + [_signal(g, False, 0.3) for g in "abc"]
    unusual = [_signal("d", True, 0.35)]  # its covered question scores as others' uncovered ones do
    grid = [Abstention(x, x, 0.0) for x in (0.2, 0.5)]  # a grid of two, whatever the defaults are
    result = calibrate(typical + unusual, lambda items: fit(items, grid))
    assert result.loo_by_group["d"] == (0.0, 1)  # thresholds fitted on a, b, c refuse it
    assert result.loo_by_group["a"] == (1.0, 2)
    assert result.loo < result.in_sample or result.in_sample < 1.0
