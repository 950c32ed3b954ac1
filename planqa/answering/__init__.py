"""Answering: from a question and the clauses retrieved for it to a draft answer and its citations.

Reading the question (``question``, ``measures``), the extractive rules by kind (``extractive``,
``facts``, ``overview``), how well evidence covers a question (``evidence``) and when that is too
little (``abstention``), English wording (``english``), and the optional LLM with its guard (``llm``,
``guard``). ``planqa.assistant`` is the one caller.
"""
