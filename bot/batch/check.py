"""One staff list in, one assessment per row out: the same reading and rules as the chat.

Each cell is read as if the person had typed it in answer to that field's question
(bot/dialog/reader.py), then the row's profile goes through ``assess`` like ``gjz assess``.
A row that cannot be read gets its own error (column and value) and the batch goes on. The
name column, and any column that is not a profile field, is copied to the output and
otherwise never looked at: nothing of a row is logged or kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..dialog import dates, parsers
from ..dialog.numerals import normalise
from ..dialog.presenter import referral
from ..dialog.reader import AskBack, NotTaken, ReadContext, load_words, read_answer
from ..dialog.spec import InterviewSpec, load_spec, options_for
from ..knowledge import Knowledge
from ..rules import Assessment, Profile, assess
from ..validation import describe
from .columns import FIELDS, REQUIRED, Column, batch_words, label, map_columns, result_headers
from .table import Table


@dataclass
class RowResult:
    row: int
    assessment: Assessment | None = None
    error: str | None = None

    @property
    def verdict(self) -> str | None:
        return self.assessment.verdict if self.assessment else None

    @property
    def failed(self) -> list[str]:
        return [c.id for c in self.assessment.checks if c.status == "fail"] if self.assessment else []

    @property
    def refer_reason(self) -> str:
        """Why the row goes to the district office, in the chat's words; "" for any other verdict."""
        if self.assessment is None:
            return ""
        refers, reason = referral(self.assessment)
        words = batch_words()["refer_reason"]
        parts = [
            words["check"].format(message=c.message)
            + (words["source"].format(source=c.source) if c.source else "")
            + (words["advice"].format(advice=c.advice) if c.advice else "")
            for c in refers
        ]
        return words["join"].join(parts) or reason or ""

    @property
    def deadlines(self) -> dict[str, str]:
        return {d.id: d.date.isoformat() for d in self.assessment.deadlines} if self.assessment else {}

    def to_json(self) -> dict:
        return {
            "row": self.row,
            "verdict": self.verdict,
            "failed": self.failed,
            "missing": list(self.assessment.missing) if self.assessment else [],
            "refer": [c.id for c in referral(self.assessment)[0]] if self.assessment else [],
            "refer_reason": self.refer_reason or None,
            "deadlines": self.deadlines,
            "error": self.error,
        }


@dataclass
class Batch:
    table: Table
    columns: list[Column]
    results: list[RowResult]
    today: dt.date
    summary: dict = field(default_factory=dict)

    @property
    def unknown_columns(self) -> list[str]:
        own = set(result_headers().values())
        return [c.header for c in self.columns if c.field is None and not c.name and c.header and c.header not in own]

    def to_json(self) -> dict:
        return {"rows": [r.to_json() for r in self.results], "summary": self.summary}


def check_table(
    table: Table, knowledge: Knowledge, today: dt.date | None = None, spec: InterviewSpec | None = None
) -> Batch:
    today = today or dt.date.today()
    spec = spec or load_spec()
    columns = map_columns(table.headers, spec)
    results = [check_row(n, cells, columns, knowledge, spec, today) for n, cells in table.rows]
    batch = Batch(table, columns, results, today)
    batch.summary = summarise(batch)
    return batch


def check_row(
    number: int, cells: list[Any], columns: list[Column], knowledge: Knowledge, spec: InterviewSpec, today: dt.date
) -> RowResult:
    words = batch_words()["errors"]
    answers, problems = read_cells(cells, columns, knowledge, spec, today)
    present = {c.field: c.header for c in columns if c.field}
    for f in REQUIRED:
        if f not in answers and f not in problems:
            message = words["required"] if f in present else words["required_column"]
            problems[f] = message.format(column=present.get(f, label(f)))
    if problems:
        return RowResult(number, error="；".join(problems.values()))
    try:
        profile = Profile.model_validate(answers)
    except ValidationError as exc:
        err = exc.errors()[0]
        f = str(err["loc"][0]) if err["loc"] else ""
        column = next((c for c in columns if c.field == f), None)
        value = _text(cells[column.index]) if column else ""
        return RowResult(number, error=words["invalid"].format(column=label(f), value=value, reason=describe(err)))
    return RowResult(number, assess(knowledge, profile, today=today))


def read_cells(
    cells: list[Any], columns: list[Column], knowledge: Knowledge, spec: InterviewSpec, today: dt.date
) -> tuple[dict, dict[str, str]]:
    """The row's answers, read in the order later questions depend on (district before its
    categories and housing; the application date before the income years)."""
    words = batch_words()
    by_field = {c.field: c for c in columns if c.field}
    skip = {normalise(w) for w in spec.skip_words}
    answers: dict = {}
    problems: dict[str, str] = {}  # field -> what is wrong with its cell
    for f in (f for f in FIELDS if f in by_field):
        column = by_field[f]
        raw = cells[column.index]
        text = _text(raw)
        if not text or normalise(text) in skip:
            continue  # unknown: the assessment says whether it matters
        value, reason = _read(f, raw, text, column, knowledge, spec, dict(answers), today, words)
        if reason is None:
            answers[f] = value
        else:
            problems[f] = words["errors"]["cell"].format(column=column.header, value=text, reason=reason)
    return answers, problems


def _read(
    f: str,
    raw: Any,
    text: str,
    column: Column,
    knowledge: Knowledge,
    spec: InterviewSpec,
    answers: dict,
    today: dt.date,
    words: dict,
) -> tuple[Any, str | None]:
    """(value, None) or (None, why not)."""
    errors = words["errors"]
    if f == "application_date":  # not a question of the chat: the date reader itself, as typed there
        try:
            day = dates.read_date(text, today, load_words().dates, [])
        except parsers.ParseError as exc:
            return None, str(exc)
        if isinstance(day, dates.Vague):
            return None, errors["unsure_date"].format(example="2026年3月2日")
        return day.isoformat(), None
    question = spec.questions[f]
    if question.kind == "yesno" and isinstance(raw, bool):  # a spreadsheet's TRUE/FALSE
        return (question.yes_value if raw else question.no_value), None
    if question.kind == "months" and question.bare == "ask" and column.by_label:
        question = question.model_copy(update={"bare": words["months_header_unit"]})
    reading = read_answer(question, text, ReadContext(knowledge, answers, today))
    if isinstance(reading, AskBack):
        unsure = errors["unsure_date"] if question.kind == "date" else errors["unsure"]
        return None, unsure.format(example=question.example)
    if isinstance(reading, NotTaken):
        if question.kind in ("choice", "yesno"):
            options = "、".join(o.label for o in options_for(question, knowledge, answers))
            return None, errors["choice"].format(options=options)
        return None, f"{reading.reason}，" + errors["example"].format(example=question.example)
    return reading.value, None


def _text(raw: Any) -> str:
    """A cell as the text someone would have typed."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float):  # a number cell: 20000.0 is typed 20000, never 2e+04
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return str(raw).strip()


def summarise(batch: Batch) -> dict:
    words = batch_words()
    days = words["renew_within_days"]
    counts = {k: 0 for k in ("eligible", "ineligible", "needs_more_info", "refer", "error")}
    for r in batch.results:
        counts[r.verdict or "error"] += 1
    soon = sum(1 for r in batch.results if r.assessment and _renew_soon(r.assessment, batch.today, days))
    s = words["summary"]
    parts = [s[k].format(n=counts[k]) for k in ("eligible", "ineligible", "needs_more_info")]
    parts += [s[k].format(n=counts[k]) for k in ("refer", "error") if counts[k]]
    if soon:
        parts.append(s["renew_soon"].format(n=soon, days=days))
    text = s["people"].format(n=len(batch.results)) + "：" + " · ".join(parts)
    unknown = batch.unknown_columns
    return {
        "total": len(batch.results),
        **counts,
        "renew_soon": soon,
        "renew_within_days": days,
        "unknown_columns": unknown,
        "text": text,
        "note": s["unknown_columns"].format(columns="、".join(unknown)) if unknown else None,
    }


def _renew_soon(assessment: Assessment, today: dt.date, days: int) -> bool:
    dates = {d.id: d.date for d in assessment.deadlines}
    due = dates.get("submit_by") or dates.get("expires")
    if due is None or dates.get("expires", due) < today:
        return False
    return due <= today + dt.timedelta(days=days)
