"""派遣员工能办吗: each district with a guide answers from its own guide, or says its guide is
silent and gives its office (as the knowledge states it), never an unrelated entry."""

from __future__ import annotations

import pytest

QUESTION = "派遣员工能办吗"


@pytest.mark.parametrize(
    ("district", "cites"),
    [
        ("tongzhou", "tongzhou-2021.txt §三(四)(2)"),  # contract, tax and social insurance by one unit
        ("chaoyang", "chaoyang-2021.txt §三 注意事项5"),  # not accepted, except foreign representative offices
        ("bda", "bda-2026.txt §二"),  # dispatch agencies only for their own staff
        ("dongcheng", "dongcheng-2021.txt §二(二)注"),  # silent on dispatch
    ],
)
def test_dispatched_staff_are_answered_from_the_districts_guide(index, knowledge, district, cites):
    found = index.search(QUESTION, district=district)
    top = found.answers[0]
    assert found.confident and top.district == district, top
    assert "派遣" in top.answer and top.source.startswith(cites), top


def test_a_silent_guide_says_so_and_gives_the_office(index, knowledge):
    top = index.search(QUESTION, district="dongcheng").answers[0]
    office = knowledge.districts["dongcheng"].office
    assert "没有写" in top.answer
    assert office.phones[0].number in top.answer
    assert office.address is not None and office.address.split("（")[0] in top.answer
