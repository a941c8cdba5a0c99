"""``gjz batch FILE [-o OUT] [--json] [--today DATE]`` and ``gjz batch --template [-o FILE]``.

FILE is HR's staff list (CSV or XLSX, a header row, one person per row). The result file has
the same rows with the verdict, the failing checks, what is missing, why a row is referred to
the office, the renewal dates and the district office added; it is written to OUT (default:
FILE's name with ``-结果``), in OUT's format. Text output is the one-line summary, the rows that
could not be read and why each referred row is; ``--json`` prints ``{"rows": [{"row", "verdict",
"failed", "missing", "refer", "refer_reason", "deadlines", "error"}], "summary"}``
(and writes OUT only when -o is given). Exit 2 when FILE is not a readable table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

TEMPLATE_NAME = "工作居住证批量核对模板.xlsx"


def add_parser(subparsers) -> argparse.ArgumentParser:
    batch = subparsers.add_parser("batch", help="HR: check a staff list (CSV/XLSX), one verdict per row")
    batch.add_argument("file", nargs="?", help="the staff list: .csv or .xlsx with a header row")
    batch.add_argument("-o", "--output", help="result file, .csv or .xlsx (default: FILE-结果 in FILE's format)")
    batch.add_argument("--json", action="store_true", help="print one JSON object with every row")
    batch.add_argument("--today", help="check as of this date, YYYY-MM-DD (default: today)")
    batch.add_argument(
        "--template",
        action="store_true",
        help=f"write an empty template with every column and one example row (default {TEMPLATE_NAME})",
    )
    batch.set_defaults(func=cmd_batch)
    return batch


def _fail(message: str) -> int:
    print(f"gjz batch: {message}", file=sys.stderr)
    return 2


def cmd_batch(args: argparse.Namespace) -> int:
    from .table import format_of

    if args.template:
        return _template(Path(args.output or TEMPLATE_NAME))
    if not args.file:
        return _fail("name the staff list (gjz batch FILE), or use --template for an empty one")
    source = Path(args.file)
    fmt = format_of(source.name)
    if fmt is None:
        return _fail(f"{source.name}: expected a .csv or .xlsx file")
    out = Path(args.output) if args.output else source.with_name(f"{source.stem}-结果{source.suffix}")
    out_fmt = format_of(out.name)
    if out_fmt is None:
        return _fail(f"{out.name}: the result is written as .csv or .xlsx")
    if out.resolve() == source.resolve():
        return _fail("the result would overwrite the staff list; choose another -o")
    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        return _fail(f"--today {args.today!r} is not a date (YYYY-MM-DD)")
    try:
        data = source.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {source}: {exc.strerror}")

    from ..knowledge import KnowledgeError, get_knowledge
    from .check import check_table
    from .columns import batch_words
    from .report import result_file
    from .table import TableError, read_table

    try:
        table = read_table(data, fmt)
    except TableError as exc:
        return _fail(f"{source.name}: {exc}")
    try:
        knowledge = get_knowledge()
    except KnowledgeError as exc:
        return _fail(f"knowledge is broken ({len(exc.problems)} error(s)); run `gjz check`")
    batch = check_table(table, knowledge, today)
    if args.output or not args.json:
        try:
            out.write_bytes(result_file(batch, out_fmt))
        except OSError as exc:
            return _fail(f"cannot write {out}: {exc.strerror}")
    if args.json:
        print(json.dumps(batch.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(batch.summary["text"])
    if batch.summary["note"]:
        print(batch.summary["note"])
    refer_line = batch_words()["refer_reason"]["line"]
    for result in batch.results:
        if result.error:
            print(f"  第 {result.row} 行：{result.error}")
        elif result.refer_reason:
            print(refer_line.format(row=result.row, reason=result.refer_reason))
    print(f"结果已写入 {out}")
    return 0


def _template(path: Path) -> int:
    from .report import template_file
    from .table import format_of

    fmt = format_of(path.name)
    if fmt is None:
        return _fail(f"{path.name}: a template is written as .csv or .xlsx")
    if path.exists():
        return _fail(f"{path} already exists; choose another -o")
    try:
        path.write_bytes(template_file(fmt))
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror}")
    print(f"模板已写入 {path}")
    return 0
