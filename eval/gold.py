"""The gold Q&A set: items written from the bundled notices, each with the clause span that answers it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from planqa.errors import PlanqaError
from planqa.retrieval.query import with_context


@dataclass(frozen=True)
class GoldItem:
    id: str
    turns: tuple[str, ...]  # one question, or a conversation whose last turn is scored
    must: tuple[str, ...] = ()  # strings the first line of the answer must contain
    must_not: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # verbatim spans of the supporting clause(s); () = the plans do not cover it
    type: str = ""
    doc: str = ""
    corpus: str = ""  # "" = the bundled notices; "unseen" = the eval notices (``eval_notices()``)
    notice: str = ""  # the file the item is about, in the folder given to ``planqa eval --notices``

    @property
    def question(self) -> str:
        return self.turns[-1]

    @property
    def standalone(self) -> str:
        """The scored question with its conversation folded in, as the Assistant sees it."""
        return with_context(list(self.turns))

    @property
    def answerable(self) -> bool:
        return bool(self.evidence)

    @classmethod
    def from_json(cls, data: dict) -> GoldItem:  # type: ignore[type-arg]
        turns = data.get("turns") or [data["question"]]
        evidence = data.get("evidence") or ()
        return cls(
            id=str(data["id"]),
            turns=tuple(turns),
            must=tuple(data.get("must", ())),
            must_not=tuple(data.get("must_not", ())),
            evidence=tuple([evidence] if isinstance(evidence, str) else evidence),
            type=data.get("type", ""),
            doc=data.get("doc", ""),
            corpus=data.get("corpus", ""),
            notice=data.get("notice", ""),
        )


def eval_notices() -> Path:
    """Notices written for evaluation in the style of real ones, on a topic and in places that
    nothing in planqa was tuned on (an elderly-care plan of a fictional province and county)."""
    return Path(str(resources.files("planqa.eval").joinpath("notices")))


def default_gold() -> Path:
    return Path(str(resources.files("planqa.eval").joinpath("gold.jsonl")))


def real_gold() -> Path:
    """Gold items on real State Council notices (``../shared/real-notices``), written before any
    code was changed for them: run with ``planqa eval GOLD --notices DIR``."""
    return Path(str(resources.files("planqa.eval").joinpath("real_gold.jsonl")))


def load_gold(path: Path | None = None) -> list[GoldItem]:
    path = path or default_gold()
    items: list[GoldItem] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise PlanqaError(f"cannot read gold set {path}: {err}") from err
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(GoldItem.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError) as err:
            raise PlanqaError(f"{path.name} line {number}: not a gold item ({err})") from err
    if not items:
        raise PlanqaError(f"{path} holds no gold items")
    return items
