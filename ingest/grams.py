"""Character bigrams: the one unit in which planqa compares two Chinese texts.

Chinese has no spaces, and a segmenter's words differ between a question and a clause (``托位数`` vs
``托位``), so overlap is measured on character pairs of each word run. A run is CJK characters,
digits, Latin letters and ``%`` together (``2025年`` is one run); punctuation and spaces end it, so no
pair spans two phrases. Links between notices, heading matches, source grouping and answer coverage
all read ``bigrams``; BM25 and the test embedder take ``grams`` of their own runs.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RE_RUN = re.compile(r"[\u3400-\u9fff0-9A-Za-z%]+")


def grams(run: str) -> list[str]:
    """A run's character bigrams in order, repeats kept (a one-character run is its own gram)."""
    return [run[i : i + 2] for i in range(len(run) - 1)] or ([run] if run else [])


@lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    """The set of bigrams of a text's runs. Cached: a question's focus and the same clause texts are
    compared many times per answer (the profile of ``planqa bench`` showed it first)."""
    return frozenset(g for run in _RE_RUN.findall(text) for g in grams(run))


def dice(a: str, b: str) -> float:
    """Dice overlap of two texts' bigrams, 0–1 (how far an indicator restates another)."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0
