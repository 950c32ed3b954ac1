"""Numbers as plan notices write them: ``150``, ``4.5``, ``2—3``, ``十一``, ``二〇二五``."""

from __future__ import annotations

import re

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERALS = "〇零一二两三四五六七八九十百千"


def chinese_number(text: str) -> int | None:
    """``十一`` → 11, ``一百二十`` → 120, ``二〇二五`` → 2025; None when it is not a plain numeral."""
    if not text or any(ch not in CN_NUMERALS for ch in text):
        return None
    if not re.search("[十百千]", text):  # digit by digit: 二〇二五
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def number(text: str) -> float | None:
    """An Arabic or Chinese numeral as a float; None for anything else."""
    try:
        return float(text)
    except ValueError:
        value = chinese_number(text)
        return float(value) if value is not None else None
