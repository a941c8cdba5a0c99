"""What to ask next: the questions the rules still miss, most decisive first (docassemble's
"ask for whatever a needed variable lacks"). Pure functions of the interview, the state and
the assessment so far; the engine asks the first one.
"""

from __future__ import annotations

from typing import Any

from ..rules import Assessment
from ..rules.profile import DECLARABLE
from .spec import InterviewSpec


def pending(spec: InterviewSpec, state: dict[str, Any], assessment: Assessment | None) -> list[str]:
    """The questions still worth asking, most decisive first."""
    answers = state["answers"]
    if assessment is None:
        return [f for f in ("district", "business") if f not in answers]
    wanted = list(assessment.missing)
    if state.get("refine") and assessment.verdict in ("eligible", "needs_more_info"):
        wanted += tailoring(spec, state, assessment)
    asked = [f for f in dict.fromkeys(wanted) if f in spec.questions and f not in answers and f not in state["skipped"]]
    return declarable_last(spec, state, asked)


def declarable_last(spec: InterviewSpec, state: dict[str, Any], asked: list[str]) -> list[str]:
    """Two or more conditions the applicant can confirm as the guide states them (DECLARABLE)
    become one question, after the decisive ones."""
    covered = [f for f in asked if f in DECLARABLE]
    if (
        len(covered) < 2
        or "declared" not in spec.questions
        or state.get("no_declare")
        or "declared" in state["answers"]
        or "declared" in state["skipped"]
    ):
        return asked
    return [f for f in asked if f not in DECLARABLE] + ["declared"]


def declarations(state: dict[str, Any], assessment: Assessment | None) -> list[tuple[str, str]]:
    """(field, the district's words) for each open condition the declaration covers."""
    return [
        (c.needs[0], c.message)
        for c in (assessment.checks if assessment else [])
        if c.status == "unknown"
        and c.needs
        and set(c.needs) <= set(DECLARABLE)
        and not set(c.needs) & state["answers"].keys()
    ]


def tailoring(spec: InterviewSpec, state: dict[str, Any], assessment: Assessment) -> list[str]:
    """Questions that only tailor the checklist: asked after the verdict, on request."""
    return [
        f
        for f in assessment.context.get("tailoring", [])
        if f in spec.questions and f not in state["answers"] and f not in state["skipped"]
    ]
