"""The clauses as stored: long ones split into addressed parts, paragraphs told apart by place."""

from __future__ import annotations

import re
from dataclasses import replace

from planqa.types import Clause

MAX_CHUNK = 360  # characters; e5-small reads 512 tokens, and shorter chunks rank sharper


def positioned(clauses: list[Clause]) -> list[Clause]:
    """Un-numbered paragraphs that share a heading are told apart by their place under it:
    〔一、总体要求 > （二）基本原则 > 第2段〕, as a reader would point to them."""
    counts: dict[tuple[str, ...], int] = {}
    for c in clauses:
        if c.kind == "paragraph" and c.section and not c.number:
            counts[c.section] = counts.get(c.section, 0) + 1
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for c in clauses:
        if c.kind == "paragraph" and c.section and not c.number and counts[c.section] > 1:
            seen[c.section] = seen.get(c.section, 0) + 1
            c = replace(c, number=f"第{seen[c.section]}段")
        out.append(c)
    return out


def split_chunks(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """Split a long clause at sentence ends (。) into chunks of about ``limit`` characters.

    A short tail (the 责任单位 parenthesis, a last sentence) joins the chunk before it: a chunk
    that holds only a list of units would match every question about those units.
    """
    if len(text) <= limit:
        return [text]
    sentences = [s for s in re.findall(r"[^。]*。?", text) if s]
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > limit:
            chunks.append(current)
            current = ""
        current += sentence
    if current:
        if chunks and len(current) < limit // 3:
            chunks[-1] += current
        else:
            chunks.append(current)
    return chunks
