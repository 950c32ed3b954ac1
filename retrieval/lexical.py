"""Chinese keyword search: jieba words plus character bigrams, scored by BM25 (bm25s).

Whitespace tokenisers see a Chinese sentence as one word, which is why keyword search breaks in
general RAG tools. jieba segments it; a user dictionary built from the indexed notices keeps their
terms whole (``临床重点专科``, ``省财政厅``); character bigrams catch what the dictionary misses (a
colloquial ``托位`` inside ``托位数``). The index is rebuilt from the clause store whenever the set of
indexed document versions changes, and persisted beside Chroma so a new process starts warm.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from planqa.ingest.grams import grams
from planqa.ingest.normalize import CJK
from planqa.types import Clause

log = logging.getLogger(__name__)


def _stopwords() -> frozenset[str]:
    text = resources.files("planqa.retrieval").joinpath("stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


STOPWORDS = _stopwords()
# Leading verbs of task titles: ``遴选培育临床重点专科`` names the term ``临床重点专科``.
_TITLE_VERBS = re.compile(
    r"^(?:积极|全面|持续|加快|加大|大力|进一步|重点|深入)?"
    r"(?:遴选培育|推进|推动|加强|提升|完善|建设|实施|开展|组建|建立|健全|支持|强化|补齐|启动|落实|促进|打造|培养|引进)+"
)
_RE_QUOTED = re.compile(r"[“\"《]([^”\"》]{2,16})[”\"》]")
_RE_TOKEN_SPLIT = re.compile(rf"[^{CJK}A-Za-z0-9.%]+")


def domain_terms(clauses: Iterable[Clause]) -> list[str]:
    """Terms the notices define: task titles without their verb, responsible units, quoted names."""
    terms: set[str] = set()
    for clause in clauses:
        if clause.title and clause.kind in ("task", "measure", "annex_row"):
            core = _TITLE_VERBS.sub("", clause.title)
            core = re.sub(r"(?:建设|能力|工作|体系|项目)$", "", core)
            if 3 <= len(core) <= 12 and re.fullmatch(f"[{CJK}]+", core):
                terms.add(core)
        terms.update(u for u in clause.units if 3 <= len(u) <= 12 and "、" not in u)
        terms.update(m for m in _RE_QUOTED.findall(clause.text) if re.fullmatch(f"[{CJK}]+", m))
    return sorted(terms)


class ChineseTokenizer:
    """jieba search-mode words (with the notices' own terms) plus CJK character bigrams."""

    _lock = threading.Lock()

    def __init__(self, terms: Sequence[str] = ()):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()  # a private dictionary: user terms never leak between indexes
        self.terms = tuple(terms)
        for term in self.terms:
            self._jieba.add_word(term, freq=20000)

    def tokenize(self, text: str) -> list[str]:
        text = text.lower()
        with self._lock:  # jieba's lazy dictionary load is not thread-safe (Gradio serves from threads)
            words = [w.strip() for w in self._jieba.cut_for_search(text)]
        tokens = [w for w in words if w and w not in STOPWORDS and not _RE_TOKEN_SPLIT.fullmatch(w)]
        for run in re.findall(f"[{CJK}]{{2,}}", text):
            tokens += [g for g in grams(run) if g not in STOPWORDS]
        return tokens


class LexicalIndex:
    """BM25 over clause texts, addressed by position in a list of clause ids."""

    def __init__(self, ids: Sequence[str], tokenizer: ChineseTokenizer, bm25: object | None):
        self.ids = list(ids)
        self.tokenizer = tokenizer
        self._bm25 = bm25

    @classmethod
    def build(cls, clauses: Sequence[Clause], texts: Sequence[str]) -> LexicalIndex:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG to the console
        tokenizer = ChineseTokenizer(domain_terms(clauses))
        corpus = [tokenizer.tokenize(t) or ["∅"] for t in texts]
        bm25 = None
        if corpus:
            bm25 = bm25s.BM25()  # Lucene-style BM25, k1=1.5, b=0.75: short clauses, little length skew
            bm25.index(corpus, show_progress=False)
        return cls([c.id for c in clauses], tokenizer, bm25)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """A BM25 score per clause, in ``ids`` order; zeros when no term is known."""
        if self._bm25 is None or not terms:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(list(terms)), dtype=np.float32)  # type: ignore[attr-defined]

    # -- persistence ----------------------------------------------------------------------------
    def save(self, folder: Path, signature: str) -> None:
        """Write to a temporary folder, then swap it in: a reader never sees half an index."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(tmp), show_progress=False)  # type: ignore[attr-defined]
        meta = {"signature": signature, "ids": self.ids, "terms": list(self.tokenizer.terms)}
        (tmp / "planqa.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path, signature: str) -> LexicalIndex | None:
        """The saved index if it was built for exactly these document versions, else None."""
        try:
            meta = json.loads((folder / "planqa.json").read_text("utf-8"))
            if meta.get("signature") != signature:
                return None
            bm25 = None
            if meta["ids"]:
                import bm25s

                bm25 = bm25s.BM25.load(str(folder), show_progress=False)
            return cls(meta["ids"], ChineseTokenizer(meta["terms"]), bm25)
        except (OSError, ValueError, KeyError) as err:
            log.info("lexical index at %s not usable (%s): rebuilding", folder, err)
            return None
