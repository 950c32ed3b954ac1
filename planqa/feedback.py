"""What users say about answers (有用 / 有误), kept on this machine, and turned into gold items.

Each record holds what is needed to replay it: the question and its history, the answer and its
citations, the index version it was answered from, and, for 有误, what was wrong, the correct answer
and optionally the clause that holds it. Records live in SQLite under the data dir
(``feedback.sqlite3``); SQLite's own locking lets every planqa process on the machine write to the
one file (``planqa serve`` workers, ``planqa chat``), and nothing leaves the machine.

``to_gold`` writes each corrected record as a gold item ``planqa eval`` runs, so a reported error
becomes a regression test.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from planqa.errors import PlanqaError

FILE_NAME = "feedback.sqlite3"
VERDICTS = ("useful", "wrong")
MAX_TEXT = 4000  # a correction is a sentence or two; longer input is cut, not refused
# A figure with its unit in a correction (应为60个以上 → 60个): what the right answer must contain.
_RE_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|‰|[个家所名张辆项人床户亩元台套次篇条])?")
_RE_CLAUSE_END = re.compile(r"[，。；;,.！？!?\n]")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    verdict TEXT NOT NULL,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    index_version TEXT NOT NULL,
    wrong TEXT NOT NULL DEFAULT '',
    correct TEXT NOT NULL DEFAULT '',
    clause TEXT NOT NULL DEFAULT ''
)
"""


class FeedbackError(PlanqaError):
    """A feedback record that cannot be stored or read; the message is one line for the user."""


@dataclass(frozen=True)
class Feedback:
    """One verdict on one answer. ``clause`` is the text of the clause the user chose as holding the
    correct answer (empty when none was chosen); ``citations`` is the answer's ``to_dict`` citations."""

    verdict: str
    question: str
    answer: str
    history: tuple[str, ...] = ()
    citations: tuple[dict[str, Any], ...] = ()
    index_version: str = ""
    wrong: str = ""
    correct: str = ""
    clause: str = ""
    at: float = field(default_factory=time.time)
    id: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["history"], data["citations"] = list(self.history), list(self.citations)
        data["time"] = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.at))
        return data

    def gold(self) -> dict[str, Any] | None:
        """This correction as a gold item (``eval/gold.jsonl``'s shape), or None when it corrects nothing.

        ``must``: the figures of the correction (60个), else its first phrase; ``evidence``: the chosen
        clause, else the same strings (an item without evidence would expect an abstention). A
        correction that says the plans do not cover the question (文件未涉及, 没有规定) expects one."""
        if self.verdict != "wrong" or not (self.correct or self.clause):
            return None
        correct = self.correct.strip()
        uncovered = bool(re.search(r"未涉及|没有规定|未规定|不涉及|无相关", correct)) and not self.clause
        must = [] if uncovered else [m.group(0).replace(" ", "") for m in _RE_FIGURE.finditer(correct)]
        if not must and correct and not uncovered:
            must = [_RE_CLAUSE_END.split(correct, 1)[0].strip()[:30]]
        evidence = [] if uncovered else ([self.clause] if self.clause else must)
        return {
            "id": f"feedback-{self.id}",
            "turns": [*self.history, self.question],
            "must": [m for m in must if m],
            "evidence": evidence,
            "type": "feedback",
        }


class FeedbackStore:
    """The feedback records of one data dir."""

    def __init__(self, path: Path):
        self.path = path
        self.where = str(path)

    @classmethod
    def of(cls, data_dir: Path) -> FeedbackStore:
        return cls(data_dir / FILE_NAME)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)  # another process writing waits, not fails
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)
            return db
        except (OSError, sqlite3.Error) as err:
            raise FeedbackError(f"cannot open the feedback store {self.path}: {err}") from err

    def add(self, item: Feedback) -> int:
        """Store one record; returns its id."""
        _check(item)
        row = (
            item.at,
            item.verdict,
            item.question[:MAX_TEXT],
            json.dumps(list(item.history), ensure_ascii=False),
            item.answer,
            json.dumps(list(item.citations), ensure_ascii=False),
            item.index_version,
            item.wrong[:MAX_TEXT],
            item.correct[:MAX_TEXT],
            item.clause[:MAX_TEXT],
        )
        db = self._connect()
        try:
            with db:
                cursor = db.execute(
                    "INSERT INTO feedback (at, verdict, question, history, answer, citations, index_version, "
                    "wrong, correct, clause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            return int(cursor.lastrowid or 0)
        except sqlite3.Error as err:
            raise FeedbackError(f"cannot store feedback in {self.path}: {err}") from err
        finally:
            db.close()

    def all(self, verdict: str | None = None) -> list[Feedback]:
        """Every record, oldest first (only one verdict's when given)."""
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            where, args = ("WHERE verdict = ?", (verdict,)) if verdict else ("", ())
            rows = db.execute(
                "SELECT id, at, verdict, question, history, answer, citations, index_version, wrong, correct, "
                f"clause FROM feedback {where} ORDER BY id",
                args,
            ).fetchall()
        except sqlite3.Error as err:
            raise FeedbackError(f"cannot read the feedback store {self.path}: {err}") from err
        finally:
            db.close()
        return [_record(r) for r in rows]


COLLECTION = "planqa-feedback"


class ChromaFeedback:
    """Feedback in the Chroma server's ``planqa-feedback`` collection: in server mode the planqa
    processes behind one address may run on several machines, and this is the place they share.
    A record's id is its time in microseconds (Chroma keeps no counter)."""

    def __init__(self, url: str):
        from urllib.parse import urlparse

        import chromadb
        from chromadb.config import Settings

        parsed = urlparse(url)
        self.where = f"{url} ({COLLECTION})"
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "localhost",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=Settings(anonymized_telemetry=False),
            )
            self._records = client.get_or_create_collection(COLLECTION, embedding_function=None)
        except Exception as err:  # the server's client raises assorted types when it is away
            raise FeedbackError(f"cannot reach the feedback store at {url}: {err}") from err

    def add(self, item: Feedback) -> int:
        _check(item)
        rid = time.time_ns() // 1000
        data = {**item.to_dict(), "id": rid}
        try:
            self._records.add(
                ids=[str(rid)],
                embeddings=[[1.0]],
                documents=[item.question[:MAX_TEXT]],
                metadatas=[{"verdict": item.verdict, "at": item.at, "record": json.dumps(data, ensure_ascii=False)}],
            )
        except Exception as err:
            raise FeedbackError(f"cannot store feedback at {self.where}: {err}") from err
        return rid

    def all(self, verdict: str | None = None) -> list[Feedback]:
        try:
            got = self._records.get(where={"verdict": verdict} if verdict else None, include=["metadatas"])
        except Exception as err:
            raise FeedbackError(f"cannot read feedback at {self.where}: {err}") from err
        records = [json.loads(str(m["record"])) for m in got["metadatas"] or []]
        return [_from_dict(r) for r in sorted(records, key=lambda r: r["id"])]


def open_feedback(data_dir: Path, chroma_url: str = "") -> FeedbackStore | ChromaFeedback:
    """Where this deployment keeps feedback: the Chroma server's collection in server mode (every
    process behind one address shares it), else the data dir's SQLite file."""
    return ChromaFeedback(chroma_url) if chroma_url else FeedbackStore.of(data_dir)


def _check(item: Feedback) -> None:
    if item.verdict not in VERDICTS:
        raise FeedbackError(f"verdict must be one of {', '.join(VERDICTS)}, not {item.verdict!r}")
    if not item.question.strip():
        raise FeedbackError("feedback needs the question it is about")


def _from_dict(r: dict[str, Any]) -> Feedback:
    fields = ("verdict", "question", "answer", "index_version", "wrong", "correct", "clause", "at", "id")
    return Feedback(**{k: r[k] for k in fields}, history=tuple(r["history"]), citations=tuple(r["citations"]))


def _record(row: Sequence[Any]) -> Feedback:
    rid, at, verdict, question, history, answer, citations, version, wrong, correct, clause = row
    return Feedback(
        verdict,
        question,
        answer,
        tuple(json.loads(history)),
        tuple(json.loads(citations)),
        version,
        wrong,
        correct,
        clause,
        at,
        rid,
    )


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    """One JSON object per line (UTF-8, Chinese as written); returns how many."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return len(lines)
