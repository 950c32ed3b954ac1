"""Retrieval on notices built as real ones are, each phenomenon in a short text written for the test:
a question about the document's own date finds the clauses that state it, and the paragraphs under
one heading rank together."""

from __future__ import annotations

import pytest

from planqa.config import Config
from planqa.library import Library
from planqa.outline import tree_lines
from tests.test_real_structure import BOXED

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning

RULES = """示例省养老服务管理办法

第一章　总　　则

第一条　为了规范养老服务管理，保障老年人合法权益，制定本办法。

第二条　本办法适用于本省行政区域内的养老服务管理活动。

第三条　养老服务管理坚持政府主导、社会参与的原则。

第二章　基本原则

第四条　养老服务应当坚持以下原则：

（一）保障基本；

（二）普惠共享。

第三章　附　　则

第五条　本办法自2025年1月1日起施行。
"""

OPINION = """示例市人民政府关于加快发展社区托育服务的意见

示政发〔2024〕9号

各区人民政府，市政府各部门：

一、总体要求

（一）基本原则

坚持政府引导。发挥政府规划、政策和投入的引导作用。

坚持普惠优先。以普惠托育为主，兼顾多样化需求。

坚持安全健康。把婴幼儿安全和健康放在首位。

二、主要任务

（一）扩大托位供给。到2026年底，全市每千人口托位数达到4.5个。

（二）加强队伍建设。到2026年底，培训托育从业人员3000人次。

示例市人民政府

2024年6月18日
"""


LICENSING = """示例市托育机构登记办法

第一条　托育机构申请登记，由区卫生健康部门受理。

第二条　申请登记的托育机构应当具备下列条件：

（一）有固定的场所；

（二）有合格的保育人员。

第三条　托育机构申请登记的，区卫生健康部门应当在二十个工作日内作出决定。

第四条　托育机构登记后变更名称的，应当重新申请登记。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("notices")
    notices = (("批复.txt", BOXED), ("办法.txt", RULES), ("意见.txt", OPINION), ("登记办法.txt", LICENSING))
    for name, text in notices:
        (folder / name).write_text(text, "utf-8")
    library = Library.from_config(Config(data_dir=tmp_path_factory.mktemp("data")))
    report = library.ingest([folder])
    assert not report.failed
    return library


def test_when_a_document_takes_effect_finds_its_closing_article(library: Library) -> None:
    top = library.search("示例省养老服务管理办法从什么时候开始施行？", 5)[0]
    assert "本办法自2025年1月1日起施行" in top.clause.text


def test_why_a_document_was_made_finds_its_purpose_article(library: Library) -> None:
    top = library.search("养老服务管理办法的立法目的是什么？", 5)[0]
    assert top.clause.number == "第一条"


def test_when_a_document_was_signed_finds_its_signature(library: Library) -> None:
    top = library.search("加快发展社区托育服务的意见是哪天印发的？", 5)[0]
    assert "2024年6月18日" in top.clause.text


def test_when_a_document_was_published_finds_its_info_box(library: Library) -> None:
    top = library.search("青溪湖湿地公园的批复是哪天发布的？", 5)[0]
    assert top.clause.kind == "docinfo" and "2024年03月20日" in top.clause.text


def test_paragraphs_under_one_heading_rank_as_one_source(library: Library) -> None:
    top = library.search("社区托育服务的基本原则有哪些？", 5, ["意见"])[0]
    texts = " ".join(c.text for c in top.clauses)
    assert all(p in texts for p in ("坚持政府引导", "坚持普惠优先", "坚持安全健康"))


def test_a_clause_named_by_its_number_ranks_first(library: Library) -> None:
    top = library.search("养老服务管理办法第三条是怎么规定的？", 5)[0]
    assert top.clause.number == "第三条"


def test_a_heading_the_question_names_lifts_its_clauses(library: Library) -> None:
    top = library.search("养老服务管理办法的基本原则有哪些？", 5)[0]
    assert top.clause.section == ("第二章 基本原则",)


def test_a_list_asked_for_finds_the_clause_that_introduces_it(library: Library) -> None:
    top = library.search("托育机构申请登记需要满足哪些条件？", 5)[0]
    assert top.clause.number == "第二条" and "（二）有合格的保育人员" in top.clause.text


def test_the_outline_of_a_regulation_folds_items_under_their_article(library: Library) -> None:
    catalog = library.catalog()
    doc = next(d.id for d in catalog.docs.values() if d.title == "示例省养老服务管理办法")
    tree = tree_lines(catalog, doc)
    chapter = tree.index("第二章 基本原则")
    article = ["  第四条 养老服务应当坚持以下原则：", "    （一）保障基本", "    （二）普惠共享"]
    assert tree[chapter + 1 : chapter + 4] == article
    assert "  第一条 为了规范养老服务管理，保障老年人合法权益，制定本办法" in tree
