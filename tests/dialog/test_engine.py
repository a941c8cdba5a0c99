"""The interview engine without Telegram: what it asks, in what order, and what it keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.engine import Event, Interview
from bot.dialog.messages import split_message
from bot.dialog.spec import options_for

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def interview(knowledge):
    return Interview(knowledge, today=TODAY, bot_username="gjz_test_bot")


class Driver:
    """Answers whatever is asked from a table of answers, as a user would, and records the path."""

    def __init__(self, interview: Interview, answers: dict, payload: str = ""):
        self.interview, self.answers = interview, answers
        self.asked: list[str] = []
        self.turn = interview.handle(None, Event.command("start", payload))

    @property
    def state(self):
        return self.turn.state

    def send(self, event: Event):
        self.turn = self.interview.handle(self.state, event)
        return self.turn

    def answer_current(self):
        name = self.state["asking"]
        self.asked.append(name)
        question = self.interview.spec.questions[name]
        if question.kind == "declare":  # "以下几项您都符合吗？": yes, unless the table says otherwise
            return self.send(Event.button(f"a:{name}:{0 if self.answers.get(name, True) else 1}"))
        value = self.answers[name]
        if isinstance(value, str) and question.kind not in ("choice", "yesno"):
            return self.send(Event.message(value))
        options = options_for(question, self.interview.knowledge, self.state["answers"])
        index = next(i for i, o in enumerate(options) if o.value == value)
        return self.send(Event.button(f"a:{name}:{index}"))

    def run(self, limit: int = 40):
        while self.state["asking"] is not None:
            assert len(self.asked) < limit, f"interview does not end: {self.asked}"
            self.answer_current()
        return self.turn


BDA_DEGREE = {
    "district": "bda",
    "business": "new",
    "category": "degree",
    "degree": "master",
    "work_years": "3年",
    "monthly_income": "1.5万",
    "months_employed": "1年半",
    "housing": "rented",
    "nationality": "cn",
    "hukou": "non_beijing",
    "age": "32",
    "same_employer_for_tax": True,
    "contract_months_left": "2年",
    "lease_months_left": "8个月",
    "children": 0,
    "degree_abroad": False,
    "criminal_record": False,
    "marital": "single",
}


def test_bda_degree_path_asks_only_what_decides(interview):
    d = Driver(interview, BDA_DEGREE)
    d.run()
    assert d.turn.assessment.verdict == "eligible"
    assert d.asked[:3] == ["district", "business", "hukou"]  # a knock-out first
    # A degree applicant in BDA is never asked about titles, yearly incomes, sectors, gender or crime;
    # the hukou settles the nationality, and degree and years settle the category.
    for irrelevant in (
        "title",
        "annual_incomes",
        "employer_sector",
        "employer_form",
        "gender",
        "criminal_record",
        "nationality",
        "category",
    ):
        assert irrelevant not in d.asked
    assert "符合条件" in d.turn.replies[-1].text


def test_tongzhou_degree_path_never_asks_about_patents_but_asks_crime(interview):
    answers = dict(BDA_DEGREE, district="tongzhou")
    d = Driver(interview, answers)
    d.run()
    assert "criminal_record" in d.state["answers"]["declared"]  # only Tongzhou's guide makes it a condition
    assert "title" not in d.asked and "annual_incomes" not in d.asked


@pytest.mark.parametrize(
    "district, answers, max_questions",
    [
        # shortest: the first decisive answer fails (a knock-out comes first), the interview stops there
        ("bda", {"district": "bda", "business": "new", "hukou": "beijing"}, 3),
        (
            "chaoyang",
            {"district": "chaoyang", "business": "new", "hukou": "non_beijing", "months_employed": "6个月"},
            4,
        ),
        (
            "dongcheng",
            {"district": "dongcheng", "business": "new", "hukou": "non_beijing", "months_employed": "3个月"},
            4,
        ),
        (
            "tongzhou",
            {"district": "tongzhou", "business": "new", "hukou": "non_beijing", "months_employed": "6个月"},
            4,
        ),
    ],
)
def test_shortest_paths_stop_at_the_first_failure(interview, district, answers, max_questions):
    d = Driver(interview, answers)
    d.run()
    assert d.turn.assessment.verdict == "ineligible"
    assert len(d.asked) <= max_questions, d.asked


LONGEST = {
    "bda": dict(
        BDA_DEGREE,
        business="new",
        category="tech_income",
        employer_sector="tech_innovation",
        annual_incomes="70万 70万 70万",
        children=2,
        marital="divorced",
    ),
    "chaoyang": dict(BDA_DEGREE, district="chaoyang", employer_form="institution", children=1, marital="married"),
    "dongcheng": dict(
        BDA_DEGREE, district="dongcheng", employer_form="firm", monthly_income="2万", children=1, marital="married"
    ),
    "tongzhou": dict(BDA_DEGREE, district="tongzhou", gender="female", age="54", children=1, marital="divorced"),
}


@pytest.mark.parametrize("district", sorted(LONGEST))
def test_longest_paths_reach_a_tailored_checklist(interview, district):
    d = Driver(interview, LONGEST[district])
    d.run()
    a = d.turn.assessment
    assert a.verdict == "eligible", [(c.id, c.status, c.message) for c in a.checks]
    assert len(d.asked) >= 7, d.asked
    d.send(Event.button("c:refine"))  # the questions that tailor the checklist, after the verdict
    d.run()
    assert "children" in d.asked and any(r.document for r in d.turn.replies), "a tailored checklist"
    assert len(d.asked) == len(set(d.asked)), "no question twice"


def test_unreadable_answer_is_asked_again_and_nothing_is_lost(interview):
    d = Driver(interview, BDA_DEGREE)
    while d.state["asking"] != "monthly_income":
        d.answer_current()
    before = dict(d.state["answers"])
    turn = d.send(Event.message("好多钱"))
    assert d.state["asking"] == "monthly_income" and d.state["answers"] == before
    assert "没能识别" in turn.replies[-1].text and "1.5万" in turn.replies[-1].text
    turn = d.send(Event.message("-5000"))
    assert "负数" in turn.replies[-1].text and d.state["answers"] == before
    turn = d.send(Event.message(""))
    assert d.state["answers"] == before
    turn = d.send(Event.message("我" * 5000))
    assert d.state["answers"] == before and d.state["asking"] == "monthly_income"


def test_out_of_range_age_is_asked_again(interview):
    d = Driver(interview, dict(BDA_DEGREE, declared=False))  # not declared: asked one by one
    while d.state["asking"] != "age":
        d.answer_current()
    turn = d.send(Event.message("400"))
    assert d.state["asking"] == "age" and "age" not in d.state["answers"]
    assert "太大" in turn.replies[-1].text


def test_back_undoes_the_last_answer(interview):
    d = Driver(interview, BDA_DEGREE)
    while "degree" not in d.state["answers"]:
        d.answer_current()
    assert d.state["answers"]["degree"] == "master"
    turn = d.send(Event.command("back"))
    assert "degree" not in d.state["answers"] and d.state["asking"] == "degree"
    assert "已撤销" in turn.replies[-1].text
    assert d.state["answers"]["months_employed"] == 18  # earlier answers stay


def test_restart_and_forget(interview):
    d = Driver(interview, BDA_DEGREE)
    for _ in range(3):
        d.answer_current()
    turn = d.send(Event.command("restart"))
    assert d.state["answers"] == {} and d.state["asking"] == "district"
    turn = d.send(Event.command("forget"))
    assert turn.forget and turn.state is None


def test_summary_and_help_resume_the_question(interview):
    d = Driver(interview, BDA_DEGREE)
    while "degree" not in d.state["answers"]:
        d.answer_current()
    turn = d.send(Event.command("summary"))
    assert "硕士" in turn.replies[0].text and "经开区" in turn.replies[0].text
    assert d.state["asking"] == "work_years" and "工作经历" in turn.replies[-1].text
    turn = d.send(Event.command("help"))
    assert "/back" in turn.replies[0].text and d.state["asking"] == "work_years"


def test_deep_link_presets_district_and_employer_form(interview):
    d = Driver(interview, dict(BDA_DEGREE, district="chaoyang"), payload="chaoyang-institution")
    assert d.state["answers"] == {"district": "chaoyang", "employer_form": "institution"}
    assert "已按链接预设" in d.turn.replies[0].text and "事业单位" in d.turn.replies[0].text
    assert d.state["asking"] == "business"
    d.run()
    assert "employer_form" not in d.asked and "district" not in d.asked


def test_share_gives_the_link_for_current_district_and_form(interview):
    d = Driver(interview, dict(BDA_DEGREE), payload="dongcheng-enterprise")
    turn = d.send(Event.command("share"))
    assert "https://t.me/gjz_test_bot?start=dongcheng-enterprise" in turn.replies[0].text


def test_free_text_question_goes_to_faq_and_resumes(interview):
    d = Driver(interview, BDA_DEGREE)
    while d.state["asking"] != "degree":
        d.answer_current()
    turn = d.send(Event.message("租房要什么材料？"))
    assert d.state["asking"] == "degree"
    assert "最高学位" in turn.replies[-1].text


def test_checklist_button_gives_forwardable_plain_text(interview):
    d = Driver(interview, BDA_DEGREE)
    d.run()
    turn = d.send(Event.button("c:checklist"))
    reply = turn.replies[0]
    assert not reply.html and reply.document and "<b>" not in reply.text
    assert "劳动合同" in reply.text


def test_stale_button_is_refused_without_losing_answers(interview):
    d = Driver(interview, BDA_DEGREE)
    for _ in range(3):
        d.answer_current()
    before = dict(d.state["answers"])
    turn = d.send(Event.button("a:district:2"))
    assert d.state["answers"] == before and "已过期" in turn.replies[-1].text


def test_every_button_fits_telegram_limits(interview, knowledge):
    # All questions' callback data stay within 64 bytes; labels are short enough for a phone.
    for name, question in interview.spec.questions.items():
        for answers in ({}, {"district": "chaoyang"}):
            for i, option in enumerate(options_for(question, knowledge, answers)):
                assert len(f"a:{name}:{i}".encode()) <= 64
                assert len(option.label) <= 40, option.label


def test_long_results_split_under_4096_without_breaking_tags(interview):
    d = Driver(interview, LONGEST["tongzhou"])
    d.run()
    text = d.turn.replies[-1].text
    parts = split_message(text)
    assert "".join(p.replace("\n", "") for p in parts) == text.replace("\n", "")
    for part in parts:
        assert len(part) <= 4096
        assert part.count("<b>") == part.count("</b>") and part.count("<i>") == part.count("</i>")
        assert part.count("<blockquote") == part.count("</blockquote>")


@pytest.mark.parametrize("text", ["工居证有没有卡片", "社保断了是不是不行", "材料交纸质的行不行", "外地社保用不用交"])
def test_colloquial_questions_at_a_choice_go_to_the_faq(interview, text):
    d = Driver(interview, BDA_DEGREE)
    d.answer_current()  # district
    turn = d.send(Event.message(text))
    assert d.state["asking"] == "business" and "district" in d.state["answers"]
    assert "没能识别" not in turn.replies[0].text
    assert "哪项业务" in turn.replies[-1].text


def test_a_question_that_names_an_option_is_answered_not_taken_as_the_answer(interview):
    d = Driver(interview, BDA_DEGREE)
    d.answer_current()  # district
    assert d.state["asking"] == "business"
    turn = d.send(Event.message("续签要提前多久？"))
    assert d.state["asking"] == "business" and "business" not in d.state["answers"]
    assert "哪项业务" in turn.replies[-1].text


def test_hr_amounts_in_wan_are_read_with_their_unit(interview):
    # 注册资本 is asked in 万元; HR staff type 1亿 or 5000000元 as often as 500
    answers = {
        "district": "chaoyang",
        "business": "unit_account",
        "employer_form": "enterprise",
        "employer_registered_months": "3年",
        "employer_capital": "1亿",
        "employer_annual_tax": "5000000元",
    }
    d = Driver(interview, answers)
    d.run()
    got = d.state["answers"]
    assert got["employer_capital"] == 10_000 and got["employer_annual_tax"] == 500
    details = d.send(Event.button("c:details"))  # every check with its figure, one button away
    assert "注册资本 10,000 万元" in "".join(r.text for r in details.replies)
