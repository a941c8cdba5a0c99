"""Who qualifies in a district: the conditions on the employing unit and on the applicant."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from .cited import Condition, Source, Stated, Strict, Text
from .vocabulary import BusinessId, CategoryId, Degree, EmployerForm, EmployerSector, Housing, Hukou, Nationality, Title


class CapitalRule(Stated[float]):
    """注册资本 in 万元."""

    paid_in: bool = False
    applies_to: list[EmployerForm] = []


class TaxRule(Stated[float]):
    """上一年纳税额 in 万元, with an optional three-year alternative."""

    three_year_alternative: float | None = None
    applies_to: list[EmployerForm] = []
    exempt_strategic_startup: bool = False


class EmployerConditions(Strict):
    forms: Stated[list[EmployerForm]]
    registered_months: Stated[int]
    # whether the guide counts the months registered in this district (朝阳 "在朝阳区工商注册…满1年")
    # or since the unit was founded anywhere (东城 "注册成立满1年")
    registered_in_district: bool = True
    tax_months: Stated[int]
    capital_wan: CapitalRule
    annual_tax_wan: TaxRule
    staff_min: Stated[int]
    quota_required: Stated[bool]
    # The businesses the quota (新办指标) is required for: new applications, and in some
    # districts an employer change or the unit's own account opening.
    quota_businesses: list[BusinessId] = ["new"]
    excluded_industries: Stated[list[Text]]
    branch_max_permits: Stated[int]
    other: list[Condition] = []


class AgeLimit(Strict):
    male: int = Field(gt=0)
    female: int = Field(gt=0)
    female_worker: int | None = None
    source: Source


class CategoryTest(Strict):
    """The category's own test, where a profile field can decide it."""

    min_degree: Degree | None = None
    min_work_years: int | None = None
    min_title: Title | None = None
    annual_income_multiple: float | None = Field(default=None, gt=0)
    years: int | None = None
    sectors: list[EmployerSector] | None = None
    # Otherwise the applicant confirms the category by its materials.
    confirm: str | None = None


class Category(Strict):
    id: CategoryId
    number: int = Field(gt=0, description="the guide's own numbering")
    title: Text
    test: CategoryTest
    source: Source


class IncomeMultiple(Strict):
    multiple: float = Field(gt=0)
    employer_forms: list[EmployerForm] | None = None  # None: any form not matched earlier
    source: Source


class IncomeRule(Strict):
    """The monthly taxable income every (listed) category must also reach."""

    basis: Text = Field(description="what is compared, in the guide's words")
    every_month: bool = Field(description="each month must pass (True) or the period's total (False)")
    months_checked: Stated[int]
    categories: list[CategoryId]
    multiples: list[IncomeMultiple]
    source: Source


class Dependents(Strict):
    spouse_allowed: Stated[bool]
    child_max_age: Stated[int]
    child_conditions: list[Condition] = []


class LeaseRule(Stated[int]):
    """Months the housing lease must still run when the application is filed (租期还剩).

    ``value: null`` with a note where the guide sets no number (e.g. only "尚在租赁期限内").
    """

    housing: list[Housing] = Field(
        default=["rented", "rented_rural"], min_length=1, description="the housing kinds whose lease it applies to"
    )


class ApplicantConditions(Strict):
    months_employed: Stated[int]
    age_max: AgeLimit | None = None
    age_note: str | None = None
    excluded_hukou: Stated[list[Hukou]]
    excluded_nationality: Stated[list[Nationality]]
    criminal_record_excluded: Stated[bool]
    same_employer_required: Stated[bool]
    housing_accepted: Stated[list[Housing]]
    lease_months_left: LeaseRule | None = None
    categories: list[Category]
    income: IncomeRule
    dependents: Dependents
    other: list[Condition] = []

    @model_validator(mode="after")
    def _age(self) -> Self:
        if self.age_max is None and not self.age_note:
            raise ValueError("age_max missing: give it or an age_note saying the guide is silent")
        return self
