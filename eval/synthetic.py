"""A larger corpus made from the bundled notices, for the scale benchmark.

Each copy re-issues a notice under a new jurisdiction name and 文号 and perturbs its figures, so
its clauses stay realistic (same grammar, same vocabulary) yet distinct, and they compete with the
originals in retrieval as a province's hundreds of similar plans would.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

_FIRST = "东南西北中青白赤金银"
_SECOND = "川岭江山湖原海泽林峰"
_MIDDLE = "云阳平安丰宁和兴"
_RE_FIGURE = re.compile(r"(?<![\d.])(\d+)(?![\d.]* ?年)(?= ?(?:个|家|所|名|张|辆|%|万|项|人|床|户|亩))")


def place_names(n: int) -> list[str]:
    """``n`` distinct names that are not real provinces: two characters (东川, 南岭, …), then three
    (东云川, …), then four, as real place names are; earlier names padded with 新 ran past the 8
    characters a jurisdiction may have (东川新新新新新新新省), so a 1,000× copy had no place."""
    names: list[str] = []
    for middle in ("", *_MIDDLE, *(a + b for a in _MIDDLE for b in _MIDDLE)):
        names += [a + middle + b for a in _FIRST for b in _SECOND]
        if len(names) >= n:
            break
    if len(names) < n:
        raise ValueError(f"at most {len(names)} distinct place names")
    return names[:n]


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


# Per-dimension noise on a derived vector: cosine with the original about 0.98 for a 384-d unit
# vector (1 / sqrt(1 + 384·σ²)), about what re-issuing a clause under another place name gives.
NOISE = 0.01
_ORIGINAL_NAMES = ("江西", "景德镇", "珠山", "赣")


class DerivedEmbedder:
    """Vectors for synthetic copies derived from the originals' instead of embedded: a copy's text,
    with place names and figures masked, is looked up among the texts the model embedded, and that
    vector is used with a little seeded noise; a text with no original is embedded, and so is every
    text while ``learning`` (the originals themselves, which keep their true vectors). Embedding the
    150,000 clauses of a 1,000× library would take hours here; the report says which vectors were
    derived (``derived`` and ``embedded`` count them)."""

    def __init__(self, inner: Any, copies: int):
        self.inner, self.model_id, self.dim = inner, inner.model_id, inner.dim
        names = sorted({*place_names(copies), *_ORIGINAL_NAMES}, key=len, reverse=True)
        self._mask = re.compile("|".join(map(re.escape, names)))
        self._seen: dict[str, np.ndarray] = {}
        self.derived = self.embedded = 0
        self.learning = True  # while the originals go in: embed every text, and remember it

    def _key(self, text: str) -> str:
        return re.sub(r"\d+(?:\.\d+)?", "#", self._mask.sub("□", text))

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        first = {k: i for i, k in reversed(list(enumerate(keys)))}
        new = {i for i, k in enumerate(keys) if self.learning or (k not in self._seen and first[k] == i)}
        fresh: dict[int, np.ndarray] = {}
        if new:
            order = sorted(new)
            for i, v in zip(order, self.inner.embed_documents([texts[i] for i in order]), strict=True):
                fresh[i] = np.asarray(v, dtype=np.float32)
                self._seen.setdefault(keys[i], fresh[i])
            self.embedded += len(new)
        out = []
        for i, (text, key) in enumerate(zip(texts, keys, strict=True)):
            if i in fresh:
                out.append(fresh[i].tolist())
                continue
            seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big")
            vector = self._seen[key] + np.random.default_rng(seed).normal(0.0, NOISE, self.dim).astype(np.float32)
            out.append((vector / np.linalg.norm(vector)).tolist())
            self.derived += 1
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
