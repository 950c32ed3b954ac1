"""Follow-ups that swap the subject, on questions written for these tests."""

from __future__ import annotations

import pytest

from planqa.retrieval.query import with_context


@pytest.mark.parametrize(
    ("first", "then", "alone"),
    [
        ("代理师违反规定最多可以罚款多少？", "那代理机构呢？", "代理机构违反规定最多可以罚款多少？"),
        ("2031年春节怎么放假？", "那端午节呢？", "2031年端午节怎么放假？"),
        ("二级医院的病历要评到几级？", "那三级的呢？", "三级医院的病历要评到几级？"),
        ("需要移交的幼儿园什么时候完成整改？", "那需要回收的呢？", "需要回收的幼儿园什么时候完成整改？"),
    ],
)
def test_a_new_subject_takes_the_place_of_the_one_it_lines_up_with(first: str, then: str, alone: str) -> None:
    assert with_context([first, then]) == alone


def test_a_follow_up_that_lines_up_with_nothing_keeps_the_question_beside_it() -> None:
    assert with_context(["全省每千人口要有多少个托位？", "那珠山区呢？"]) == "每千人口要有多少个托位，那珠山区呢？"
    assert with_context(["审核时间不少于几个工作日？", "最长呢？"]) == "审核时间不少于几个工作日，最长呢？"
