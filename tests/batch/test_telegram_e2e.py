"""End to end through the Bot API stand-in (issue 15, "Measured by"): the real `gjz run` process
gets an XLSX staff list as a document, downloads it with getFile, and sends the result document
back with the one-line summary; /template sends the template. Nothing of the list is kept: no
row of the store names the chat, and the log has no name or value from it."""

from __future__ import annotations

import io
import sqlite3

from openpyxl import Workbook, load_workbook

from bot.batch.check import check_table
from bot.batch.table import read_table
from bot.knowledge import get_knowledge
from tests.telegram.conftest import bot, fake_api  # noqa: F401  (fixtures: the stand-in and the bot on it)

CHAT = 7301


def staff_list() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "所在区", "办理业务", "申请日期", "月应税收入", "在本单位工作月数", "证件有效期截止日"])
    sheet.append(["欧阳明月", "亦庄", "新办", "2025-06-02", "1.5万", 6, None])
    sheet.append(["司马青山", "东城", "续签", "2026-09-01", None, None, "2027-01-15"])
    sheet.append(["上官白云", "朝阳", "新办", None, "两万左右", None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_hr_sends_an_xlsx_and_gets_the_result_document_back(bot, fake_api, tmp_path):  # noqa: F811
    data = staff_list()
    seen = fake_api.count(CHAT)
    fake_api.send_document(CHAT, "员工名单.xlsx", data)
    reply = fake_api.wait_for(CHAT, seen, lambda m: m.kind == "document", timeout=60)
    assert reply.filename == "员工名单-结果.xlsx"
    expected = check_table(read_table(data, "xlsx"), get_knowledge())
    assert reply.caption.splitlines()[0] == expected.summary["text"]
    rows = list(load_workbook(io.BytesIO(reply.content)).active.iter_rows(values_only=True))
    header = rows[0]
    assert [r[0] for r in rows[1:]] == ["欧阳明月", "司马青山", "上官白云"]
    verdicts = [r[header.index("结论")] for r in rows[1:]]
    assert verdicts[0] and verdicts[1] and not verdicts[2]  # the third row cannot be read ...
    assert "两万左右" in rows[3][header.index("无法读取")]  # ... and says which cell, not the whole batch
    assert rows[2][header.index("证件到期日")] == "2027-01-15"

    seen = fake_api.count(CHAT)
    fake_api.send_text(CHAT, "/template")
    template = fake_api.wait_for(CHAT, seen, lambda m: m.kind == "document", timeout=30)
    assert template.filename.endswith(".xlsx")
    assert next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))[0] == "姓名"

    bot.stop()
    # neither the list nor the reply went through the interview's store (whose rows are sealed,
    # so looking for the names in the file would prove nothing): no row of this chat at all
    [database] = (tmp_path / "data").glob("*.sqlite3")
    with sqlite3.connect(database) as db:
        for table in ("interviews", "processed_updates"):
            assert db.execute(f"SELECT COUNT(*) FROM {table} WHERE chat_id = ?", (CHAT,)).fetchone() == (0,)
    log = bot.log.read_text(encoding="utf-8")
    assert "欧阳明月" not in log and "1.5万" not in log and "两万左右" not in log and "staff list checked" in log
