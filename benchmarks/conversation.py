"""How long the interview is on a phone: personas played through the engine (issue 12).

    .venv/bin/python benchmarks/conversation.py [--json]

Each persona is a true profile (what the applicant would answer) and, for some, the first
message they type. The driver answers only what the bot asks — a choice by pressing the
button whose option is the persona's value, anything else typed the way people type it —
and prints per persona: questions asked until the verdict, characters of the verdict's
first message (HTML stripped, as the phone shows it), characters of the whole verdict
turn, and the messages it sends. The acceptance figures of issue 12 are printed beside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.dialog.engine import Event, Interview  # noqa: E402
from bot.dialog.messages import split_message, to_plain  # noqa: E402
from bot.dialog.spec import options_for  # noqa: E402
from bot.knowledge import get_knowledge  # noqa: E402

TODAY = dt.date(2026, 12, 2)
MAX_TURNS = 40

_BDA = {
    "district": "bda",
    "business": "new",
    "nationality": "cn",
    "hukou": "non_beijing",
    "gender": "male",
    "age": 30,
    "employer_form": "enterprise",
    "months_employed": 8,
    "same_employer_for_tax": True,
    "category": "degree",
    "degree": "master",
    "degree_abroad": False,
    "work_years": 3,
    "monthly_income": 18000,
    "housing": "rented",
    "lease_months_left": 10,
    "contract_months_left": 24,
    "criminal_record": False,
    "children": 0,
    "marital": "single",
    "employer_sector": "other",
    "employer_has_quota": True,
}


@dataclass
class Persona:
    name: str
    truth: dict
    first: str = ""  # what they type first (a one-message profile), or nothing
    goal: int | None = None  # questions to the verdict, issue 12's acceptance figure
    refusal: bool = False


PERSONAS = [
    Persona("bda new, one answer at a time", _BDA, goal=9),
    Persona(
        "bda new, one-message profile",
        _BDA,
        first="我在亦庄上班，硕士毕业工作3年了，月薪1.8万，入职8个月，租房住，外地户口，30岁",
        goal=6,
    ),
    Persona("chaoyang new", {**_BDA, "district": "chaoyang", "months_employed": 14, "monthly_income": 22000}, goal=10),
    Persona(
        "chaoyang new, income 15,000 < 1.5×",
        {**_BDA, "district": "chaoyang", "months_employed": 14, "monthly_income": 15000},
        goal=10,
        refusal=True,
    ),
    Persona("dongcheng new", {**_BDA, "district": "dongcheng", "monthly_income": 20000, "months_employed": 9}, goal=10),
    Persona("tongzhou new", {**_BDA, "district": "tongzhou", "monthly_income": 16000, "months_employed": 14}, goal=10),
    Persona(
        "bda renewal",
        {**_BDA, "business": "renewal", "permit_expiry": "2027-02-20", "social_insurance_continuous": True},
        goal=10,
    ),
    Persona(
        "tongzhou renewal",
        {
            **_BDA,
            "district": "tongzhou",
            "business": "renewal",
            "permit_expiry": "2027-03-15",
            "social_insurance_continuous": True,
        },
        goal=10,
    ),
    Persona(
        "chaoyang employer change",
        {
            **_BDA,
            "district": "chaoyang",
            "business": "employer_change",
            "permit_expiry": "2027-08-01",
            "months_employed": 14,
            "monthly_income": 22000,
        },
        goal=10,
    ),
    Persona(
        "dongcheng unit account (HR)",
        {
            "district": "dongcheng",
            "business": "unit_account",
            "employer_form": "enterprise",
            "employer_registered_months": 30,
            "employer_capital": 500,
            "employer_annual_tax": 60,
            "employer_tax_3y": 150,
            "employer_staff": 40,
            "employer_has_quota": True,
            "employer_strategic_startup": False,
            "employer_real_estate_dev": False,
        },
        goal=10,
    ),
    Persona("haidian new (no guide: refer)", {**_BDA, "district": "haidian"}, goal=10),
    Persona(
        "chaoyang one-message profile",
        {**_BDA, "district": "chaoyang", "months_employed": 14, "monthly_income": 22000},
        first="朝阳的公司，本科，工作5年，税前2.2万，在这家干了14个月，租房，外地户口，32岁",
        goal=6,
    ),
]


def typed(question, value) -> str:
    """The persona's answer typed the way people type it."""
    if question.kind == "money":
        return f"{value / 10000:g}万" if value >= 10000 else str(value)
    if question.kind == "months":
        return f"{value}年" if question.as_years else f"{value}个月"
    if question.kind == "incomes":
        return " ".join(f"{v / 10000:g}万" for _, v in sorted(value.items()))
    return str(value)


@dataclass
class Played:
    questions: int = 0
    first_chars: int = 0
    total_chars: int = 0
    messages: int = 0
    verdict: str = "—"
    asked: list[str] = field(default_factory=list)


def play(interview: Interview, persona: Persona) -> Played:
    out = Played()
    turn = interview.handle(None, Event.command("start"))
    if persona.first:
        turn = interview.handle(turn.state, Event.message(persona.first))
    for _ in range(MAX_TURNS):
        state = turn.state
        if turn.assessment is not None:
            result = next(r for r in reversed(turn.replies) if r.buttons)  # the verdict message
            parts = split_message(result.text)
            out.first_chars = len(to_plain(parts[0]))
            out.total_chars = sum(len(r.plain()) for r in turn.replies)
            out.messages = sum(len(split_message(r.text)) + bool(r.document) for r in turn.replies)
            out.verdict = turn.assessment.verdict
            return out
        name = state.get("asking")
        if name is None:
            raise RuntimeError(f"{persona.name}: no question and no verdict")
        out.questions += 1
        out.asked.append(name)
        question = interview.spec.questions[name]
        if question.kind == "declare":  # the persona meets what it declares unless it says otherwise
            turn = interview.handle(state, Event.button(f"a:{name}:{0 if persona.truth.get(name, True) else 1}"))
            continue
        if name not in persona.truth:
            turn = interview.handle(state, Event.message("不清楚"))
            continue
        value = persona.truth[name]
        options = options_for(question, interview.knowledge, state["answers"])
        index = next((i for i, o in enumerate(options) if o.value == value), None)
        if question.kind in ("choice", "yesno") and index is not None:
            turn = interview.handle(state, Event.button(f"a:{name}:{index}"))
        else:
            turn = interview.handle(state, Event.message(typed(question, value)))
    raise RuntimeError(f"{persona.name}: no verdict after {MAX_TURNS} turns ({out.asked})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the questions asked")
    args = parser.parse_args()
    interview = Interview(get_knowledge(), today=TODAY)
    rows = []
    for persona in PERSONAS:
        played = play(interview, persona)
        rows.append((persona, played))
    if args.json:
        print(json.dumps([{"persona": p.name, **vars(r)} for p, r in rows], ensure_ascii=False, indent=1))
        return 0
    print(f"{'persona':42} {'verdict':16} {'questions':>10} {'1st msg':>8} {'all':>6} {'msgs':>5}")
    failures = 0
    for persona, r in rows:
        q_ok = persona.goal is None or r.questions <= persona.goal
        first_ok = r.first_chars <= 1000
        all_ok = not persona.refusal or r.total_chars <= 1500
        failures += not (q_ok and first_ok and all_ok)
        mark = lambda ok: " " if ok else "✗"  # noqa: E731
        print(
            f"{persona.name:42} {r.verdict:16} {r.questions:>5}/{persona.goal or '-':<3}{mark(q_ok)}"
            f" {r.first_chars:>7}{mark(first_ok)} {r.total_chars:>5}{mark(all_ok)} {r.messages:>5}"
        )
        if args.verbose:
            print("    asked: " + " → ".join(r.asked))
    print(
        f"\ngoals: questions ≤ the persona's goal; first message ≤ 1,000 characters; a refusal ≤ 1,500 in all."
        f"\n{len(rows) - failures} of {len(rows)} personas meet every goal."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
