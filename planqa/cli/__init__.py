"""The ``planqa`` command: a thin shell over the Library and the Assistant."""

from planqa.cli import (  # noqa: F401  (each module registers its commands)
    ask,
    bench,
    doctor,
    documents,
    evaluate,
    feedback,
    fusion,
    mcp,
    outline,
    page,
    serve,
    targets,
    train,
)
from planqa.cli.base import cli


def main() -> None:
    cli(prog_name="planqa")


__all__ = ["cli", "main"]
