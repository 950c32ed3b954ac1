"""Letters, 批复, orders and plans as real notices are built, each on a short text written for the
test: a body without headings of its own, an annex that has them, a signature dated in Chinese
numerals or signed by a head, a table of contents, （一）…（十二） numbered straight through the parts
of a plan, and a task that introduces its own （1）（2） items."""

from __future__ import annotations

from pathlib import Path

from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.types import ParsedDocument

REPLY = """示例省人民政府关于同意建立青溪流域治理联席会议制度的批复

示政函〔2006〕7号

省水利厅：

你厅《关于建立青溪流域治理联席会议制度的请示》收悉。现批复如下：

同意建立青溪流域治理联席会议制度。联席会议不刻制印章，不正式行文。

附件：青溪流域治理联席会议制度

示例省人民政府

二〇〇六年十二月三十日

附件

青溪流域治理联席会议制度

省水利厅：

为加强青溪流域治理的统筹协调，建立本制度。

一、主要职能

统筹协调青溪流域治理工作，研究解决跨市县的重大问题。

二、成员单位

联席会议由省水利厅、省生态环境厅、省财政厅组成，省水利厅为牵头单位。
"""


def _parse(tmp_path: Path, text: str) -> ParsedDocument:
    path = tmp_path / "批复.txt"
    path.write_text(text, "utf-8")
    return parse(load(path), "reply")


def test_a_reply_without_headings_keeps_its_annex_headings_under_the_annex(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, REPLY)
    # The reply's own paragraphs are its preamble; the annex's 一、 are not the reply's headings.
    reply = next(c for c in parsed.clauses if "不刻制印章" in c.text)
    assert reply.kind == "preamble"
    members = next(c for c in parsed.clauses if c.text.startswith("联席会议由"))
    assert members.section == ("附件：青溪流域治理联席会议制度", "二、成员单位")
    # A salutation opens the annex's content; it is not the end of the annex's title.
    opening = next(c for c in parsed.clauses if "建立本制度" in c.text)
    assert opening.section == ("附件：青溪流域治理联席会议制度",)
    # The list of annexes is not a clause; the signature is one, dated in Chinese numerals.
    assert not any(c.text.startswith("附件：") for c in parsed.clauses)
    signed = [c for c in parsed.clauses if c.kind == "signature"]
    assert [c.text for c in signed] == ["示例省人民政府二〇〇六年十二月三十日"]
    assert parsed.info.date == "2006-12-30"


STRAIGHT = """示例市全民健身实施方案

一、总体要求

（一）指导思想。坚持以人民为中心，推动全民健身。

（二）工作目标。到2027年，经常参加体育锻炼人数比例达到40%。

二、主要任务

（三）建设健身设施。新建社区健身中心20个。

（四）举办群众赛事。每年举办市级赛事10项以上。

三、保障措施

（十一）加强组织领导。各区要建立工作机制。

（十二）强化经费保障。市财政安排专项资金。
"""


def test_measures_numbered_straight_through_the_parts_keep_their_part(tmp_path: Path) -> None:
    clauses = {c.number: c for c in _parse(tmp_path, STRAIGHT).clauses if c.number}
    assert clauses["（二）"].section == ("一、总体要求",)
    assert clauses["（三）"].section == ("二、主要任务",)
    assert clauses["（十一）"].section == ("三、保障措施",)
    assert clauses["（十二）"].title == "强化经费保障"


CONTENTS = """示例市河道管理办法

目　　录

第一章　总则

第二章　河道保护

第一章　总则

第一条　为了加强河道管理，制定本办法。

第二章　河道保护

第二条　禁止在河道管理范围内从事下列活动：

（一）弃置、堆放阻碍行洪的物体；

（二）在堤防上挖筑鱼塘。
"""


def test_the_table_of_contents_is_no_clause_and_moves_no_article(tmp_path: Path) -> None:
    clauses = _parse(tmp_path, CONTENTS).clauses
    assert not any("目" in c.text and "录" in c.text for c in clauses)
    by_number = {c.number: c for c in clauses if c.number}
    assert by_number["第一条"].section == ("第一章 总则",)
    assert by_number["第二条"].section == ("第二章 河道保护",)
    assert "（二）在堤防上挖筑鱼塘。" in by_number["第二条"].text


ANSWER = """示例省人民政府办公厅对省政协第12号提案的答复

李委员：

您提出的关于加强乡村学校体育设施建设的提案收悉。现答复如下：

近年来，我省新建乡村学校运动场地300个。下一步，将继续加大投入。

感谢您对政府工作的关心与支持。

示例省人民政府办公厅

二〇〇六年九月七日

（本文有删减）
"""


def test_a_letter_without_headings_is_signed(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, ANSWER)
    signed = [c.text for c in parsed.clauses if c.kind == "signature"]
    assert signed == ["示例省人民政府办公厅二〇〇六年九月七日", "（本文有删减）"]
    assert parsed.info.date == "2006-09-07"
    assert any("运动场地300个" in c.text for c in parsed.clauses if c.kind == "preamble")


ORDER = """示例省人民政府令

第12号

《示例省河道采砂管理办法》已经省人民政府常务会议通过，现予公布，自2025年1月1日起施行。

省长　　王某某

2024年11月20日

示例省河道采砂管理办法

第一条　为了规范河道采砂，制定本办法。

第二条　采砂许可证有效期不超过1年。
"""


def test_an_order_signed_by_its_head_has_a_signature(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, ORDER)
    signed = [c.text for c in parsed.clauses if c.kind == "signature"]
    assert signed == ["省长王某某2024年11月20日"]
    assert any("现予公布" in c.text for c in parsed.clauses if c.kind == "preamble")
    assert parsed.info.date == "2024-11-20"


def test_joint_issuers_and_a_ministry_sign_a_notice(tmp_path: Path) -> None:
    text = ANSWER.replace("示例省人民政府办公厅\n\n二〇〇六", "示例省人民政府　省军区政治部\n\n二〇〇六").replace(
        "（本文有删减）", "附件\n\n一、情况\n\n运动场地已建成。\n\n示例省教育厅\n\n2006年8月1日"
    )
    signed = [c.text for c in _parse(tmp_path, text).clauses if c.kind == "signature"]
    assert signed == ["示例省人民政府省军区政治部二〇〇六年九月七日", "示例省教育厅2006年8月1日"]


LISTED = """示例县农村供水保障实施方案

一、主要任务

1.推进规模化供水工程建设。重点做好以下工作：

（1）新建规模化水厂3座；

（2）改造老旧管网120公里。

2.加强水质检测。每季度检测一次。
"""


def test_a_task_keeps_the_items_it_introduces(tmp_path: Path) -> None:
    tasks = {c.number: c for c in _parse(tmp_path, LISTED).clauses if c.kind == "task"}
    assert tasks["1"].text.endswith("（1）新建规模化水厂3座；（2）改造老旧管网120公里。")
    assert tasks["2"].text == "2.加强水质检测。每季度检测一次。"
