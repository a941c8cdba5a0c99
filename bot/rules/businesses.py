"""Checks and deadlines of the businesses other than a new application."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..knowledge.cited import Condition, Stated
from ..knowledge.district import Business, TaxBreak
from .applicant import add_months, age, meets_minimum, months_employed, same_employer
from .context import Case
from .employer import employer_checks, quota_check
from .labels import INFO_CHANGE, money
from .result import Check, Deadline, confirm_all, failed, unknown
from .wages import wage_for_year

# A contract with no end date is read as this many months (dialogs/interview.yaml open_ended):
# more than any minimum, and said as what it is.
OPEN_ENDED_MONTHS = 1200


def contract(case: Case, rule: Stated[int] | None) -> list[Check]:
    if rule is None:
        return []
    if rule.value is None:
        return [Check("contract", "confirm", f"劳动合同剩余期限：{rule.note}", rule.source)]
    # Where the district's sources differ, say so: the stricter figure is the one applied.
    others = "".join(
        f"（另一来源为 {a.value} 个月：{a.source}；本助手按较严的 {rule.value} 个月）"
        for a in rule.alternatives
        if a.value is not None and a.value != rule.value
    )
    left = case.profile.contract_months_left
    need = f"劳动合同剩余期限须{'大于' if rule.exclusive else '不少于'} {rule.value} 个月{others}"
    if left is None:
        return [unknown("contract", need, rule.source, "contract_months_left")]
    if meets_minimum(left, rule):
        held = "无固定期限劳动合同" if left >= OPEN_ENDED_MONTHS else f"劳动合同剩余 {left:g} 个月"
        return [Check("contract", "pass", f"{held}；{need}", rule.source)]
    renew = f"请先与单位续订劳动合同，使剩余期限{'超过' if rule.exclusive else '不少于'} {rule.value} 个月后再提交。"
    return [failed("contract", f"劳动合同剩余 {left:g} 个月；{need}", rule.source, renew)]


def continuous_tax(case: Case, period: Stated[int] | None, rule: TaxBreak | None) -> list[Check]:
    """The Beijing tax and social insurance of the period the renewal checks. What the condition
    says, what a break leads to and what the applicant is told are the district's (its guide's)
    own: a break is refused only where the guide states continuity, else the office decides."""
    if period is None or rule is None:
        return []
    if period.value is None:
        return [Check("continuous_tax", "confirm", f"持证期间个税社保：{period.note}", period.source)]
    source = rule.continuous.source or period.source
    v = case.profile.social_insurance_continuous
    if v is None:
        return [unknown("continuous_tax", rule.text, source, "social_insurance_continuous")]
    if v:
        return [Check("continuous_tax", "pass", rule.text, source)]
    message = f"个税或社保有中断：{rule.text}"
    cited = "；".join(dict.fromkeys(s for s in (source, rule.advice_source) if s))
    if rule.on_break == "fail":
        return [failed("continuous_tax", message, cited, rule.advice)]
    return [Check("continuous_tax", "confirm", message, cited, advice=rule.advice, refer=True)]


def renewal_income(case: Case, business: Business) -> list[Check]:
    """The income over the permit's 36 months, each month (or year) against the figure of its
    own year: "当年新办要求" (Tongzhou), "上年度" wage (Dongcheng's checklist). The months span
    several wage years, so a figure between the lowest and the highest requirement depends on
    the year of the lowest month: the office decides that, not a guess."""
    rule = business.income_multiple
    if rule is None:
        return []
    if rule.value is None:
        return [Check("income", "confirm", f"续签收入要求：{rule.note}", rule.source)]
    needs = held_period_thresholds(case, rule.value)
    hi_year = max(needs, key=lambda y: (needs[y], y))
    lo_year = min(needs, key=lambda y: (needs[y], -y))
    every = "每月" if business.income_every_month else "持证期间每年月均"
    lowest = "最低月应税收入" if business.income_every_month else "月均应税收入最低的一年"
    per_year = "，".join(f"{y}年 {money(n)} 元" for y, n in sorted(needs.items()))
    basis = f"{every}应税收入 ≥ 当年适用的上一年度平均工资 × {rule.value:g}（持证期间各年：{per_year}）"
    income = case.profile.monthly_income
    if income is None:
        return [unknown("income", basis, rule.source, "monthly_income")]
    if income >= needs[hi_year]:
        return [Check("income", "pass", f"{lowest} {money(income)} 元；{basis}", rule.source)]
    if income < needs[lo_year]:
        return [
            failed(
                "income",
                f"{lowest} {money(income)} 元，低于各年要求中最低的 {money(needs[lo_year])} 元",
                rule.source,
                f"续签要求{basis}；还差 {money(needs[lo_year] - income)} 元。",
            )
        ]
    met = "、".join(f"{y}年 {money(n)} 元" for y, n in sorted(needs.items()) if income >= n)
    unmet = "、".join(f"{y}年 {money(n)} 元" for y, n in sorted(needs.items()) if income < n)
    return [
        Check(
            "income",
            "confirm",
            f"{lowest} {money(income)} 元：达到 {met} 的标准，未达到 {unmet}",
            rule.source,
            advice=f"是否达标取决于最低的月份在哪一年（{basis}），请向区办公室确认。",
            refer=True,
        )
    ]


def held_period_thresholds(case: Case, multiple: float) -> dict[int, float]:
    """The threshold of each calendar year the permit's 36 months touch: from three years
    before its expiry (when it was issued) to the application, or the 36 months before the
    application while the expiry is not known."""
    table = case.knowledge.wages
    expiry = case.profile.permit_expiry
    first = add_months(expiry, -36) if expiry is not None else add_months(case.date, -36)
    months = max(1, (case.date.year - first.year) * 12 + case.date.month - first.month)
    years = sorted({add_months(case.date, -k).year for k in range(1, months + 1)} | {first.year})
    return {y: wage_for_year(table, y + table.measured_year_offset).threshold(multiple) for y in years}


def permit_valid(case: Case, what: str, source: str | None) -> list[Check]:
    """Every business on a held permit needs it still valid (cited to the business's section)."""
    expiry = case.profile.permit_expiry
    if expiry is None:
        return [unknown("permit_valid", f"{what}须在工作居住证有效期内办理", source, "permit_expiry")]
    if expiry < case.date:
        return [
            failed(
                "permit_valid",
                f"工作居住证已于 {expiry.isoformat()} 到期失效",
                source,
                "证件过期后无法恢复，也不能续签或变更，需按新办重新申请。",
            )
        ]
    return [Check("permit_valid", "pass", f"证件有效期至 {expiry.isoformat()}", source)]


def timing(case: Case, business: Business, what: str) -> tuple[list[Check], list[Deadline]]:
    """The filing window before expiry; a late filing is a referral, an expired permit a fail."""
    expiry = case.profile.permit_expiry
    t = business.timing
    if t is None or expiry is None or expiry < case.date:
        return [], []
    deadlines = [Deadline("expires", expiry, "证件有效期截止")]
    checks: list[Check] = []
    opens = None
    if t.window_months_before_expiry is not None and t.window_months_before_expiry.value is not None:
        months = t.window_months_before_expiry.value
        opens = add_months(expiry, -months)
        deadlines.insert(0, Deadline("window_opens", opens, f"{what}窗口开启（到期前 {months} 个月）"))
    elif t.window_days_before_expiry.value is not None:
        opens = expiry - dt.timedelta(days=t.window_days_before_expiry.value)
        deadlines.insert(
            0, Deadline("window_opens", opens, f"{what}窗口开启（有效期满前 {t.window_days_before_expiry.value} 日）")
        )
    submit_rule = (
        t.submit_working_days_before_expiry
        if t.submit_working_days_before_expiry.value is not None
        else t.review_working_days
    )
    phone = case.district.office.phones[0].number if case.district.office.phones else "12345"
    submit_by, certain = None, True
    if submit_rule.value is not None:
        submit_by, certain = case.calendar.working_days_before(expiry, submit_rule.value)
        label = f"最晚提交日（预留 {submit_rule.value} 个工作日审核）"
        if t.window_unclear:
            label += f"；何时可以开始提交指南未说明，请先致电区办公室（{phone}）确认"
        if not certain:
            label += "；该年度法定节假日安排尚未收录，日期可能提前，请以官方日历为准"
        deadlines.insert(len(deadlines) - 1, Deadline("submit_by", submit_by, label, certain))
    window = t.window_months_before_expiry if t.window_months_before_expiry is not None else t.window_days_before_expiry
    source = (submit_rule.source if submit_rule.value is not None else None) or window.source
    if t.window_unclear and not (submit_by and case.date > submit_by):
        # Only the last day is certain: never "now" before the office has said the window is open.
        sure = "此日期确定" if certain else "该年度节假日安排公布后以官方日历为准"
        last = (
            f"最晚提交日 {submit_by.isoformat()}（到期前须预留 {submit_rule.value} 个工作日审核，{sure}）"
            if submit_by
            else f"须在证件到期（{expiry.isoformat()}）前提交"
        )
        checks.append(
            Check(
                "timing",
                "confirm",
                f"{what}：{last}；何时可以开始提交指南未说明，请致电区办公室（{phone}）确认开放日期",
                source,
            )
        )
    elif opens and case.date < opens:
        checks.append(
            Check(
                "timing",
                "confirm",
                f"{what}窗口 {opens.isoformat()} 开启，请在 "
                f"{opens.isoformat()} 至 {(submit_by or expiry).isoformat()} 之间提交",
                source,
            )
        )
    elif submit_by and case.date > submit_by:
        checks.append(
            Check(
                "timing",
                "confirm",
                f"已晚于最晚提交日 {submit_by.isoformat()}，审核可能来不及在到期前完成",
                source,
                advice="请立即联系区办公室说明情况，确认能否在证件到期前完成审核。",
                refer=True,
            )
        )
    else:
        until = submit_by or expiry
        checks.append(Check("timing", "pass", f"现在可以提交，最晚 {until.isoformat()}", source))
    return checks, deadlines


def _is_age_condition(condition: Condition) -> bool:
    """A business condition that restates the applicant age limit (e.g. BDA's renewal
    condition ``bda_ren_age``): the rules decide it from the profile instead of asking."""
    return condition.id == "age" or condition.id.endswith("_age")


def change_described(case: Case, business: Business) -> list[Check]:
    """An information change the guide lists no material for is one it does not describe:
    the office has to say what to upload, so the answer is a referral, not a guess."""
    kind = case.profile.info_change
    if kind is None:
        return [
            unknown(
                "info_change",
                "需说明变更事项（居住地址、户口、学历学位、职称等），所需材料因事项而异",
                business.source,
                "info_change",
            )
        ]
    if any(ref.when.change and kind in ref.when.change for ref in business.materials):
        return []
    return [
        Check(
            "info_change",
            "confirm",
            f"本区指南未列出变更“{INFO_CHANGE[kind]}”所需的材料",
            business.source,
            advice=f"变更{INFO_CHANGE[kind]}所需材料请先向区办公室确认。",
            refer=True,
        )
    ]


def _new_employer(message: str) -> str:
    """A unit condition read as one the new employer must meet."""
    return "新聘用" + message if message.startswith("单位") else "新聘用单位：" + message


def business_checks(case: Case, business: Business) -> tuple[list[Check], list[Deadline]]:
    """Checks of renewal, employer change, info and dependant change."""
    p = case.profile
    bid = p.business
    checks: list[Check] = []
    names = {
        "renewal": "续签",
        "employer_change": "聘用单位变更",
        "info_change": "信息变更",
        "dependent_change": "随往人员变更",
    }
    what = names.get(bid, "办理")
    checks += permit_valid(case, what, business.source)
    more, deadlines = timing(case, business, what)
    checks += more
    district = case.district
    age_rule = [c for c in business.conditions if _is_age_condition(c)]
    if age_rule and district.applicant:
        checks += [dataclasses.replace(c, source=age_rule[0].source) for c in age(case, district.applicant)]
    if bid == "renewal":
        checks += continuous_tax(case, business.continuous_tax_months, business.tax_break)
        checks += same_employer(case, district.applicant.same_employer_required if district.applicant else None)
        checks += renewal_income(case, business)
    if bid == "employer_change" and business.months_with_new_employer is not None:
        checks += months_employed(
            case, business.months_with_new_employer, "months_with_new_employer", "在新单位缴纳社保"
        )
    if bid == "info_change":
        checks += change_described(case, business)
    if district.employer is not None:
        rule = business.employer_conditions
        if rule is not None and rule.value:
            # The unit conditions hold for this business too: the employer's own, to confirm.
            checks += [
                dataclasses.replace(c, message=_new_employer(c.message)) if c.status == "confirm" else c
                for c in employer_checks(case, district.employer, applicant=True)
            ]
        else:
            checks += quota_check(case, district.employer)
    checks += contract(case, business.contract_months_left)
    checks += confirm_all("condition", [c for c in business.conditions if c not in age_rule])
    return checks, deadlines
