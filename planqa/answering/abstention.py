"""When the evidence covers a question: the thresholds that decide an abstention, as one value.

The cited clause covers the question when it holds enough of the question's words: a rarity-weighted
share of at least ``min_coverage``, or at least ``low_coverage`` with ``min_matched`` weight of matched
words in absolute terms (a colloquial question, ``老百姓打急救电话…``, has unseen words but matches the
clause well). ``planqa calibrate`` fits the three on the public and the real-notice gold sets together
and reports accuracy leave-one-notice-out (README: eval), which is what a user's own notice sees.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Abstention:
    """Coverage thresholds, fitted by ``planqa calibrate`` on the public (191 items) and the real-notice
    (163 items) gold sets together. The values first set on the public set alone, 0.45 / 0.30 / 6,
    scored 0.963 / 0.748 (public / real); these scored 0.969 / 0.761 in sample and 0.953 / 0.755
    leave-one-notice-out, and after the answer rules that followed, 0.969 / 0.816 both in sample
    and leave-one-notice-out (README: eval)."""

    min_coverage: float = 0.35
    low_coverage: float = 0.3
    min_matched: float = 8.0

    def covers(self, score: float, matched: float) -> bool:
        """Whether a draft whose cited text covers ``score`` of the question (``matched`` in absolute
        weight) answers it."""
        return score >= self.min_coverage or (score >= self.low_coverage and matched >= self.min_matched)


DEFAULT_ABSTENTION = Abstention()
# Every draft with a first line answers: what ``planqa calibrate`` runs to see each answer.
NEVER = Abstention(0.0, 0.0, 0.0)
