"""``planqa train-reader``: refit the reader on the development pools and print its k-fold figures."""

from __future__ import annotations

from pathlib import Path

import click

from planqa.cli.base import cli


@cli.command("train-reader")
@click.option(
    "--pools",
    default="../shared/pools",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="外部开发集 / the development pools (legaldc-dev/, cmrc2018/)",
)
@click.option(
    "--notices",
    default="../shared/real-notices",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="真实通知 / the real notices that eval/real_gold.jsonl asks about",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="写入的参数文件 / where to write the fitted reader [default: planqa/answering/reader.json]",
)
def train_reader(pools: Path, notices: Path, out: Path | None) -> None:
    """重新训练句子阅读器 / refit the reader that picks the answering sentence (a few minutes).

    \b
    Builds each question's candidate sentences on Legal-DC, CMRC 2018, the real-notice gold and the
    bundled gold; searches a small grid GroupKFold by document; refits the best on all of them and
    writes it with the figures that chose it. Deterministic: the same inputs write the same file.

    \b
    Example:
      planqa train-reader --pools ../shared/pools --notices ../shared/real-notices
    """
    from planqa.answering.reader import default_path
    from planqa.eval.train_reader import train

    train(pools, notices, out or default_path(), echo=click.echo)
