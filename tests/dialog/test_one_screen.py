"""Issue 12 through the engine: one message states a case, knock-outs first, a verdict that fits a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.engine import Event, Interview
from bot.dialog.messages import split_message, to_plain
from tests.dialog.test_engine import BDA_DEGREE, Driver

TODAY = dt.date(2026, 12, 2)
ONE_MESSAGE = "我在亦庄上班，硕士毕业工作3年了，月薪1.8万，入职8个月，租房住，外地户口，30岁"


@pytest.fixture(scope="module")
def interview(knowledge):
    return Interview(knowledge, today=TODAY, bot_username="gjz_test_bot")


def texts(turn) -> list[str]:
    return [r.plain() for r in turn.replies]


def buttons(turn) -> dict[str, str]:
    return {b.label: b.data for r in turn.replies for row in r.buttons for b in row}


def test_a_one_message_profile_is_taken_and_recapped_in_one_line(interview):
    d = Driver(interview, {})
    turn = d.send(Event.message(ONE_MESSAGE))
    recap = next(t for t in texts(turn) if t.startswith("已记下"))
    assert (
        recap == "已记下：经开区（亦庄） · 硕士 · 工作 3 年 · 月收入 18,000 元 · 入职 8 个月 · 租房 · 外地户口 · 30 岁"
    )
    assert "✏️ 更正" in buttons(turn)
    answers = d.state["answers"]
    assert answers["district"] == "bda" and answers["work_years"] == 3 and answers["monthly_income"] == 18000
    assert d.state["asking"] not in answers  # only what is still missing is asked


def test_after_a_one_message_profile_at_most_six_questions(interview):
    d = Driver(interview, dict(BDA_DEGREE, monthly_income="1.8万", months_employed="8个月", work_years="3年"))
    d.send(Event.message(ONE_MESSAGE))
    turn = d.run()
    assert turn.assessment.verdict == "eligible"
    assert len(d.asked) <= 6, d.asked


def test_a_fact_taken_from_the_message_can_be_corrected(interview):
    d = Driver(interview, {})
    d.send(Event.message(ONE_MESSAGE))
    turn = d.send(Event.button("c:correct"))
    edit = next(data for label, data in buttons(turn).items() if "工作年限" in label)
    turn = d.send(Event.button(edit))
    assert d.state["asking"] == "work_years" and "work_years" not in d.state["answers"]
    d.send(Event.message("5年"))
    assert d.state["answers"]["work_years"] == 5
    assert d.state["answers"]["monthly_income"] == 18000  # nothing else lost


@pytest.mark.parametrize("press, kept", [("k:1", 36), ("k:0", 8)])
def test_a_later_fact_that_changes_an_answer_is_confirmed_first(interview, press, kept):
    d = Driver(interview, {})
    d.send(Event.message(ONE_MESSAGE))
    turn = d.send(Event.message("对了，入职3年了，月薪1.8万"))
    assert any("以哪个为准" in t for t in texts(turn))
    assert d.state["answers"]["months_employed"] == 8  # not changed before the user says so
    d.send(Event.button(press))
    assert d.state["answers"]["months_employed"] == kept


def test_hukou_settles_nationality_and_back_undoes_both(interview):
    d = Driver(interview, dict(BDA_DEGREE))
    while d.state["asking"] != "hukou":
        d.answer_current()
    d.answer_current()
    assert d.state["answers"]["nationality"] == "cn"
    d.run()
    assert "nationality" not in d.asked
    d2 = Driver(interview, dict(BDA_DEGREE))
    while d2.state["asking"] != "hukou":
        d2.answer_current()
    d2.answer_current()
    d2.send(Event.command("back"))
    assert "hukou" not in d2.state["answers"] and "nationality" not in d2.state["answers"]


def test_tailoring_questions_come_after_the_verdict_on_request(interview):
    d = Driver(interview, dict(BDA_DEGREE))
    turn = d.run()
    assert not {"children", "marital", "degree_abroad"} & set(d.asked)
    refine = next((data for label, data in buttons(turn).items() if label.startswith("📝 细化材料清单")), None)
    assert refine == "c:refine"
    turn = d.send(Event.button(refine))
    assert d.state["asking"] in ("children", "marital", "degree_abroad")
    d.asked.clear()
    turn = d.run()
    assert d.asked and set(d.asked) <= {"children", "marital", "degree_abroad"}
    assert any(r.document for r in turn.replies)  # the checklist they tailor


def test_the_verdict_fits_one_screen(interview):
    turn = Driver(interview, dict(BDA_DEGREE)).run()
    verdict = next(r for r in turn.replies if r.buttons)
    first = to_plain(split_message(verdict.text)[0])
    assert len(first) <= 1000, first
    assert first.startswith("✅ 北京经济技术开发区") and "符合条件" in first.splitlines()[0]
    assert {"🔎 条件详情", "📋 材料清单", "🔗 分享", "🔁 重新开始"} <= set(buttons(turn))


def test_a_refusal_is_short_and_says_by_how_much(interview):
    d = Driver(
        interview,
        dict(
            BDA_DEGREE,
            district="chaoyang",
            employer_form="enterprise",
            monthly_income="15000",
            months_employed="14个月",
            criminal_record=False,
        ),
    )
    turn = d.run()
    assert turn.assessment.verdict == "ineligible"
    total = sum(len(t) for t in texts(turn))
    assert total <= 1500, texts(turn)
    assert "还差 2,906 元" in "".join(texts(turn))


def test_the_details_list_each_confirm_item_once(interview):
    d = Driver(interview, dict(BDA_DEGREE))
    d.run()
    text = d.send(Event.button("c:details")).replies[0].plain()
    items = [line for line in text.splitlines() if line.startswith("☑️")]
    assert items and len(items) == len(set(items))
    assert "单位（HR）确认" in text


def test_the_first_progress_line_does_not_guess_a_total(interview):
    turn = interview.handle(None, Event.command("start"))
    assert "约" not in texts(turn)[-1] and "步" not in texts(turn)[-1]


def test_a_stated_figure_the_reader_will_not_take_is_named_in_the_recap(interview):
    d = Driver(interview, {})
    turn = d.send(Event.message("通州上班 硕士 工作3年 15k 入职不到两年 租房 外地户口"))
    recap = next(t for t in texts(turn) if t.startswith("已记下"))
    assert "月收入 15,000 元" in recap and recap.endswith("稍后确认：在本单位工作月数")
    assert "months_employed" not in d.state["answers"]


def test_a_stated_change_stays_asked_until_it_is_settled(interview):
    d = Driver(interview, {})
    d.send(Event.message(ONE_MESSAGE))
    d.send(Event.message("月薪只有1.5万"))  # changes the 18,000 just stated
    turn = d.send(Event.button("a:business:0"))  # answers the business question instead
    assert any("以哪个为准" in t for t in texts(turn)) and d.state["answers"]["monthly_income"] == 18000
    d.send(Event.button("k:1"))
    assert d.state["answers"]["monthly_income"] == 15000


def test_back_after_a_one_message_profile_undoes_the_whole_message(interview):
    d = Driver(interview, {})
    d.send(Event.message(ONE_MESSAGE))
    turn = d.send(Event.command("back"))
    assert "已撤销刚才那条消息" in texts(turn)[0]
    assert d.state["answers"] == {} and d.state["asking"] == "district"


def test_a_yearly_income_is_named_as_still_to_ask(interview):
    d = Driver(interview, {})
    turn = d.send(Event.message("亦庄，本科，工作3年，年薪30万，租房，外地户口"))
    recap = next(t for t in texts(turn) if t.startswith("已记下"))
    assert "稍后确认：" in recap and "月应税收入" in recap.split("稍后确认：")[1]


def test_a_yearly_income_in_the_first_message_is_asked_not_taken_as_a_month(interview):
    d = Driver(interview, {})
    turn = d.send(Event.message("朝阳 本科 工作3年 年收入15万 入职2年 租房 外地户口"))
    assert next(t for t in texts(turn) if t.startswith("已记下")).endswith("稍后确认：月应税收入")
    d.send(Event.message("新办"))
    assert "monthly_income" not in d.state["answers"]  # asked in its turn, not 150,000 a month


def test_a_gender_stated_in_the_first_message_is_not_asked_again(interview):
    d = Driver(interview, {})
    d.send(Event.message("亦庄 大专 中级职称 月薪1.6万 入职5个月 住公司宿舍 外地户口 女 56岁"))
    turn = d.send(Event.message("新办"))
    assert d.state["answers"]["gender"] == "female"
    assert turn.assessment is not None and turn.assessment.verdict == "ineligible"  # 女性不超过 55 周岁


def test_not_wanting_to_say_skips_a_skippable_question(interview):
    d = Driver(interview, {})
    d.send(Event.message("亦庄 大专 中级职称 月薪1.6万 入职5个月 住公司宿舍 外地户口 56岁"))
    d.send(Event.message("新办"))
    assert d.state["asking"] == "gender"
    turn = d.send(Event.message("不想说"))
    assert "跳过" in texts(turn)[0] and "gender" in d.state["skipped"]


def test_back_from_the_first_item_after_declining_the_declaration_offers_it_again(interview):
    d = Driver(interview, {})
    d.send(Event.message("朝阳 硕士 工作3年 月薪2万 入职14个月 租房 外地户口 企业"))
    d.send(Event.message("新办"))
    assert d.state["asking"] == "declared"
    d.send(Event.message("有不符合 / 不确定"))
    first_item = d.state["asking"]
    assert first_item != "declared"
    turn = d.send(Event.command("back"))
    assert d.state["asking"] == "declared" and "都符合吗" in texts(turn)[0]
    assert d.state["answers"]["business"] == "new"  # the answer before it is kept


@pytest.mark.parametrize("question", ["集體戶口能辦嗎", "學校臨時戶口可以嗎", "外籍能辦嗎", "租房要什麼材料"])
def test_a_question_in_traditional_characters_is_answered_not_taken_as_an_answer(interview, question):
    d = Driver(interview, {})
    d.send(Event.message("朝阳区"))
    d.send(Event.message("新办"))
    before, asking = dict(d.state["answers"]), d.state["asking"]
    turn = d.send(Event.message(question))
    assert d.state["answers"] == before  # nothing recorded: a question was asked (for the FAQ)
    assert d.state["asking"] == asking  # the same question still asked, no verdict on a misreading
    assert "继续刚才的问题" in "".join(texts(turn))
