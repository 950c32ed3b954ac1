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


ANNEXED = """示例市人民政府办公室关于做好公共自行车管理工作的通知

示政办发〔2024〕7号

各区人民政府，市政府各部门：

一、主要措施

（一）站点建设方面3项。

（二）车辆维护方面2项：定期巡检；及时报修。

二、组织实施

各区要按照本通知要求认真组织实施。

附件：公共自行车式样和站点标识

示例市人民政府办公室

2024年5月6日

（此件公开发布）

附件

公共自行车式样和站点标识

公共自行车分为标准车和助力车两种。

一、车身颜色

标准车车身为绿色，助力车车身为蓝色。

二、站点标识

站点标识牌规格为600毫米×400毫米。
"""


def test_the_info_box_title_names_the_document(tmp_path: Path) -> None:
    """An 意见 or 批复 is the document itself: its name keeps its type (the body lines may wrap it)."""
    assert _parse(tmp_path, BOXED).info.title == "同意设立青溪湖湿地公园的批复"


def test_an_annex_in_prose_is_read_with_its_own_numbering(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, ANNEXED)
    by_text = {c.text: c for c in parsed.clauses}
    size = by_text["站点标识牌规格为600毫米×400毫米。"]
    assert size.section == ("附件：公共自行车式样和站点标识", "二、站点标识")
    intro = by_text["公共自行车分为标准车和助力车两种。"]
    assert intro.section == ("附件：公共自行车式样和站点标识",)
    # The list of annexes above the signature is not a clause; the signature and its remark are.
    assert not any(c.text.startswith("附件：") for c in parsed.clauses)
    signed = [c for c in parsed.clauses if c.kind == "signature"]
    assert [c.text for c in signed] == ["示例市人民政府办公室2024年5月6日", "（此件公开发布）"]
    assert all(c.section == () for c in signed)
    # A numbered line that ends its sentence, with a heading after it, is a clause, not an empty heading.
    assert by_text["（一）站点建设方面3项。"].section == ("一、主要措施",)


DECIMAL = """示例市防汛应急预案

1　总则

1.1　编制目的

为了做好防汛应急工作，制定本预案。

1.2　工作原则

（1）统一领导、分级负责。各级政府统一领导防汛工作。

（2）预防为主、及时处置。加强监测预警。

2　应急响应

2.1　响应分级

2.1.1　一级响应：全市出现特大洪水时启动，由市防汛指挥部总指挥决定。

2.1.2　有下列情形之一的，启动二级响应：

（1）主要河道超过警戒水位的；

（2）两个以上区县发生严重内涝的。

3　附则

3.1　本预案自印发之日起实施。
"""


def test_a_decimal_outline_is_headings_and_its_clauses(tmp_path: Path) -> None:
    clauses = [c for c in _parse(tmp_path, DECIMAL).clauses if c.kind in ("task", "paragraph")]
    by_number = {c.number: c for c in clauses if c.number}
    assert by_number["2.1.1"].section == ("2 应急响应", "2.1 响应分级")
    assert by_number["3.1"].section == ("3 附则",) and "自印发之日起实施" in by_number["3.1"].text
    # An item list belongs to the numbered clause that introduces it.
    assert "（1）主要河道超过警戒水位的" in by_number["2.1.2"].text and "（2）两个以上区县" in by_number["2.1.2"].text
    # Paragraphs under a heading are its clauses, addressed by the heading path.
    principles = [c for c in clauses if c.section == ("1 总则", "1.2 工作原则")]
    assert [c.text[:3] for c in principles] == ["（1）", "（2）"]
    # ... and told apart by their place under it, as a reader points to them.
    assert [c.section_path for c in principles] == ["1 总则 > 1.2 工作原则 > 第1段", "1 总则 > 1.2 工作原则 > 第2段"]


UNCLOSED = """示例县人民政府关于加强河道管理的意见

一、主要措施

（一）加强巡查。各乡镇要每周巡查河道一次。

（二）加强整治。对侵占河道的行为依法整治。

各乡镇要于2025年3月底前制定实施方案，报县水利局备案。
"""


def test_in_a_notice_without_unit_lines_a_paragraph_after_a_task_stands_alone(tmp_path: Path) -> None:
    """No task here ends in （责任单位：…）, so nothing tells a task to run on past its own paragraph."""
    texts = [c.text for c in _parse(tmp_path, UNCLOSED).clauses]
    assert "（二）加强整治。对侵占河道的行为依法整治。" in texts
    assert "各乡镇要于2025年3月底前制定实施方案，报县水利局备案。" in texts


RULEBOOK = """示例市人民政府工作规则

第一章　总　　则

一、为规范市政府工作，制定本规则。

第二章　会议制度

二、市政府全体会议由市长、副市长组成。全体会议的主要任务是：

（一）讨论决定市政府工作中的重大事项；

（二）部署市政府的重要工作。

全体会议一般每半年召开一次。

三、市政府常务会议一般每月召开两次。
"""


def test_rules_numbered_one_two_under_chapters_keep_their_items(tmp_path: Path) -> None:
    """一、 numbers the rules of a 规则 split into 第X章: each rule is cited under its chapter, and its
    （一）（二） are its items, not headings of what follows."""
    clauses = [c for c in _parse(tmp_path, RULEBOOK).clauses if c.kind == "paragraph"]
    assert [c.section[0] for c in clauses] == ["第一章 总则", "第二章 会议制度", "第二章 会议制度"]
    second = clauses[1]
    assert "（二）部署市政府的重要工作" in second.text and "全体会议一般每半年召开一次" in second.text
    assert clauses[2].text.startswith("三、市政府常务会议")


FLATTENED = """示例省人民政府办公厅关于推广改革举措的通知

示政办发〔2024〕3号

各市人民政府：

一、推广的改革举措

现将改革举措推广清单印发你们。

附件

改革举措推广清单

序号

改革举措

主要内容

指导部门

推广范围

一、审批改革方面（共2项）

1

企业开办一窗通办

整合开办环节，一个窗口受理。

省市场监管局

全省

2

工程项目联合验收

多部门一次联合验收。

省住房城乡建设厅

各设区市

二、监管改革方面（共1项）

5

信用分级分类监管

按信用等级确定抽查比例。

省发展改革委

全省
"""


def test_a_table_flattened_to_a_cell_per_line_keeps_its_columns(tmp_path: Path) -> None:
    """A web page's table arrives one cell a line: each row keeps its cells under their column
    names; a group heading across the table is no cell; rows left out (有删减) do not merge rows."""
    rows = [c for c in _parse(tmp_path, FLATTENED).clauses if c.kind == "annex_row"]
    assert [r.number for r in rows] == ["1", "2", "5"]
    cells = "主要内容：多部门一次联合验收。；指导部门：省住房城乡建设厅；推广范围：各设区市"
    assert rows[1].text == f"工程项目联合验收：{cells}"
    assert all("方面" not in r.text for r in rows)


PROSE_DUTIES = """示例县人民政府关于加强农村供水管理的意见

一、主要措施

（一）加强水源保护。水源地划定工作由县水利局、县生态环境局负责。

（二）完善管护机制。管护经费由县财政局承担，办公室主任由县水利局主要负责人兼任。
"""


def test_responsibility_stated_in_prose_names_the_units(tmp_path: Path) -> None:
    """由…负责 / 由…承担 name the responsible bodies where no unit line or note does; a post held
    (由…负责人兼任) names no body."""
    clauses = {c.number: c for c in _parse(tmp_path, PROSE_DUTIES).clauses if c.kind == "measure"}
    assert clauses["（一）"].units == ("县水利局", "县生态环境局")
    assert clauses["（二）"].units == ("县财政局",)
