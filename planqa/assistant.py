"""The Assistant: one question in, one cited answer (or a plain "the plans do not say") out.

The CLI (``planqa ask``/``chat``), the web UI and the eval runner all call ``Assistant.ask``, so what
is measured is what users get. It owns the conversation (a follow-up is made to stand alone from
the history), the checks that decide to abstain, and the rendering; the extraction itself is the
``Extractive`` answerer's.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from planqa.answering import english
from planqa.answering.abstention import DEFAULT_ABSTENTION, Abstention
from planqa.answering.draft import COVERED, NOT_FOUND, Draft
from planqa.answering.extractive import Extractive
from planqa.answering.llm import FALLBACK_NOTES, LLMWriter
from planqa.answering.overview import Overview
from planqa.answering.question import (
    COMPARE,
    DATE,
    DOCUMENT,
    QUANTITY,
    TASKS_OF_UNIT,
    UNITS,
    Reading,
    english_focus,
    read,
)
from planqa.catalog import Catalog
from planqa.config import Config
from planqa.ingest.grams import dice
from planqa.ingest.places import (
    document_kind,
    jurisdiction_level,
    named_documents,
    place_names,
    places_of,
    unknown_place,
)
from planqa.library import Library, Snapshot
from planqa.retrieval.coverage import Coverage
from planqa.retrieval.query import Query, clause_address, normalize_question, with_context
from planqa.types import Answer, Citation, Clause, DocumentInfo, Hit

MAX_QUESTION = 500  # characters; a plan question is a sentence or two, a pasted document is not a question
SAME_INDICATOR = 0.8  # title Dice at which two documents' targets name one indicator (as ingest's links)
# Sources retrieved per question (PLANQA_TOP_K): the answer is chosen among them, and a comparison
# retrieves this many per notice. At 5 the public gold set lost answers whose clause ranked 6th–8th
# behind same-topic neighbours; 8 is the value every figure in the README was measured with.
TOP_K = 8
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
# The lines of an answer after its first that say where it stands (the chat folds them; the panel shows them).
SOURCE_LABELS = ("依据", "Source", "对应上级条款：", "Localises: ", "最接近的规定：", "Nearest provision: ")
_RE_TITLE_YEARS = re.compile(r"((?:19|20)\d{2})(?:\s*[—\-－~至到]\s*((?:19|20)\d{2}))?年")  # 2019年, 2023—2025年


class Assistant:
    """The one ``ask()``: a question (with its conversation and scope) → an answer with citations.

    The CLI, the web chat, the HTTP endpoint and the eval runner all call it, so what they show is
    what is measured. It reads the question, retrieves, drafts an extractive answer (or a comparison,
    an overview, a document fact), decides abstention from the evidence (``Abstention``), lets the
    optional LLM rewrite a covered answer under the guard, and renders the text in the question's
    language. It holds no per-conversation state: ``history`` comes with each call.
    """

    def __init__(
        self,
        library: Library,
        writer: LLMWriter | None = None,
        top_k: int = TOP_K,
        abstention: Abstention = DEFAULT_ABSTENTION,
    ):
        self.library = library
        self.writer = writer  # the optional LLM; None answers extractively only
        self.top_k = top_k
        self.abstention = abstention  # when the cited text covers a question (``planqa calibrate`` fits it)

    @classmethod
    def from_config(
        cls,
        config: Config,
        library: Library | None = None,
        *,
        llm: bool = True,
        abstention: Abstention = DEFAULT_ABSTENTION,
    ) -> Assistant:
        """The one wiring, which the CLI, the server and the eval runner use: the library of ``config``
        (or the one given, a scratch index), the LLM writer it configures (unless ``llm`` is off) and
        its ``top_k``."""
        writer = LLMWriter.from_config(config) if llm else None
        return cls(library or Library.from_config(config), writer, config.top_k, abstention)

    def warm(self) -> None:
        """Load the model, the indexes and the English dictionary now, before the first question is
        timed or a first visitor waits (the warm-up question is read as English)."""
        self.ask("预热 / warm-up")

    def ask(self, question: str, history: Sequence[str] = (), scope: Sequence[str] = ()) -> Answer:
        """Answer one question; ``history`` is the user's earlier questions in this conversation.

        ``scope`` limits the answer to those document ids (the UI's notice selector, ``ask --doc``);
        empty means every indexed notice.
        """
        started = time.perf_counter()
        cleaned = _clean(question)
        problem = _problem(cleaned)
        if problem:
            return Answer(question, problem, True, kind="refusal", forced=True)
        resolved = with_context([*(_clean(h) for h in history[-4:]), cleaned])
        query = normalize_question(resolved)

        def answer(snap: Snapshot) -> Answer:
            done = self._answer(snap, question, resolved, query, scope, started)
            return replace(done, index_version=snap.short_version)

        return self.library.consistent(answer)

    def _answer(
        self, snap: Snapshot, question: str, resolved: str, query: Query, scope: Sequence[str], started: float
    ) -> Answer:
        """The answer from one snapshot: its hits, targets and coverage are of one index version."""
        catalog, coverage = snap.catalog, snap.coverage
        indexed = list(snap.docs)
        docs = [d for d in indexed if d.id in scope] if scope else indexed
        if not docs:
            return Answer(question, _no_documents(scope), True, kind="refusal", forced=True)
        places = tuple(p for d in indexed for p in place_names(d))
        named = named_documents(query.named_text, docs)
        named_places = places_of(named, docs)  # a comparison compares places, not documents
        reading = read(query, places, len(named_places))
        unknown = unknown_place(query.text, indexed)
        t_read = time.perf_counter()
        hits = self.library.retriever.search(query, snap.corpus, self.top_k, [d.id for d in docs], named)
        t_search = time.perf_counter()
        if reading.english:  # its Chinese words are those of the clauses it retrieved
            reading = replace(reading, focus=english_focus(query, [h.clause.text for h in hits], coverage.known))
        answering = [d for d in docs if d.id in named] or docs  # the notices the answer may come from
        answerer = Extractive(catalog, coverage)
        why = ""
        if unknown:
            draft, why = Draft(reading.kind), _not_indexed(unknown, docs, reading.english)
        elif reading.actuals:
            draft, why = Draft(reading.kind), _no_actuals(reading.english)
        elif (overview := _overview(reading, query.text, catalog, docs, named, hits)) is not None:
            draft = overview
        elif reading.kind == COMPARE and len(named_places) >= 2:
            draft = self._compare(reading, query, named, snap, answerer)
        else:
            draft = answerer.answer(reading, hits, answering)
            others = _counterparts(draft, reading, catalog, answering) if not named else []
            if others:
                both = Reading(COMPARE, reading.text, reading.focus, reading.years, False, reading.english)
                draft = self._compare(both, query, others, snap, answerer)
        if query.addresses and any(clause_address(c.number) in query.addresses for c, _ in draft.cites):
            # 第（二十三）项讲的是什么: the clause it names by number is all it asks about
            draft = replace(draft, score=COVERED)
        forced = bool(why) or not draft.first_line or _other_year(reading, draft, catalog)  # whatever the thresholds
        matched = max((coverage.matched(reading.focus, c.index_text) for c, _ in draft.cites), default=0.0)
        abstain = forced or not self.abstention.covers(draft.score, matched)
        if abstain and not why:
            why = _not_covered(reading, draft, answering)
        generator, notes = "extractive", ()
        if self.writer is not None and not abstain:
            draft, generator, notes = self._write(resolved, reading, draft, hits, coverage)
        text = _render(draft, reading, why if abstain else "", hits, catalog, numbered=generator == "llm")
        for note in notes:
            text += f"\n（{FALLBACK_NOTES[note][reading.english]}）"
        citations = tuple(_citation(c, quote, catalog) for c, quote in draft.cites)
        done = time.perf_counter()
        timings = {
            "read_ms": (t_read - started) * 1000,
            "retrieve_ms": (t_search - t_read) * 1000,
            "answer_ms": (done - t_search) * 1000,
            "total_ms": (done - started) * 1000,
        }
        return Answer(
            question,
            text,
            abstain,
            citations,
            tuple(hits),
            timings,
            resolved,
            draft.kind,
            draft.score,
            matched,
            forced=forced,
            generator=generator,
            notes=notes,
        )

    def _write(
        self, question: str, reading: Reading, draft: Draft, hits: Sequence[Hit], coverage: Coverage
    ) -> tuple[Draft, str, tuple[str, ...]]:
        """The LLM's answer in place of the extractive one when the guard passes it."""
        assert self.writer is not None
        offered = list(dict.fromkeys([c for c, _ in draft.cites] + [c for h in hits for c in h.clauses[:1]]))
        written = self.writer.write(question, reading.english, reading.years, offered, coverage)
        if not written.text:
            return draft, "extractive-fallback", (written.reason,)
        return Draft(draft.kind, written.text, list(written.cites), draft.targets, draft.score), "llm", ()

    def _compare(self, reading: Reading, query: Query, named: list[str], snap: Snapshot, answerer: Extractive) -> Draft:
        """Each named place's own answer, side by side (one search over each place's documents)."""
        catalog = snap.catalog
        parts: list[str] = []
        cites: list[tuple[Clause, str]] = []
        targets = []
        scores: list[float] = []
        quantity = Reading(QUANTITY, reading.text, reading.focus, reading.years, False, reading.english)
        for place, ids in places_of(named, list(snap.docs)).items():
            hits = self.library.retriever.search(query, snap.corpus, self.top_k, ids, ids)
            draft = answerer.answer(quantity, hits, [catalog.docs[i] for i in ids])
            if draft.first_line and draft.score >= self.abstention.min_coverage:
                said = draft.first_line.split("：", 1)[-1] if draft.targets else draft.first_line
                if reading.english and draft.targets:
                    said = english.target(draft.targets[0], indicator=False)
                parts.append(f"{place}: {said}" if reading.english else f"{place}：{said}")
                cites += draft.cites
                targets += draft.targets
                scores.append(draft.score)
            else:
                parts.append(f"{place}: not set" if reading.english else f"{place}：未规定")
        first = ("; " if reading.english else "；").join(parts)
        if targets:
            head = english.quoted(targets[0].indicator) if reading.english else targets[0].indicator
            first = f"{head} — {first}" if reading.english else f"{head}——{first}"
        return Draft(COMPARE, first if cites else "", cites, targets, max(scores, default=NOT_FOUND))


def _overview(
    reading: Reading, text: str, catalog: Catalog, docs: Sequence[DocumentInfo], named: list[str], hits: Sequence[Hit]
) -> Draft | None:
    """A question about the plan's shape (its actions, a section's tasks, what is due, what is missing)."""
    if reading.kind in (UNITS, DATE, DOCUMENT) or reading.english:
        return None
    # 省财政厅负责哪些任务 is about a unit; 公共卫生能力提升行动有哪些任务 and 2025年要完成哪些任务 are not
    return Overview(catalog).answer(text, docs, named, hits, sections_only=reading.kind == TASKS_OF_UNIT)


def _counterparts(draft: Draft, reading: Reading, catalog: Catalog, docs: Sequence[DocumentInfo]) -> list[str]:
    """The documents that set the answered target, when the question names none and several do:
    ``每千人口托位数的目标`` is set by the province and by the district that localises it, and
    answering one of them alone would hide the other. Higher-level documents first."""
    if reading.kind != QUANTITY or not draft.targets or len(docs) < 2:
        return []
    best = draft.targets[0]
    found = {best.doc_id}
    # Only the plan most closely linked to the answer's own (the district plan that localises it, or
    # its parent): among hundreds of plans many set the same indicator, and a place-less question is
    # not about all of them (``planqa bench`` at 100× showed what comparing them all costs).
    in_scope = {d.id for d in docs}
    related = next((d for d in catalog.linked_docs(best.doc_id) if d in in_scope), None)
    for t in catalog.targets_of_doc(related) if related else ():
        if reading.years and t.year != best.year:
            continue  # a year asked is a year compared; with none, each plan's target of the indicator
        if t.condition == best.condition and dice(t.indicator, best.indicator) >= SAME_INDICATOR:
            found.add(t.doc_id)
    if len(found) < 2:
        return []
    return sorted(found, key=lambda d: -jurisdiction_level(catalog.docs[d].jurisdiction))


def _other_year(reading: Reading, draft: Draft, catalog: Catalog) -> bool:
    """Whether the answer comes from documents of another year than the one asked: a notice titled
    2019年部分节假日安排 says nothing of 2020 unless its cited text names 2020."""
    if not reading.years or not draft.cites:
        return False
    for clause, quote in draft.cites:
        doc = catalog.docs.get(clause.doc_id)
        titled: set[int] = set()  # 2019年…, or a span: …三年行动计划（2023—2025年）
        for m in _RE_TITLE_YEARS.finditer(doc.title if doc else ""):
            titled |= set(range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1))
        asked = {str(y) for y in reading.years}
        if not titled or titled & set(reading.years) or any(y in clause.text or y in quote for y in asked):
            return False
    return True


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return _RE_CONTROL.sub(" ", text).strip()


def _problem(cleaned: str) -> str:
    if not cleaned:
        return "请输入问题。/ Please type a question."
    if len(cleaned) > MAX_QUESTION:
        return (
            f"问题太长（{len(cleaned)}字），请用一两句话提问（不超过{MAX_QUESTION}字）。"
            f"/ The question is too long; ask in a sentence or two (at most {MAX_QUESTION} characters)."
        )
    if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", cleaned):
        return "没有看懂这个问题，请用中文或英文提问。/ Please ask in Chinese or English."
    return ""


def _no_documents(scope: Sequence[str]) -> str:
    if scope:
        return f"所选文件未索引：{'、'.join(scope)}。/ The selected notices are not indexed."
    return "还没有索引任何通知，请先导入文件（planqa ingest）。/ No notices are indexed yet: ingest some first."


_PLANS = {"方案", "计划", "规划", "纲要"}  # plans under any name are 计划, as users call them


def _kind_word(docs: Sequence[DocumentInfo]) -> tuple[str, str]:
    """What to call the documents an answer may come from, in Chinese and English: their shared kind
    (计划 / 条例 / 办法 …), else 文件."""
    kinds = {"计划" if k in _PLANS else k for k in (document_kind(d.title) for d in docs)}
    if kinds == {"计划"}:
        return "计划", "plans"
    if len(kinds) == 1 and "" not in kinds:
        return kinds.pop(), "documents"
    return "文件", "documents"


def _not_indexed(place: str, docs: Sequence[DocumentInfo], english: bool) -> str:
    indexed = "、".join(d.title for d in docs)
    word, words = _kind_word(docs)
    if english:
        return f"No indexed {words[:-1]} covers {place}. Indexed: {indexed}."
    return f"已索引的{word}中没有{place}的{word}，无法回答。已索引：{indexed}。"


def _no_actuals(english: bool) -> str:
    if english:
        return "The plans set targets; they do not report what has actually been achieved."
    return "计划只规定目标和任务，不报告实际完成情况。"


def _not_covered(reading: Reading, draft: Draft, docs: Sequence[DocumentInfo]) -> str:
    word, words = _kind_word(docs)
    if reading.years and draft.targets and not any(t.year in reading.years for t in draft.targets):
        year = "、".join(str(y) for y in reading.years)
        if reading.english:
            return f"The {words} set no target for {year} here."
        return f"{word}未规定{year}年的这一目标。"
    if reading.english:
        return f"The indexed {words} do not cover this question."
    return f"{word}未涉及这一问题。"


def _render(
    draft: Draft, reading: Reading, why: str, hits: Sequence[Hit], catalog: Catalog, numbered: bool = False
) -> str:
    lines: list[str] = []
    if why:
        lines.append(why)
        nearest = draft.cites[:1] or _nearest(hits)
        if nearest:
            clause, quote = nearest[0]
            lines.append(
                ("Nearest provision: " if reading.english else "最接近的规定：") + clause.cite(reading.english)
            )
            lines.append(f"> {quote}")
        return "\n".join(lines)
    lines.append(draft.first_line)
    for i, (clause, quote) in enumerate(draft.cites[:6], 1):
        label = ("Source" if reading.english else "依据") + (f" [{i}]" if numbered else "")
        lines.append(f"{label}{': ' if reading.english else '：'}{clause.cite(reading.english)}")
        if quote and quote != draft.first_line:
            lines.append(f"> {quote}")
        parent = catalog.parent_of(clause)
        if parent is not None:
            lines.append(("Localises: " if reading.english else "对应上级条款：") + parent.cite(reading.english))
    return "\n".join(lines)


def _nearest(hits: Sequence[Hit]) -> list[tuple[Clause, str]]:
    if not hits:
        return []
    clause = hits[0].clause
    first = clause.text.split("。", 1)[0]
    return [(clause, first)]


def _citation(clause: Clause, quote: str, catalog: Catalog) -> Citation:
    parent = catalog.parent_of(clause)
    return Citation(
        doc_id=clause.doc_id,
        doc_title=clause.doc_title,
        doc_number=clause.doc_number,
        section=clause.section_path,
        clause=clause.label,
        pages=clause.pages,
        quote=quote,
        text=clause.text,
        clause_id=clause.id,
        parent=parent.section_path if parent is not None else "",
    )
