"""Responsible units named in a clause: find the note, split it into units, tell the lead apart.

Notices name them in several forms, all read here: a closing ``（责任单位：…）`` line; a parenthetical
note after a task or mid-paragraph (``（发展改革委、财政部负责）``, ``（教育部牵头，人力资源社会保障部
参与）``, ``（负责部门：商务部，适用范围：…）``); and a standing rule said once
(``列第一位者为牵头单位，下同``) that makes the first unit of every later note its lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Names of government bodies end in one of these; "各市" alone does not, so it joins the next piece.
_ORG_END = re.compile(
    r"(委|厅|局|办|会|协|院|部|处|署|行|中心|政府|街道|办事处|经开区|新区|管委会|协会|公司|队|所|站|室|团|社|馆|校|大学|学院|"
    r"集团|单位|机构|区|县|市)$"
)
_LABELLED = re.compile(r"^(?:责任单位|牵头单位|责任部门|牵头部门|配合单位|参与单位)[：:]")
# A note's labels (责任单位：…) and verbs (…负责) of responsibility, as 公文 use them; 牵头 marks a lead.
_NOTE_LABEL = re.compile(
    r"^(责任单位|牵头单位|责任部门|牵头部门|负责部门|负责单位|主责部门|配合单位|配合部门|参与单位|参与部门|协办单位)[：:](.*)$"
)
_NOTE_VERB = re.compile(r"(按职责分工负责|分工负责|牵头负责|牵头|负责|参与|配合|协助|指导)$")
_OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}[：:]")  # 适用范围：… and the like: not units
# 列第一位者为牵头单位 / 排在第一位的部门为牵头部门: the first unit of each note leads
_FIRST_LEADS = re.compile(r"(?:列|排)(?:在)?第一位(?:者|的)?(?:单位|部门)?为牵头(?:单位|部门)")
_STANDING = re.compile(r"^(?:下同|以下同|下同。)$")


@dataclass(frozen=True)
class Note:
    """What one responsibility note says."""

    units: tuple[str, ...]
    lead: tuple[str, ...] = ()  # named as leading (牵头); () when the note does not say
    first_leads: bool = False  # it states that the first unit listed leads (and, with 下同, in later notes)


def read_note(inner: str) -> Note | None:
    """The text inside one parenthetical as a responsibility note, or None when it is something else
    (a definition, an example, a figure)."""
    units: list[str] = []
    lead: list[str] = []
    first_leads = bool(_FIRST_LEADS.search(inner))
    for segment in re.split(r"[，,；;。]", inner):
        segment = segment.strip()
        if not segment or _FIRST_LEADS.search(segment) or _STANDING.match(segment):
            continue
        if m := _NOTE_LABEL.match(segment):
            names = split_units(m.group(2))
            lead += names if "牵头" in m.group(1) else []
            units += names
            continue
        if _OTHER_LABEL.match(segment):
            continue
        verb = _NOTE_VERB.search(segment)
        names = split_units(segment[: verb.start()]) if verb else ()
        if not names or not all(looks_like_org(n) for n in names):
            return None
        lead += names if verb and verb.group(1).startswith("牵头") else []
        units += names
    if not units:
        return None
    return Note(_once(units), _once(lead), first_leads)


def _once(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def notes_in(text: str) -> list[Note]:
    """Every responsibility note in a clause, in order."""
    notes = (read_note(m.group(1)) for m in re.finditer(r"（([^（）]*(?:（[^（）]*）[^（）]*)*)）", text))
    return [note for note in notes if note is not None]


def looks_like_org(name: str) -> bool:
    # Two characters name a body only as 省委/区办-style abbreviations; "各市" is half of "各市、县人民政府".
    short_ok = len(name) == 2 and name.endswith(("委", "办", "局", "厅"))
    return (len(name) >= 3 or short_ok) and bool(_ORG_END.search(name))


def split_units(text: str) -> tuple[str, ...]:
    """``省卫生健康委、省财政厅，各市、县〔区〕人民政府及赣江新区管委会`` → each unit once, in order."""
    units: list[str] = []
    for group in re.split(r"[，,；;]", text):
        group = _LABELLED.sub("", group.strip())
        merged: list[str] = []
        for piece in group.split("、"):
            piece = piece.strip()
            if not piece:
                continue
            if merged and not looks_like_org(merged[-1]):
                merged[-1] += "、" + piece
            else:
                merged.append(piece)
        for name in merged:
            halves = name.split("及")
            if len(halves) == 2 and all(looks_like_org(h) for h in halves):
                units.extend(halves)
            else:
                units.append(name)
    seen: set[str] = set()
    return tuple(u for u in units if u and not (u in seen or seen.add(u)))  # type: ignore[func-returns-value]


def trailing_units(text: str) -> tuple[str, tuple[str, ...]]:
    """Find a closing ``（责任单位：…）`` (or a bare parenthesised list of bodies) at the end of a clause.

    Returns the clause text without it and the units; ``(text, ())`` when there is none.
    """
    body = text.rstrip()
    if not body.endswith("）"):
        return text, ()
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        if body[i] == "）":
            depth += 1
        elif body[i] == "（":
            depth -= 1
            if depth == 0:
                inner = body[i + 1 : -1]
                if _LABELLED.match(inner):
                    return body[:i], split_units(inner)
                note = read_note(inner)  # （负责部门：商务部）, （发展改革委、财政部负责。列第一位者为牵头单位，下同）
                if note is not None:
                    return body[:i], note.units
                names = split_units(inner)
                # A bare list of bodies, e.g. （区卫健委、区医保局）; one name alone must look like an agency.
                bare_list = names and all(looks_like_org(n) for n in names) and not re.search(r"\d", inner)
                if bare_list and (len(names) > 1 or re.search(r"(委|厅|局|办)$", names[0])):
                    return body[:i], names
                return text, ()
    return text, ()


# Responsibility stated in prose: 由省民政厅负责, 由国务院办公厅负责解释, 由教育部牵头负责.
_RE_PROSE = re.compile(r"由([^，。；：由]{2,40}?)(?:牵头)?(?:负责|承担)")


def prose_units(text: str) -> tuple[str, ...]:
    """The bodies a sentence makes responsible in words (``由省民政厅负责``), each once, in order;
    words that name no body (``由国家粮食局主要负责人兼任``) give none."""
    names = [u for m in _RE_PROSE.finditer(text) for u in split_units(m.group(1)) if looks_like_org(u)]
    return tuple(dict.fromkeys(names))
