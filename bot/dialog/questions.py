"""Free-text questions during (or after) the interview: FAQ answers as replies.

The engine decides *when* a message is a question (``looks_like_question``; the words are in
dialogs/faq_intents.yaml); this module decides what to say. A short question leaning on the
interview ("要多久", "电话多少", "要什么材料") is answered from the district's structured
knowledge (bot/faq/intents.py); any other goes to the search: the best answer when it is
confident, otherwise an honest "not sure" with the closest answer shown, the next ones as
buttons and the district office's contact (as ``gjz ask`` lists them); "nothing found" only
when the search found nothing. It never makes an answer up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..faq import figures, intents
from ..faq.normalise import to_simplified
from ..faq.search import SearchResult
from ..knowledge import Knowledge
from ..rules import Profile
from ..rules.assess import office_line
from .messages import Button, Reply, render

# The FAQ index, or a stand-in for it while it builds (None: no index after all).
FaqSearch = intents.Searcher[SearchResult | None]


def looks_like_question(text: str) -> bool:
    """A question word, or the words of a context question ("地址", "材料清单"), in simplified or
    traditional characters (集體戶口能辦嗎 is a question, not the answer 集体户口)."""
    text = to_simplified(text)
    return bool(intents.vocabulary().question_markers.search(text)) or intents.match(text) is not None


@dataclass
class _Shown:
    question: str
    answer: str
    source: str


def answer_question(
    knowledge: Knowledge,
    faq: FaqSearch | None,
    text: str,
    district: str | None,
    resume: bool,
    answers: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> Reply:
    """The reply to a free-text question (``resume``: a question is asked again after it).
    ``answers``: the interview's answers so far (district, business, …), the context of a
    short question such as "要多久"."""
    answers = answers or {}
    district = district or answers.get("district")
    result = intents.respond(
        knowledge,
        faq or intents.NO_INDEX,
        text,
        district,
        answers.get("business"),
        _profile(answers, today),
        today=today,
    )
    shown = list(result.answers)[:3] if result else []
    confident = bool(result and result.confident and shown)
    asked_about = (result.district if result else None) or district
    known = knowledge.districts.get(asked_about) if asked_about else None
    contact = office_line(known) if known is not None else None
    # Not confident: the best candidate is shown (the plain search ranks it first too) and the
    # others are offered as buttons; only a search that found nothing says so.
    buttons = (
        []
        if confident
        else [[Button(_short(a.question), f"f:{a.id}")] for a in shown[1:] if len(f"f:{a.id}".encode()) <= 64]
    )
    return Reply(
        render(
            "faq.html.j2",
            confident=confident,
            answers=shown,
            top=shown[0] if shown else None,
            office_line=contact,
            resume=resume,
            district_name=known.name if known is not None and known.coverage == "full" else None,
        ),
        buttons=buttons,
    )


def _profile(answers: dict[str, Any], today: dt.date | None) -> Profile | None:
    """The interview's answers as a profile (None before district and business are known)."""
    if not {"district", "business"} <= answers.keys():
        return None
    data = dict(answers)
    data.setdefault("application_date", (today or dt.date.today()).isoformat())
    try:
        return Profile.model_validate(data)
    except ValueError:
        return None


def chosen_answer(knowledge: Knowledge, faq: FaqSearch | None, entry_id: str, district: str | None = None) -> Reply:
    """One of the offered answers, picked by its button (any indexed entry, or an FAQ id), in
    the words of the asker's district where the entry has them."""
    doc = getattr(faq, "by_id", {}).get(entry_id) if faq is not None else None
    if doc is not None:
        top = _Shown(doc.title, *doc.shown(district))
    else:
        entry = next((e for e in knowledge.faq if e.id == entry_id), None)
        if entry is None:
            return Reply("这个问题已不在知识库中。")
        top = _Shown(entry.questions[0], figures.render(entry.answer, knowledge.wages), entry.source)
    return Reply(render("faq.html.j2", confident=True, answers=[], office_line=None, resume=False, top=top))


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
