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


# Texts whose bigram sets are kept. A clause's set is about 10 KB, so the cache is worth its memory
# only for what answers compare again and again (the question's focus, the candidates' texts): 8,192
# entries filled by a snapshot build held 93 MB of a 15,300-clause library's serve process.
BIGRAM_CACHE = 2048


def bigram_set(text: str) -> frozenset[str]:
    """The set of bigrams of a text's runs, computed afresh. For reads of a whole library (a
    snapshot's counts and links), whose texts would only push the answers' texts out of the cache."""
    return frozenset(g for run in _RE_RUN.findall(text) for g in grams(run))


@lru_cache(maxsize=BIGRAM_CACHE)
def bigrams(text: str) -> frozenset[str]:
    """``bigram_set``, cached: a question's focus and the same clause texts are compared many times
    per answer (the profile of ``planqa bench`` showed it first)."""
    return bigram_set(text)


def dice(a: str, b: str) -> float:
    """Dice overlap of two texts' bigrams, 0–1 (how far an indicator restates another)."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0
