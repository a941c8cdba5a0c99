"""One message, every fact it states: read by the same reader as the question's own answer."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog import parsers
from bot.dialog.engine import Interview
from bot.dialog.understand import find_facts

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def facts_of(knowledge):
    interview = Interview(knowledge, today=TODAY)
    state = {"answers": {}}

    def read(field, text):
        return interview._parse(interview.spec.questions[field], text, state)

    return lambda text, answers=None: find_facts(text, interview.spec, knowledge, answers or {}, read)


def test_a_one_message_profile_fills_every_field_it_states(facts_of):
    facts = facts_of("我在亦庄上班，硕士毕业工作3年了，月薪1.8万，入职8个月，租房住，外地户口，30岁")
    assert facts == {
        "district": "bda",
        "degree": "master",
        "work_years": 3,
        "monthly_income": 18000,
        "months_employed": 8,
        "housing": "rented",
        "hukou": "non_beijing",
        "age": 30,
    }
    assert list(facts) == [
        "district",
        "degree",
        "work_years",
        "monthly_income",
        "months_employed",
        "housing",
        "hukou",
        "age",
    ]  # in the order the message states them


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "朝阳的公司，本科，工作5年，税前2.2万，在这家干了14个月",
            {
                "district": "chaoyang",
                "degree": "bachelor",
                "work_years": 5,
                "monthly_income": 22000,
                "months_employed": 14,
            },
        ),
        ("我北京户口", {"hukou": "beijing"}),
        ("在望京上班，不是北京户口", {"district": "chaoyang"}),  # a negated option is not that option
        ("续签，东城", {"business": "renewal", "district": "dongcheng"}),
        ("申请续签，东城", {"business": "renewal", "district": "dongcheng"}),  # 申请 is generic (weak)
        ("我想办工作居住证，朝阳", {"business": "new", "district": "chaoyang"}),
        ("中关村的公司", {"district": "haidian"}),
        ("非京籍", {"hukou": "non_beijing"}),  # the longer word wins over the 京籍 inside it
        ("自己的房 还没房本，外地户口", {"housing": "owned_pending_certificate", "hukou": "non_beijing"}),
        (
            "通州上班 硕士 工作3年 15k 租房",
            {"district": "tongzhou", "degree": "master", "work_years": 3, "monthly_income": 15000, "housing": "rented"},
        ),  # an amount alone
        ("亦庄，年薪30万，本科，中级职称", {"district": "bda", "degree": "bachelor", "title": "intermediate"}),
    ],
)
def test_facts_in_a_sentence(facts_of, text, expected):
    assert facts_of(text) == expected


@pytest.mark.parametrize("text", ["3", "1.5万", "好的", "2年"])
def test_a_bare_answer_states_no_fact(facts_of, text):
    assert facts_of(text) == {}  # it answers the question asked, nothing else


def test_two_options_of_one_field_are_not_a_fact(facts_of):
    assert "district" not in facts_of("朝阳区和东城区都有分公司")


def test_a_figure_the_reader_refuses_is_not_a_fact(facts_of):
    with pytest.raises(parsers.ParseError):
        parsers.parse_months("不到两年")
    facts = facts_of("工作不到两年，月薪1w5")
    assert "work_years" not in facts
    assert facts["monthly_income"] == 15000


def test_a_figure_not_taken_is_reported_as_unsure(facts_of, knowledge):
    from bot.dialog.engine import Interview

    interview = Interview(knowledge, today=TODAY)
    state = {"answers": {}}
    unsure: list[str] = []

    def read(field, text):
        reading = interview._read(interview.spec.questions[field], text, state)
        if not hasattr(reading, "value"):
            raise parsers.ParseError("not taken")
        return reading.value

    facts = find_facts("硕士，入职不到两年，月薪2万", interview.spec, knowledge, {}, read, unsure=unsure)
    assert "months_employed" not in facts and unsure == ["months_employed"]


@pytest.fixture(scope="module")
def stated(knowledge):
    """(facts, unsure) as the engine finds them: each figure through its question's reader."""
    interview = Interview(knowledge, today=TODAY)
    return lambda text, answers=None: interview._facts({"answers": dict(answers or {})}, text)


@pytest.mark.parametrize(
    "text",
    [
        "朝阳 本科 工作3年 年收入15万 入职2年 租房 外地户口 企业",
        "朝阳 本科 工作3年 一年30万 入职2年 租房 外地户口",
        "朝阳 本科 工作3年 每年20万 入职2年 租房",
        "朝阳 本科 税前年薪分别20万 22万 25万 入职2年 租房",
        "朝阳 本科 近三年年薪20万、22万、25万 入职2年 租房",
        "通州 硕士 工作4年 一年20万 入职2年 租房 外地户口",
        "通州 硕士 工资20万一年 租房",
        "通州 硕士 15万/年 租房",
    ],
)
def test_a_yearly_income_is_never_a_monthly_one(stated, text):
    facts, unsure = stated(text)
    assert "monthly_income" not in facts and unsure == ["monthly_income"]  # asked in its turn
    assert facts["district"] in ("chaoyang", "tongzhou")  # the rest of the message is still read


@pytest.mark.parametrize("text", ["东城 税后月薪1万2 本科 工作5年", "东城 本科 到手1.5万", "东城 本科 月薪实发1.5万"])
def test_an_after_tax_pay_is_not_the_pre_tax_income(stated, text):
    facts, unsure = stated(text)
    assert "monthly_income" not in facts and unsure == ["monthly_income"]


@pytest.mark.parametrize(
    "text, income",
    [
        ("朝阳 本科 入职2年 工资一个月一万八 工作3年", 18000),
        ("朝阳 每个月工资一万八", 18000),
        ("朝阳 工资每月1.5万", 15000),
    ],
)
def test_per_month_words_between_the_cue_and_the_figure_are_not_the_figure(stated, text, income):
    assert stated(text)[0]["monthly_income"] == income


@pytest.mark.parametrize(
    "text, not_taken",
    [
        ("经开区 增加随往子女 孩子19岁", {"age", "children", "gender"}),
        ("朝阳 新办 孩子3个月", {"months_employed", "children"}),
        ("朝阳 本科 我女儿今年5岁", {"age", "gender"}),
        ("朝阳 老婆月薪2万 硕士", {"monthly_income"}),
        ("朝阳 老婆北京户口", {"hukou"}),
    ],
)
def test_a_figure_about_someone_else_is_not_the_applicants(stated, text, not_taken):
    facts, _unsure = stated(text)
    assert not not_taken & facts.keys(), facts
    assert "district" in facts


def test_the_applicants_own_figure_beside_someone_elses_is_taken(stated):
    facts, _unsure = stated("朝阳，老婆28岁，我30岁，有2个孩子")
    assert facts["age"] == 30 and facts["children"] == 2


@pytest.mark.parametrize(
    "text, expected",
    [
        ("亦庄 大专 外地户口 女 56岁", {"gender": "female", "age": 56}),
        ("朝阳 本科 工作3年 租房 企业", {"employer_form": "enterprise"}),
        ("通州 高新技术企业 入职3年", {"employer_sector": "tech_innovation"}),
        ("通州 入职3年 自己买的房", {"housing": "owned"}),
        ("朝阳 信息变更 搬家了", {"business": "info_change", "info_change": "address"}),
    ],
)
def test_words_stated_in_the_first_message_are_taken(stated, text, expected):
    facts, _unsure = stated(text)
    assert expected.items() <= facts.items(), facts


@pytest.mark.parametrize("text", ["朝阳 新办 本科 有职称 户口在外地", "朝阳 新办 学历本科"])
def test_what_to_change_is_read_only_for_an_info_change(stated, text):
    assert "info_change" not in stated(text)[0]


def test_generic_words_name_no_employer_sector(stated):
    assert "employer_sector" not in stated("朝阳 科技公司 研发岗 不是北京户口")[0]


@pytest.mark.parametrize(
    "text, expiry",
    [("朝阳 续签 证件2026-12-20到期", "2026-12-20"), ("朝阳 续签 2027年1月5号到期", "2027-01-05")],
)
def test_a_permit_expiry_in_the_message_is_taken(stated, text, expiry):
    facts, _unsure = stated(text)
    assert str(facts["permit_expiry"]) == expiry and facts["business"] == "renewal"


def test_a_contract_end_date_is_not_the_permit_expiry(stated):
    assert "permit_expiry" not in stated("朝阳 续签 劳动合同2027年1月5号到期")[0]


def test_a_permit_expiry_the_reader_cannot_read_is_named_as_unsure(stated):
    facts, unsure = stated("朝阳 续签 证件2027年13月到期")
    assert "permit_expiry" not in facts and unsure == ["permit_expiry"]


@pytest.mark.parametrize(
    "text, age",
    [
        ("经开区 增加随往子女 孩子19岁", 19),
        ("朝阳 新办 孩子今年5岁", 5),
        ("东城 女儿3岁", 3),
        ("朝阳 本科 我女儿今年5岁", 5),
        ("通州，我30岁，儿子12周岁", 12),
    ],
)
def test_a_childs_stated_age_is_the_child_age(stated, text, age):
    facts, _unsure = stated(text)
    assert facts["child_age"] == age, facts
    assert "age" not in facts or facts["age"] == 30


@pytest.mark.parametrize("text", ["朝阳 新办 孩子3个月", "朝阳，有2个孩子", "朝阳 我今年30岁"])
def test_no_age_in_years_is_no_child_age(stated, text):
    assert "child_age" not in stated(text)[0]


@pytest.mark.parametrize(
    "text, category",
    [
        ("东城 获得过北京市科学技术奖二等奖 月薪8000", "award"),
        ("朝阳 硕士 科技进步奖一等奖", "award"),
        ("东城 有3项软件著作权", "ip"),
        ("经开区 本科 有1项发明专利授权", "ip"),
        ("通州 我是公司股东 持股10%", "founder"),
        ("经开区 联合创始人", "founder"),
    ],
)
def test_an_award_ip_or_founder_named_is_the_category(stated, text, category):
    assert stated(text)[0]["category"] == category


@pytest.mark.parametrize(
    "text",
    [
        "朝阳 硕士 工作3年",  # the degree, not the degree route
        "东城 中级职称",  # the title, not the title route
        "朝阳 本科 我在创业公司上班",  # an employee of a start-up is no founder
        "经开区 本科 没有专利",
        "朝阳 硕士 获奖 有专利",  # two routes named: the question asks
    ],
)
def test_only_award_ip_and_founder_words_name_a_category(stated, text):
    assert "category" not in stated(text)[0]
