"""Structured answers to short questions that lean on the interview's district and business."""

import pytest
import yaml

from bot.faq import intents
from bot.faq.bench import context_ranker, load_context
from bot.rules import Profile


def reply(knowledge, q, district, business=None, profile=None):
    intent = intents.match(q, knowledge)
    assert intent is not None, q
    result = intents.answer(knowledge, intent, district, business, profile)
    assert result.confident and len(result.answers) == 1
    return intent, result.answers[0]


@pytest.mark.parametrize(
    "q, name",
    [
        ("要多久", "processing_time"),
        ("审核要多久", "processing_time"),
        ("电话多少", "office_phone"),
        ("在哪里办", "office_address"),
        ("地址", "office_address"),
        ("几点上班", "office_hours"),
        ("要什么材料", "materials"),
        ("现在交还来得及吗", "deadline"),
        ("通州新办审核要多久", "processing_time"),
    ],
)
def test_context_questions_are_recognised(knowledge, q, name):
    assert intents.match(q, knowledge).name == name


@pytest.mark.parametrize(
    "q",
    [
        "劳动合同要剩多久",
        "租房合同要剩多久",
        "续签提前多久",
        "审核什么",
        "社保要交多久",
        "材料盖什么章",
        "外国人能办吗",
    ],
)
def test_questions_about_something_else_go_to_the_search(knowledge, q):
    assert intents.match(q, knowledge) is None


def test_processing_time_is_the_districts_figure(knowledge):
    _, a = reply(knowledge, "要多久", "chaoyang", "new")
    days = knowledge.districts["chaoyang"].businesses["new"].processing_working_days
    assert f"{days.value}个工作日" in a.answer and a.source == days.source


def test_a_silent_guide_says_so_and_gives_its_own_office(knowledge):
    _, a = reply(knowledge, "要多久", "tongzhou", "new")
    assert "通州区指南未说明" in a.answer and "60531992" in a.answer
    assert "工作日" not in a.answer  # no figure borrowed from another district


def test_the_business_named_in_the_question_wins(knowledge):
    intent, a = reply(knowledge, "续签要多久", "bda", "new")
    assert intent.business == "renewal" and "续签" in a.answer


def test_office_fields(knowledge):
    office = knowledge.districts["dongcheng"].office
    assert office.phones[0].number in reply(knowledge, "电话多少", "dongcheng")[1].answer
    assert office.address in reply(knowledge, "在哪里办", "dongcheng")[1].answer
    assert office.hours in reply(knowledge, "几点上班", "dongcheng")[1].answer
    bda = reply(knowledge, "电话多少", "bda")[1].answer
    assert "指南未说明咨询电话" in bda and "12345" in bda


def test_materials_list_the_business_checklist_names(knowledge):
    profile = Profile(district="tongzhou", business="new")
    _, a = reply(knowledge, "要什么材料", "tongzhou", "new", profile)
    unconditional = [
        r for r in knowledge.districts["tongzhou"].businesses["new"].materials if all(v is None for _, v in r.when)
    ]
    for ref in unconditional:
        m = knowledge.materials[ref.id]
        assert (m.official_name or m.name) in a.answer
    assert "/checklist" in a.answer


def test_unknown_district_or_business_is_asked_for(knowledge):
    _, a = reply(knowledge, "要多久", None)
    assert "哪个区" in a.answer
    _, b = reply(knowledge, "要什么材料", "chaoyang", None)
    assert "哪项业务" in b.answer


def test_deadline_without_a_time_limited_business(knowledge):
    _, a = reply(knowledge, "还来得及吗", "tongzhou", "new")
    assert "通州区" in a.answer and "60531992" in a.answer


def test_context_eval_labels_exist_and_held_out_is_kept(knowledge):
    data = load_context()
    assert set(data) == {"tune", "held_out"} and len(data["held_out"]) >= 15
    ids = {e.id for e in knowledge.faq}
    names = set(yaml.safe_load(intents.INTENTS_FILE.read_text(encoding="utf-8"))["intents"])
    for part in data.values():
        for it in part:
            assert it["district"] in knowledge.districts
            want = it["want"]
            assert (want.startswith("intent:") and want[7:] in names) or want in ids, it


def test_context_eval_floor(index, knowledge):
    rank = context_ranker(knowledge, index)
    for part, floor in (("tune", 0.9), ("held_out", 0.75)):
        items = load_context()[part]
        hits = sum(rank(it)[:1] == [it["want"]] for it in items)
        assert hits / len(items) >= floor, part
