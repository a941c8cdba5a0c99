"""Free-text questions during (or after) the interview: FAQ answers as replies.

The engine decides *when* a message is a question; this module decides what to say: the
best answer when the search is confident, otherwise an honest "not sure" with the top three
as buttons and the district office's contact. It never makes an answer up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from ..knowledge import Knowledge
from ..rules.assess import office_line
from .messages import Button, Reply, render

# Words that make a typed message a question rather than an answer.
_QUESTION_MARKERS = re.compile(
    r"[?？]|怎么|什么|哪|多少|吗|呢$|啥|咋|如何|是否|能否|可否|为什么"
    r"|能不能|可不可以|可以.*吗|要不要|需不需要|有没有|是不是|行不行|对不对|用不用"
    r"|几个|几天|几年|多久")


class FaqSearch(Protocol):
    def search(self, question: str, district: str | None = None, k: int = 3) -> Any: ...


def looks_like_question(text: str) -> bool:
    return bool(_QUESTION_MARKERS.search(text))


@dataclass
class _Shown:
    question: str
    answer: str
    source: str


def answer_question(knowledge: Knowledge, faq: FaqSearch | None, text: str, district: str | None,
                    resume: bool) -> Reply:
    """The reply to a free-text question (``resume``: a question is asked again after it)."""
    result = faq.search(text, district=district, k=3) if faq is not None else None
    answers = list(result.answers)[:3] if result else []
    confident = bool(result and result.confident and answers)
    asked_about = (getattr(result, "district", None) if result else None) or district
    contact = office_line(knowledge.districts[asked_about]) if asked_about in knowledge.districts else None
    buttons = [] if confident else [[Button(_short(a.question), f"f:{a.id}")] for a in answers
                                    if len(f"f:{a.id}".encode()) <= 64]
    return Reply(render("faq.html.j2", confident=confident, answers=answers, top=answers[0] if answers else None,
                        office_line=contact, resume=resume), buttons=buttons)


def chosen_answer(knowledge: Knowledge, faq: FaqSearch | None, entry_id: str) -> Reply:
    """One of the offered answers, picked by its button (any indexed entry, or an FAQ id)."""
    doc = getattr(faq, "by_id", {}).get(entry_id) if faq is not None else None
    if doc is not None:
        top = _Shown(doc.title, doc.answer, doc.source)
    else:
        entry = next((e for e in knowledge.faq if e.id == entry_id), None)
        if entry is None:
            return Reply("这个问题已不在知识库中。")
        top = _Shown(entry.questions[0], entry.answer, entry.source)
    return Reply(render("faq.html.j2", confident=True, answers=[], office_line=None, resume=False, top=top))


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
