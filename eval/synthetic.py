"""A larger corpus made from the bundled notices, for the scale benchmark.

Each copy re-issues a notice under a new jurisdiction name and 文号 and perturbs its figures, so
its clauses stay realistic (same grammar, same vocabulary) yet distinct, and they compete with the
originals in retrieval as a province's hundreds of similar plans would.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path

_FIRST = "东南西北中青白赤金银"
_SECOND = "川岭江山湖原海泽林峰"
_RE_FIGURE = re.compile(r"(?<![\d.])(\d+)(?![\d.]* ?年)(?= ?(?:个|家|所|名|张|辆|%|万|项|人|床|户|亩))")


def place_names(n: int) -> list[str]:
    """``n`` distinct two-character names that are not real provinces (东川, 南岭, …)."""
    names = [a + b for a in _FIRST for b in _SECOND]
    rounds = (n + len(names) - 1) // len(names)
    return [f"{name}{'新' * r}" for r in range(rounds) for name in names][:n]


def reissue(text: str, place: str, number: int, seed: int) -> str:
    """The notice under another place name and 文号, each figure scaled by 0.8–1.2."""
    rng = random.Random(seed)
    text = re.sub(r"江西省|江西", f"{place}省", text).replace("省省", "省")
    text = re.sub("景德镇市?", f"{place}市", text.replace("珠山区", f"{place}区"))
    text = re.sub(r"赣府发〔(\d{4})〕\d+号", lambda m: f"{place[0]}府发〔{m.group(1)}〕{number}号", text)

    def scaled(m: re.Match[str]) -> str:
        value = int(m.group(1))
        return str(max(1, round(value * rng.uniform(0.8, 1.2)))) if value > 1 else m.group(1)

    return _RE_FIGURE.sub(scaled, text)


def synthetic_corpus(sources: Sequence[Path], copies: int, out: Path, start: int = 0) -> list[Path]:
    """Copies ``start``…``start+copies-1`` of every source notice, written under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    names = place_names(start + copies)
    written: list[Path] = []
    for i in range(start, start + copies):
        for j, source in enumerate(sources):
            target = out / f"{source.stem}-copy{i:04d}{source.suffix}"
            text = source.read_text("utf-8")
            target.write_text(reissue(text, names[i], 100 + i, seed=i * 31 + j), "utf-8")
            written.append(target)
    return written
