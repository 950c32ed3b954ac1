"""An answer before rendering, as the answerers hand it to the Assistant."""

from __future__ import annotations

from dataclasses import dataclass, field

from planqa.types import Clause, Target


@dataclass
class Draft:
    """An answer before rendering: what to say first, what to quote, or why not."""

    kind: str
    first: str = ""
    cites: list[tuple[Clause, str]] = field(default_factory=list)  # (clause, quoted sentence)
    targets: list[Target] = field(default_factory=list)
    score: float = 0.0  # how well the cited text covers the question's focus
