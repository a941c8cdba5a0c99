"""The applicant's (or employer's) profile: what the rules know about one case.

Every field but ``district`` and ``business`` may be missing: the rules then say which
missing fields could change the outcome, and the interview asks for exactly those.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from ..knowledge import vocabulary as vocab  # the closed answer sets, shared with the knowledge
from ..validation import describe


def _not_bool(value: object) -> object:
    # JSON true/false is not a number, though Python would read it as 1/0.
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


Number = BeforeValidator(_not_bool)
NonNegInt = Annotated[int, Field(ge=0), Number]
NonNegFloat = Annotated[float, Field(ge=0), Number]

# What an applicant may declare met in one answer: conditions they can read and confirm as the
# guide states them. Not the decisive figures that earn advice ("from when", "by how much").
Declarable = Literal[
    "age",
    "criminal_record",
    "same_employer_for_tax",
    "contract_months_left",
    "lease_months_left",
    "social_insurance_continuous",
]
DECLARABLE: tuple[Declarable, ...] = get_args(Declarable)

# The wage table (knowledge/wages.yaml) starts with 2016, so 2017 is the first year an
# application can be measured; a date outside these bounds is a typo, not a case.
EARLIEST_APPLICATION = dt.date(2017, 1, 1)
LATEST_APPLICATION = dt.date(2100, 12, 31)


class Profile(BaseModel):
    # allow_inf_nan: JSON's Infinity/NaN are not incomes (and would break the arithmetic).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    district: vocab.DistrictId
    business: vocab.BusinessId
    application_date: dt.date | None = None
    permit_expiry: dt.date | None = None
    nationality: vocab.Nationality | None = None
    hukou: vocab.Hukou | None = None
    gender: vocab.Gender | None = None
    age: Annotated[int, Field(ge=0, le=130), Number] | None = None
    criminal_record: bool | None = None
    social_insurance_continuous: bool | None = None
    same_employer_for_tax: bool | None = None
    employer_form: vocab.EmployerForm | None = None
    employer_sector: vocab.EmployerSector | None = None
    months_employed: NonNegInt | None = None
    category: vocab.CategoryId | None = None
    degree: vocab.Degree | None = None
    degree_abroad: bool | None = None
    work_years: Annotated[float, Field(ge=0, le=80), Number] | None = None
    title: vocab.Title | None = None
    monthly_income: NonNegFloat | None = None
    annual_incomes: dict[int, NonNegFloat] | None = None
    housing: vocab.Housing | None = None
    # months left on the housing lease (rented housing), where the district sets a minimum
    lease_months_left: NonNegFloat | None = None
    # Conditions the applicant declared met, each shown in the district's own words with its
    # figure ("劳动合同剩余期限须大于 1 个月"), instead of answering its question one by one.
    declared: list[Declarable] = []
    children: Annotated[int, Field(ge=0, le=20), Number] | None = None
    # the age of the oldest child the applicant wants to add as accompanying (随往子女): the
    # districts take only children under their child_max_age
    child_age: Annotated[int, Field(ge=0, le=30), Number] | None = None
    marital: vocab.Marital | None = None
    info_change: vocab.InfoChange | None = None
    contract_months_left: NonNegFloat | None = None
    employer_registered_months: NonNegInt | None = None
    employer_capital: NonNegFloat | None = None
    employer_annual_tax: NonNegFloat | None = None
    employer_tax_3y: NonNegFloat | None = None
    employer_staff: NonNegInt | None = None
    employer_has_quota: bool | None = None
    employer_strategic_startup: bool | None = None
    employer_real_estate_dev: bool | None = None

    @field_validator("application_date")
    @classmethod
    def _measurable_date(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not EARLIEST_APPLICATION <= value <= LATEST_APPLICATION:
            raise ValueError(
                f"must be between {EARLIEST_APPLICATION} and {LATEST_APPLICATION} "
                "(the average-wage table starts with 2016)"
            )
        return value

    @field_validator("annual_incomes")
    @classmethod
    def _plausible_years(cls, value: dict[int, float] | None) -> dict[int, float] | None:
        for year in value or {}:
            if not 1990 <= year <= 2100:
                raise ValueError(f"year {year} is not a plausible calendar year")
        return value

    def on(self, today: dt.date) -> dt.date:
        """The application date, defaulting to ``today``."""
        return self.application_date or today


class ProfileError(ValueError):
    """Malformed profile input, with the offending field named."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


def parse_profile(text: str) -> Profile:
    """Parse a JSON profile; raise ProfileError naming the first offending field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError("", f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise ProfileError("", 'a profile is a JSON object, e.g. {"district": "bda", "business": "new"}')
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ProfileError(field, describe(err)) from None
