"""The reader ranks the sentence that answers first, on synthetic sentences written for these tests."""

from __future__ import annotations

import json

import pytest

from planqa.answering.reader import (
    Candidate,
    Reader,
    candidates,
    default_path,
    feature_names,
    features,
    hit_candidates,
)
from planqa.types import Clause, Hit

# (question, candidate sentences, index of the one that answers); one case per kind of question.
CASES = [
    (
        "养老机构床位数到2025年达到多少张？",
        [
            "加快发展养老服务体系，完善养老机构布局。",
            "到2025年，全市养老机构床位数达到1.2万张。",
            "各地要加强组织领导。",
        ],
        1,
    ),
    (
        "申请人应当在多长时间内补正材料？",
        [
            "申请人应当补正材料，材料应当真实有效。",
            "申请人应当自收到通知之日起30日内补正材料。",
            "逾期不补正的，视为撤回申请。",
        ],
        1,
    ),
    (
        "本办法由哪个部门负责解释？",
        ["本办法自发布之日起施行。", "本办法由市民政局负责解释。", "本办法适用于本市行政区域内的养老服务。"],
        1,
    ),
    (
        "每千人口托位数2024年底的目标是多少？",
        ["到2025年底，每千人口托位数达到4.5个。", "到2024年底，每千人口托位数达到3.5个。", "托育服务是重要民生工程。"],
        1,
    ),
    (
        "托育服务包括哪些类型？",
        [
            "托育服务是重要民生工程，关系千家万户。",
            "托育服务包括全日托、半日托、计时托和临时托等类型。",
            "加强托育服务。",
        ],
        1,
    ),
    (
        "违反本办法擅自拆除设施的，如何处罚？",
        [
            "设施拆除应当经过批准。",
            "违反本办法规定擅自拆除设施的，由主管部门责令改正，处1万元以上5万元以下罚款。",
            "设施应当定期维护。",
        ],
        1,
    ),
]


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


@pytest.mark.parametrize(("question", "texts", "right"), CASES, ids=[c[0][:8] for c in CASES])
def test_answering_sentence_ranks_first(reader: Reader, question: str, texts: list[str], right: int) -> None:
    cands = [Candidate(t, "", "某市养老服务办法", 0, i, len(texts)) for i, t in enumerate(texts)]
    assert reader.best(question, cands) == right


def test_a_heading_naming_the_asked_topic_lifts_its_sentence(reader: Reader) -> None:
    cands = [
        Candidate("加强队伍建设，提高服务质量。", "三、重点任务 > （一）加强养老服务人才培养", "方案", 0, 0, 1),
        Candidate("加强设施建设，提高服务质量。", "三、重点任务 > （二）完善社区服务设施", "方案", 1, 0, 1),
    ]
    assert reader.best("养老服务人才培养有什么要求？", cands) == 0


def test_no_candidates_rank_to_nothing(reader: Reader) -> None:
    assert reader.rank("多少？", []) == []
    assert reader.best("多少？", []) is None
    assert features("多少？", []).shape == (0, len(feature_names()))


def test_candidates_of_clauses_keep_rank_position_and_heading() -> None:
    first = Clause(
        "d", "task", ("二、任务",), "（一）", "托育", "到2025年托位数达到4.5个。加强监管。", doc_title="方案"
    )
    second = Clause("d", "task", ("二、任务",), "（二）", "养老", "床位数达到1万张。")
    got = candidates([first, second])
    assert [(c.rank, c.position, c.count) for c in got] == [(0, 0, 2), (0, 1, 2), (1, 0, 1)]
    assert got[0].heading == "二、任务 > 托育" and got[0].doc_title == "方案"


def test_reader_file_is_small_and_carries_its_kfold_figures() -> None:
    path = default_path()
    assert path.stat().st_size < 5_000_000
    report = json.loads(path.read_text("utf-8"))["report"]
    assert report["split"].startswith("GroupKFold")
    assert set(report["chosen"]["kfold"]) >= {"legaldc", "cmrc", "real"}


def test_a_hits_clauses_share_its_rank() -> None:
    task = Clause("d", "task", (), "（一）", "", "床位数达到1万张。加强监管。")
    row = Clause("d", "annex_row", (), "1", "", "床位数1万张。")
    other = Clause("d", "task", (), "（二）", "", "托位数达到4.5个。")
    pairs = hit_candidates([Hit(task, 1.0, related=(row,)), Hit(other, 0.5)])
    assert [(clause.number, c.rank, c.position) for clause, c in pairs] == [
        ("（一）", 0, 0),
        ("（一）", 0, 1),
        ("1", 0, 0),
        ("（二）", 1, 0),
    ]
