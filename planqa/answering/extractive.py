"""The default answerer: reads the retrieved clauses and their parsed targets, writes no word of its own
about the plan that it did not take from a clause.

The first line states the answer (a target with its deadline, a date, the responsible units, the
sentence that lists what was asked); the lines after it quote the clause. Every number on the
first line is a parsed target's value, a deadline or a clause's own words, so it stands in a cited
clause by construction (``faithful`` checks it anyway).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planqa.answering import english as english_words
from planqa.answering.draft import COVERED, NOT_FOUND, Draft
from planqa.answering.evidence import best_sentence, headed, sentences
from planqa.answering.facts import document_fact, in_force
from planqa.answering.measures import (
    asked_attribute,
    asked_measure,
    bound_asked,
    bound_of,
    named_in,
    names_attribute,
    states,
)
from planqa.answering.question import DATE, DOCUMENT, LIST, QUANTITY, TASKS_OF_UNIT, UNITS, Reading
from planqa.answering.units import RE_UNIT_WORD, tasks_listing, unit_named, units_line, units_sentence
from planqa.catalog import Catalog
from planqa.ingest.grams import dice
from planqa.ingest.quantities import RE_DEADLINE
from planqa.retrieval.coverage import Coverage
from planqa.retrieval.query import document_facet
from planqa.types import Clause, DocumentInfo, Hit, Target

_RE_DEADLINE = re.compile(f"{RE_DEADLINE.pattern}|每年")  # a deadline, or every year
_RE_ASKS_WHERE = re.compile(r"([\u4e00-\u9fff]{1,2}[在于到])(?:哪里|哪儿|何处|什么地方|哪个部门|哪个单位)")
# A sentence that states how many (5个, 七项, 第五航权), for a question that asks it (多少, 几).
_RE_COUNT = re.compile(r"\d|[一二三四五六七八九十两]+[项个家所名次条类批种位]|第[一二三四五六七八九十百]+")
_RE_ASKS_COUNT = re.compile(r"多少|几|how many|how much", re.I)
_RE_LABEL = re.compile(r"([\u4e00-\u9fff]{2,8})：")
# A sentence that is a table cell under the column the question names (指导部门是哪个 → 指导部门：科技部)
# answers it over the row's other cells; 0.5 is half a full coverage, more than rank or list bonuses.
LABEL_BONUS = 0.5
_RE_PLACE_SAID = re.compile(r"设在|设于|位于|在[\u4e00-\u9fff]{2,12}(?:设立|设置|办理)")
_RE_ASKS_MANY = re.compile(r"哪些|哪几|包括|包含|有什么|有啥|which|what are|list", re.I)
_RE_ASKS_DAY = re.compile(r"哪天|哪一天|哪几天|几号|几月几日|哪日|which day|what day", re.I)
_RE_DAY = re.compile(r"\d{1,2}月\d{1,2}日")
_RE_WITHIN_YEAR = re.compile(r"\d{1,2}月(?:\d{1,2}日|底|末|份)?|年底|年末")  # a time within a year
_RE_ASKS_STANDARD = re.compile(
    r"(?:什么|哪[一个种级]*|何种)(?:样的)?标准|标准是什么|what standard|which standard", re.I
)
_RE_STANDARD = re.compile(r"标准(?!化)|水平")  # 标准化 describes a facility, not the standard it must meet
YEAR_MARGIN = 0.5  # how much weaker than the best target a target of the asked year may match
SOURCES_READ = 3  # sources read for an answer: the gold set's evidence is in the top 3 for 99% of items
# A source whose fused retrieval score is this far below the first is not read for the answer: on the
# real-notice gold set a weak third source's target outvoted the first's sentence (郑州机场…第五航权).
# Accuracy was flat for margins 0.5–1.0 on both gold sets (real 0.571, public 0.963); no margin: 0.558.
READ_MARGIN = 0.7
# How much a target loses per rank of its source below the first: retrieval orders sources better
# than a target's words do (专项附加扣除：6项 of a definition article outscored 每个子女每月1000元 of
# the first-ranked one). Real-notice accuracy 0.706 at 0.15 and 0.25, 0.712 at 0.35 and 0.5; the
# public gold set was the same at all four.
RANK_PENALTY = 0.35
# A figure of the bound asked (最多 → 以下/不超过, 至少 → 以上/不少于) gains this much: it lifted the
# 10万元以下 ceiling over a 1倍以上 floor; real-notice accuracy 0.810 -> 0.816 at 0.3 and at 0.6,
# the public gold set the same.
BOUND_BONUS = 0.3
# A figure that is the attribute asked (的限额是多少 → 在80000元限额内; ``names_attribute``) gains this much:
# real-notice accuracy 0.891 at 0, 0.896 at 0.2, 0.901 at 0.4 and 0.6 (202 items); public the same.
ATTRIBUTE_BONUS = 0.4
# The rest of a target's score (``_target_score``), beside how much of the question its name covers.
# Each was set by hand. Answers right on the real (192) / public (179) gold sets at the values set:
# 169 / 173; with one value changed, as noted (public unchanged unless given):
REVERSE_WEIGHT = 0.5  # the target's own name used by the question; 0: 167, 0.25: 168, 1: 168 real
CONTEXT_WEIGHT = 0.3  # the question's words in the address and sentence (第二章 子女教育 > 第五条); 0: 167/172
CONDITION_BONUS = 0.5  # times the indicator's coverage, when the question names the condition; same at 0–1
TASK_BONUS = 0.05  # a task over the annex row restating it (the fuller citation); no item moves at 0–0.1
SAME_FACT = 0.5  # indicator Dice at which an annex row and a task state one fact; same at 0.3 and 0.7
# Choosing a sentence (``sentence``, ``date``, ``units``), beside its coverage of the question:
SENTENCE_RANK_PENALTY = 0.1  # per rank of its source below the first; 0: 166, 0.05: 168, 0.2: 170 real
NUMBER_BONUS = 0.2  # per number of the question it contains (7个国家区域医疗中心); same at 0–0.4
LISTING_BONUS = 0.3  # a sentence that lists (two 、 or more), for 哪些; 0: 168, 0.15: 169, 0.6: 168 real
# A sentence is preferred over the parsed target when it covers the question this much better (a
# count the parser does not read; 0.1: 168 real, 0.4: 169), or, with no target of the asked year,
# when it names that year and covers at most YEAR_SLACK less than the best target (same at 0–0.2).
SENTENCE_OVER_TARGET = 0.2
YEAR_SLACK = 0.1


def _read(hits: Sequence[Hit]) -> Sequence[Hit]:
    """The sources an answer reads: the top ``SOURCES_READ``, less those ranked far below the first."""
    top = hits[0].score if hits else 0.0
    return [h for h in hits[:SOURCES_READ] if h.score >= top - READ_MARGIN]


class Extractive:
    """Answers from clause text and the targets table; no model, no network."""

    def __init__(self, catalog: Catalog, coverage: Coverage):
        self.catalog, self.coverage = catalog, coverage

    def answer(self, reading: Reading, hits: Sequence[Hit], docs: Sequence[DocumentInfo]) -> Draft:
        if reading.kind == QUANTITY:
            return self.quantity(reading, hits)
        if reading.kind == DATE:
            return self.date(reading, hits)
        if reading.kind == UNITS:
            return self.units(reading, hits)
        if reading.kind == TASKS_OF_UNIT:
            return self.tasks_of_unit(reading, hits, docs)
        if reading.kind == DOCUMENT:
            return self.document(reading, hits, docs)
        kind = LIST if reading.kind == LIST else reading.kind
        where = _RE_ASKS_WHERE.search(reading.text)  # 办公室设在哪里: the sentence that says 设在…
        said = re.compile(re.escape(where.group(1))) if where else None
        if said and (draft := self.sentence(reading, hits, kind, must=said)).first_line:
            return draft
        english_where = reading.english and re.search(r"\bwhere\b", reading.text, re.I)  # where is it: 设在…
        if english_where and (draft := self.sentence(reading, hits, kind, must=_RE_PLACE_SAID)).first_line:
            return draft
        return self.sentence(reading, hits, kind)

    # -- kinds ----------------------------------------------------------------------------------
    def quantity(self, reading: Reading, hits: Sequence[Hit]) -> Draft:
        if _RE_ASKS_STANDARD.search(reading.text):
            # 达到什么标准 asks for a grade or a standard, which a plan states in words (二级妇幼保健院标准),
            # not as a parsed number; the sentence that names it answers, if the top sources have one.
            draft = self.sentence(reading, hits, QUANTITY, must=_RE_STANDARD)
            if draft.first_line:
                return draft
        measure = asked_measure(reading.text)  # 多少万元, 几次, 多大比例: a figure in another measure is no answer
        bound = bound_asked(reading.text)  # 最多可以罚款多少 asks the ceiling (10万元以下), not a floor
        attribute = asked_attribute(reading.text)  # 的限额是多少: a figure its sentence calls 限额
        scored: list[tuple[float, Target]] = []
        for rank, hit in enumerate(_read(hits)):
            for clause in hit.clauses:
                for t in self.catalog.targets_of(clause):
                    if named_in(t.value_text, reading.text):
                        continue  # the question's own condition (500万元及以下的…), not its answer
                    if measure is None or states(measure, render_target(t), t.source_text):
                        scored.append((self._target_score(reading, t, rank, bound, attribute), t))
        # A sentence that states the figure: in the asked measure, of the asked year, or any count.
        figure = measure or (_year_pattern(reading.years) if reading.years else _RE_COUNT)
        if not scored:
            # No parsed target: a sentence with the figure answers; one without says nothing of how
            # many, and the notice does not say. 有上限吗 or 什么标准 asks no figure: any sentence.
            if measure is None and not reading.years and not _RE_ASKS_COUNT.search(reading.text):
                return self.sentence(reading, hits, QUANTITY)
            draft = self.sentence(reading, hits, QUANTITY, must=figure)
            return draft if draft.first_line else Draft(QUANTITY, "", [], score=NOT_FOUND)
        scored.sort(key=lambda x: -x[0])
        if reading.years:
            # A target of the year asked that answers a far weaker match than the best target is about
            # something else (another indicator that happens to have that year): not an answer.
            timely = [(s, t) for s, t in scored if self._of_year(t, reading.years) and s >= scored[0][0] - YEAR_MARGIN]
            if not timely:
                # Targets exist, none for the year asked: a sentence may still name that year (到2035年…);
                # otherwise say the plans set no target for it rather than answer another year.
                best = scored[0][1]
                draft = self.sentence(reading, hits, QUANTITY, must=_year_pattern(reading.years))
                topic = self.coverage(reading.focus, best.source_text)
                if draft.first_line and self.coverage(reading.focus, draft.first_line) >= topic - YEAR_SLACK:
                    return draft
                return Draft(QUANTITY, "", [(self._clause(best), best.source_text)], [best], score=NOT_FOUND)
            scored = timely
        best_score, best = scored[0]
        best = self._fullest(best, [t for _, t in scored])
        clause = self._clause(best)
        tiers = _tiers(best, [t for _, t in scored], reading.text)
        first = render_tiers(tiers, reading.english) if len(tiers) > 1 else render_target(best, reading.english)
        score = self.coverage(reading.focus, clause.index_text)
        draft = Draft(QUANTITY, first, [(clause, best.source_text)], tiers if len(tiers) > 1 else [best], score)
        # A count the parser does not read as a target (七项能力提升行动) may still stand in a sentence
        # that covers the question far better than any parsed target does.
        text = self.sentence(reading, hits, QUANTITY, must=figure)
        named = bool(attribute) and names_attribute(best, attribute) and attribute not in text.first_line
        if text.first_line and text.score > draft.score + SENTENCE_OVER_TARGET and best_score < COVERED and not named:
            return text  # (unless only the target's sentence names the attribute asked: 的限额 → 限额内)
        return draft

    def _of_year(self, t: Target, years: Sequence[int]) -> bool:
        """Whether a target is of a year asked: by its deadline, or, with none, by its document's title
        (2019年部分节假日安排 is all about 2019)."""
        if t.year is not None:
            return t.year in years
        doc = self.catalog.docs.get(t.doc_id)
        return doc is not None and any(f"{y}年" in doc.title for y in years)

    def _fullest(self, best: Target, candidates: list[Target]) -> Target:
        """The same fact stated by a task rather than the annex row that restates it: the task carries
        the section, the 责任单位 and the fuller sentence, so it is the better citation."""
        if self._kind(best) != "annex_row":
            return best
        fact = (best.value, best.value_max, best.unit, best.year)
        for t in candidates:
            same = (t.value, t.value_max, t.unit, t.year) == fact
            if same and self._kind(t) == "task" and dice(t.indicator, best.indicator) >= SAME_FACT:
                return t
        return best

    def _kind(self, t: Target) -> str:
        """The kind of clause a target was read from; "" when the clause is not in the catalog."""
        clause = self.catalog.by_key.get(t.clause_key)
        return clause.kind if clause is not None else ""

    def _target_score(self, reading: Reading, t: Target, rank: int, bound: str = "", attribute: str = "") -> float:
        """How well a target answers: the question's words it covers, its own words the question uses,
        ``bound``, the bound the question asks (bound_asked), and ``attribute``, the attribute it
        names (asked_attribute), both read once per question."""
        focus, name = reading.focus, f"{t.indicator} {t.condition}"
        score = self.coverage(focus, name) + REVERSE_WEIGHT * self.coverage(name, focus)
        score += CONTEXT_WEIGHT * self.coverage(focus, f"{t.address} {t.source_text}")
        if t.condition and t.condition in focus.replace(" ", ""):
            # The condition picks a tier of the indicator asked (城市地区 of 配置救护车), so it counts as
            # much as the indicator itself is asked: 二级以上 does not make 电子病历级别（二级） the
            # answer to a question about 胸痛中心.
            score += CONDITION_BONUS * self.coverage(focus, t.indicator)
        if self._kind(t) == "task":
            score += TASK_BONUS
        if bound and bound == bound_of(f"{t.comparator}{t.value_text}"):
            score += BOUND_BONUS
        if attribute and names_attribute(t, attribute):
            score += ATTRIBUTE_BONUS
        return score - RANK_PENALTY * rank

    def date(self, reading: Reading, hits: Sequence[Hit]) -> Draft:
        if document_facet(reading.text) == "effect" and (draft := in_force(reading, _read(hits))) is not None:
            return draft
        day = bool(_RE_ASKS_DAY.search(reading.text))  # 哪天放假 asks a day (9月13日), not a year's deadline
        # When in a year the question names (2019年国庆节什么时候放假): a month or a day, not the year again.
        patterns = [_RE_DAY] if day else ([_RE_WITHIN_YEAR] if reading.years else []) + [_RE_DEADLINE]
        best: tuple[float, Clause, str] | None = None
        for pattern in patterns:
            for rank, hit in enumerate(_read(hits)):
                for clause in hit.clauses:
                    score, sentence = best_sentence(clause, reading.focus, self.coverage, pattern)
                    score -= SENTENCE_RANK_PENALTY * rank
                    if sentence and (best is None or score > best[0]):
                        best = (score, clause, sentence)
            if best is not None:
                day = day or (pattern is _RE_WITHIN_YEAR and not _RE_DEADLINE.search(best[2]))
                break
        if best is None:
            return self.sentence(reading, hits, DATE)
        score, clause, sentence = best
        if day:
            return Draft(DATE, sentence, [(clause, sentence)], score=self.coverage(reading.focus, clause.index_text))
        when = _deadline_near(sentence, reading.focus, self.coverage)
        first = f"{when}：{sentence}" if not reading.english else f"By {english_words.date(when)}: {sentence}"
        return Draft(DATE, first, [(clause, sentence)], score=self.coverage(reading.focus, clause.index_text))

    def units(self, reading: Reading, hits: Sequence[Hit]) -> Draft:
        # The clause that best covers the topic, not merely the first with a 责任单位 line: a
        # follow-up's query carries the earlier question's words, which can lift a neighbour.
        best: tuple[float, float, Clause] | None = None
        for rank, hit in enumerate(_read(hits)):
            for clause in hit.clauses:
                if clause.units:
                    covered = self.coverage(reading.focus, clause.index_text)
                    ranked = covered - SENTENCE_RANK_PENALTY * rank
                    if best is None or ranked > best[0]:
                        best = (ranked, covered, clause)
        if best is None:
            return self.sentence(reading, hits, UNITS)
        _, score, clause = best
        return Draft(UNITS, units_line(clause, reading), [(clause, units_sentence(clause))], score=score)

    def tasks_of_unit(self, reading: Reading, hits: Sequence[Hit], docs: Sequence[DocumentInfo]) -> Draft:
        unit = unit_named(reading.focus, self.catalog.by_unit.keys())
        if unit is None and RE_UNIT_WORD.search(reading.focus):
            return Draft(TASKS_OF_UNIT, "", [], score=NOT_FOUND)  # a department no plan gives a task: say so
        if unit is None:
            return self.sentence(reading, hits, TASKS_OF_UNIT)
        allowed = {d.id for d in docs}
        tasks = [
            c
            for c in self.catalog.by_unit.get(unit, ())
            if c.kind in ("task", "measure") and (not allowed or c.doc_id in allowed)
        ]
        if not tasks:
            return self.sentence(reading, hits, TASKS_OF_UNIT)
        first, listed = tasks_listing(unit, tasks, hits, self.catalog.docs, reading)
        return Draft(TASKS_OF_UNIT, first, [(c, units_sentence(c)) for c in listed], score=COVERED)

    def document(self, reading: Reading, hits: Sequence[Hit], docs: Sequence[DocumentInfo]) -> Draft:
        found = document_fact(self.catalog, reading, hits, docs)
        return found if found is not None else self.sentence(reading, hits, DOCUMENT)

    def sentence(self, reading: Reading, hits: Sequence[Hit], kind: str, must: re.Pattern[str] | None = None) -> Draft:
        """The best-covering sentence of the top sources, quoted as the answer.

        A list question prefers a sentence that lists (``、``), and a number the question names
        (``7个国家区域医疗中心``) should stand in the sentence chosen.
        """
        asked = re.findall(r"\d+", reading.text)
        listing = kind == LIST and bool(_RE_ASKS_MANY.search(reading.text))  # 哪些, not 怎么 or 是什么
        best: tuple[float, Clause, str] | None = None
        for rank, hit in enumerate(_read(hits)):
            for clause in hit.clauses:
                # A year the document's title names (2019年部分节假日安排) marks none of its sentences.
                title = self.catalog.docs[clause.doc_id].title if clause.doc_id in self.catalog.docs else ""
                numbers = [n for n in asked if f"{n}年" not in title]
                for start, end in sentences(clause.text):
                    sentence = clause.text[start:end].strip()
                    if must is not None and not must.search(sentence):
                        continue
                    score = self.coverage(reading.focus, headed(clause, sentence)) - SENTENCE_RANK_PENALTY * rank
                    score += NUMBER_BONUS * sum(n in sentence for n in numbers)
                    label = _RE_LABEL.match(sentence)  # 指导部门：科技部, a table's column the question names
                    if label and label.group(1) in reading.text:
                        score += LABEL_BONUS
                    if listing and sentence.count("、") >= 2:
                        score += LISTING_BONUS
                    if best is None or score > best[0]:
                        best = (score, clause, sentence)
        if best is None:
            return Draft(kind, "", [], score=NOT_FOUND)
        score, clause, sentence = best
        return Draft(kind, sentence, [(clause, sentence)], score=self.coverage(reading.focus, clause.index_text))

    def _clause(self, t: Target) -> Clause:
        return self.catalog.clauses.get(t.clause_id) or self.catalog.by_key[t.clause_key]


def render_target(t: Target, english: bool = False) -> str:
    """The target as one line: ``Target.statement`` in Chinese, English word order in English."""
    return english_words.target(t) if english else t.statement


def render_tiers(tiers: Sequence[Target], english: bool = False) -> str:
    """One indicator set per condition: ``床位数：30万人口以下的县（市、区）不低于20张；…``."""
    head = tiers[0]
    when = f"{head.deadline}，" if head.deadline else ""
    if english:
        rows = "; ".join(english_words.target(t, indicator=False) for t in tiers)
        return f"{english_words.quoted(head.indicator)}: {rows}"
    # ``二级`` + ``2级`` needs a separator to read; ``…的县（市、区）`` + ``不低于20张`` does not
    rows = (f"{t.condition}{'：' if t.label[:1].isdigit() else ''}{t.label}" for t in tiers)
    return f"{head.indicator}：{when}" + "；".join(rows)


def _tiers(best: Target, candidates: Sequence[Target], question: str) -> list[Target]:
    """The sibling targets of a conditional one (the same indicator and year in the same sentence, one
    per population tier or category) when the question does not say which condition it means."""
    if not best.condition:
        return [best]
    siblings = [
        t
        for t in candidates
        if t.clause_key == best.clause_key
        and t.source_text == best.source_text
        and t.indicator == best.indicator
        and t.year == best.year
        and t.condition
    ]
    unique = list({t.condition: t for t in siblings}.values())
    unique.sort(key=lambda t: t.source_text.find(t.condition))  # the notice's own order of tiers
    named = [t for t in unique if _names_condition(t.condition, question)]
    if len(named) == 1:
        return [named[0]]
    chosen = named or unique
    return chosen if len(chosen) > 1 else [best]


def _names_condition(condition: str, question: str) -> bool:
    """The question picks this tier: it repeats the condition, or the condition's figures (30—50万)."""
    compact = re.sub(r"\s", "", question)
    if condition in compact:
        return True
    figures = re.findall(r"\d+(?:\.\d+)?", condition)
    return bool(figures) and all(f in compact for f in figures)


def _year_pattern(years: Sequence[int]) -> re.Pattern[str]:
    return re.compile("|".join(f"{y}年" for y in years))


def _deadline_near(sentence: str, focus: str, coverage: Coverage) -> str:
    """The deadline that governs the part of a sentence the question is about."""
    marks = list(_RE_DEADLINE.finditer(sentence))
    if len(marks) == 1:
        return _bare(marks[0].group(0))
    best, best_score = marks[0], -1.0
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(sentence)
        score = coverage(focus, sentence[m.start() : end])
        if score > best_score:
            best, best_score = m, score
    return _bare(best.group(0))


def _bare(deadline: str) -> str:
    return re.sub(r"^(?:到|至|于|在)", "", deadline)
