"""HR's staff list in Telegram: a CSV or XLSX document in, the result file back; /template.

The file is downloaded into memory, checked by bot/batch like ``gjz batch`` and answered with
the result file (the one-line summary as its caption). Neither the file nor any row is stored
or logged: the update does not go through the interview or its store, and the log line says
only how many rows there were. A document of another kind is left to the interview as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from ..batch.columns import batch_words
from ..batch.table import format_of

log = logging.getLogger("gjz.telegram")
SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xls")  # .xls is answered with "save it as .xlsx"


def _words() -> dict:
    return batch_words()["telegram"]


def is_staff_list(update: Update) -> bool:
    message = update.effective_message
    chat = update.effective_chat
    if update.callback_query is not None or message is None or chat is None or chat.type != ChatType.PRIVATE:
        return False
    if message.document is not None:
        return (message.document.file_name or "").lower().endswith(SPREADSHEET_SUFFIXES)
    return (message.text or "").split("@", 1)[0].strip() == "/template"


async def handled_as_staff_list(bot, update: Update, knowledge) -> bool:
    """True when the update was a staff list (or /template) and has been answered here."""
    if not is_staff_list(update):
        return False
    message = update.effective_message
    chat_id = update.effective_chat.id
    words = _words()
    try:
        if message.document is None:
            await _send_template(bot, chat_id, words)
        else:
            await _check(bot, chat_id, message.document, knowledge, words)
    except TelegramError as exc:  # the download or the reply failed: nothing kept, the user may resend
        log.warning("staff list not answered: %s", type(exc).__name__)
    except Exception as exc:  # a bug: never retried in a loop; only its type is logged, never a cell
        log.error("staff list failed: %s", type(exc).__name__)
    return True


async def _send_template(bot, chat_id: int, words: dict) -> None:
    from ..batch.report import template_file

    name = words["template_name"]
    await bot.send_document(
        chat_id, document=io.BytesIO(template_file(format_of(name))), filename=name, caption=words["template_caption"]
    )


async def _check(bot, chat_id: int, document, knowledge, words: dict) -> None:
    fmt = format_of(document.file_name or "")
    if fmt is None:
        await bot.send_message(chat_id, words["wrong_format"])
        return
    if document.file_size is not None and document.file_size > words["max_bytes"]:
        await bot.send_message(chat_id, words["too_large"])
        return
    with contextlib.suppress(TelegramError):  # a courtesy only
        await bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    file = await bot.get_file(document.file_id)
    data = bytes(await file.download_as_bytearray())
    if len(data) > words["max_bytes"]:  # the size Telegram announced may be missing
        await bot.send_message(chat_id, words["too_large"])
        return
    stem = (document.file_name or "staff").rsplit(".", 1)[0]
    outcome = await asyncio.to_thread(_run, data, fmt, knowledge, words["max_rows"])
    if isinstance(outcome, str):
        await bot.send_message(chat_id, words["unreadable"].format(reason=outcome))
        return
    result, summary, rows = outcome
    log.info("staff list checked", extra={"rows": rows})
    await bot.send_document(
        chat_id,
        document=io.BytesIO(result),
        filename=words["result_name"].format(stem=stem, fmt=fmt),
        caption=summary[:1024],
    )


def _run(data: bytes, fmt: str, knowledge, max_rows: int):
    """(result file, caption, rows) or the reason the table cannot be read. CPU work, so the
    caller runs it in a thread: other chats are answered meanwhile."""
    from ..batch.check import check_table
    from ..batch.report import result_file
    from ..batch.table import TableError, read_table

    try:
        table = read_table(data, fmt, max_rows=max_rows)
    except TableError as exc:
        return str(exc)
    batch = check_table(table, knowledge)
    caption = batch.summary["text"] + (f"\n{batch.summary['note']}" if batch.summary["note"] else "")
    return result_file(batch, fmt), caption, len(batch.results)
