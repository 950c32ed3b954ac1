"""Answers about who is responsible: the units a clause names (all, the lead, or the others, as the
question asks and the notice says), the unit a question names, the sentence that names them, and
the tasks a unit is given, notice by notice."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from planqa.answering import english as english_words
from planqa.answering.evidence import sentences
from planqa.answering.question import Reading
from planqa.ingest.places import LEVEL_TERMS
from planqa.types import Clause, DocumentInfo, Hit

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


# A unit named in many notices (省财政厅 in hundreds of a province's plans) is listed for the notices
# the question ranks first and the others are counted: session 14 saw one such answer run to 225,000
# characters and 1.8 s in a 1,000× library. Three is a length to read, not a measured value.
LISTED_DOCUMENTS = 3

RE_UNIT_WORD = re.compile(r"[\u4e00-\u9fff](?:厅|委|局|办|协)(?:\s|$)")  # how a government department's name ends


def unit_named(focus: str, known: Collection[str]) -> str | None:
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


def tasks_listing(
    unit: str, tasks: Sequence[Clause], hits: Sequence[Hit], docs: Mapping[str, DocumentInfo], reading: Reading
) -> tuple[str, list[Clause]]:
    """The first line of a unit's tasks and the tasks it lists: by notice, the notices the search
    ranked highest first, at most ``LISTED_DOCUMENTS`` of them; how many more name the unit is said.
    Asked what it leads (牵头), the tasks the notices name it the lead of, or, where they name it
    lead of none, all of its tasks with a line that says so."""
    english = reading.english
    asks_lead = bool(_RE_ASKS_LEAD.search(reading.text)) and not _RE_ASKS_PARTNERS.search(reading.text)
    led = [c for c in tasks if unit in c.lead] if asks_lead else []
    unmarked = asks_lead and not led
    tasks = led or tasks
    by_doc: dict[str, list[Clause]] = {}
    for c in tasks:
        by_doc.setdefault(c.doc_id, []).append(c)
    ranked = list(dict.fromkeys(c.doc_id for h in hits for c in h.clauses if c.doc_id in by_doc))
    order = ranked + [d for d in by_doc if d not in ranked]
    shown, rest = order[:LISTED_DOCUMENTS], len(order) - LISTED_DOCUMENTS
    titled = len(shown) > 1
    groups = []
    for d in shown:
        labels = "；".join(_named(c) for c in by_doc[d])
        title = docs[d].title if d in docs else d
        groups.append((f"“{title}”: " if english else f"《{title}》") + labels if titled else labels)
    if english:
        head = f"{english_words.quoted(unit)} leads" if led else f"{english_words.quoted(unit)} is responsible for"
        first = f"{head}: " + " | ".join(groups)
        more = f" ({rest} more notices also give it tasks; name one to see them.)"
        note = " (The notices do not say which tasks it leads; these are all it takes part in.)"
    else:
        first = f"{unit}{'牵头' if led else '负责或参与'}的任务：" + "　".join(groups)
        more = f"（另有{rest}份文件也列有{unit}的任务，指明文件即可查看。）"
        note = f"（文件未标明{unit}牵头哪些任务，以上为其负责或参与的全部任务。）"
    listed = [c for d in shown for c in by_doc[d]]
    return first + (more if rest > 0 else "") + (note if unmarked else ""), listed


def _named(clause: Clause, shown: int = 20) -> str:
    """A clause as a list names it: its label, or its number and first words when it has no title
    of its own (（十五）进一步放宽对专利代理机构…)."""
    if clause.title or not clause.number:
        return clause.label
    words = clause.text.removeprefix(clause.number).split("。", 1)[0]
    return clause.number + words[:shown] + ("…" if len(words) > shown else "")
