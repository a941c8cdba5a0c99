"""Render an Assessment with the Jinja2 templates in dialogs/templates (words live there)."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from .dialog.spec import DIALOGS_DIR
from .rules import Assessment
from .rules.labels import VERDICT

STATUS_ICON = {"pass": "✅", "fail": "❌", "unknown": "❔", "confirm": "☑️"}
VERDICT_ICON = {"eligible": "✅", "ineligible": "❌", "needs_more_info": "❔", "refer": "📞"}
FIELD_LABELS = {
    "permit_expiry": "证件有效期截止日",
    "employer_form": "单位性质",
    "employer_sector": "单位类型（行业）",
    "category": "申请类别",
    "degree": "最高学位",
    "work_years": "工作年限",
    "title": "职称",
    "annual_incomes": "近三年每年应税收入",
    "monthly_income": "月应税收入",
    "months_employed": "在本单位工作月数",
    "housing": "住房情况",
    "nationality": "国籍",
    "hukou": "户籍",
    "age": "年龄",
    "gender": "性别",
    "criminal_record": "有无刑事犯罪记录",
    "social_insurance_continuous": "个税社保是否连续",
    "same_employer_for_tax": "个税社保是否由合同单位缴纳",
    "contract_months_left": "劳动合同剩余月数",
    "info_change": "变更事项",
    "children": "随往子女人数",
    "child_age": "随往子女年龄（最大的）",
    "marital": "婚姻状况",
    "degree_abroad": "学位是否境外取得",
    "employer_registered_months": "单位注册月数",
    "employer_capital": "单位注册资本（万元）",
    "employer_annual_tax": "单位上年纳税额（万元）",
    "employer_tax_3y": "单位近三年纳税额（万元）",
    "employer_strategic_startup": "是否战略新兴产业初创企业",
    "employer_staff": "单位用工人数",
    "employer_has_quota": "单位是否已取得指标",
    "declared": "已确认的条件",
    "employer_real_estate_dev": "经营范围是否含房地产开发",
    "lease_months_left": "租房合同剩余月数",
    "application_date": "申请日期",
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(DIALOGS_DIR / "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def render_text(assessment: Assessment) -> str:
    template = environment().get_template("assessment.txt.j2")
    return (
        template.render(
            a=assessment,
            ctx=assessment.context,
            icon=VERDICT_ICON,
            status=STATUS_ICON,
            verdict=VERDICT,
            fields=FIELD_LABELS,
        ).strip()
        + "\n"
    )
