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
        if item.verdict not in VERDICTS:
            raise FeedbackError(f"verdict must be one of {', '.join(VERDICTS)}, not {item.verdict!r}")
        if not item.question.strip():
            raise FeedbackError("feedback needs the question it is about")
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
