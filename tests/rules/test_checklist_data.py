"""Who provides each material and which materials are alternatives: data the guides state,
validated by the loader, carried by the checklist (bot/rules/materials.py)."""

from __future__ import annotations

import pytest

from bot.knowledge.district import Business
from bot.rules import Profile
from bot.rules.materials import checklist, entries
from bot.rules.result import MaterialItem
from tests.knowledge.conftest import edit, line_of, run_check

SEEDED = ("bda", "chaoyang", "dongcheng", "tongzhou")


def items_for(knowledge, district: str, business: str, **answers) -> list[MaterialItem]:
    profile = Profile(district=district, business=business, **answers)
    return checklist(knowledge.districts[district].businesses[business], knowledge.materials, profile)


def test_what_the_guides_say_the_unit_uploads_is_the_units(knowledge):
    # bda-2026.txt §六(三) 办理流程 2(2): the unit uploads the contract when it accepts the link;
    # the withholding-client screenshot is the unit's query (§六(三) 涉及材料 1)
    for district in SEEDED:
        items = {m.id: m for m in items_for(knowledge, district, "new", category="degree", housing="rented")}
        assert items["labour_contract"].provided_by == "unit"
        assert items["integrity_declaration"].provided_by == "unit"
        assert all(
            items[i].provided_by == "applicant" for i in ("lease_contract", "property_certificate") if i in items
        )
    assert {m.provided_by for m in knowledge.materials.values()} == {"applicant", "unit"}


def test_a_district_ref_overrides_who_provides_it(knowledge):
    # BDA: the former unit uploads the resignation certificate (bda-2026.txt §六(五) 办理流程 1(2))
    assert knowledge.materials["resignation_certificate"].provided_by == "applicant"
    bda = {m.id: m for m in items_for(knowledge, "bda", "employer_change")}
    chaoyang = {m.id: m for m in items_for(knowledge, "chaoyang", "employer_change")}
    assert bda["resignation_certificate"].provided_by == "unit"
    assert chaoyang["resignation_certificate"].provided_by == "applicant"


def test_a_rented_home_proves_its_title_by_one_of_the_alternatives(knowledge):
    for district in SEEDED:
        items = items_for(knowledge, district, "new", category="degree", housing="rented")
        group = [m for m in items if m.one_of == "rented_title"]
        assert {"property_certificate", "purchase_contract"} <= {m.id for m in group}, district
        line = next(e for e in entries(items) if e.group == "rented_title")
        assert [o[0].id for o in line.options] == ["property_certificate", "purchase_contract"]
    bda = next(
        e
        for e in entries(items_for(knowledge, "bda", "new", category="degree", housing="rented"))
        if e.group == "rented_title"
    )
    assert [[m.id for m in o] for o in bda.options] == [
        ["property_certificate"],
        ["purchase_contract", "move_in_notice"],
    ]


def test_owned_homes_have_no_alternatives_where_the_guide_gives_none(knowledge):
    for district in SEEDED:
        items = items_for(knowledge, district, "new", category="degree", housing="owned")
        assert all(m.one_of is None for m in items if m.id in ("property_certificate", "purchase_contract"))


def test_an_alternative_required_anyway_meets_its_group(knowledge):
    # Chaoyang's 12 months of income: screenshot or personal record (§三 办理材料6) — but the 4×
    # category asks the screenshot outright (§三 办理材料4 条件4), so the other is not needed.
    degree = items_for(knowledge, "chaoyang", "new", category="degree", housing="owned")
    assert {m.id: m.one_of for m in degree}["tax_record_personal"] == "income_proof"
    tech = {m.id: m for m in items_for(knowledge, "chaoyang", "new", category="tech_income", housing="owned")}
    assert "tax_record_personal" not in tech and tech["tax_income_screenshot"].one_of is None
    assert "方式（1）" in tech["tax_income_screenshot"].detail  # both notes kept on the one line


def _item(id_, one_of=None, with_=None, party="applicant"):
    return MaterialItem(id_, id_.upper(), "", party, one_of, with_)


def test_lines_keep_guide_order_and_join_what_goes_together():
    items = [
        _item("a"),
        _item("notice", "g", "contract"),
        _item("title", "g"),
        _item("contract", "g"),
        _item("b", party="unit"),
        _item("orphan", "h", "missing"),
    ]
    lines = entries(items)
    assert [[[m.id for m in o] for o in e.options] for e in lines] == [
        [["a"]],
        [["title"], ["contract", "notice"]],
        [["b"]],
        [["orphan"]],
    ]


def test_loader_names_a_bad_party_and_a_dangling_with(knowledge_copy, capsys):
    common = knowledge_copy / "materials" / "common.yaml"
    edit(common, "    provided_by: unit\n", "    provided_by: hr\n")
    bda = knowledge_copy / "districts" / "bda.yaml"
    edit(bda, "        with: purchase_contract\n", "        with: lease_contract\n")
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    assert f"knowledge/materials/common.yaml:{line_of(common, 'provided_by: hr')}: " in err
    assert "provided_by: Input should be 'applicant' or 'unit'" in err, err
    assert "knowledge/districts/bda.yaml:" in err and "move_in_notice goes 'with' lease_contract" in err, err


def test_with_needs_a_group():
    ref = {"id": "move_in_notice", "source": "bda-2026.txt §六", "with": "purchase_contract"}
    with pytest.raises(ValueError, match="one_of"):
        Business(name="x", source="bda-2026.txt §六", materials=[ref])
