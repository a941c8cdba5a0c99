"""Cited values: every number, rule and statement knowledge holds names the guide it comes from.

A ``Stated`` value carries the guide section it comes from, or an explicit note that the
guide is silent (``value: null`` + ``note``), never a number borrowed from another district;
``Sources`` lists the documents a citation may name. Every model is ``Strict``: a misspelt
key in a maintainer's YAML is an error, not a field that silently vanishes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .vocabulary import BusinessId, DistrictId

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
