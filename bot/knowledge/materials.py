"""Materials: the catalogue of documents an applicant uploads, and which applicants a business asks for each.

A material's upload instructions and common mistakes are ``Note``s scoped to the districts
(and businesses) they hold for, so an applicant reads only their own district's.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from .cited import Source, Strict, Text
from .vocabulary import (
    BusinessId,
    CategoryId,
    DistrictId,
    EmployerForm,
    EmployerSector,
    Housing,
    InfoChange,
    Marital,
    Title,
)


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
