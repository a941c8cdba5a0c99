"""Employer conditions: decided for an employer's own account opening, confirmed for applicants.

For an applicant the employer's eligibility is usually not theirs to know: a condition with
no input is a ``confirm`` check that does not hold the verdict back, while an input that
says it fails (``employer_has_quota: false``) decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..knowledge.cited import Stated
from ..knowledge.eligibility import EmployerConditions
from .applicant import add_months
from .context import Case
from .labels import EMPLOYER_FORM, money
from .result import Check, Status, confirm_all, failed


def _measure(
    check_id: str,
    rule: Stated[int] | Stated[float],
    field: str,
    have: float | None,
    label: str,
    unit: str,
    applicant: bool,
    fail_advice: str,
) -> list[Check]:
    """have >= rule.value, with the confirm/unknown behaviour for missing input."""
    if rule.value is None:
        return [Check(check_id, "confirm", f"{label}：{rule.note}", rule.source)]
    need = rule.value
    if have is None:
        status: Status = "confirm" if applicant else "unknown"
        return [
            Check(
                check_id, status, f"单位{label}须不少于 {money(need)} {unit}", rule.source, [] if applicant else [field]
            )
        ]
    if have >= need:
        return [Check(check_id, "pass", f"单位{label} {money(have)} {unit}（要求 ≥ {money(need)}）", rule.source)]
    return [
        failed(
            check_id,
            f"单位{label} {money(have)} {unit}，要求不少于 {money(need)} {unit}",
            rule.source,
            fail_advice.format(need=money(need), gap=money(need - have)),
        )
    ]


def _from_date(case: Case, need: int | None, have: float | None) -> str:
    """ "，约 2027-06-02 起": when the months still missing will have passed."""
    if need is None or have is None or have >= need:
        return ""
    return f"，约 {add_months(case.date, int(need - have + 0.999)).isoformat()} 起"


def _applies(applies_to: Sequence[str], form: str | None) -> bool | None:
    if not applies_to:
        return True
    if form is None:
        return None
    return form in applies_to


def employer_checks(case: Case, rules: EmployerConditions, applicant: bool) -> list[Check]:
    p = case.profile
    checks: list[Check] = []
    forms = rules.forms
    if forms.value is not None and p.employer_form is not None and p.employer_form not in forms.value:
        checks.append(
            failed(
                "employer_form",
                f"{EMPLOYER_FORM[p.employer_form]}不在本区可申请的单位类型之列",
                forms.source,
                "可申请的单位类型：" + "、".join(EMPLOYER_FORM[f] for f in forms.value),
            )
        )
    elif forms.value is not None and p.employer_form is not None:
        checks.append(Check("employer_form", "pass", f"单位类型：{EMPLOYER_FORM[p.employer_form]}", forms.source))
    elif not applicant and forms.value is not None:
        checks.append(Check("employer_form", "unknown", "需确认单位性质", forms.source, ["employer_form"]))

    checks += _measure(
        "employer_registered",
        rules.registered_months,
        "employer_registered_months",
        p.employer_registered_months,
        "在本区注册时间" if rules.registered_in_district else "注册成立时间",
        "个月",
        applicant,
        "注册满 {need} 个月后方可申请，还差 {gap} 个月"
        + _from_date(case, rules.registered_months.value, p.employer_registered_months)
        + "。",
    )
    if rules.tax_months.value is not None and rules.tax_months.value != rules.registered_months.value:
        checks.append(
            Check(
                "employer_tax_months",
                "confirm",
                f"单位须在本区缴纳税费满 {rules.tax_months.value} 个月",
                rules.tax_months.source,
            )
        )

    capital = rules.capital_wan
    applies = _applies(capital.applies_to, p.employer_form)
    if applies is not False:
        kind = "实缴资本" if capital.paid_in else "注册资本"
        checks += _measure(
            "employer_capital",
            capital,
            "employer_capital",
            p.employer_capital,
            kind,
            "万元",
            applicant,
            kind + "须达到 {need} 万元，还差 {gap} 万元。",
        )

    checks += _tax_check(case, rules, applicant)
    if rules.staff_min.value is not None:
        checks += _measure(
            "employer_staff",
            rules.staff_min,
            "employer_staff",
            p.employer_staff,
            "合法用工人数",
            "人",
            applicant,
            "近一年合法用工人数须达到 {need} 人，还差 {gap} 人。",
        )

    checks += quota_check(case, rules)

    industries = rules.excluded_industries
    if industries.value is not None and industries.value:
        real_estate = any("房地产" in i for i in industries.value)
        if real_estate and p.employer_real_estate_dev:
            checks.append(
                failed(
                    "employer_industry",
                    "经营范围含“房地产开发”的单位不能申请",
                    industries.source,
                    "经营范围含房地产开发的单位不在本区支持范围。",
                )
            )
        else:
            status: Status = (
                "pass"
                if real_estate and p.employer_real_estate_dev is False and len(industries.value) == 1
                else "confirm"
            )
            checks.append(
                Check("employer_industry", status, "经营范围不得含：" + "、".join(industries.value), industries.source)
            )
    if rules.branch_max_permits.value is not None and p.employer_form in (None, "branch"):
        checks.append(
            Check(
                "employer_branch_limit",
                "confirm",
                f"非法人分支机构申请工作居住证原则上不超过 {rules.branch_max_permits.value} 人",
                rules.branch_max_permits.source,
            )
        )
    checks += confirm_all("employer", rules.other)
    return checks


def quota_check(case: Case, rules: EmployerConditions) -> list[Check]:
    """The 新办指标, for the businesses the district requires it for."""
    quota, p = rules.quota_required, case.profile
    if not (quota.value is not None and quota.value and p.business in rules.quota_businesses):
        return []
    if p.employer_has_quota is False:
        return [
            failed(
                "employer_quota",
                "单位尚未取得工作居住证新办指标",
                quota.source,
                "单位须先按区里的通知申报并取得年度新办指标，才能办理此项业务。",
            )
        ]
    if p.employer_has_quota:
        return [Check("employer_quota", "pass", "单位已取得新办指标", quota.source)]
    if p.business == "unit_account":  # the employer's own application: ask, don't assume
        return [Check("employer_quota", "unknown", "单位须已取得办证指标", quota.source, ["employer_has_quota"])]
    what = "新办指标" if p.business == "new" else "办理指标（已申报年度办理需求并取得指标）"
    return [Check("employer_quota", "confirm", f"单位须已取得有效期内的工作居住证{what}", quota.source)]


def _tax_check(case: Case, rules: EmployerConditions, applicant: bool) -> list[Check]:
    p, tax = case.profile, rules.annual_tax_wan
    if tax.value is None:
        return [Check("employer_tax", "confirm", f"纳税额：{tax.note}", tax.source)]
    applies = _applies(tax.applies_to, p.employer_form)
    if applies is False:
        return []
    if tax.exempt_strategic_startup and p.employer_strategic_startup:
        return [
            Check(
                "employer_tax",
                "pass",
                "人工智能、集成电路、医药健康等战略新兴产业初创企业（成立5年内）对纳税额不作要求",
                tax.source,
            )
        ]
    alt = tax.three_year_alternative
    rule_text = f"上一年度纳税额不低于 {money(tax.value)} 万元" + (
        f"或近三年累计不低于 {money(alt)} 万元" if alt else ""
    )
    if p.employer_annual_tax is not None and p.employer_annual_tax >= tax.value:
        return [
            Check(
                "employer_tax", "pass", f"上一年度纳税 {money(p.employer_annual_tax)} 万元（{rule_text}）", tax.source
            )
        ]
    if alt and p.employer_tax_3y is not None and p.employer_tax_3y >= alt:
        return [
            Check("employer_tax", "pass", f"近三年累计纳税 {money(p.employer_tax_3y)} 万元（{rule_text}）", tax.source)
        ]
    if p.employer_annual_tax is not None and (not alt or p.employer_tax_3y is not None):  # decided: too low
        exempt = "；人工智能、集成电路、医药健康等初创企业（成立5年内）不作要求" if tax.exempt_strategic_startup else ""
        if tax.exempt_strategic_startup and p.employer_strategic_startup is None:
            return [
                Check(
                    "employer_tax",
                    "unknown" if not applicant else "confirm",
                    rule_text + exempt,
                    tax.source,
                    [] if applicant else ["employer_strategic_startup"],
                )
            ]
        return [
            failed(
                "employer_tax",
                f"单位纳税额未达到要求：{rule_text}",
                tax.source,
                f"上一年度纳税额须达到 {money(tax.value)} 万元，还差 {money(tax.value - p.employer_annual_tax)} 万元"
                + (f"，或近三年累计达到 {money(alt)} 万元" if alt else "")
                + "。",
            )
        ]
    needs = ["employer_annual_tax"] + (["employer_tax_3y"] if alt and p.employer_annual_tax is not None else [])
    if applicant:
        return [Check("employer_tax", "confirm", f"单位须{rule_text}", tax.source)]
    return [Check("employer_tax", "unknown", f"单位须{rule_text}", tax.source, needs)]
