"""A question typed during the interview gets what `gjz ask` gives: the best answer, or,
when the search is not sure, its closest answer shown and the others offered; "nothing
found" only when nothing was found (never a claim that the guide is silent)."""

from __future__ import annotations

from bot.dialog.questions import answer_question


def test_a_not_confident_result_shows_its_best_answer_not_not_found(index, knowledge):
    question = "东城要入职几个月"
    found = index.search(question, district="chaoyang")
    assert not found.confident  # the case the tester met: a right answer ranked first, not sure
    reply = answer_question(knowledge, index, question, "chaoyang", resume=True)
    best = found.answers[0]
    assert best.answer in reply.text and "6个月" in reply.text
    assert "没有找到" not in reply.text and "指南未说明" not in reply.text
    offered = [b.data for row in reply.buttons for b in row]
    assert offered == [f"f:{a.id}" for a in found.answers[1:]]


def test_nothing_found_says_so_and_gives_the_office(index, knowledge):
    reply = answer_question(knowledge, index, "🤔🤔🤔", "tongzhou", resume=False)
    assert "没有找到相关的回答" in reply.text
    assert knowledge.districts["tongzhou"].office.phones[0].number in reply.text
