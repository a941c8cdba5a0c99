"""The evaluation set and the quality floor: a regression below top-1 0.85 fails CI.

The benchmark (python -m bot.faq.bench) prints the full comparison with the baselines.
"""

import pytest

from bot.faq.bench import evaluate, load_eval, search_ranker
from bot.faq.normalise import normalise

FLOOR_TOP1 = 0.85
FLOOR_TOP3 = 0.93


@pytest.fixture(scope="module")
def items():
    return load_eval()


def test_eval_set_is_large_and_valid(items, knowledge):
    assert len(items) >= 200
    known = {e.id for e in knowledge.faq}
    assert [it["id"] for it in items if it["id"] not in known] == []
    districts = set(knowledge.districts)
    assert all(it.get("district") in districts for it in items if it.get("district"))


def test_eval_questions_are_not_the_faqs_own(items, knowledge):
    own = {normalise(q) for e in knowledge.faq for q in e.questions}
    assert [it["q"] for it in items if normalise(it["q"]) in own] == []


def test_quality_floor(index, items):
    result = evaluate(search_ranker(index), items)
    assert result["top1"] >= FLOOR_TOP1, result
    assert result["top3"] >= FLOOR_TOP3, result
