"""The UI's words, Chinese first, English behind the language switch."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "title": {
        "zh": "# planqa · 规划问答\n就政府规划和行动计划提问，答案逐条引用原文（文件、章节、条款、页码）。",
        "en": "# planqa · plan Q&A\n"
        "Ask about government plans; every answer cites its clause (document, section, clause, page).",
    },
    "tab_chat": {"zh": "问答", "en": "Chat"},
    "tab_docs": {"zh": "文件管理", "en": "Documents"},
    "tab_browse": {"zh": "浏览计划", "en": "Browse"},
    "browse_doc": {"zh": "通知", "en": "Notice"},
    "search": {"zh": "在条款中查找", "en": "Find in clauses"},
    "search_ph": {"zh": "例如：托育、省财政厅、2024年底", "en": "e.g. 托育, 省财政厅, 2024年底"},
    "tree": {"zh": "条款树（点“问这一条”在问答中提问）", "en": "Clause tree (click “ask” to ask about a clause)"},
    "ask_clause": {"zh": "问这一条", "en": "ask"},
    "deadlines": {"zh": "时间表", "en": "Deadlines"},
    "deadline_headers": {"zh": "时限|条款|内容", "en": "Deadline|Clause|What is due"},
    "year": {"zh": "年份", "en": "Year"},
    "all_years": {"zh": "全部年份", "en": "All years"},
    "export": {"zh": "导出简报（Excel）", "en": "Export briefing (Excel)"},
    "chat": {"zh": "对话", "en": "Conversation"},
    "question": {"zh": "问题", "en": "Question"},
    "placeholder": {
        "zh": "例如：省级临床重点专科2024年底的目标是多少？（回车发送）",
        "en": "e.g. What is the 2024 target for provincial key clinical specialties? (Enter to send)",
    },
    "send": {"zh": "发送", "en": "Send"},
    "new": {"zh": "新对话", "en": "New conversation"},
    "scope": {"zh": "回答范围", "en": "Answer from"},
    "all_docs": {"zh": "全部通知", "en": "All notices"},
    "examples": {"zh": "示例问题（每类一个）", "en": "Example questions (one per kind)"},
    "citations": {"zh": "引用条款", "en": "Cited clauses"},
    "panel_empty": {
        "zh": "提问后，这里显示答案所依据的条款全文，引用的句子以黄色标出。点击对话中的某个回答可查看它的依据。",
        "en": "Ask a question: the clauses the answer stands on appear here in full, the quoted sentence "
        "highlighted. Click an answer in the conversation to see its sources.",
    },
    "no_sources": {"zh": "这个回答没有引用条款。", "en": "This reply cites no clause."},
    "nearest": {"zh": "检索到的最接近条款：", "en": "Nearest clauses retrieved:"},
    "others": {"zh": "其他检索到的条款（{n}条）", "en": "Other retrieved clauses ({n})"},
    "localises": {"zh": "对应上级条款：", "en": "Localises the higher-level clause:"},
    "docs_table": {"zh": "已索引的通知", "en": "Indexed notices"},
    "docs_headers": {"zh": "标题|文号|日期|条款数|页数|ID", "en": "Title|Number|Date|Clauses|Pages|ID"},
    "upload": {"zh": "上传通知（PDF / TXT / DOCX）", "en": "Upload notices (PDF / TXT / DOCX)"},
    "ingest": {"zh": "导入", "en": "Ingest"},
    "remove_pick": {"zh": "选择要删除的通知", "en": "Notice to remove"},
    "remove": {"zh": "删除", "en": "Remove"},
    "language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "thinking": {"zh": "正在检索条款…", "en": "Searching the clauses…"},
    "no_files": {"zh": "请先选择文件。", "en": "Choose a file first."},
    "bad_type": {
        "zh": "不支持的文件类型：{name}（支持 PDF、TXT、MD、DOCX）",
        "en": "Unsupported file type: {name} (PDF, TXT, MD, DOCX)",
    },
    "too_big": {"zh": "文件太大：{name}（上限 {mb} MB）", "en": "File too large: {name} (limit {mb} MB)"},
    "ingested": {"zh": "已导入", "en": "Ingested"},
    "unchanged": {"zh": "未变化", "en": "Unchanged"},
    "replaced": {"zh": "替换了", "en": "Replaced"},
    "sources_fold": {"zh": "依据与原文（{n}处，右侧显示全文）", "en": "Sources and quotes ({n}; in full on the right)"},
    "api_types": {
        "zh": "参数应为文字：ask(问题, 范围)，范围为通知 ID 或空字符串",
        "en": 'ask(question, scope) takes text: a question, and a notice id or "" for all notices',
    },
    "login": {
        "zh": "planqa · 规划问答：请输入账号和密码登录",
        "en": "planqa · plan Q&A: log in with your user name and password",
    },
    "failed": {"zh": "失败", "en": "Failed"},
    "note": {"zh": "注意", "en": "Note"},
    "source": {"zh": "原文页面", "en": "Original page"},
    "source_which": {"zh": "查看哪条引用", "en": "Citation"},
    "source_download": {"zh": "下载原件", "en": "Download the original"},
    "source_text": {"zh": "原文上下文（文本文件无页面图像）", "en": "The clause in its context (a text file: no page)"},
    "source_page": {"zh": "第 {page} / {pages} 页", "en": "Page {page} of {pages}"},
    "source_scanned": {"zh": "此页无文字层（扫描件），无法标出引文", "en": "no text layer (a scan): nothing to mark"},
    "source_unmarked": {"zh": "引文未在此页文字层中找到", "en": "the quote is not in this page's text layer"},
    "fb_useful": {"zh": "有用", "en": "Useful"},
    "fb_wrong": {"zh": "有误", "en": "Wrong"},
    "fb_what": {"zh": "哪里有误", "en": "What is wrong"},
    "fb_correct": {"zh": "正确答案", "en": "The correct answer"},
    "fb_clause": {"zh": "依据条款（可选）", "en": "The clause that holds it (optional)"},
    "fb_submit": {"zh": "提交更正", "en": "Submit the correction"},
    "fb_thanks": {"zh": "已记录：有用。谢谢！", "en": "Recorded as useful. Thank you!"},
    "fb_empty": {"zh": "请写明哪里有误或正确答案。", "en": "Say what is wrong or give the correct answer."},
    "fb_saved": {
        "zh": "已记录更正 #{id}，可用 `planqa feedback --to-gold` 转为回归测试。",
        "en": "Correction #{id} recorded; `planqa feedback --to-gold` makes it a regression test.",
    },
    "removed": {"zh": "已删除：{title}", "en": "Removed: {title}"},
    "pick_first": {"zh": "请先选择要删除的通知。", "en": "Pick a notice to remove first."},
    "index_down": {
        "zh": "索引暂时无法访问：{error}。问答和文件管理暂停，索引恢复后本页会自动继续，无需刷新。",
        "en": "The index cannot be reached: {error}. Questions and uploads are paused; this page resumes "
        "by itself once the index is back.",
    },
    "error": {
        "zh": "出错了：{error}。索引未受影响，请重试或换个问法。",
        "en": "Something went wrong: {error}. The index is unchanged; try again or rephrase.",
    },
}

EXAMPLES: dict[str, list[str]] = {
    "zh": [
        "省级临床重点专科2024年底的目标是多少？",  # a target for a year
        "珠山区和全省的每千人口托位数目标分别是多少？",  # a comparison
        "哪些单位负责提升托育服务能力？",  # responsible units
        "省财政厅负责哪些任务？",  # the inverse
        "南昌医学院新校园什么时候建成投运？",  # a date
        "2026年底省级临床重点专科要建成多少个？",  # a year the plans do not give
    ],
    "en": [
        "What is the 2024 target for provincial key clinical specialties?",
        "珠山区和全省的每千人口托位数目标分别是多少？",
        "Which departments are responsible for childcare services?",
        "省财政厅负责哪些任务？",
        "By when should the new campus of Nanchang Medical College be in use?",
        "What is the 2026 target for provincial key clinical specialties?",
    ],
}


def text(key: str, lang: str = "zh") -> str:
    entry = STRINGS[key]
    return entry.get(lang) or entry["zh"]
