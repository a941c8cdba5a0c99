"""An applicant reads only their own district's rules (issue 11, part 4).

The sweep (benchmarks/district_leaks.py) walks district × business × housing × category and
every other `when` key, plus one case per material each district lists, and collects what the
applicant reads: checks, advice, materials, the result reply and the checklist document.
"""

import datetime as dt

import pytest

from benchmarks.district_leaks import ALLOWED, DISTRICT_WORDS, leaks, profiles, seen_texts
from bot.knowledge import get_knowledge
from bot.rules import Profile, assess


@pytest.fixture(scope="module")
def knowledge():
    return get_knowledge()


@pytest.mark.parametrize("district", sorted(DISTRICT_WORDS))
def test_no_other_district_reaches_an_applicant(knowledge, district):
    found: dict[str, dict] = {}
    materials_seen = 0
    for case in profiles(district):
        texts = seen_texts(knowledge, case)
        materials_seen += any("材料清单" in t for t in texts)
        for fragment in leaks(knowledge, district, texts):
            found.setdefault(fragment, case)
    assert materials_seen > 100  # the sweep reads checklists, not only refusals
    assert not found, "\n".join(
        f"{f}  ← {c['business']} {c.get('housing')} {c.get('category')}" for f, c in list(found.items())[:20]
    )


def test_the_detector_sees_a_leak(knowledge):
    # the check is not vacuous: the old catalogue's wording is caught, the district's own is not
    assert leaks(knowledge, "bda", ["常见退回原因：剩余租期不足6个月（朝阳、东城、通州），或已过租期"])
    assert leaks(knowledge, "tongzhou", ["〔chaoyang-2021.txt §三〕"])
    assert not leaks(knowledge, "bda", ["住经开区公租房的，上传《公租房租赁合同》"])


def test_every_allowance_says_why():
    assert all(reason.strip() for *_, reason in ALLOWED)


def _materials(knowledge, **profile):
    base = {"application_date": "2026-03-02", "category": "degree", "children": 0, "marital": "single"}
    a = assess(knowledge, Profile.model_validate({**base, **profile}), today=dt.date(2026, 3, 2))
    return {m.id: m.detail for m in a.materials}


def test_each_renter_reads_their_own_lease_rule(knowledge):
    bda = _materials(knowledge, district="bda", business="new", housing="rented")["lease_contract"]
    chaoyang = _materials(knowledge, district="chaoyang", business="new", housing="rented")["lease_contract"]
    assert "已过租期" in bda and "6个月" not in bda
    assert "剩余租期不足6个月" in chaoyang and "已过租期" not in chaoyang


def test_a_district_rule_replaces_the_citywide_statement_it_contradicts(knowledge):
    # Chaoyang accepts the HR department's seal: it does not read the bare 未加盖单位公章
    chaoyang = _materials(knowledge, district="chaoyang", business="new")["integrity_declaration"]
    tongzhou = _materials(knowledge, district="tongzhou", business="new")["integrity_declaration"]
    assert "未加盖单位公章或人事部门专用章" in chaoyang
    assert "未加盖单位公章；" not in chaoyang + "；" and "未加盖单位公章" in tongzhou


def test_dongcheng_renewal_checklist_only_for_renewal(knowledge):
    renewal = _materials(knowledge, district="dongcheng", business="renewal")["labour_contract"]
    new = _materials(knowledge, district="dongcheng", business="new")["labour_contract"]
    assert "不足7个月" in renewal and "不足6个月" in renewal
    assert "7个月" not in new and "不足6个月" in new
