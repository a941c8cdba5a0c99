"""Turn answers and assessments into the words users read (labels, summary, result)."""

from __future__ import annotations

from typing import Any

from ..knowledge import Knowledge
from ..render import FIELD_LABELS as ASSESS_LABELS
from ..render import STATUS_ICON, VERDICT_ICON
from ..rules import Assessment, Check
from ..rules.labels import VERDICT, money
from .messages import Button, Reply, render
from .spec import InterviewSpec, Question, options_for

FIELD_LABELS: dict[str, str] = {**ASSESS_LABELS, "district": "所在区", "business": "办理业务"}


def answer_label(question: Question, value: Any, knowledge: Knowledge, answers: dict[str, Any]) -> str:
    """How an answer reads back to the user: the option's label, or the number with its unit.
    ``value`` is an answer as the state keeps it, of the question's kind (a JSON value)."""
    if question.kind == "declare":
        return "已确认 " + "、".join(FIELD_LABELS.get(f, f) for f in value)
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


def summary_items(
    spec: InterviewSpec, knowledge: Knowledge, answers: dict[str, Any], order: list[str]
) -> list[tuple[str, str]]:
    items = []
    for name in order:
        if name in answers and name in spec.questions:
            items.append(
                (FIELD_LABELS.get(name, name), answer_label(spec.questions[name], answers[name], knowledge, answers))
            )
    return items


PROBLEMS_SHOWN = 3  # what fails or is still open, on the verdict's one screen


def _confirm_items(assessment: Assessment) -> list[Check]:
    """The confirm-only checks once each (several rules can state the same condition)."""
    seen: dict[str, Check] = {}
    for c in assessment.checks:
        if c.status == "confirm" and c.message not in seen:
            seen[c.message] = c
    return list(seen.values())


def _office_short(assessment: Assessment) -> str:
    """The office in one line: its name and first phone (the full contact is in 条件详情)."""
    office = assessment.context.get("office")
    if office is None or not office.phones:
        line = assessment.context.get("office_line", "")
        return line if isinstance(line, str) else ""
    return f"{office.name} {office.phones[0].number}"


def referral(assessment: Assessment) -> tuple[list[Check], str | None]:
    """Why a case goes to the district office: the checks that refer it, or, where none does (no
    guide for the district, a business it does not describe), the advice line that says why.
    The chat's verdict and the staff batch both name these."""
    if assessment.verdict != "refer":
        return [], None
    refers = [c for c in assessment.checks if c.refer]
    return refers, (assessment.advice[0] if not refers and assessment.advice else None)


def result_reply(assessment: Assessment, refine: int = 0) -> Reply:
    """The verdict as one short message; every detail is a button away. ``refine``: how many
    questions would tailor the checklist (offered as one button, never asked before the verdict)."""
    # A refusal names what fails (and how to fix it); what is merely still open would only
    # lengthen it. Otherwise what refers the case to the office, then what is still open.
    fails = [c for c in assessment.checks if c.status == "fail"]
    problems = fails or sorted(
        (c for c in assessment.checks if c.refer or c.status == "unknown"), key=lambda c: not c.refer
    )
    missing = [FIELD_LABELS.get(f, f) for f in assessment.missing]
    processing = assessment.context.get("processing_working_days")
    # A referral no single check explains says why in its first words, not only behind 条件详情.
    reason = referral(assessment)[1]
    text = render(
        "result.html.j2",
        a=assessment,
        ctx=assessment.context,
        problems=problems[:PROBLEMS_SHOWN],
        reason=reason,
        more_problems=max(0, len(problems) - PROBLEMS_SHOWN),
        missing=missing,
        confirms=len(_confirm_items(assessment)),
        processing=processing,
        office_short=_office_short(assessment),
        icon=VERDICT_ICON,
        status=STATUS_ICON,
        verdict=VERDICT,
    )
    buttons = [[Button("🔎 条件详情", "c:details")]]
    if assessment.materials:
        buttons[0].append(Button("📋 材料清单", "c:checklist"))
    if refine:
        buttons.append([Button(f"📝 细化材料清单 · {refine} 个问题", "c:refine")])
    if assessment.deadlines or assessment.qualifies_from:  # dates worth a reminder (bot/reminders)
        buttons.append([Button("⏰ 提醒我", "c:remind")])
    buttons.append([Button("🔗 分享", "c:share"), Button("🔁 重新开始", "c:restart")])
    return Reply(text, buttons=buttons)


def details_reply(assessment: Assessment) -> Reply:
    """条件详情: every check with its source, the confirm-only items once each by who confirms."""
    checks = [c for c in assessment.checks if c.status != "confirm"]
    confirms = _confirm_items(assessment)
    groups = [
        ("单位（HR）确认", [c for c in confirms if c.party == "unit"]),
        ("申请人确认", [c for c in confirms if c.party != "unit"]),
    ]
    # The footer gives the office's full contact; an advice line repeating it would print
    # every phone number twice on one screen.
    office = assessment.context.get("office_line") or None
    advice = [line for line in assessment.advice if office is None or office not in line]
    text = render(
        "details.html.j2",
        a=assessment,
        ctx=assessment.context,
        checks=checks,
        advice=advice,
        confirm_groups=[(g, items) for g, items in groups if items],
        status=STATUS_ICON,
    )
    return Reply(text)
