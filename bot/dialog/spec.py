"""The interview as declared in dialogs/interview.yaml, with options built from the knowledge."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..knowledge import Knowledge
from ..knowledge.district import District
from ..resources import data_dir

DIALOGS_DIR = data_dir("dialogs")


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any
    label: str
    words: list[str] = []
    # generic words ("申请", "想办") that name this option only where no other option's word
    # is in the answer: "我想办" is 新办, "申请续签" is 续签
    weak: list[str] = []
    # other answers this one settles: a Chinese hukou means Chinese nationality
    implies: dict[str, Any] = {}


class OpenEnded(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float  # read for any of the words: large enough to meet every minimum the rules set
    words: list[str]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str = ""
    text: str
    hint: str | None = None
    kind: Literal["choice", "yesno", "declare", "money", "number", "months", "date", "incomes"]
    options: list[Option] = []
    options_from: Literal["districts", "categories", "housing"] | None = None
    also_offer: list[str] = []  # options_from housing: situations offered where the district rejects them
    option_words: dict[str, list[str]] = {}  # typed words for options built from the knowledge
    columns: int = Field(default=2, ge=1, le=4)
    example: str
    min: float | None = None
    max: float | None = None
    as_years: bool = False
    unit: Literal["万元"] | None = None  # number asked in 万元: '1亿' and '5000000元' are converted
    # months: what a bare number ('2') means: years (几年), months, or ask "2 个月还是 2 年？"
    bare: Literal["年", "月", "ask"] = "月"
    dated: Literal["since", "until"] | None = None  # months: "2023年9月" read as the months since/until it
    open_ended: OpenEnded | None = None  # months: words for "no end" ('无固定期限') and the value they read as
    yes_words: list[str] = []  # yesno: words of this question meaning yes/no ('国内读的' -> no)
    no_words: list[str] = []
    quick: list[int] = []
    yes_value: Any = True
    no_value: Any = False
    yes_label: str = "是"
    no_label: str = "否"


class InterviewSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questions: dict[str, Question]
    skip_words: list[str]


@lru_cache(maxsize=2)
def load_spec(path: str | None = None) -> InterviewSpec:
    file = Path(path) if path else DIALOGS_DIR / "interview.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    spec = InterviewSpec.model_validate(data)
    for name, question in spec.questions.items():
        question.field = name
    return spec


# options_for is asked for every question a message may answer, every turn; its options depend
# only on the question, the knowledge and the district answered. Kept here with the objects they
# were built from (held, so their ids cannot be reused by others while cached).
_OPTIONS: dict[tuple[int, int, Any], tuple[Question, Knowledge, list[Option]]] = {}


def options_for(question: Question, knowledge: Knowledge, answers: dict[str, Any]) -> list[Option]:
    """The buttons of a question; some depend on the knowledge and the district answered."""
    district = answers.get("district") if question.options_from in ("categories", "housing") else None
    key = (id(question), id(knowledge), district if isinstance(district, str) else None)
    cached = _OPTIONS.get(key)
    if cached is None or cached[0] is not question or cached[1] is not knowledge:
        if len(_OPTIONS) > 512:  # a few knowledge reloads' worth
            _OPTIONS.clear()
        cached = _OPTIONS[key] = (question, knowledge, _build_options(question, knowledge, answers))
    return list(cached[2])


def _build_options(question: Question, knowledge: Knowledge, answers: dict[str, Any]) -> list[Option]:
    if question.kind in ("yesno", "declare"):
        return [
            Option(value=question.yes_value, label=question.yes_label),
            Option(value=question.no_value, label=question.no_label),
        ]
    if question.options_from == "districts":
        # Covered districts first, the rest after; sorted() is stable, so each keeps its order.
        ordered = sorted(knowledge.districts.values(), key=lambda d: d.coverage != "full")
        return [
            Option(value=d.id, label=_district_label(d), words=[d.name, d.name.removesuffix("区"), d.id, *d.aliases])
            for d in ordered
        ]
    if question.options_from == "categories":
        district = _answered_district(knowledge, answers)
        shorts = {c.id: c.short for c in knowledge.city.categories}
        if district is None or district.applicant is None:
            cats = [(c.id, i + 1) for i, c in enumerate(knowledge.city.categories) if c.citywide]
        else:
            cats = [(c.id, c.number) for c in district.applicant.categories]
        return [
            Option(
                value=cid, label=f"{n}. {shorts[cid]}", words=[shorts[cid], cid, *question.option_words.get(cid, [])]
            )
            for cid, n in cats
        ]
    if question.options_from == "housing":
        return _housing_options(question, _answered_district(knowledge, answers))
    if question.quick:
        return [Option(value=n, label=str(n)) for n in question.quick]
    return question.options


def _answered_district(knowledge: Knowledge, answers: dict[str, Any]) -> District | None:
    """The district answered so far, if any (the answers are JSON values from the state)."""
    district = answers.get("district")
    return knowledge.districts.get(district) if isinstance(district, str) else None


def _housing_options(question: Question, district: District | None) -> list[Option]:
    """The proofs the district accepts, then the listed situations it does not (so a user in
    one can answer honestly and hear why); every option where the district's list is unknown."""
    rule = district.applicant.housing_accepted if district is not None and district.applicant else None
    accepts = rule.value if rule is not None else None
    if accepts is None:
        return question.options
    accepted = [o for o in question.options if o.value in accepts]
    rejected = [o for o in question.options if o.value in question.also_offer and o.value not in accepts]
    return accepted + rejected


def question_context(
    question: Question, knowledge: Knowledge, answers: dict[str, Any], application_date: dt.date
) -> dict[str, object]:
    """What a question's text placeholders read: the years asked, or the income rule tested."""
    if question.kind == "incomes":
        return {"years": income_years(application_date)}
    if question.field == "monthly_income":
        business = answers.get("business")
        return _income_period(_answered_district(knowledge, answers), business if isinstance(business, str) else None)
    if question.field == "social_insurance_continuous":
        # the period the district's rule checks: 近 12 个月 (Chaoyang), 持证期间（近 36 个月）
        district = _answered_district(knowledge, answers)
        spec = district.businesses.get("renewal") if district is not None else None
        return {"period": spec.tax_break.period if spec is not None and spec.tax_break else "持证期间"}
    if question.field == "employer_registered_months":
        district = _answered_district(knowledge, answers)
        return {
            "in_district": district is None or district.employer is None or district.employer.registered_in_district
        }
    return {}


def _income_period(district: District | None, business: str | None) -> dict[str, object]:
    """The period and reading (every month / each year's average / the average) the district's
    income rule tests for this business, for the income question's words."""
    rule = district.applicant.income if district is not None and district.applicant else None
    spec = district.businesses.get(business) if district is not None and business in district.businesses else None
    if business == "renewal" and spec is not None and spec.income_multiple is not None:
        months = spec.continuous_tax_months.value if spec.continuous_tax_months else None
        period = f"持证期间（近 {months} 个月）" if months else "持证期间"
        every = bool(spec.income_every_month)
        return {"period": period, "every_month": every, "each_year": not every}
    if rule is None:
        return {"period": "近几个月", "every_month": True, "each_year": False}
    months = rule.months_checked.value
    return {"period": f"近 {months} 个月" if months else "申报期", "every_month": rule.every_month, "each_year": False}


def _district_label(district: District) -> str:
    if district.id == "bda":
        return "经开区（亦庄）"
    return district.name


def income_years(application_date: dt.date) -> list[int]:
    return [application_date.year - 3, application_date.year - 2, application_date.year - 1]
