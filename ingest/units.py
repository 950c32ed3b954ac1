"""Responsible units (责任单位) named at the end of a clause: find the list, split it into units."""

from __future__ import annotations

import re

# Names of government bodies end in one of these; "各市" alone does not, so it joins the next piece.
_ORG_END = re.compile(
    r"(委|厅|局|办|会|协|院|部|处|中心|政府|街道|办事处|经开区|新区|管委会|协会|公司|队|所|站|室|团|社|馆|校|大学|学院|"
    r"集团|单位|机构|区|县|市)$"
)
_LABELLED = re.compile(r"^(?:责任单位|牵头单位|责任部门|牵头部门|配合单位|参与单位)[：:]")


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
                names = split_units(inner)
                # A bare list of bodies, e.g. （区卫健委、区医保局）; one name alone must look like an agency.
                bare_list = names and all(looks_like_org(n) for n in names) and not re.search(r"\d", inner)
                if bare_list and (len(names) > 1 or re.search(r"(委|厅|局|办)$", names[0])):
                    return body[:i], names
                return text, ()
    return text, ()
