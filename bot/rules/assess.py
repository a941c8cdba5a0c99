"""assess(): one profile in, one verdict with reasons, checklist and deadlines out.

Pure and deterministic for a given application date: the Telegram interview, the terminal
and ``gjz assess`` all call this one function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..knowledge import Knowledge
from ..knowledge.cited import Stated
from ..knowledge.district import Business, District
from ..knowledge.materials import When
from .applicant import applicant_checks
from .businesses import business_checks, contract
from .context import Case
from .employer import employer_checks
from .labels import BUSINESS, money
from .materials import WHEN_FIELDS, applies, checklist
from .profile import Profile
from .result import Assessment, Check, Deadline, confirm_all, decide, failed
from .workdays import WorkCalendar

# The order questions are worth asking in: knock-outs first (one answer can end the case:
# hukou — which also settles the nationality —, age, months with the employer), then what
# decides the category and the income floor, then the housing and the contract. The category
# comes before the employer's form and sector because it decides whether they matter at all
# (the 1.2×/1.5× floor and the sector test apply to some categories only). What only tailors
# the checklist (children, marital status, a degree from abroad) is asked after the verdict.
FIELD_ORDER = [
    "district",
    "business",
    "permit_expiry",
    "hukou",
    "nationality",
    "age",
    "gender",
    "criminal_record",
    "months_employed",
    "degree",
    "work_years",
    "category",
    "employer_form",
    "employer_sector",
    "title",
    "annual_incomes",
    "monthly_income",
    "housing",
    "lease_months_left",
    "social_insurance_continuous",
    "same_employer_for_tax",
    "contract_months_left",
    "declared",
    "info_change",
    "children",
    "child_age",
    "marital",
    "degree_abroad",
    "employer_registered_months",
    "employer_capital",
    "employer_annual_tax",
    "employer_tax_3y",
    "employer_strategic_startup",
    "employer_staff",
    "employer_has_quota",
    "employer_real_estate_dev",
]


def _ordered(fields: list[str]) -> list[str]:
    return sorted(dict.fromkeys(fields), key=lambda f: FIELD_ORDER.index(f) if f in FIELD_ORDER else len(FIELD_ORDER))


def tailoring_fields(business: Business, profile: Profile) -> list[str]:
    """Unanswered fields that would change the checklist (not the verdict)."""
    wanted: list[str] = []
    for ref in business.materials:
        unknown = [key for key, value in ref.when if value is not None and getattr(profile, WHEN_FIELDS[key]) is None]
        if not unknown:
            continue
        known_part = When(**{k: v for k, v in ref.when if k not in unknown and v is not None})
        if applies(known_part, profile):
            wanted += [WHEN_FIELDS[k] for k in unknown]
    return _ordered(wanted)


def office_line(district: District) -> str:
    """Name, phones and address; where the guide gives none, say so and give the web entry."""
    office = district.office
    parts = office.reach()
    if office.hours:
        parts.append(office.hours)
    if not office.phones and not office.address:
        parts.append("指南未提供电话和地址" if district.coverage == "full" else "本助手未收录其联系方式")
        if office.web:
            parts.append("网上办理 " + office.web)
        parts.append("可拨打北京市政务服务便民热线 12345 查询")
    return "；".join(parts)


def _dependents(case: Case, district: District) -> tuple[list[Check], list[str]]:
    p = case.profile
    if district.applicant is None:
        return [], []
    deps = district.applicant.dependents
    checks: list[Check] = []
    advice: list[str] = []
    # children to add: a number of them, or (the number not asked) the age of one
    if p.children if p.children is not None else p.child_age is not None:
        age_check, age_advice = _child_age(district, deps.child_max_age, p.child_age, p.business)
        checks += age_check
        advice += age_advice
        checks += confirm_all("children", deps.child_conditions)
    if p.marital == "married" and deps.spouse_allowed.value is not None and not deps.spouse_allowed.value:
        advice.append("2021年系统升级后配偶不能再作为随往人员办理，只可随往未满18周岁的子女。")
    return checks, advice


def _child_age(district: District, limit: Stated[int], age: int | None, business: str) -> tuple[list[Check], list[str]]:
    """A child to accompany must be under the district's age limit. Where the figure is not
    the district's own guide's (Tongzhou's comes from the 2021 system upgrade the README
    records) its note says so; where the knowledge keeps no figure (Chaoyang: the guide is
    silent, the README's 18 only an alternative) an older child is the office's to answer.
    An age not stated stays a condition to confirm: it is never asked of everyone."""
    if limit.value is None:
        other = next((a for a in limit.alternatives if a.value is not None), None)
        if age is None or other is None or other.value is None:
            return [], []
        said = f"子女 {age} 周岁；{limit.note}另据所附来源，只可随往未满 {other.value} 周岁的子女，以区办公室答复为准"
        if age < other.value:
            return [Check("children", "pass", said, other.source)], []
        ask = f"{age} 周岁的子女能否随往，请先向区办公室确认。"
        return [Check("children", "confirm", said, other.source, advice=ask, refer=True)], []
    from_guide = (limit.source or "").split(" ", 1)[0] == district.guide
    need = f"随往子女须未满 {limit.value} 周岁" + (
        "" if from_guide or not limit.note else f"（{limit.note.rstrip('。')}）"
    )
    if age is None:
        return [Check("children", "confirm", need, limit.source)], []
    if age < limit.value:
        return [Check("children", "pass", f"子女 {age} 周岁；{need}", limit.source)], []
    only = f"只能为未满 {limit.value} 周岁的子女办理随往（{limit.source}）；{age} 周岁的子女不能作为随往人员。"
    if business == "dependent_change":  # the business is the child: it cannot be done
        return [failed("children", f"子女 {age} 周岁：{need}", limit.source, only)], []
    # the applicant's own permit does not depend on the child: said, not refused
    own = "您本人的申请不受影响，申请时不填报该子女即可。"
    return [Check("children", "confirm", f"子女 {age} 周岁，不能随往：{need}", limit.source)], [only + own]


def _as_declared(check: Check, declared: Sequence[str]) -> Check:
    """An open condition the applicant declared met, as the guide states it, passes as declared."""
    if check.status == "unknown" and check.needs and set(check.needs) <= set(declared):
        return Check(check.id, "pass", f"您已确认：{check.message}", check.source, party=check.party)
    return check


def _for_unit(checks: list[Check]) -> list[Check]:
    """Conditions on the unit are the HR staff's to confirm, not the applicant's."""
    for check in checks:
        check.party = "unit"
    return checks


def _refer(case: Case, district: District, why: str, checks: list[Check]) -> Assessment:
    return Assessment(
        district.id,
        case.profile.business,
        case.date,
        "refer",
        checks,
        [],
        [],
        [],
        [why, "请联系：" + office_line(district)],
        case.knowledge.city.disclaimer,
        _context(case, district),
    )


def _context(case: Case, district: District) -> dict[str, Any]:
    wage = case.wage
    return {
        "district_name": district.name,
        "business_name": BUSINESS.get(case.profile.business, case.profile.business),
        "guide": district.guide,
        "guide_date": district.guide_date,
        "office": district.office,
        "office_line": office_line(district),
        "wage": wage,
    }


def assess(
    knowledge: Knowledge, profile: Profile, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> Assessment:
    date = profile.on(today or dt.date.today())
    case = Case(knowledge, profile, date, calendar or WorkCalendar(knowledge.holidays))
    district = case.district

    # (models.District requires employer and applicant conditions of a full district: the test
    # of them only narrows the types)
    if district.coverage != "full" or district.employer is None or district.applicant is None:
        checks = confirm_all("city", knowledge.city.baseline_conditions)
        return _refer(
            case,
            district,
            f"本助手尚未收录{district.name}的办事指南：该区的工作年限、收入倍数、续签时限等"
            "具体标准未知，请直接向区主管部门确认。",
            checks,
        )
    business = district.businesses.get(profile.business)
    if business is None or not business.described:
        note = business.note if business else "指南未说明该业务"
        return _refer(case, district, f"{district.name}指南未描述“{BUSINESS[profile.business]}”业务：{note}", [])

    deadlines: list[Deadline] = []
    if profile.business == "new":
        checks = applicant_checks(case, district.applicant)
        checks += _for_unit(employer_checks(case, district.employer, applicant=True))
        checks += contract(case, business.contract_months_left)
        checks += confirm_all("condition", business.conditions)
    elif profile.business in ("unit_account", "unit_district_change"):
        # the unit's own business: every condition is HR's to confirm
        checks = _for_unit(employer_checks(case, district.employer, applicant=False))
        checks += _for_unit(confirm_all("condition", business.conditions))
    else:
        checks, deadlines = business_checks(case, business)
    more, dep_advice = _dependents(case, district)
    checks += more

    stated = {c.id for c in checks}
    checks = [_as_declared(c, profile.declared) for c in checks if c.same_as not in stated]
    verdict, missing = decide(checks)
    missing = _ordered(missing)
    advice = [c.advice for c in checks if c.status == "fail" and c.advice]
    advice += [c.advice for c in checks if c.refer and c.advice]
    advice += dep_advice
    wage = case.wage
    if wage.provisional and any(c.id == "income" for c in checks):
        advice.append(
            f"{wage.year}年平均工资尚未公布，暂参照{wage.published_year}年 {money(wage.value)} 元计算；"
            "新数据公布后门槛可能调整。"
        )
    if any(not d.certain for d in deadlines):
        # the days counted back run from an estimated deadline to the expiry
        span = [d.date for d in deadlines if not d.certain or d.id == "expires"]
        if all(case.calendar.counts_statutory_days(day) for day in span):
            advice.append(
                "截止日期所在年度的国务院节假日安排（调休、补假）尚未公布，已按《全国年节及纪念日放假办法》"
                "规定的法定节假日和周末计算；安排公布后日期可能提前，请以国务院公布的安排为准，并向区办公室确认。"
            )
        else:
            advice.append(
                "截止日期所在年度的法定节假日安排尚未收录，工作日按周一至周五估算，请以国务院公布的安排为准。"
            )
    if verdict in ("ineligible", "refer", "needs_more_info") or any(c.status == "confirm" for c in checks):
        advice.append("如有疑问请联系：" + office_line(district))
    # The checklist of the category the answers settled, though its question was never asked.
    listed = profile.model_copy(update={"category": case.inferred_category}) if case.inferred_category else profile
    assessment = Assessment(
        district.id,
        profile.business,
        date,
        verdict,
        checks,
        missing,
        checklist(business, knowledge.materials, listed),
        deadlines,
        advice,
        knowledge.city.disclaimer,
        _context(case, district),
    )
    assessment.context["tailoring"] = tailoring_fields(business, listed)
    if business.processing_working_days is not None and business.processing_working_days.value is not None:
        assessment.context["processing_working_days"] = business.processing_working_days.value
    return assessment
