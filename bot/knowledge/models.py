"""Typed models of every knowledge file: the index of the schema, one module per idea.

The models are the schema: a maintainer's YAML either validates against them or ``gjz
check`` names the file, line and field that does not. They live in

    cited        Strict, Stated, Alternative, Condition; Sources (what a citation may name)
    wagetable    WageTable: the average wage per year and the figures guides print
    materials    Material, MaterialCatalogue, Note; MaterialRef and When (who needs which)
    eligibility  EmployerConditions, ApplicantConditions: who qualifies in a district
    district     District: its Office, Business (with Timing), UploadRules; and City
    faq          FaqEntry, Faq, Synonyms
    holidays     Holidays: the years the calendar package lacks

and are re-exported here, the schema's index that knowledge/README.md points a maintainer to;
code imports each model from its own module, so an import line says which idea it uses.
"""

from __future__ import annotations

from .cited import Alternative, Condition, GuideInfo, Source, Sources, Stated, Strict, Text
from .district import Business, City, CityCategory, District, Office, Phone, Timing, UploadRules
from .eligibility import (
    AgeLimit,
    ApplicantConditions,
    CapitalRule,
    Category,
    CategoryTest,
    Dependents,
    EmployerConditions,
    IncomeMultiple,
    IncomeRule,
    LeaseRule,
    TaxRule,
)
from .faq import Faq, FaqEntry, Synonyms
from .holidays import Holidays, HolidayYear
from .materials import Material, MaterialCatalogue, MaterialRef, Note, NoteItem, Party, When
from .vocabulary import Gender
from .wagetable import PrintedFigure, Rounding, WageTable, WageValue

__all__ = [
    "AgeLimit",
    "Alternative",
    "ApplicantConditions",
    "Business",
    "CapitalRule",
    "Category",
    "CategoryTest",
    "City",
    "CityCategory",
    "Condition",
    "Dependents",
    "District",
    "EmployerConditions",
    "Faq",
    "FaqEntry",
    "Gender",
    "GuideInfo",
    "HolidayYear",
    "Holidays",
    "IncomeMultiple",
    "IncomeRule",
    "LeaseRule",
    "Material",
    "MaterialCatalogue",
    "MaterialRef",
    "Note",
    "NoteItem",
    "Office",
    "Party",
    "Phone",
    "PrintedFigure",
    "Rounding",
    "Source",
    "Sources",
    "Stated",
    "Strict",
    "Synonyms",
    "TaxRule",
    "Text",
    "Timing",
    "UploadRules",
    "WageTable",
    "WageValue",
    "When",
]
