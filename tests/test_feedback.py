"""Feedback: kept in SQLite under the data dir, shared by processes, and turned into gold items."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from planqa.eval.gold import GoldItem
from planqa.feedback import Feedback, FeedbackError, FeedbackStore


def _wrong(**kw: str) -> Feedback:
    base = {"verdict": "wrong", "question": "省级临床重点专科2024年底的目标是多少？", "answer": "40个以上"}
    return Feedback(**{**base, **kw})  # type: ignore[arg-type]


def test_records_keep_what_replays_them(tmp_path: Path) -> None:
    store = FeedbackStore.of(tmp_path)
    assert store.all() == []
    cited = ({"doc": "d", "clause": "1."},)
    first = store.add(Feedback("useful", "托位数目标是多少？", "4.5个", ("上一问",), cited, "v1"))
    second = store.add(_wrong(wrong="数字不对", correct="应为50个以上", clause="建成50个以上省级临床重点专科"))
    got = store.all()
    assert [r.id for r in got] == [first, second] and got[0].history == ("上一问",)
    assert got[0].citations == cited and got[0].index_version == "v1"
    assert [r.id for r in store.all("wrong")] == [second]
    assert (tmp_path / "feedback.sqlite3").exists()


def test_a_correction_becomes_a_gold_item() -> None:
    item = _wrong(id=7, correct="应为50个以上", clause="到2024年底，省级临床重点专科达到50个以上").gold()
    assert item is not None
    gold = GoldItem.from_json(item)
    assert gold.id == "feedback-7" and gold.must == ("50个",) and gold.answerable
    assert gold.evidence == ("到2024年底，省级临床重点专科达到50个以上",)
    assert GoldItem.from_json(_wrong(correct="文件未涉及这一问题").gold() or {}).answerable is False
    assert _wrong(correct="省卫生健康委负责").gold()["must"] == ["省卫生健康委负责"]  # type: ignore[index]
    assert Feedback("useful", "问题", "答").gold() is None and _wrong().gold() is None


def test_bad_records_are_refused_in_one_line(tmp_path: Path) -> None:
    store = FeedbackStore.of(tmp_path)
    with pytest.raises(FeedbackError, match="verdict"):
        store.add(Feedback("maybe", "问题", "答"))
    with pytest.raises(FeedbackError, match="question"):
        store.add(Feedback("useful", "  ", "答"))
    (tmp_path / "blocked").write_text("")
    with pytest.raises(FeedbackError, match="cannot open"):
        FeedbackStore(tmp_path / "blocked" / "feedback.sqlite3").add(Feedback("useful", "问题", "答"))


def _add_many(path: str, start: int) -> None:
    store = FeedbackStore(Path(path))
    for i in range(start, start + 20):
        store.add(Feedback("useful", f"问题{i}", "答"))


def test_processes_write_to_one_store(tmp_path: Path) -> None:
    """Several planqa processes (serve workers, a chat) on one data dir: no record lost."""
    path = str(tmp_path / "feedback.sqlite3")
    workers = [multiprocessing.get_context("spawn").Process(target=_add_many, args=(path, i * 20)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert sorted(r.question for r in FeedbackStore(Path(path)).all()) == sorted(f"问题{i}" for i in range(80))


def _add_via_server(url: str, start: int) -> None:
    from planqa.feedback import open_feedback

    store = open_feedback(Path("unused"), url)
    for i in range(start, start + 5):
        store.add(Feedback("wrong" if i % 2 else "useful", f"问题{i}", "答", correct=f"应为{i}个"))


@pytest.mark.slow
def test_in_server_mode_every_process_writes_to_the_chroma_server(tmp_path: Path) -> None:
    """Processes on several machines share only the Chroma server: feedback lands there, in one place."""
    from tests.servers import chroma_server, planqa

    (tmp_path / "chroma").mkdir()
    with chroma_server(tmp_path / "chroma") as server:
        spawn = multiprocessing.get_context("spawn")
        workers = [spawn.Process(target=_add_via_server, args=(server.url, i * 5)) for i in range(3)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(120)
        listed = planqa(tmp_path / "other-machine", "--chroma-url", server.url, "feedback")
        assert listed.returncode == 0, listed.stderr
        assert sum(line.startswith("#") for line in listed.stdout.splitlines()) == 15
        gold = tmp_path / "gold.jsonl"
        made = planqa(tmp_path / "other-machine", "--chroma-url", server.url, "feedback", "--to-gold", str(gold))
        assert made.returncode == 0 and len(gold.read_text("utf-8").splitlines()) == 7  # the 7 marked wrong
    assert not (tmp_path / "other-machine" / "feedback.sqlite3").exists()


def test_export_to_a_workbook_and_jsonl(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.servers import planqa

    data = tmp_path / "data"
    FeedbackStore.of(data).add(_wrong(correct="=应为50个以上", wrong="数字不对"))  # a formula-looking cell
    for name in ("fb.xlsx", "fb.jsonl"):
        done = planqa(data, "feedback", "--export", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
    rows = list(load_workbook(tmp_path / "fb.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "time", "verdict", "question") and rows[1][7] == "=应为50个以上"
    assert '"correct": "=应为50个以上"' in (tmp_path / "fb.jsonl").read_text("utf-8")
    bad = planqa(data, "feedback", "--export", str(tmp_path / "fb.csv"))
    assert bad.returncode != 0 and "xlsx" in bad.stderr and "Traceback" not in bad.stderr
