"""A district's file as a whole (its office, businesses and upload rules) and the city-wide file beside it."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from .cited import Condition, Source, Stated, Strict, Text
from .eligibility import ApplicantConditions, EmployerConditions
from .materials import MaterialRef
from .vocabulary import BusinessId, CategoryId, DistrictId


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


class TaxBreak(Strict):
    """What a business's guide says of a break in the Beijing tax or social insurance records
    of the period ``continuous_tax_months`` names, in that district's own words: whether it
    asks the payments continuous at all, what a break leads to, and what the applicant is told.
    A break is a refusal only where the guide states continuity as a condition."""

    # The guide asks the payments continuous ("连续缴纳"): value true and its section; where it
    # only asks the records of the period, value null and a note saying continuity is not stated.
    continuous: Stated[bool]
    # The period as the interview asks it and the verdict names it ("近 12 个月", "持证期间（近 36 个月）").
    period: Text
    # The condition shown to the applicant (the checklist line, the pass and the break messages).
    text: Text
    # What a break leads to: "fail" (the guide states continuity and no way round it) or
    # "refer" (the guide names an explanation the unit may give, or is silent: the office decides).
    on_break: Literal["fail", "refer"]
    # Shown with a break: what to do, from this district's guide only, with its section.
    advice: Text
    advice_source: Source

    @model_validator(mode="after")
    def _refuses_only_what_is_stated(self) -> Self:
        if self.on_break == "fail" and self.continuous.value is not True:
            raise ValueError("on_break: fail needs the guide to state continuity (continuous: value true)")
        return self


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
    # renewal: what the guide says of a break in those months (given with continuous_tax_months)
    tax_break: TaxBreak | None = None
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
    def _break_rule_with_its_period(self) -> Self:
        if (self.continuous_tax_months is not None) != (self.tax_break is not None):
            raise ValueError("continuous_tax_months and tax_break go together: a break needs its guide's rule")
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
