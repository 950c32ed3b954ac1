"""The eval figures as a terminal table and as a Markdown report (the README's table comes from here)."""

from __future__ import annotations

from planqa.eval.answers import AnswerScore
from planqa.eval.baseline import CHUNK, BaselineScore


def _rows(score: AnswerScore, base: BaselineScore | None) -> list[tuple[str, str, str]]:
    s = score.summary()
    b = base  # short name: every row below reads it

    def pct(x: float) -> str:
        return f"{x:.3f}"

    return [
        ("answer accuracy", pct(s["answer_accuracy"]), pct(b.answer_accuracy) + "*" if b else ""),
        ("hit@1", pct(s["hit@1"]), pct(b.hit1) if b else ""),
        ("hit@5", pct(s["hit@5"]), pct(b.hit5) if b else ""),
        ("MRR", pct(s["mrr"]), pct(b.mrr) if b else ""),
        ("citation accuracy", pct(s["citation_accuracy"]), pct(b.citation_accuracy) if b else ""),
        ("abstention precision", pct(s["abstention_precision"]), "— (never abstains)" if b else ""),
        ("abstention recall", pct(s["abstention_recall"]), "0.000" if b else ""),
        ("false abstentions", f"{int(s['false_abstentions'])}", ""),
        ("answers with an unsupported number", f"{int(s['unfaithful_answers'])}", ""),
        ("p50 / p95 latency (ms)", f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f}", f"{b.p50_ms:.0f} / —" if b else ""),
    ]


def summary_table(score: AnswerScore, base: BaselineScore | None = None) -> str:
    rows = _rows(score, base)
    head = f"{'':36}{'planqa':>12}" + (f"{'LangChain baseline':>22}" if base else "")
    lines = [f"gold items: {score.items} ({score.answerable} answerable, {score.unanswerable} unanswerable)", head]
    for name, ours, theirs in rows:
        lines.append(f"{name:36}{ours:>12}" + (f"{theirs:>22}" if base else ""))
    if base:
        lines.append(
            f"* baseline answer = its top chunk ({base.chunks} chunks of {CHUNK} chars); must strings anywhere in it"
        )
    lines.append("\nper type / 分类准确率:")
    for kind, (ok, n) in sorted(score.by_type.items()):
        lines.append(f"  {kind:16} {ok:3}/{n:<3} {ok / n:.2f}")
    if score.by_notice:
        lines.append("\nper notice / 分文件准确率:")
        for notice, (ok, n) in sorted(score.by_notice.items()):
            lines.append(f"  {notice:16} {ok:3}/{n:<3} {ok / n:.2f}")
    return "\n".join(lines)


def markdown_report(score: AnswerScore, base: BaselineScore | None, retrievers: str = "") -> str:
    rows = _rows(score, base)
    out = ["# planqa eval report", "", f"{score.items} gold items ({score.answerable} answerable, "
           f"{score.unanswerable} unanswerable).", ""]  # fmt: skip
    out += ["| metric | planqa |" + (" LangChain baseline |" if base else ""), "|---|---|" + ("---|" if base else "")]
    out += [f"| {n} | {o} |" + (f" {t} |" if base else "") for n, o, t in rows]
    out += ["", "## Per type", "", "| type | correct | items | accuracy |", "|---|---|---|---|"]
    out += [f"| {k} | {ok} | {n} | {ok / n:.2f} |" for k, (ok, n) in sorted(score.by_type.items())]
    if score.by_notice:
        out += ["", "## Per notice", "", "| notice | correct | items | accuracy |", "|---|---|---|---|"]
        out += [f"| {k} | {ok} | {n} | {ok / n:.2f} |" for k, (ok, n) in sorted(score.by_notice.items())]
    if retrievers:
        out += ["", "## Retrievers", "", "```", retrievers, "```"]
    failures = [r for r in score.rows if not r["ok"]]
    out += ["", f"## Failures ({len(failures)})", ""]
    out += [f"- **{r['id']}** ({r['why']}): {r['question']} → {r['answer'].splitlines()[0]}" for r in failures]
    return "\n".join(out) + "\n"
