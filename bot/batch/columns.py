"""Which profile field a column of HR's file holds, by its header.

A header is a field id, its label (the FIELD_LABELS the answers are shown with) or its question
text (dialogs/interview.yaml): one vocabulary with the chat, no list of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..dialog.numerals import normalise
from ..dialog.presenter import FIELD_LABELS
from ..dialog.spec import DIALOGS_DIR, InterviewSpec
from ..rules import FIELD_ORDER

# The order cells are read in (application_date is not asked in the chat, it is the day of the
# check, but a file may set it).
FIELDS = ["district", "business", "application_date", *(f for f in FIELD_ORDER if f not in ("district", "business"))]
REQUIRED = ("district", "business")
# The kinds of answer one cell can hold; a "declare" answer (several conditions confirmed at
# once) is, in a file, the columns of those conditions themselves.
CELL_KINDS = ("choice", "yesno", "money", "number", "months", "date", "incomes")


def cell_fields(spec: InterviewSpec) -> list[str]:
    """The fields a column can hold, in reading order."""
    return [
        f for f in FIELDS if f == "application_date" or (f in spec.questions and spec.questions[f].kind in CELL_KINDS)
    ]


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str | None  # None: not a profile field (carried through untouched)
    by_label: bool = False  # the header is the field id or its label, not the question text
    name: bool = False  # the person's name: copied to the output, never read


@lru_cache(maxsize=2)
def batch_words(path: str | None = None) -> dict:
    """dialogs/batch.yaml."""
    return yaml.safe_load(Path(path or DIALOGS_DIR / "batch.yaml").read_text(encoding="utf-8"))


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _key(header: str) -> str:
    return normalise(header).strip("?？:：* ")


def header_index(spec: InterviewSpec) -> dict[str, tuple[str, bool]]:
    """normalised header -> (field, named by id or label)."""
    index: dict[str, tuple[str, bool]] = {}
    for f in cell_fields(spec):
        question = spec.questions.get(f)
        if question is not None and "{" not in question.text:  # a templated text is no header
            index[_key(question.text)] = (f, False)
        index[_key(label(f))] = (f, True)
        index[_key(f)] = (f, True)
    return index


def map_columns(headers: list[str], spec: InterviewSpec) -> list[Column]:
    """One Column per header; a field named twice is read from its first column only."""
    index = header_index(spec)
    names = {_key(h) for h in batch_words()["name_headers"]}
    seen: set[str] = set()
    columns = []
    for i, header in enumerate(headers):
        key = _key(header)
        if key and key in names:
            columns.append(Column(i, header, None, name=True))
            continue
        field, by_label = index.get(key, (None, False))
        if field in seen:
            field = None
        if field:
            seen.add(field)
        columns.append(Column(i, header, field, by_label))
    return columns


def result_headers() -> dict[str, str]:
    return batch_words()["result_columns"]


def template_headers(spec: InterviewSpec) -> list[str]:
    """The template's columns: the name, then every field as its label."""
    return [batch_words()["name_headers"][1], *(label(f) for f in cell_fields(spec))]
