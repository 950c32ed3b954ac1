"""How a notice numbers its parts: the heading levels, articles, items, annexes and the colophon,
and the small tests on lines that the clause grammar and the annex reader share.

``一、`` ``（一）`` ``1.``/``1、``/``第一条`` ``（1）`` are the four levels of a plan; ``第一章`` and
``第一节`` a law's parts; ``1`` / ``1.1`` / ``1.1.1`` an emergency plan's outline.
"""

from __future__ import annotations

import re

from planqa.ingest.frontmatter import RE_DATE_LINE, RE_ISSUER, RE_SIGNER, Line
from planqa.ingest.normalize import CJK

CN_NUM = "一二三四五六七八九十百零〇"
RE_L1 = re.compile(rf"^([{CN_NUM}]{{1,3}})、\s*(.*)$")
RE_L2 = re.compile(rf"^（([{CN_NUM}]{{1,3}})）\s*(.*)$")
RE_L3 = re.compile(rf"^(?:(\d{{1,3}})[.、](?!\d)|第([{CN_NUM}\d]{{1,4}})条)\s*(.*)$")
RE_CHAPTER = re.compile(rf"^第([{CN_NUM}\d]{{1,3}})章\s*(.*)$")  # 第一章 总则: a law's or regulation's part
RE_SECTION = re.compile(rf"^第([{CN_NUM}\d]{{1,3}})节\s*(.*)$")
# 1　总则 / 1.1　编制目的 / 6.4.1　对…: decimal outline numbers, as emergency plans (应急预案) use them.
# Normalising drops the space after the number, so a first-level one must be a short title line; all
# are read as headings only in a document with several second-level ones (MIN_DECIMAL).
RE_DECIMAL = re.compile(
    rf"^(\d{{1,2}}(?:\.\d{{1,2}}){{1,3}})(?![\d.])\s*([{CJK}（(].*)$|^(\d{{1,2}})([{CJK}]{{2,15}})$"
)
RE_DECIMAL_2 = re.compile(rf"^\d{{1,2}}\.\d{{1,2}}(?![\d.])\s*[{CJK}]")
MIN_DECIMAL = 3
RE_ITEM = re.compile(r"^(?:\d{1,2}[.、](?!\d)|（\d{1,2}）)")  # 1. / （1）, as items inside an article
# The items of a list a clause introduces (…以下工作：（1）…（2）…): its first item, and any item.
# In a plan （1） is the lowest level, so its lines are always items; （一） and 1. are levels of the
# plan's own (measures, tasks) and stay clauses unless an article holds them (``_in_article``).
RE_LIST_FIRST = re.compile(r"^[（(]1[）)]")
RE_LIST_ITEM = re.compile(r"^[（(]\d{1,2}[）)]")
RE_ARTICLE = re.compile(rf"^第[{CN_NUM}\d]{{1,4}}条$")
RE_ANNEX = re.compile(r"^附件\s*[\d一二三四五六七八九十]{0,2}\s*(?:[：:.．、]\s*(.*))?$")
RE_COLOPHON = re.compile(r"^(?:抄送|主题词|抄报)[：:]?|^\d{4}年\d{1,2}月\d{1,2}日印发$")


def squeeze(title: str) -> str:
    """A heading spaced out for print (总　　则) as it is read (总则)."""
    return re.sub(r"\s+", "", title)


def short_heading(sentence: str, limit: int = 20) -> str:
    """A short heading for a numbered line that is a sentence: its words before the first colon or
    comma (``清明节：4月5日放假`` → ``清明节``), else its first ``limit`` characters."""
    head = re.split(r"[：:，,。；]", sentence, maxsplit=1)[0]
    return head if len(head) <= limit else head[:limit] + "…"


def next_text(lines: list[Line], index: int) -> str:
    """The next non-empty line after ``index`` ("" at the end), without copying the rest."""
    return next((lines[i].bare for i in range(index + 1, len(lines)) if lines[i].bare), "")


def signs(lines: list[Line], index: int) -> bool:
    """Whether the line at ``index`` is an issuer's name with a date line under it: the signature."""
    return bool(signs_off(lines[index].bare) and RE_DATE_LINE.match(next_text(lines, index)))


def signs_off(text: str) -> bool:
    """Whether a line is the issuer or signer above a signature's date."""
    return bool(RE_ISSUER.match(text) or RE_SIGNER.match(text))


def heading_follows(lines: list[Line], index: int) -> bool:
    """Whether the next non-empty line after ``index`` is a heading of level 1 or 2 (or nothing)."""
    following = next_text(lines, index)
    return not following or bool(RE_L1.match(following) or RE_L2.match(following) or RE_ANNEX.match(following))


def numbered(text: str) -> bool:
    return bool(RE_L1.match(text) or RE_L2.match(text) or RE_L3.match(text) or RE_CHAPTER.match(text))


def row_start(ln: Line) -> bool:
    return bool(re.match(r"^\t?\d{1,3}(\t|$)", ln.text))
