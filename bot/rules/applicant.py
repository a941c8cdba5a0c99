"""Applicant conditions of a new application, one small function per condition.

Each function reads the district's parameters and the profile and returns Checks. A check
is ``unknown`` only while a profile field that could change it is missing; conditions no
field covers come back as ``confirm``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import get_args

from ..knowledge.cited import Stated
from ..knowledge.eligibility import ApplicantConditions, Category, IncomeMultiple
from ..knowledge.vocabulary import BEIJING_HUKOU, DEGREE_RANK, TITLE_RANK, Degree, EmployerForm
from .context import Case
from .labels import CATEGORY, DEGREE, EMPLOYER_FORM, HOUSING, HUKOU, SECTOR, TITLE, money
from .result import Check, confirm_all, failed, unknown

EMPLOYER_FORMS: tuple[EmployerForm, ...] = get_args(EmployerForm)


def meets_minimum(value: float, rule: Stated[int]) -> bool:
    """``value`` meets the rule's minimum: at least it, or more than it where the guide says
    "more than" (``exclusive``, knowledge/README.md). One comparison for every months-left rule."""
    assert rule.value is not None
    return value > rule.value or (value == rule.value and not rule.exclusive)


def nationality_and_hukou(case: Case, rules: ApplicantConditions) -> list[Check]:
    checks = []
    nat = rules.excluded_nationality
    if nat.value is not None and nat.value:
        if case.profile.nationality is None:
            checks.append(unknown("nationality", "需确认国籍：非中国籍人员不在受理范围", nat.source, "nationality"))
        elif case.profile.nationality in nat.value:
            checks.append(
                failed(
                    "nationality",
                    "非中国籍人员不在本区受理范围",
                    nat.source,
                    "外籍人才请咨询外国人工作许可及人才签证相关业务。",
                )
            )
        else:
            checks.append(Check("nationality", "pass", "中国籍", nat.source))
    elif nat.value is None and case.profile.nationality == "foreign":
        # A guide written for holders of a Chinese hukou book that does not mention foreigners
        # is no reason to tell one they qualify: the office has to answer.
        checks.append(
            Check(
                "nationality",
                "confirm",
                f"外籍人员：{nat.note}",
                nat.source,
                advice="外籍人员能否办理请先向区办公室确认。",
                refer=True,
            )
        )
    hk = rules.excluded_hukou
    if hk.value is not None and hk.value:
        excluded = "、".join(HUKOU[h] for h in hk.value)
        if case.profile.hukou is None:
            checks.append(unknown("hukou", f"需确认户籍：{excluded}不在受理范围", hk.source, "hukou"))
        elif case.profile.hukou in hk.value:
            checks.append(
                failed(
                    "hukou",
                    f"{HUKOU[case.profile.hukou]}不在受理范围（本区排除：{excluded}）",
                    hk.source,
                    "工作居住证面向非北京市户籍人员；户籍情况特殊的请先向区办公室咨询。",
                )
            )
        else:
            checks.append(Check("hukou", "pass", f"户籍：{HUKOU[case.profile.hukou]}", hk.source))
    elif hk.value is None:
        if case.profile.hukou is None:
            # A Beijing (collective, school) hukou is referred below: the answer decides, so ask.
            checks.append(unknown("hukou", f"户籍限制：{hk.note}", hk.source, "hukou"))
        else:
            checks.append(Check("hukou", "confirm", f"户籍限制：{hk.note}", hk.source))
    hukou = case.profile.hukou
    if hukou in BEIJING_HUKOU and not any(c.id == "hukou" and c.status == "fail" for c in checks):
        # The permit exists for people without a Beijing hukou (a collective or a school's
        # temporary hukou is one too); a guide that does not say so outright is no reason to
        # tell them they qualify: the office answers.
        checks = [c for c in checks if c.id != "hukou"]
        advice = (
            "北京户籍人员通常无需办理工作居住证，请向区办公室确认。"
            if hukou == "beijing"
            else f"{HUKOU[hukou]}能否办理工作居住证，请先向区办公室确认后再准备材料。"
        )
        checks.append(
            Check(
                "hukou",
                "confirm",
                f"{HUKOU[hukou]}：工作居住证面向非北京市户籍人员，本区指南未说明{HUKOU[hukou]}能否办理",
                hk.source,
                advice=advice,
                refer=True,
            )
        )
    return checks


def age(case: Case, rules: ApplicantConditions) -> list[Check]:
    limit = rules.age_max
    if limit is None:
        return [Check("age", "confirm", f"年龄：{rules.age_note}", None)]
    p = case.profile
    if p.age is None:
        return [unknown("age", f"年龄上限：男性 {limit.male} 周岁、女性 {limit.female} 周岁", limit.source, "age")]
    # Below every cap (the female-worker one included) the gender does not matter.
    if p.age <= min(limit.male, limit.female, limit.female_worker or limit.female):
        return [Check("age", "pass", f"{p.age} 周岁，未超过年龄上限", limit.source)]
    if p.gender is None:
        return [
            unknown(
                "age", f"{p.age} 周岁：年龄上限男女不同（男 {limit.male}、女 {limit.female}）", limit.source, "gender"
            )
        ]
    cap = limit.male if p.gender == "male" else limit.female
    who = "男性" if p.gender == "male" else "女性"
    if p.age > cap:
        return [
            failed(
                "age", f"{who}不超过 {cap} 周岁，现 {p.age} 周岁", limit.source, "已超过本区规定的年龄上限，无法办理。"
            )
        ]
    msg = f"{who} {p.age} 周岁，未超过 {cap} 周岁"
    if p.gender == "female" and limit.female_worker:
        return [Check("age", "confirm", msg + f"（工人身份女性上限为 {limit.female_worker} 周岁）", limit.source)]
    return [Check("age", "pass", msg, limit.source)]


def criminal_record(case: Case, rules: ApplicantConditions) -> list[Check]:
    rule = rules.criminal_record_excluded
    if rule.value is None or not rule.value:
        return []
    if case.profile.criminal_record is None:
        return [unknown("criminal_record", "需无刑事犯罪记录", rule.source, "criminal_record")]
    if case.profile.criminal_record:
        return [failed("criminal_record", "有刑事犯罪记录的不予办理", rule.source, "本区要求申请人无刑事犯罪记录。")]
    return [Check("criminal_record", "pass", "无刑事犯罪记录", rule.source)]


def months_employed(
    case: Case, rule: Stated[int], check_id: str = "months_employed", what: str = "在申请单位工作（社保记录）"
) -> list[Check]:
    if rule.value is None:
        return [Check(check_id, "confirm", f"{what}时长：{rule.note}", rule.source)]
    p = case.profile
    if p.months_employed is None:
        return [unknown(check_id, f"{what}需满 {rule.value} 个月", rule.source, "months_employed")]
    if p.months_employed >= rule.value:
        return [Check(check_id, "pass", f"{what}已满 {p.months_employed} 个月（要求 {rule.value} 个月）", rule.source)]
    short = rule.value - p.months_employed
    from_date = add_months(case.date, short)
    return [
        failed(
            check_id,
            f"{what}仅 {p.months_employed} 个月，需满 {rule.value} 个月",
            rule.source,
            f"再满 {short} 个月后，即约 {from_date.isoformat()} 起可申请（以社保实际缴费记录为准）。",
            met_from=from_date,
        )
    ]


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def category(case: Case, rules: ApplicantConditions) -> list[Check]:
    p = case.profile
    offered = {c.id: c for c in rules.categories}
    if p.category is None:
        routed = _degree_route(case, rules)
        if routed is not None:
            return routed
        names = "、".join(f"{c.number}.{CATEGORY[c.id]}" for c in rules.categories)
        return [unknown("category", f"需符合以下条件之一：{names}", None, "category")]
    cat = offered.get(p.category)
    if cat is None:
        return [
            failed(
                "category",
                f"本区不设“{CATEGORY[p.category]}”类别",
                None,
                "请改按本区列出的其他类别申请：" + "、".join(CATEGORY[c] for c in offered),
            )
        ]
    return _category_test(case, cat)


def _degree_route(case: Case, rules: ApplicantConditions) -> list[Check] | None:
    """Most applicants qualify by degree and years of work: those two answers come first, and
    the category question is asked only when they do not settle it (None)."""
    found = next(((c, c.test.min_degree) for c in rules.categories if c.test.min_degree is not None), None)
    if found is None:
        return None
    cat, min_degree = found
    p = case.profile
    if p.degree is None or (p.work_years is None and DEGREE_RANK[p.degree] >= DEGREE_RANK[min_degree]):
        # unknown: asks the degree, then the years; the category itself should those go unanswered
        open_check = _degree_test(case, cat, min_degree, "category")
        return [dataclasses.replace(c, needs=[*c.needs, "category"]) for c in open_check]
    checks = _degree_test(case, cat, min_degree, f"category_{cat.id}")
    if all(c.status == "pass" for c in checks):
        case.inferred_category = cat.id
        return checks
    return None


def _category_test(case: Case, cat: Category) -> list[Check]:
    p, t = case.profile, cat.test
    cid = f"category_{cat.id}"
    title = f"第{cat.number}类：{cat.title}"
    if t.min_degree is not None:
        return _degree_test(case, cat, t.min_degree, cid)
    if t.min_title is not None:
        if p.title is None:
            return [unknown(cid, title, cat.source, "title")]
        if TITLE_RANK[p.title] >= TITLE_RANK[t.min_title]:
            return [Check(cid, "pass", f"{TITLE[p.title]}，符合{title}", cat.source)]
        return [
            failed(
                cid,
                f"{TITLE[p.title]}，未达到{TITLE[t.min_title]}及以上",
                cat.source,
                f"取得{TITLE[t.min_title]}及以上专业技术职称或相当资格后可按此类申请；或改按其他类别。",
            )
        ]
    if t.annual_income_multiple is not None:
        return _income_category_test(case, cat, t.annual_income_multiple, cid)
    return [Check(cid, "confirm", f"{title}：{t.confirm or '以所交材料为准'}", cat.source)]


def _degree_test(case: Case, cat: Category, min_degree: Degree, cid: str) -> list[Check]:
    p = case.profile
    need_years = cat.test.min_work_years or 0
    if p.degree is None:
        return [unknown(cid, f"需{DEGREE[min_degree]}及以上学位并有 {need_years} 年以上工作经历", cat.source, "degree")]
    if DEGREE_RANK[p.degree] < DEGREE_RANK[min_degree]:
        return [
            failed(
                cid,
                f"{DEGREE[p.degree]}，未达到{DEGREE[min_degree]}及以上学位",
                cat.source,
                "学位类需学士及以上学位；可考虑按中级及以上职称等其他类别申请。",
            )
        ]
    if p.work_years is None:
        return [unknown(cid, f"{DEGREE[p.degree]}学位，需 {need_years} 年以上工作经历", cat.source, "work_years")]
    if p.work_years < need_years:
        return [
            failed(
                cid,
                f"工作经历 {p.work_years:g} 年，需 {need_years} 年以上",
                cat.source,
                f"工作经历满 {need_years} 年后可按学位类申请。",
            )
        ]
    return [Check(cid, "pass", f"{DEGREE[p.degree]}学位，工作经历 {p.work_years:g} 年", cat.source)]


def _income_category_test(case: Case, cat: Category, multiple: float, cid: str) -> list[Check]:
    p, t = case.profile, cat.test
    checks: list[Check] = []
    if t.sectors:
        sectors = "、".join(SECTOR[s] for s in t.sectors)
        if p.employer_sector is None:
            checks.append(unknown(cid + "_sector", f"须在{sectors}中工作", cat.source, "employer_sector"))
        elif p.employer_sector not in t.sectors:
            checks.append(
                failed(
                    cid + "_sector",
                    f"申请单位为{SECTOR[p.employer_sector]}，本类要求{sectors}",
                    cat.source,
                    "此类别仅适用于相应类型单位的员工，可改按其他类别申请。",
                )
            )
        else:
            checks.append(Check(cid + "_sector", "pass", f"申请单位属于{SECTOR[p.employer_sector]}", cat.source))
    years = list(range(case.date.year - (t.years or 3), case.date.year))
    wage = case.wage
    annual = wage.annual(multiple)
    label = (
        f"近 {len(years)} 年（{years[0]}–{years[-1]}）每年应税收入超过平均工资 {multiple:g} 倍（{money(annual)} 元/年）"
    )
    incomes = p.annual_incomes or {}
    missing_years = [y for y in years if y not in incomes]
    low = [y for y in years if y in incomes and incomes[y] <= annual]
    if low:
        worst = min(low, key=lambda y: incomes[y])
        checks.append(
            failed(
                cid,
                f"{worst} 年应税收入 {money(incomes[worst])} 元，未超过 {money(annual)} 元",
                cat.source,
                f"{label}；{worst} 年还差 {money(annual - incomes[worst] + 1)} 元。可改按其他类别申请。",
            )
        )
    elif missing_years:
        checks.append(unknown(cid, label, cat.source, "annual_incomes"))
    else:
        checks.append(Check(cid, "pass", label, cat.source))
    return checks


def income(case: Case, rules: ApplicantConditions) -> list[Check]:
    """The monthly-income floor (multiple × last year's average wage)."""
    p, rule = case.profile, rules.income
    if p.category is not None and p.category not in rule.categories:
        return []  # the category has its own income test (4×/8×) instead
    multiples = rule.multiples
    distinct = {m.multiple for m in multiples}
    chosen, lowest = None, ""
    if p.employer_form is not None:
        chosen = next((m for m in multiples if m.employer_forms is None or p.employer_form in m.employer_forms), None)
    elif len(distinct) == 1:
        chosen = multiples[0]
    wage = case.wage
    months = rule.months_checked.value
    period = f"近 {months} 个月" if months else "申报期"
    every = "每月" if rule.every_month else "月均"
    if chosen is None:
        if p.employer_form is not None:
            return [
                Check(
                    "income",
                    "confirm",
                    f"{EMPLOYER_FORM[p.employer_form]}的收入倍数指南未列明，请向区办公室确认",
                    rule.source,
                )
            ]
        low, high = min(distinct), max(distinct)
        msg = (
            f"月应税收入需达到上一年度平均工资的 {low:g}–{high:g} 倍（{money(wage.threshold(low))}–"
            f"{money(wage.threshold(high))} 元），倍数取决于单位性质"
        )
        needs = ["employer_form"] + ([] if p.monthly_income is not None else ["monthly_income"])
        if p.monthly_income is not None and wage.reaches(p.monthly_income, high):
            return [
                Check("income", "pass", f"月收入 {money(p.monthly_income)} 元，已达到最高倍数 {high:g} 倍", rule.source)
            ]
        if p.monthly_income is None or wage.reaches(p.monthly_income, low) or not _every_form_has_a_multiple(multiples):
            return [unknown("income", msg, rule.source, *needs)]
        # short of even the lowest multiple, which every employer form has: no answer to the
        # employer form can change the verdict, so it is not asked
        chosen = min(multiples, key=lambda m: m.multiple)
        lowest = "（各类单位中最低的标准）"
    need = wage.threshold(chosen.multiple)
    basis = (
        f"{period}{every}应税收入 ≥ 上一年度（{wage.year}年）平均工资 {money(wage.value)} 元 × {chosen.multiple:g}"
        f" = {money(need)} 元{'（暂参照' + str(wage.published_year) + '年数据）' if wage.provisional else ''}"
    )
    if p.monthly_income is None:
        return [unknown("income", basis, chosen.source, "monthly_income")]
    if wage.reaches(p.monthly_income, chosen.multiple):
        return [Check("income", "pass", f"月应税收入 {money(p.monthly_income)} 元；{basis}", chosen.source)]
    gap = need - p.monthly_income
    short = f"月应税收入 {money(p.monthly_income)} 元，低于 {money(need)} 元{lowest}"
    exempt = _exempt_from_income(case, rules)
    if exempt:
        return [unknown("income", f"{short}；{exempt}，请先确认申请类别", chosen.source, "category")]
    return [
        failed("income", short, chosen.source, f"月应税收入需达到 {money(need)} 元，还差 {money(gap)} 元（{basis}）。")
    ]


def _every_form_has_a_multiple(multiples: list[IncomeMultiple]) -> bool:
    """Every employer form is given a multiple (none is left to "ask the office")."""
    return all(any(m.employer_forms is None or form in m.employer_forms for m in multiples) for form in EMPLOYER_FORMS)


def _exempt_from_income(case: Case, rules: ApplicantConditions) -> str | None:
    """Whom the income floor leaves out, while the applicant has not named their category (a
    degree that settles category 1 is not their word that they apply by it): an income under
    the floor refuses nobody until the category says the floor is theirs. None: it is theirs."""
    if case.profile.category is not None:
        return None
    covered = [c.number for c in rules.categories if c.id in rules.income.categories]
    exempt = [c.number for c in rules.categories if c.id not in rules.income.categories]
    if not exempt:
        return None
    # the shorter list says it: Dongcheng's floor is for categories 1 and 2, BDA's for all but 4 and 5
    if len(covered) <= len(exempt):
        return f"本收入标准只适用于按第{'、'.join(map(str, covered))}类申请的人员"
    return f"本收入标准不适用于按第{'、'.join(map(str, exempt))}类申请的人员"


def housing(case: Case, rules: ApplicantConditions) -> list[Check]:
    rule = rules.housing_accepted
    if rule.value is None:
        return [Check("housing", "confirm", f"住所证明：{rule.note}", rule.source)]
    accepted = "、".join(HOUSING[h] for h in rule.value)
    h = case.profile.housing
    if h is None:
        return [unknown("housing", f"需在本市有合法稳定住所（住宅性质），可用：{accepted}", rule.source, "housing")]
    if h not in rule.value:
        return [
            failed(
                "housing", f"“{HOUSING[h]}”不在本区认可的住所证明之列", rule.source, f"本区认可的住所证明：{accepted}。"
            )
        ]
    lease = rules.lease_months_left
    if lease is None or h not in lease.housing:
        return [Check("housing", "pass", f"住所证明：{HOUSING[h]}（须为住宅性质）", rule.source)]
    if lease.value is None:
        # No minimum (e.g. "尚在租赁期限内"): the district's own words, nothing to ask.
        return [
            Check(
                "housing",
                "pass",
                f"住所证明：{HOUSING[h]}（须为住宅性质）；租赁合同：{lease.note}",
                lease.source or rule.source,
            )
        ]
    need = f"房屋租赁合同须尚有 {lease.value} 个月以上租赁期限"
    left = case.profile.lease_months_left
    if left is None:
        return [unknown("housing", f"住所证明：{HOUSING[h]}；{need}", lease.source, "lease_months_left")]
    if meets_minimum(left, lease):
        return [Check("housing", "pass", f"住所证明：{HOUSING[h]}；租赁合同还剩 {left:g} 个月（{need}）", lease.source)]
    extend = f"请先与房东续签或延长租赁合同，使剩余租期不少于 {lease.value} 个月后再申请；或改用本区认可的其他住所证明：{accepted}。"
    return [failed("housing", f"租赁合同还剩 {left:g} 个月；{need}", lease.source, extend)]


def same_employer(
    case: Case,
    rule: Stated[bool] | None,
    check_id: str = "same_employer",
    what: str = "劳动合同单位与个税、社保扣缴单位须为同一家（不得由第三方代缴）",
) -> list[Check]:
    if rule is None or rule.value is None or not rule.value:
        return []
    v = case.profile.same_employer_for_tax
    if v is None:
        return [unknown(check_id, what, rule.source, "same_employer_for_tax")]
    if not v:
        return [
            failed(
                check_id,
                "个税或社保由非合同单位（第三方）代扣代缴",
                rule.source,
                "须由签订劳动合同的申请单位直接发放工资并代扣个税、缴纳社保后再申请。",
            )
        ]
    return [Check(check_id, "pass", "合同单位与个税、社保扣缴单位一致", rule.source)]


def other_conditions(rules: ApplicantConditions) -> list[Check]:
    return confirm_all("other", rules.other)


def applicant_checks(case: Case, rules: ApplicantConditions) -> list[Check]:
    return [
        *nationality_and_hukou(case, rules),
        *age(case, rules),
        *criminal_record(case, rules),
        *months_employed(case, rules.months_employed),
        *same_employer(case, rules.same_employer_required),
        *category(case, rules),
        *income(case, rules),
        *housing(case, rules),
        *other_conditions(rules),
    ]
