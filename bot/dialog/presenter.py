"""Turn answers and assessments into the words users read (labels, summary, result)."""

from __future__ import annotations

from ..knowledge import Knowledge
from ..render import FIELD_LABELS, STATUS_ICON, VERDICT_ICON
from ..rules import Assessment
from ..rules.labels import VERDICT, money
from .messages import Button, Reply, render
from .spec import InterviewSpec, Question, options_for

FIELD_LABELS = {**FIELD_LABELS, "district": "所在区", "business": "办理业务"}


def answer_label(question: Question, value, knowledge: Knowledge, answers: dict) -> str:
    """How an answer reads back to the user: the option's label, or the number with its unit."""
    if question.kind in ("choice", "yesno"):
        for option in options_for(question, knowledge, answers):
            if option.value == value:
                return option.label
        return str(value)
    if question.kind == "money":
        return f"{money(value)} 元"
    if question.kind == "months":
        return f"{value:g} 年" if question.as_years else f"{value:g} 个月"
    if question.kind == "incomes":
        return "；".join(f"{year}年 {money(v)} 元" for year, v in sorted(value.items()))
    return str(value)


def summary_items(spec: InterviewSpec, knowledge: Knowledge, answers: dict, order: list[str]) -> list[tuple[str, str]]:
    items = []
    for name in order:
        if name in answers and name in spec.questions:
            items.append((FIELD_LABELS.get(name, name), answer_label(spec.questions[name], answers[name], knowledge, answers)))
    return items


def result_reply(assessment: Assessment) -> Reply:
    checks = [c for c in assessment.checks if c.status != "confirm"]
    confirms = [c for c in assessment.checks if c.status == "confirm"]
    missing = [FIELD_LABELS.get(f, f) for f in assessment.missing]
    text = render("result.html.j2", a=assessment, ctx=assessment.context, checks=checks, confirms=confirms,
                  missing=missing, icon=VERDICT_ICON, status=STATUS_ICON, verdict=VERDICT)
    buttons = []
    if assessment.materials:
        buttons.append([Button("📋 材料清单（可转发）", "c:checklist")])
    buttons.append([Button("🔗 分享给同事", "c:share"), Button("🔁 重新开始", "c:restart")])
    return Reply(text, buttons=buttons)
