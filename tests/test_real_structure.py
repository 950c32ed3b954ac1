"""How real notices are built, each on a short text written for the test: the web info box, a title
broken over two lines, a document type other than 通知, numbered lines that are content."""

from __future__ import annotations

from pathlib import Path

from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load

BOXED = """索 引 号：

000099999/2024-00042

主题分类：

城乡建设、环境保护\\城市规划

发文机关：

示例省人民政府

成文日期：

2024年03月05日

标　　题：

示例省人民政府关于同意设立青溪湖湿地公园的批复

发文字号：

示政函〔2024〕12号

发布日期：

2024年03月20日

主 题 词：

示例省人民政府关于同意设立
青溪湖湿地公园的批复

示政函〔2024〕12号

示例市人民政府：

你市《关于设立青溪湖湿地公园的请示》收悉。现批复如下：

一、同意设立青溪湖湿地公园，规划面积12平方公里。

二、湿地保护率到2027年底达到85%以上。

三、请你市加强组织实施，确保按期完成建设任务。

示例省人民政府

2024年3月5日
"""


def _parse(tmp_path: Path, text: str):  # -> ParsedDocument
    path = tmp_path / "批复.txt"
    path.write_text(text, "utf-8")
    return parse(load(path), "reply")


def test_the_info_box_is_document_facts_not_the_preamble(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, BOXED)
    info = parsed.info
    assert info.number == "示政函〔2024〕12号" and info.issuer == "示例省人民政府"
    assert info.date == "2024-03-05" and info.published == "2024-03-20"  # signed and published, apart
    assert info.notice_title == "示例省人民政府关于同意设立青溪湖湿地公园的批复"  # two lines, one title
    box = [c for c in parsed.clauses if c.kind == "docinfo"]
    assert len(box) == 1 and "发布日期：2024年03月20日" in box[0].text and "成文日期：2024年03月05日" in box[0].text
    others = " ".join(c.text for c in parsed.clauses if c.kind != "docinfo")
    assert "索引号" not in others and "主题分类" not in others and "发布日期" not in others


def test_numbered_lines_that_are_sentences_are_clauses(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, BOXED)
    texts = [c.text for c in parsed.clauses]
    assert any(t.startswith("二、湿地保护率到2027年底达到85%以上") for t in texts)
    assert any(t.startswith("一、同意设立青溪湖湿地公园") for t in texts)
    heads = {c.section[0] for c in parsed.clauses if c.section}
    assert "二、湿地保护率到2027年底达到85%以上" in heads  # no comma or colon: the line is its own heading
    assert "一、同意设立青溪湖湿地公园" in heads  # cut at the comma


def test_a_notice_without_a_box_is_read_as_before(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, BOXED.split("主 题 词：", 1)[1])
    assert parsed.info.published == "" and not [c for c in parsed.clauses if c.kind == "docinfo"]
    assert parsed.info.number == "示政函〔2024〕12号" and parsed.info.date == "2024-03-05"


NOTES = """示例县人民政府关于促进乡村就业的若干措施
一、支持企业稳岗
（一）稳岗返还。对不裁员的参保企业，返还上年度失业保险费的50%。（县人力资源社会保障局、县财政局负责。列第一位者为牵头单位，下同）
（二）创业贷款。个人创业可申请不超过20万元的创业担保贷款（县财政局、县人民银行支行负责），小微企业可申请不超过200万元。
（三）见习补贴。组织失业青年参加就业见习。（负责部门：县人力资源社会保障局，适用范围：城区）
（四）技能培训。开展失业人员职业技能培训。(县教育局牵头，县农业农村局参与)
"""


def test_responsibility_notes_in_their_several_forms(tmp_path: Path) -> None:
    clauses = {c.number: c for c in _parse(tmp_path, NOTES).clauses if c.number}
    assert clauses["（一）"].units == ("县人力资源社会保障局", "县财政局")
    assert clauses["（一）"].lead == ("县人力资源社会保障局",)  # the rule in the note
    assert clauses["（二）"].units == ("县财政局", "县人民银行支行")  # a note mid-paragraph
    assert clauses["（二）"].lead == ("县财政局",)  # 下同: the rule holds for later notes
    assert clauses["（三）"].units == ("县人力资源社会保障局",)  # a label; 适用范围 is not a unit
    assert clauses["（四）"].units == ("县教育局", "县农业农村局")  # ASCII brackets
    assert clauses["（四）"].lead == ("县教育局",)  # named as leading


REGULATION = """示例省养老机构管理办法
第一章　总　　则
第一条　为了规范养老机构管理，制定本办法。
第二条　设立养老机构，应当具备下列条件：
（一）有固定的服务场所；
（二）有与服务规模相适应的护理人员；
（三）有符合规定的消防设施。
第二章　监督管理
第三条　民政部门应当按照第二条规定，每年对养老机构检查不少于2次。
第四条　养老机构有下列情形之一的，责令限期改正：
1.未按规定配备护理人员；
2.未建立安全管理制度。
"""


def test_a_regulation_reads_as_chapters_articles_and_their_items(tmp_path: Path) -> None:
    clauses = [c for c in _parse(tmp_path, REGULATION).clauses if c.kind == "task"]
    assert [c.number for c in clauses] == ["第一条", "第二条", "第三条", "第四条"]
    assert [c.section for c in clauses] == [
        ("第一章 总则",),
        ("第一章 总则",),
        ("第二章 监督管理",),
        ("第二章 监督管理",),
    ]
    second, fourth = clauses[1], clauses[3]
    assert "下列条件：（一）有固定的服务场所" in second.text and "（三）有符合规定的消防设施" in second.text
    assert "1.未按规定配备护理人员" in fourth.text and "2.未建立安全管理制度" in fourth.text
    assert "按照第二条规定" in clauses[2].text  # a cross-reference in a sentence is not a heading


def test_a_list_is_answered_whole_with_its_lead_in() -> None:
    from planqa.answering.evidence import sentences

    items = "下列条件：（一）有固定的服务场所；（二）有护理人员；（三）有消防设施"
    text = f"第二条设立养老机构，应当具备{items}。其他事项另行规定。"
    spans = [text[a:b] for a, b in sentences(text)]
    assert spans == [f"第二条设立养老机构，应当具备{items}", "其他事项另行规定"]
