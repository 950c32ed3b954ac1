"""The browse tab's HTML: a notice as a collapsible tree (parts → sections → clauses → targets),
filtered by a search box, each clause with a link that asks about it in the chat."""

from __future__ import annotations

from html import escape

from planqa.catalog import Catalog
from planqa.outline import clauses_of, timeline
from planqa.types import Clause
from planqa.ui.render import highlight

BROWSE_CSS = """
#tree details{margin:2px 0 2px 14px}
#tree summary{cursor:pointer;font-weight:600;padding:2px 0}
#tree .pq-clause{margin:4px 0 8px 16px;padding:4px 8px;border-left:3px solid var(--border-color-primary)}
#tree .pq-meta{color:var(--body-text-color-subdued);font-size:.88em}
#tree .pq-target{font-size:.9em;margin-left:8px}
#tree .pq-ask{cursor:pointer;color:var(--link-text-color);font-size:.88em;margin-left:8px;white-space:nowrap}
#tree mark{background:#ffe58f;color:inherit}
"""

# A click on "问这一条" puts the question in the chat box, switches to the chat tab and sends it.
ASK_JS = """
<script>
document.addEventListener('click', function (event) {
  const link = event.target.closest('.pq-ask');
  if (!link) return;
  event.preventDefault();
  const tab = Array.from(document.querySelectorAll('button[role="tab"]'))
    .find(b => /问答|Chat/.test(b.textContent));
  if (tab) tab.click();
  setTimeout(function () {
    const box = document.querySelector('#question textarea');
    if (!box) return;
    box.value = link.dataset.q;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(function () { document.querySelector('#send').click(); }, 150);
  }, 150);
});
</script>
"""


def _matches(c: Clause, query: str) -> bool:
    return not query or any(query in s for s in (c.text, c.title, " ".join(c.units), " ".join(c.section)))


def tree_html(catalog: Catalog, doc: str, query: str = "", ask_label: str = "问这一条") -> str:
    """The notice's tree; with a query, only the clauses that contain it (and their sections, open)."""
    if doc not in catalog.docs:
        return ""
    query = query.strip()
    place = catalog.docs[doc].jurisdiction
    out: list[str] = []
    open_path: tuple[str, ...] = ()
    shown = 0
    for c in clauses_of(catalog, doc):
        if c.part or not _matches(c, query):
            continue
        shown += 1
        common = 0
        while common < min(len(open_path), len(c.section)) and open_path[common] == c.section[common]:
            common += 1
        out += ["</details>"] * (len(open_path) - common)
        for depth, heading in enumerate(c.section[common:], common):
            expanded = " open" if query or depth == 0 else ""  # the plan's parts open, their sections folded
            out.append(f"<details{expanded}><summary>{escape(heading)}</summary>")
        open_path = c.section
        out.append(_clause_html(c, catalog, query, place, ask_label))
    out += ["</details>"] * len(open_path)
    if not shown:
        return f"<p>没有包含“{escape(query)}”的条款。/ No clause contains it.</p>"
    return "".join(out)


def _clause_html(c: Clause, catalog: Catalog, query: str, place: str, ask_label: str) -> str:
    head = escape(c.label) if c.label else highlight(c.text[:60] + ("…" if len(c.text) > 60 else ""), query)
    page = f"第{'、'.join(map(str, c.pages))}页" if c.pages else ""
    units = f"责任单位：{highlight('、'.join(c.units), query)}" if c.units else ""
    meta = "　".join(x for x in (page, units) if x)
    targets = "".join(f'<div class="pq-target">◆ {escape(t.statement)}</div>' for t in catalog.targets_of(c))
    asks = c.kind in ("task", "measure", "annex_row") and c.title
    question = f"{place}“{c.title}”有哪些要求？" if asks else ""
    ask = f'<a class="pq-ask" data-q="{escape(question)}">{escape(ask_label)}</a>' if question else ""
    body = highlight(c.text, query) if query and c.label else ""
    text = f'<div class="pq-meta">{body}</div>' if body else ""
    return (
        f'<div class="pq-clause" data-clause="{escape(c.label)}"><b>{head}</b>{ask}'
        f'<div class="pq-meta">{meta}</div>{targets}{text}</div>'
    )


def deadline_rows(catalog: Catalog, doc: str, year: int | None = None, query: str = "") -> list[list[str]]:
    """The browse tab's deadline table (deadline, clause, what is due), filtered like the tree."""
    items = [d for d in timeline(catalog, [doc], year) if _matches(d.clause, query.strip())]
    return [[d.deadline, d.clause.label or d.clause.section_path, d.what] for d in items]
