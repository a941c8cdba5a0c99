"""The checklist as a user gets it (issue 12): in the chat one line per item under two headings,
the applicant's and the unit's; in the forwarded file the same groups with each item's detail."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from bot.dialog.engine import Event, Interview
from bot.dialog.messages import render, split_message
from bot.rules import Profile
from bot.rules.materials import applies, by_party
from bot.rules.result import MaterialItem
from tests.dialog.test_engine import BDA_DEGREE, Driver

TODAY = dt.date(2026, 12, 2)
APPLICANT, UNIT = "申请人准备", "单位（HR）准备或上传"
ITEM = re.compile(r"^(\d+)\. (.+)$")
CASES = [
    (district, business) for district in ("bda", "chaoyang", "dongcheng", "tongzhou") for business in ("new", "renewal")
]


@pytest.fixture(scope="module")
def interview(knowledge):
    return Interview(knowledge, today=TODAY, bot_username="gjz_test_bot")


def checklist_reply(interview, district, business, **answers):
    d = Driver(
        interview,
        dict(
            BDA_DEGREE,
            district=district,
            business=business,
            permit_expiry="2027-01-20",
            monthly_income="3万",
            employer_form="firm",
            **answers,
        ),
    )
    assessment = d.run().assessment
    assert assessment.verdict == "eligible", [(c.id, c.message) for c in assessment.checks if c.status == "fail"]
    turn = d.send(Event.button("c:checklist"))
    assert len(turn.replies) == 1
    return assessment, turn.replies[0]


def chat_groups(text: str) -> dict[str, list[tuple[int, str]]]:
    """Heading -> its numbered lines, read from the chat text as a phone shows it."""
    groups: dict[str, list[tuple[int, str]]] = {}
    current = None
    for line in text.splitlines():
        heading = next((h for h in (APPLICANT, UNIT) if line.startswith(h + "（")), None)
        if heading:
            current = groups.setdefault(heading, [])
        elif (m := ITEM.match(line)) and current is not None:
            current.append((int(m.group(1)), m.group(2)))
    return groups


def expected_party(knowledge, district, business, item_id):
    # from the knowledge files themselves: the case's ref where it overrides, else the catalogue
    case = Profile(
        district=district,
        business=business,
        category="degree",
        housing="rented",
        children=0,
        marital="single",
        degree_abroad=False,
        employer_form="firm",
    )
    refs = [
        r
        for r in knowledge.districts[district].businesses[business].materials
        if r.id == item_id and applies(r.when, case)
    ]
    override = next((r.provided_by for r in refs if r.provided_by), None)
    return override or knowledge.materials[item_id].provided_by


@pytest.mark.parametrize("district, business", CASES)
def test_chat_lists_each_item_on_one_line_under_who_provides_it(interview, knowledge, district, business):
    assessment, reply = checklist_reply(interview, district, business)
    assert not reply.html and reply.document
    groups = chat_groups(reply.text)
    assert list(groups) == [APPLICANT, UNIT], reply.text
    numbers = [n for lines in groups.values() for n, _ in lines]
    assert numbers == list(range(1, len(numbers) + 1))
    heading_of = {APPLICANT: "applicant", UNIT: "unit"}
    for item in assessment.materials:
        holders = [(h, line) for h, lines in groups.items() for _, line in lines if item.name in line]
        assert len(holders) == 1, (item.name, holders)  # once, on one line
        heading, line = holders[0]
        party = expected_party(knowledge, district, business, item.id)
        if item.one_of is None:
            assert line == item.name and heading_of[heading] == party
        else:
            assert line.startswith("以下任选其一：")
            if heading_of[heading] != party:  # an alternative another party provides is marked
                assert f"{item.name}（{'申请人' if party == 'applicant' else '单位'}提供）" in line
    assert "常见退回原因：" not in reply.text
    for item in assessment.materials:  # the details stay in the file
        for detail in item.detail.splitlines():
            assert detail not in reply.text


@pytest.mark.parametrize("district, business", CASES)
def test_document_keeps_the_groups_and_adds_each_detail(interview, district, business):
    assessment, reply = checklist_reply(interview, district, business)
    doc = reply.document_content()
    assert doc != reply.plain()
    a, u = doc.index(f"【{APPLICANT}】"), doc.index(f"【{UNIT}】")
    chat = chat_groups(reply.text)
    for heading, start, end in ((APPLICANT, a, u), (UNIT, u, len(doc))):
        section = doc[start:end]
        for number, line in chat[heading]:
            assert f"\n{number}. {line}\n" in section  # the same line, number and group
    for item in assessment.materials:
        at = doc.index(item.name)
        for detail in item.detail.splitlines():
            assert detail in doc[at:], (item.name, detail)
    if any("常见退回原因" in m.detail for m in assessment.materials):
        assert "常见退回原因：" in doc


def test_alternatives_render_as_one_line(interview):
    assessment, reply = checklist_reply(interview, "bda", "new")  # rented: 1.A or 1.B of the guide
    names = {m.id: m.name for m in assessment.materials}
    line = f"以下任选其一：{names['property_certificate']} / {names['purchase_contract']} + {names['move_in_notice']}"
    assert any(text.endswith(line) for _, text in chat_groups(reply.text)[APPLICANT]), reply.text
    # Chaoyang's income: the unit's screenshot or the applicant's own record, one line, marked
    assessment, reply = checklist_reply(interview, "chaoyang", "renewal")
    lines = [t for _, t in chat_groups(reply.text)[UNIT] if t.startswith("以下任选其一：")]
    assert len(lines) == 1 and "（申请人提供）" in lines[0]


def test_a_long_checklist_splits_only_between_items(interview):
    assessment, _ = checklist_reply(interview, "bda", "new")
    many = []
    for i in range(160):
        party = "unit" if i % 3 == 0 else "applicant"
        group = f"g{i // 4}" if i % 10 < 4 else None
        many.append(MaterialItem(f"m{i}", f"材料{i}《{'很长的证明文件名称' * (1 + i % 4)}》", "细节", party, group))
    long = dataclasses.replace(assessment, materials=many)
    text = render("checklist_chat.txt.j2", a=long, ctx=long.context, parties=by_party(many), document="x.txt")
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    item_lines = [line for line in text.splitlines() if ITEM.match(line)]
    seen = [line for part in parts for line in part.splitlines() if ITEM.match(line)]
    assert seen == item_lines  # every item whole, in one part, in order
    for part in parts:
        for line in part.splitlines():
            assert line in text.splitlines()  # no line was cut
