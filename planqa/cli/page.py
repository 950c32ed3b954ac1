"""``planqa page``: a page of a notice's original PDF as an image, the quote marked where it stands."""

from __future__ import annotations

from pathlib import Path

import click

from planqa.cli.base import _friendly, _library, cli
from planqa.errors import UnknownDocument


@cli.command()
@click.argument("doc")
@click.argument("page", type=click.IntRange(min=1))
@click.option("--highlight", default="", help="要标出的原文 / the text to mark on the page (a quoted sentence)")
@click.option(
    "--png", "png_out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出 PNG / image to write"
)
@click.option("--scale", default=1.5, show_default=True, type=click.FloatRange(0.5, 4), help="像素/磅 / px per point")
@click.pass_context
@_friendly
def page(ctx: click.Context, doc: str, page: int, highlight: str, png_out: Path, scale: float) -> None:
    """把原件某页渲染为图片并标出引文 / render a page of the original PDF, the quote marked.

    \b
    DOC is the notice's id, 文号, file name or title, as in `planqa docs`. The page is rendered
    from the PDF kept at ingest (<data-dir>/originals); the quote is found in the page's own text
    layer, so the mark sits on the printed words. A scanned page renders without a mark.

    \b
    Example:
      planqa page 赣府发〔2023〕1号 3 --highlight "负压救护车占比不少于40%" --png p3.png
    """
    from planqa.ingest.pages import render

    library = _library(ctx)
    info = library.resolve(doc)
    original = library.original(info)
    if original is None:
        kind = "not a PDF" if not info.source.lower().endswith(".pdf") else "ingested before originals were kept"
        raise UnknownDocument(f"{info.id}: no original PDF to show ({kind}); `planqa clauses {info.id}` shows its text")
    view = render(original, page, highlight, scale)
    png_out.write_bytes(view.png)
    marked = f"{len(view.boxes)} line(s) marked" if view.boxes else ("quote not on this page" if highlight else "")
    if not view.has_text:
        marked = "no text layer on this page (a scan): nothing to mark"
    size = f"{view.width}×{view.height} px"
    click.echo(f"{png_out}: page {view.page} of {view.pages}, {size}" + (f"; {marked}" if marked else ""))
