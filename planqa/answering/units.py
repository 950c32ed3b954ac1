"""Answers about who is responsible: the units a clause names (all, the lead, or the others, as the
question asks and the notice says), the unit a question names, and the sentence that names them."""

from __future__ import annotations

import re

from planqa.answering.evidence import sentences
from planqa.answering.question import Reading
from planqa.ingest.places import LEVEL_TERMS
from planqa.types import Clause

# Asked who leads (谁牵头) or who takes part (哪些部门参与/配合), where a notice tells them apart.
_RE_ASKS_LEAD = re.compile(r"牵头|主责|lead", re.I)
_RE_ASKS_PARTNERS = re.compile(
    r"参与|配合|协助|协同|take part|taking part|participat|\bassist", re.I
)  # not "supporting …"


def units_line(clause: Clause, reading: Reading) -> str:
    """The units that answer the question: all of them, or the lead or the others when it asks and
    the notice says (``牵头单位：人力资源社会保障部``)."""
    label, names = ("Responsible units", clause.units) if reading.english else ("责任单位", clause.units)
    if clause.lead and _RE_ASKS_LEAD.search(reading.text):
        label, names = ("Lead" if reading.english else "牵头单位"), clause.lead
    elif clause.lead and _RE_ASKS_PARTNERS.search(reading.text):
        others = tuple(u for u in clause.units if u not in clause.lead)
        if others:
            label, names = ("Taking part" if reading.english else "参与单位"), others
    return f"{label}: {'、'.join(names)}" if reading.english else f"{label}：{'、'.join(names)}"


RE_UNIT_WORD = re.compile(r"[\u4e00-\u9fff](?:厅|委|局|办|协)(?:\s|$)")  # how a government department's name ends


def unit_named(focus: str, known: set[str]) -> str | None:
    """The responsible unit a question names. An English question reaches it through glossary terms
    (provincial → 省级, finance department → 财政厅), so a unit may also be named by a level word and
    its body (省级 + 财政厅 → 省财政厅); the longest unit named wins (省科技厅 before 科技厅)."""
    terms = focus.split()
    levels = {t[-1] if t.startswith("全") else t[0] for t in terms if t in LEVEL_TERMS}
    texts = ["".join(terms), *(level + t for level in levels for t in terms)]
    for unit in sorted(known, key=len, reverse=True):
        if any(unit in text for text in texts):
            return unit
    bodies = [t for t in terms if len(t) >= 3]
    partial = sorted(u for u in known if any(u.endswith(b) for b in bodies) and (not levels or u[0] in levels))
    return partial[0] if len(partial) == 1 else None


def units_sentence(clause: Clause) -> str:
    m = re.search(r"（(?:责任单位|牵头单位)[：:][^）]*）", clause.text)
    if m:
        return m.group(0)
    first = next(sentences(clause.text), (0, len(clause.text)))
    return clause.text[first[0] : first[1]]
