"""The applicant the end-to-end tests and the Telegram benchmarks play, and how they answer.

Its answers are keyed by the interview's field names, so whatever order the interview asks
in, each question is found by its text (field_asked) and answered from here.
"""

from __future__ import annotations

from .conftest import field_asked
from .fake_api import FakeTelegram, SentMessage

# 朝阳区, 硕士, 20000 元 a month, five years' work: eligible for a new permit.
# ("press", label) presses a button; a plain string is typed.
APPLICANT: dict[str, str | tuple[str, str]] = {
    "district": ("press", "朝阳区"),
    "business": ("press", "新办"),
    "category": "学位",
    "declared": ("press", "都符合"),
    "lease_months_left": "1年",
    "degree": ("press", "硕士"),
    "employer_form": ("press", "企业"),
    "work_years": "5年",
    "monthly_income": "20000",
    "months_employed": "18个月",
    "housing": ("press", "租房"),
    "nationality": ("press", "是，中国籍"),
    "hukou": ("press", "外地户口"),
    "age": "35",
    "gender": ("press", "男"),
    "criminal_record": ("press", "否"),
    "marital": ("press", "已婚"),
    "children": "1",
    "degree_abroad": ("press", "否"),
    "same_employer_for_tax": "是",
    "contract_months_left": "2年",
}


def move_for(message: SentMessage, answers: dict) -> tuple[str, str]:
    """What the applicant does on reading ``message``: ("press", label) or ("text", typed). A
    question ``answers`` has nothing for is skipped ("不清楚", or its first button), as a hurried
    applicant would."""
    answer = answers.get(field_asked(message.text))
    if answer is None:
        labels = [b["text"] for row in message.buttons for b in row]
        answer = ("press", "不清楚") if "不清楚" in labels else ("press", labels[0]) if labels else "不清楚"
    return answer if isinstance(answer, tuple) else ("text", answer)


def make_move(fake: FakeTelegram, chat_id: int, move: tuple[str, str]) -> int:
    """The move as an update waiting for the bot's getUpdates; returns its update_id."""
    return fake.press(chat_id, move[1]) if move[0] == "press" else fake.send_text(chat_id, move[1])
