"""HR sends the staff list to the bot (issue 15 part 1, Telegram): the result file comes back with
the one-line summary; /template sends the template; too large or the wrong kind is refused in
Chinese; nothing of the file reaches the log or the interview's store."""

from __future__ import annotations

import io
import logging

from openpyxl import Workbook, load_workbook
from telegram import Bot, Update

from bot.batch.check import check_table
from bot.batch.table import read_table
from bot.telegram.staff_list import handled_as_staff_list

CHAT = 4242


class FakeFile:
    def __init__(self, data: bytes):
        self.data = data

    async def download_as_bytearray(self):
        return bytearray(self.data)


class FakeBot:
    """The four Bot API calls the handler makes, recorded."""

    def __init__(self, files: dict[str, bytes] | None = None):
        self.files = files or {}
        self.sent: list[dict] = []

    async def get_file(self, file_id):
        return FakeFile(self.files[file_id])

    async def send_document(self, chat_id, document, filename, caption=None):
        self.sent.append({"chat": chat_id, "document": document.read(), "filename": filename, "caption": caption})

    async def send_message(self, chat_id, text, **kwargs):
        self.sent.append({"chat": chat_id, "text": text})

    async def send_chat_action(self, chat_id, action):
        pass


def update(message: dict, chat_type: str = "private") -> Update:
    data = {
        "update_id": 1,
        "message": {
            "message_id": 7,
            "date": 0,
            "chat": {"id": CHAT, "type": chat_type},
            "from": {"id": CHAT, "is_bot": False, "first_name": "HR"},
            **message,
        },
    }
    return Update.de_json(data, Bot("1:x"))


def document(name: str, size: int) -> dict:
    return {"document": {"file_id": "f1", "file_unique_id": "u1", "file_name": name, "file_size": size}}


def staff_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "所在区", "办理业务", "月应税收入", "在本单位工作月数", "证件有效期截止日"])
    sheet.append(["王小明", "亦庄", "新办", "1.5万", 18, None])
    sheet.append(["李雷", "东城", "续签", None, None, "2099-01-01"])
    sheet.append(["韩梅梅", "朝阳", "新办", "abc", None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_an_xlsx_comes_back_checked_with_the_summary(knowledge, caplog):
    data = staff_xlsx()
    bot = FakeBot({"f1": data})
    with caplog.at_level(logging.DEBUG):
        assert await handled_as_staff_list(bot, update(document("名单.xlsx", len(data))), knowledge)
    [sent] = bot.sent
    assert sent["filename"] == "名单-结果.xlsx"
    expected = check_table(read_table(data, "xlsx"), knowledge)
    assert sent["caption"].splitlines()[0] == expected.summary["text"]
    assert sent["caption"].startswith("3 人：") and "无法读取 1" in sent["caption"]
    rows = list(load_workbook(io.BytesIO(sent["document"])).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["王小明", "李雷", "韩梅梅"]  # the names, back in the file only
    assert "结论" in rows[0] and rows[3][rows[0].index("无法读取")].startswith("月应税收入“abc”")
    logged = " ".join(r.getMessage() + str(r.__dict__.get("rows", "")) for r in caplog.records)
    assert "王小明" not in logged and "abc" not in logged and "1.5万" not in logged


async def test_template_is_sent_as_a_file():
    bot = FakeBot()
    assert await handled_as_staff_list(bot, update({"text": "/template"}), knowledge=None)
    [sent] = bot.sent
    assert sent["filename"].endswith(".xlsx") and sent["caption"]
    headers = next(load_workbook(io.BytesIO(sent["document"])).active.iter_rows(values_only=True))
    assert headers[:3] == ("姓名", "所在区", "办理业务")


async def test_too_large_wrong_kind_and_unreadable_are_answered_in_chinese(knowledge):
    bot = FakeBot({"f1": b"not a zip"})
    assert await handled_as_staff_list(bot, update(document("big.xlsx", 2 * 1024 * 1024)), knowledge)
    assert await handled_as_staff_list(bot, update(document("old.xls", 100)), knowledge)
    assert await handled_as_staff_list(bot, update(document("bad.xlsx", 9)), knowledge)
    too_large, old, bad = (s["text"] for s in bot.sent)
    assert "1 MB" in too_large and ".xlsx" in old and "XLSX" in bad


async def test_other_messages_are_left_to_the_interview(knowledge):
    bot = FakeBot()
    assert not await handled_as_staff_list(bot, update({"text": "朝阳"}), knowledge)
    assert not await handled_as_staff_list(bot, update(document("证件.pdf", 100)), knowledge)
    assert not await handled_as_staff_list(bot, update({"text": "/template"}, chat_type="group"), knowledge)
    assert bot.sent == []
