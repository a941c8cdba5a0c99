"""The files HR gets back: their own rows with the result columns added, and the template."""

from __future__ import annotations

from typing import Any

from ..dialog.spec import load_spec
from ..rules.labels import VERDICT
from .check import Batch, RowResult
from .columns import batch_words, cell_fields, label, result_headers, template_headers
from .table import write_table


def result_file(batch: Batch, fmt: str) -> bytes:
    """The input rows, cell for cell, then the result columns (an earlier run's are replaced)."""
    headers = result_headers()
    own = set(headers.values())
    keep = [i for i, h in enumerate(batch.table.headers) if h not in own]
    out_headers = [batch.table.headers[i] for i in keep] + list(headers.values())
    rows = []
    for (_, cells), result in zip(batch.table.rows, batch.results, strict=True):
        rows.append([cells[i] for i in keep] + [result_cells(result)[k] for k in headers])
    return write_table(out_headers, rows, fmt)


def result_cells(result: RowResult) -> dict[str, Any]:
    a = result.assessment
    if a is None:
        return {
            "verdict": "",
            "failed": "",
            "missing": "",
            "refer": "",
            "window_opens": "",
            "submit_by": "",
            "expires": "",
            "office": "",
            "error": result.error or "",
        }
    dates = result.deadlines
    return {
        "verdict": VERDICT[a.verdict],
        "failed": "；".join(c.message for c in a.checks if c.status == "fail"),
        "missing": "、".join(label(f) for f in a.missing),
        "refer": result.refer_reason,
        "window_opens": dates.get("window_opens", ""),
        "submit_by": dates.get("submit_by", ""),
        "expires": dates.get("expires", ""),
        "office": a.context.get("office_line", ""),
        "error": "",
    }


def template_file(fmt: str) -> bytes:
    """Every column the batch reads, and one example row typed the way HR would."""
    spec = load_spec()
    example = batch_words()["template"]["example"]
    row = [example.get("name", "")] + [example.get(f) for f in cell_fields(spec)]
    return write_table(template_headers(spec), [row], fmt)
