"""An answer before rendering, as the answerers hand it to the Assistant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planqa.types import Clause, Target

# Scores that are not measurements: an answer built from the notice's structure (a list of tasks, a
# document fact) covers its question by construction; one with nothing to say scores below any threshold.
COVERED = 1.0
NOT_FOUND = -1.0


@dataclass(frozen=True)
class Draft:
    """An answer before rendering: what to say first, what to quote, or why not (an empty first line).

    Frozen: a step that changes a draft (the Assistant scoring a clause asked by number) makes a new
    one with ``dataclasses.replace``. Lists given for ``cites`` and ``targets`` are kept as tuples.
    """

    kind: str
    first_line: str = ""
    cites: Sequence[tuple[Clause, str]] = ()  # (clause, quoted sentence)
    targets: Sequence[Target] = ()
    score: float = 0.0  # how well the cited text covers the question's focus

    def __post_init__(self) -> None:
        object.__setattr__(self, "cites", tuple(self.cites))
        object.__setattr__(self, "targets", tuple(self.targets))
