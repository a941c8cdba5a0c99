"""Typed models of every knowledge file.

The models are the schema: a maintainer's YAML either validates against them or ``gjz
check`` names the file, line and field that does not. Every number a rule uses is a
``Stated`` value: it carries the guide section it comes from, or an explicit note that the
guide is silent (``value: null`` + ``note``), never a number borrowed from another district.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .vocabulary import (
    BusinessId,
    CategoryId,
    Degree,
    DistrictId,
    EmployerForm,
    EmployerSector,
    Gender,
    Housing,
    Hukou,
    InfoChange,
    Marital,
    Nationality,
    Title,
)

T = TypeVar("T")

Source = Annotated[str, Field(min_length=3, description="'<guide file> §section', e.g. 'bda-2026.txt §二'")]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt field must not silently vanish."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Alternative(Strict, Generic[T]):
    """Another source's reading of the same parameter, kept beside the one the rules use."""

    value: T | None = None
    source: Source
    note: Text


class Stated(Strict, Generic[T]):
    """A parameter as a guide states it, or a note saying the guide does not."""

    value: T | None = None
    source: Source | None = None
    note: str | None = None
    alternatives: list[Alternative[T]] = []
    # For a minimum: the guide says "more than" (大于), not "at least" (不少于/满).
    exclusive: bool = False

    @model_validator(mode="after")
    def _cited_or_silent(self) -> Self:
        if self.value is not None and not self.source:
            raise ValueError("a stated value needs its source (guide file and section)")
        if self.value is None and not self.note:
            raise ValueError("a missing value needs a note saying the guide is silent (e.g. 指南未说明)")
        return self

    @property
    def known(self) -> bool:
        return self.value is not None


class Condition(Strict):
    """A condition no profile field decides: shown to the user as something to confirm."""

    id: Text
    text: Text
    source: Source
    # who confirms it: the applicant, or the unit's HR staff (shown apart in 条件详情)
    party: Literal["applicant", "unit"] = "applicant"
    # the id of a rule's check that already states this condition (e.g. employer_quota): the
    # condition is then not listed a second time
    same_as: str | None = None
    # how the source reads to an applicant where the cited guide is another district's (a
    # city-wide rule shown to a district without a guide); `source` stays for maintainers
    cite_as: str | None = None


# ---------------------------------------------------------------- wages and sources


class PrintedFigure(Strict):
    """A threshold a guide's table prints for one multiple of one year's wage (元/月)."""

    value: float = Field(gt=0)
    source: Source


class WageValue(Strict):
    value: float = Field(description="元/月")
    source: Source
    # multiple -> the figure a guide's table prints for it (e.g. 1.2 -> 14324 for 11937):
    # the figure the office compares against, used instead of the computed product.
    printed: dict[float, PrintedFigure] = {}

    @field_validator("value")
    @classmethod
    def _positive(cls, v: float) -> float:
        if v <= 0:
            raise ValueError("an average wage must be positive")
        return v

    @field_validator("printed")
    @classmethod
    def _printed_is_the_product(
        cls, printed: dict[float, PrintedFigure], info: ValidationInfo
    ) -> dict[float, PrintedFigure]:
        # A printed figure is the product rounded to the yuan or less: anything further off
        # is a typo in the table (or in this file), not a rounding.
        wage = info.data.get("value")
        for multiple, figure in printed.items():
            if wage is not None and abs(figure.value - wage * multiple) >= 1:
                raise ValueError(
                    f"{multiple:g}: {figure.value:g} is not {multiple:g} × {wage:g} "
                    f"(= {wage * multiple:g}) rounded to the yuan"
                )
        return printed


class Rounding(Strict):
    """How a threshold is computed for a multiple and year no guide's table prints."""

    rule: Literal["nearest_yuan"]  # multiple × wage rounded half up to the yuan
    source: Source
    note: Text


class WageTable(Strict):
    """北京市全口径城镇单位就业人员月平均工资, one published figure per year."""

    description: Text
    unit: Text
    # An application in year Y is measured against the figure of year Y + offset (-1).
    measured_year_offset: int = Field(le=0)
    offset_source: Source
    fallback_note: Text
    rounding: Rounding
    values: dict[int, WageValue]


class GuideInfo(Strict):
    title: Text
    district: DistrictId
    date: Text
    effective: dt.date | None = None
    basis: list[Text] = []
    covers: list[BusinessId]


class Sources(Strict):
    """The documents knowledge may cite; a citation names one of these files."""

    guides: dict[str, GuideInfo]
    other: dict[str, Text] = {}


# ---------------------------------------------------------------- materials


def _plain_note(value: object) -> object:
    # A bare string in the YAML is a city-wide statement: `- 只传本人页，漏传首页`.
    return {"text": value} if isinstance(value, str) else value


class Note(Strict):
    """One statement about a material (an upload instruction or a reason for return) and the
    districts it holds for, as data: an applicant reads only the notes of their district.

    ``districts`` absent: city-wide, true wherever no district's own rule contradicts it;
    ``except`` names the districts whose rule does (they get their own note instead).
    ``businesses`` narrows a note to some businesses (the Dongcheng renewal checklist).
    A note for some districts cites the guide section it comes from.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    text: Text
    districts: list[DistrictId] | None = Field(default=None, min_length=1)
    except_: list[DistrictId] = Field(default=[], alias="except")
    businesses: list[BusinessId] | None = Field(default=None, min_length=1)
    source: Source | None = None

    @model_validator(mode="after")
    def _scoped(self) -> Self:
        if self.districts and self.except_:
            raise ValueError("a note names the districts it holds for or those it does not, not both")
        if self.districts and not self.source:
            raise ValueError("a district's note needs its source (guide file and section)")
        return self

    def holds_for(self, district: str | None, business: str | None = None) -> bool:
        """True if an applicant of ``district`` (None: not known) doing ``business`` reads it."""
        if self.businesses is not None and business is not None and business not in self.businesses:
            return False
        if district is None:
            return self.districts is None and self.businesses is None
        if self.districts is not None:
            return district in self.districts
        return district not in self.except_


NoteItem = Annotated[Note, BeforeValidator(_plain_note)]


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


# Who gets a material ready: the applicant (their own documents and records), or the unit,
# its HR staff (what the employer issues, signs and seals, or uploads from its own records).
Party = Literal["applicant", "unit"]


class Material(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    official_name: str | None = None
    # what exactly to upload, statement by statement (a bare string: one city-wide statement)
    upload: Annotated[list[NoteItem], BeforeValidator(_one_or_many)] = Field(min_length=1)
    mistakes: list[NoteItem] = []
    source: Source
    provided_by: Party = "applicant"

    def upload_for(self, district: str | None, business: str | None = None) -> list[str]:
        return [n.text for n in self.upload if n.holds_for(district, business)]

    def mistakes_for(self, district: str | None, business: str | None = None) -> list[str]:
        return [n.text for n in self.mistakes if n.holds_for(district, business)]


class MaterialCatalogue(Strict):
    materials: list[Material]


class When(Strict):
    """Which applicants a material applies to; every listed key must match (empty = all)."""

    category: list[CategoryId] | None = None
    housing: list[Housing] | None = None
    children: bool | None = None
    marital: list[Marital] | None = None
    employer_form: list[EmployerForm] | None = None
    employer_sector: list[EmployerSector] | None = None
    change: list[InfoChange] | None = None
    degree_abroad: bool | None = None
    title: list[Title] | None = None


class MaterialRef(Strict):
    """One material a business asks for. Refs of a business sharing ``one_of`` are alternatives
    for one requirement (the guide's "二者其一"); a ref with ``with`` joins the alternative of
    the material it names instead of being one of its own (网签合同 + 入住通知单)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Text
    when: When = When()
    note: str | None = None
    source: Source
    # the district's guide says someone else provides it than the catalogue's default
    provided_by: Party | None = None
    one_of: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] | None = None
    with_: Text | None = Field(default=None, alias="with")

    @model_validator(mode="after")
    def _with_needs_a_group(self) -> Self:
        if self.with_ is not None and self.one_of is None:
            raise ValueError("'with' joins an alternative: give the ref its one_of group too")
        if self.with_ == self.id:
            raise ValueError("'with' names another material of the same alternative, not itself")
        return self


# ---------------------------------------------------------------- the district


class Phone(Strict):
    number: Text
    label: Text


class Office(Strict):
    name: Text
    address: str | None = None
    phones: list[Phone] = []
    complaint_phone: str | None = None
    hours: str | None = None
    email: str | None = None
    web: str | None = None
    booking: str | None = None
    note: str | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _cited(self) -> Self:
        if (self.address or self.phones) and not self.source:
            raise ValueError("an office's address or phone needs its source")
        return self

    def reach(self) -> list[str]:
        """Its name, then '电话 …' and '地址 …' where the guide gives them: how a contact line
        starts, in the verdict and in the FAQ's answer alike (each goes on in its own way)."""
        parts = [self.name]
        if self.phones:
            parts.append("电话 " + "、".join(f"{p.number}（{p.label}）" for p in self.phones))
        if self.address:
            parts.append("地址 " + self.address)
        return parts


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


class Timing(Strict):
    """When a time-limited business (renewal, employer change) must be filed."""

    window_days_before_expiry: Stated[int]  # the window opens this many calendar days before expiry
    # … or this many calendar months before it ("到期前两个月内"); used instead of days when given
    window_months_before_expiry: Stated[int] | None = None
    submit_working_days_before_expiry: Stated[int]  # filed at least this many working days before
    review_working_days: Stated[int]
    # The guide gives no opening date and does not say one may file at any time either
    # (Dongcheng's renewal): only the last day is certain, the opening is for the office to say.
    window_unclear: bool = False
    notes: list[Text] = []


class Business(Strict):
    name: Text
    described: bool = True
    source: Source | None = None
    note: str | None = None
    processing_working_days: Stated[int] | None = None
    conditions: list[Condition] = []
    materials: list[MaterialRef] = []
    timing: Timing | None = None
    # Months left on the labour contract when the business is filed.
    contract_months_left: Stated[int] | None = None
    # The district's unit conditions (EmployerConditions, the quota where quota_businesses
    # lists this business) hold for this business too: the new employer must meet them.
    employer_conditions: Stated[bool] | None = None
    # employer_change: months of social insurance already paid by the new employer.
    months_with_new_employer: Stated[int] | None = None
    # renewal: months of continuous Beijing tax and social insurance, withheld by the
    # contract employer, that the business requires (e.g. the 36 months of the permit).
    continuous_tax_months: Stated[int] | None = None
    # renewal: the multiple of the average wage the monthly income must reach, and
    # whether every month must reach it (True) or the yearly average (False).
    income_multiple: Stated[float] | None = None
    income_every_month: bool | None = None

    @model_validator(mode="after")
    def _alternatives_hold_together(self) -> Self:
        for ref in self.materials:
            if ref.with_ is not None and not any(
                other.id == ref.with_ and other.one_of == ref.one_of and other.with_ is None for other in self.materials
            ):
                raise ValueError(
                    f"materials: {ref.id} goes 'with' {ref.with_}, which is not an "
                    f"alternative of group {ref.one_of} in this business"
                )
        return self

    @model_validator(mode="after")
    def _described(self) -> Self:
        if self.described and not self.source:
            raise ValueError("a business the guide describes needs its source")
        if not self.described and not self.note:
            raise ValueError("a business the guide does not describe needs a note saying so")
        return self


class UploadRules(Strict):
    formats: Stated[list[Text]]
    max_size_mb: Stated[float]
    seals: Stated[Text]
    validity: Stated[Text]
    notes: list[Condition] = []


class District(Strict):
    id: DistrictId
    name: Text
    aliases: list[Text] = []
    coverage: Annotated[str, Field(pattern=r"^(full|baseline)$")]
    guide: str | None = None  # the file in sources.yaml
    guide_date: str | None = None
    office: Office
    employer: EmployerConditions | None = None
    applicant: ApplicantConditions | None = None
    businesses: dict[BusinessId, Business] = {}
    uploads: UploadRules | None = None
    notes: list[Condition] = []

    @model_validator(mode="after")
    def _full_is_complete(self) -> Self:
        if self.coverage == "full":
            missing = [
                f for f in ("guide", "guide_date", "employer", "applicant", "uploads") if getattr(self, f) is None
            ]
            if missing:
                raise ValueError(f"a district with coverage: full needs {', '.join(missing)}")
        return self


# ---------------------------------------------------------------- city-wide


class CityCategory(Strict):
    id: CategoryId
    name: Text
    short: Text
    citywide: bool
    source: Source


class City(Strict):
    permit_validity_years: Stated[int]
    spouse_accompany: Stated[bool]
    categories: list[CityCategory]
    businesses: dict[BusinessId, Text]
    baseline_conditions: list[Condition]
    disclaimer: Text


# ---------------------------------------------------------------- FAQ and synonyms


class FaqEntry(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    district: DistrictId | None = None  # None: city-wide
    topic: Text
    questions: list[Text] = Field(min_length=2)
    answer: Text
    source: Source


class Faq(Strict):
    entries: list[FaqEntry]


class Synonyms(Strict):
    groups: list[Annotated[list[Text], Field(min_length=2)]]
    # Concepts never to be read into each other: each pair names two groups (by any of their
    # words). Segmentation reads a long word's sub-words too (租赁合同 → 合同); a sub-word
    # of one concept that belongs to the other (合同 → 劳动合同) is then left out.
    distinct: list[Annotated[list[Text], Field(min_length=2, max_length=2)]] = []


class Holidays(Strict):
    """Years the calendar package lacks, added by a maintainer from the State Council notice."""

    years: dict[int, HolidayYear] = {}


class HolidayYear(Strict):
    source: Text
    holidays: list[dt.date]
    workdays: list[dt.date] = []  # 调休: weekend days that are working days


Holidays.model_rebuild()

__all__ = [
    "Alternative",
    "ApplicantConditions",
    "Business",
    "Category",
    "CategoryTest",
    "City",
    "Condition",
    "District",
    "EmployerConditions",
    "Faq",
    "FaqEntry",
    "Holidays",
    "IncomeRule",
    "Material",
    "MaterialCatalogue",
    "MaterialRef",
    "Note",
    "Office",
    "Sources",
    "Stated",
    "Synonyms",
    "Timing",
    "UploadRules",
    "WageTable",
    "When",
    "Gender",
]
