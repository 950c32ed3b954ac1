"""Small notices written for the tests: two counties whose plans share one file name, as officials'
files so often do (实施方案.txt). Their figures differ, so an answer shows which one it came from."""

from __future__ import annotations

from pathlib import Path

COUNTY_PLAN = """{county}人民政府
{prefix}政发〔2024〕{no}号
{county}人民政府关于印发{county}养老服务提升实施方案的通知
各乡镇人民政府，县直各单位：
现将《{county}养老服务提升实施方案》印发给你们，请认真贯彻执行。
2024年3月{day}日
{county}养老服务提升实施方案
为提升全县养老服务能力，制定本方案。
一、工作目标
到2025年底，全县养老机构护理型床位占比达到{share}%，每个乡镇建成1所区域养老服务中心。
二、重点任务
1.建设县级养老服务指导中心。整合现有资源，到2025年底建成县级养老服务指导中心{centres}个。（责任单位：县民政局、县财政局）
2.发展居家社区养老服务。推进老年助餐服务，到2025年底老年助餐点达到{meals}个。（责任单位：县民政局、各乡镇人民政府）
"""


def county_plan(folder: Path, county: str, prefix: str, no: int, share: int, name: str = "实施方案.txt") -> Path:
    """Write one county's plan to ``folder/name`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = COUNTY_PLAN.format(county=county, prefix=prefix, no=no, day=no, share=share, centres=no, meals=share)
    path.write_text(text, "utf-8")
    return path
