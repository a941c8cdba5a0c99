"""The shipped knowledge loads, is complete, and agrees with the guides where we spot-check."""

import time

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.loader import ALL_DISTRICTS
from tests.conftest import GUIDES_DIR, KNOWLEDGE_DIR

SEEDED = ("bda", "chaoyang", "dongcheng", "tongzhou")


def test_all_seventeen_districts_four_full(knowledge):
    assert set(knowledge.districts) == set(ALL_DISTRICTS)
    assert sorted(d.id for d in knowledge.full_districts) == sorted(SEEDED)
    for d in knowledge.districts.values():
        if d.id not in SEEDED:
            assert d.coverage == "baseline"
            assert d.applicant is None and d.employer is None, f"{d.id} must not carry invented numbers"


def test_summary_line_counts(knowledge):
    summary = knowledge.summary()
    assert summary.startswith("knowledge ok: 17 districts (4 full), ")
    assert len(knowledge.faq) >= 150
    assert len(knowledge.synonyms.groups) >= 40


@pytest.mark.parametrize("district", SEEDED)
def test_seeded_district_covers_every_business_its_guides_describe(knowledge, district):
    d = knowledge.districts[district]
    for name, guide in knowledge.sources.guides.items():
        if guide.district != district:
            continue
        for business in guide.covers:
            assert business in d.businesses and d.businesses[business].described, (name, business)
        assert d.businesses["new"].materials, "a new application lists its materials"


def test_every_cited_guide_file_exists():
    # sources.yaml names the guides by file: each must be a real file in shared/guides.
    knowledge = load_knowledge(KNOWLEDGE_DIR)
    if not GUIDES_DIR.is_dir():
        pytest.skip("shared/guides not beside the repo")
    for name in knowledge.sources.guides:
        assert (GUIDES_DIR / name).is_file(), name


def test_wage_table_matches_the_guides(knowledge):
    # Spot checks against the figures printed in the guides' tables (see shared/guides/README.md).
    expected = {
        2016: 7706,
        2017: 8467,
        2018: 7855,
        2019: 8847,
        2020: 9407,
        2021: 10628,
        2022: 11297,
        2023: 11761,
        2024: 11937,
    }
    assert {y: v.value for y, v in knowledge.wages.values.items()} == expected
    assert knowledge.wages.measured_year_offset == -1


def _multiple(district, form):
    for rule in district.applicant.income.multiples:
        if rule.employer_forms is None or form in rule.employer_forms:
            return rule.multiple
    raise AssertionError("no multiple")


def test_spot_check_district_numbers_against_guides(knowledge):
    bda, cy, dc, tz = (knowledge.districts[d] for d in ("bda", "chaoyang", "dongcheng", "tongzhou"))
    # months with the employer: BDA 3, Dongcheng 6, Chaoyang and Tongzhou 12
    assert [d.applicant.months_employed.value for d in (bda, dc, cy, tz)] == [3, 6, 12, 12]
    # income multiples by employer form
    assert _multiple(bda, "enterprise") == 1.2
    assert _multiple(cy, "enterprise") == 1.5 and _multiple(cy, "institution") == 1.2
    assert _multiple(dc, "enterprise") == 1.5 and _multiple(dc, "firm") == 1.5 and _multiple(dc, "institution") == 1.2
    assert _multiple(tz, "enterprise") == 1.2

    # the high-income categories: 4x/8x, Tongzhou 3x/6x
    def cat(d, cid):
        return next(c for c in d.applicant.categories if c.id == cid).test.annual_income_multiple

    assert (cat(bda, "tech_income"), cat(bda, "service_income")) == (4, 8)
    assert (cat(cy, "tech_income"), cat(cy, "service_income")) == (4, 8)
    assert (cat(dc, "tech_income"), cat(dc, "service_income")) == (4, 8)
    assert (cat(tz, "tech_income"), cat(tz, "service_income")) == (3, 6)
    # Chaoyang alone has ten categories
    assert len(cy.applicant.categories) == 10
    assert {c.id for c in cy.applicant.categories} >= {"recommended", "overseas_qualification"}
    assert all(len(d.applicant.categories) == 8 for d in (bda, dc, tz))
    # ages
    assert (bda.applicant.age_max.male, bda.applicant.age_max.female) == (60, 55)
    assert tz.applicant.age_max.female_worker == 50
    # employer conditions
    assert bda.employer.registered_months.value == 6 or bda.employer.tax_months.value == 6
    assert bda.employer.annual_tax_wan.value == 20 and bda.employer.annual_tax_wan.exempt_strategic_startup
    assert bda.employer.branch_max_permits.value == 5
    assert cy.employer.annual_tax_wan.three_year_alternative == 60
    assert tz.employer.staff_min.value == 10
    assert dc.employer.capital_wan.paid_in is True
    # renewal windows: Chaoyang and Tongzhou 60 days, BDA two months / 20 working days
    assert cy.businesses["renewal"].timing.window_days_before_expiry.value == 60
    assert tz.businesses["renewal"].timing.window_days_before_expiry.value == 60
    assert bda.businesses["renewal"].timing.submit_working_days_before_expiry.value == 20
    # Dongcheng keeps both contract readings: checklist 7 months, guide 6 months
    contract = dc.businesses["renewal"].contract_months_left
    readings = {contract.value} | {a.value for a in contract.alternatives}
    assert readings >= {6, 7}
    # contacts
    assert "57596100" in " ".join(p.number for p in cy.office.phones)
    assert "60531992" in " ".join(p.number for p in tz.office.phones)
    assert "84038437" in " ".join(p.number for p in dc.office.phones)
    assert tz.office.email == "gzjzz69521529@163.com"


def test_loading_all_knowledge_is_fast():
    start = time.perf_counter()
    load_knowledge(KNOWLEDGE_DIR)
    elapsed = time.perf_counter() - start
    print(f"knowledge loaded in {elapsed * 1000:.0f} ms")
    # Loose ceiling (the target is 0.5 s, printed by `gjz check --time`): catches a 10x regression.
    assert elapsed < 5
