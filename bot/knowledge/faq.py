"""The FAQ's entries and the synonym groups its question matching reads."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .cited import Source, Strict, Text
from .vocabulary import DistrictId


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
