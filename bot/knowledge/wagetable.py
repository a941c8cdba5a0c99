"""The average-wage table: one published figure per year, and the figures a guide prints for its multiples."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from .cited import Source, Strict, Text


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
