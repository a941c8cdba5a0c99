"""A staff list as a table in memory: read from CSV or XLSX bytes, written back the same way.

Nothing touches the disk here: the caller hands bytes in and gets bytes out (the Telegram
adapter never writes HR's file anywhere; the command line writes only the output it is told to).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("csv", "xlsx")
MAX_ROWS = 5000  # a staff list, not a database: more is a mistake (or a zip bomb) and is refused


class TableError(ValueError):
    """The bytes are not a table this reader understands (the message says why)."""


@dataclass
class Table:
    headers: list[str]
    # (the row's number as the spreadsheet shows it, the header being row 1; its cells)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def format_of(filename: str) -> str | None:
    """'csv' or 'xlsx' by the file name's extension; None for anything else."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return suffix if suffix in FORMATS else None


def read_table(data: bytes, fmt: str, max_rows: int = MAX_ROWS) -> Table:
    """The first sheet (XLSX) or the whole file (CSV): its first non-blank row is the header."""
    rows = _read_xlsx(data, max_rows) if fmt == "xlsx" else _read_csv(data, max_rows)
    # The header is the first row that has anything in it; blank rows (spacing) are skipped.
    rows = [(n, cells) for n, cells in rows if any(not _blank(c) for c in cells)]
    if not rows:
        raise TableError("表格是空的")
    (_, header), body = rows[0], rows[1:]
    width = max(len(header), *(len(cells) for _, cells in body)) if body else len(header)
    headers = [("" if _blank(h) else str(h).strip()) for h in header] + [""] * (width - len(header))
    return Table(headers, [(n, list(cells) + [None] * (width - len(cells))) for n, cells in body])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_csv(data: bytes, max_rows: int) -> list[tuple[int, list[Any]]]:
    text = _decode(data)
    # The header line decides the separator (Excel saves ',' or, in some locales, ';' or tabs):
    # a cell such as "60万;58万;62万" further down must not.
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if any(d in first for d in ",\t;") else ","
    rows = []
    try:
        for n, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if n > max_rows + 1:
                raise TableError(f"表格超过 {max_rows} 行，请分成几个文件")
            rows.append((n, cells))
    except csv.Error as exc:
        raise TableError(f"CSV：{exc}") from None
    return rows


def _decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else GB18030: what Excel on a Chinese Windows saves."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("文字编码无法识别（请另存为 UTF-8 的 CSV 或 XLSX）")


def _read_xlsx(data: bytes, max_rows: int) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError ... for a non-workbook
        raise TableError(f"不是有效的 XLSX 文件（{type(exc).__name__}）") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if n > max_rows + 1:
                raise TableError(f"表格超过 {max_rows} 行，请分成几个文件")
            rows.append((n, list(cells)))
        return rows
    finally:
        book.close()


def write_table(headers: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    return _write_xlsx(headers, rows) if fmt == "xlsx" else _write_csv(headers, rows)


def _write_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for cells in rows:
        writer.writerow(["" if c is None else _csv_cell(c) for c in cells])
    # utf-8-sig: Excel opens a CSV with Chinese text correctly only with the BOM.
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _write_xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in rows:
        sheet.append(cells)
    for i, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[i - 1])) for r in rows[:200] if i <= len(r) and r[i - 1]])
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, max(8, longest * 2))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
