"""Bad and unusual input files: clear one-line errors, and encodings that must not be rejected."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from planqa.errors import CorpusError
from planqa.eval.pdfmaker import image_only_pdf, simple_pdf
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from tests.conftest import DISTRICT


def _error(path: Path) -> str:
    with pytest.raises(CorpusError) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message and path.name in message
    return message


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty" in _error(tmp_path / "empty.txt")


def test_corrupt_pdf(tmp_path: Path) -> None:
    good = simple_pdf(["第一条 测试内容。"] * 5, tmp_path / "good.pdf").read_bytes()
    (tmp_path / "broken.pdf").write_bytes(good[: len(good) // 3])
    assert "incomplete" in _error(tmp_path / "broken.pdf")  # cut off: refused, not half indexed
    (tmp_path / "noise.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    assert "damaged" in _error(tmp_path / "noise.pdf") or "no pages" in _error(tmp_path / "noise.pdf")


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    (tmp_path / "fake.pdf").write_bytes(b"hello, I am text")
    assert "not a PDF" in _error(tmp_path / "fake.pdf")


def test_image_only_pdf_asks_for_ocr(tmp_path: Path) -> None:
    assert "OCR" in _error(image_only_pdf(tmp_path / "scan.pdf"))


def test_encrypted_pdf(tmp_path: Path) -> None:
    source = simple_pdf(["第一条 测试内容，加密文件。"], tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with (tmp_path / "locked.pdf").open("wb") as out:
        writer.write(out)
    assert "password" in _error(tmp_path / "locked.pdf")


def test_binary_named_txt(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_bytes(b"\x00\x01\x02" * 100)
    assert "binary" in _error(tmp_path / "data.txt")


def test_unsupported_type(tmp_path: Path) -> None:
    (tmp_path / "plan.xlsx").write_bytes(b"PK\x03\x04")
    assert "unsupported" in _error(tmp_path / "plan.xlsx")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_chinese_encodings_decode_to_the_same_clauses(tmp_path: Path, encoding: str) -> None:
    text = DISTRICT.read_text("utf-8")
    path = tmp_path / f"district-{encoding}.txt"
    path.write_bytes(text.encode(encoding, errors="strict"))
    expected = [(c.section_path, c.text) for c in parse(load(DISTRICT), "d").clauses]
    assert [(c.section_path, c.text) for c in parse(load(path), "d").clauses] == expected


def test_docx_is_read_with_its_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in [
        "某县实施方案",
        "一、重点任务",
        "1.建设水厂。到2025年底建成水厂1座。（责任单位：县水利局）",
        "附件：重点项目清单",
    ]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["序号", "重点项目", "建设目标"], strict=True):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["1", "县水厂建设", "到2025年底建成水厂1座。"], strict=True):
        cell.text = value
    document.save(str(tmp_path / "plan.docx"))
    clauses = parse(load(tmp_path / "plan.docx"), "d").clauses
    task = next(c for c in clauses if c.kind == "task")
    assert (task.number, task.title, task.units) == ("1", "建设水厂", ("县水利局",))
    row = next(c for c in clauses if c.kind == "annex_row")
    assert (row.number, row.title) == ("1", "县水厂建设")
    assert row.text == "县水厂建设：到2025年底建成水厂1座。"


def test_annex_table_with_a_units_column(tmp_path: Path) -> None:
    text = "某县实施方案\n一、重点任务\n1.建设水厂。到2025年底建成水厂1座。\n附件：重点项目表\n"
    text += "序号\t重点项目\t建设目标\t责任单位\n1\t县水厂建设\t到2025年底建成水厂1座。\t县水利局、县财政局\n"
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    row = next(c for c in parse(load(tmp_path / "plan.txt"), "d").clauses if c.kind == "annex_row")
    assert row.units == ("县水利局", "县财政局")
    assert row.text == "县水厂建设：建设目标：到2025年底建成水厂1座。"


def test_zip_bomb_docx_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (210 * 1024 * 1024))
    assert "200 MB" in _error(path)
