"""The normaliser: worked examples from extracted PDFs, and properties that must hold for any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planqa.ingest.normalize import CJK, normalize, normalize_text


def test_worked_examples() -> None:
    assert normalize_text("到 2023 年底,省级临床重点专科建成数量分别达到 50 个以上") == (
        "到2023年底，省级临床重点专科建成数量分别达到50个以上"
    )
    assert normalize_text("赣府发[2023]1号 (2023-2025年)") == "赣府发〔2023〕1号（2023—2025年）"
    assert normalize_text("２—３个、１-2家、８０ ％") == "2—3个、1—2家、80%"
    assert normalize_text("建    设    目    标") == "建设目标"
    assert normalize_text("1,000人于 10:30 开会") == "1,000人于10:30开会"  # thousands and clock times keep ASCII
    assert normalize_text("2023-01-19") == "2023-01-19"  # an ISO date is not a range


def test_running_headers_and_page_numbers_are_dropped_but_origins_kept() -> None:
    bodies = [
        "一、总体要求\n坚持以人民健康为中心。\n到2025年底建成体系。",
        "二、重点任务\n1.完善体系。\n加快建设。",
        "三、保障措施\n（一）强化组织领导。\n各地要加强领导。",
    ]
    raw = "\f".join(f"某市人民政府公报\n{body}\n- {n} -" for n, body in enumerate(bodies, 1))
    mt = normalize(raw)
    assert "公报" not in mt.text and "-1-" not in mt.text and "- 2 -" not in mt.text
    for line in ("坚持以人民健康为中心。", "1.完善体系。", "各地要加强领导。"):
        at = mt.text.index(line)
        assert raw[mt.origin[at] : mt.origin[at] + len(line)] == line


# Text as PDF extraction leaves it: CJK, digits in both widths, both kinds of punctuation, stray spaces.
PIECES = st.sampled_from(
    list("省级临床重点专科目标个以上年底") + list("0123456789０１２３") + list(",，.。:：;；()（）%％-—、 \n\t")
)
TEXT = st.lists(PIECES, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_every_character_knows_where_it_came_from(text: str) -> None:
    mt = normalize(text)
    assert len(mt.origin) == len(mt.text)
    assert all(0 <= o < max(len(text), 1) for o in mt.origin)
    assert list(mt.origin) == sorted(mt.origin)  # order is preserved, so spans map to spans


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_no_space_is_left_beside_chinese(text: str) -> None:
    assert not re.search(rf"[{CJK}] | [{CJK}]", normalize_text(text))
    assert not re.search(r"[０-９％]", normalize_text(text))
