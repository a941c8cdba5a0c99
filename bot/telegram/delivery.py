"""Updates in, replies out: the Bot API primitives every way of running the bot shares.

Polling's lanes, the webhook workers (app.process_update) and the reminder sender all deliver
replies through these, so this module imports none of them (no import cycle).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import io
import logging
import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from ..dialog.messages import Reply, split_message
from ..dialog.turn import Event

log = logging.getLogger("gjz.telegram")
# All the engine reads, and my_chat_member (a user blocking the bot: forgotten, see chats.py);
# polling and webhooks alike.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


def chat_ref(chat_id: int) -> str:
    """A stable id for logs that cannot be turned back into the chat id: an HMAC keyed with
    the bot token (secret), so trying every possible id does not reverse it."""
    return hmac.new(_chat_ref_key(), str(chat_id).encode(), hashlib.sha256).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _chat_ref_key() -> bytes:
    return (os.environ.get("GJZ_TELEGRAM_TOKEN") or "gjz").encode()


def to_event(update: Update) -> Event | None:
    if update.callback_query is not None:
        return Event.button(update.callback_query.data or "")
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return None
    if message.text is None:
        return Event.message("")  # a sticker, photo or voice: asked again, nothing lost
    return Event.typed(message.text[:4000])


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )


def retry_seconds(exc: RetryAfter) -> float:
    """Telegram's flood-control wait, whether PTB gives it as seconds or as a timedelta."""
    wait = exc.retry_after
    return float(wait.total_seconds() if hasattr(wait, "total_seconds") else wait)


def reply_calls(bot, chat_id: int, reply: Reply) -> list:
    """The Bot API calls that deliver one reply, in order: its parts (buttons on the last),
    then its document. Each is a coroutine function, so a caller can retry one of them."""
    calls = []
    parts = split_message(reply.text)
    for i, part in enumerate(parts):
        markup = _markup(reply) if i == len(parts) - 1 else None
        calls.append(
            functools.partial(
                bot.send_message,
                chat_id,
                part,
                parse_mode=ParseMode.HTML if reply.html else None,
                reply_markup=markup,
                disable_web_page_preview=True,
            )
        )
    if reply.document:
        content = reply.document_content().encode("utf-8")
        calls.append(lambda: bot.send_document(chat_id, document=io.BytesIO(content), filename=reply.document))
    return calls


async def with_retries(call, attempts: int = 4):
    """Transient network errors are retried; Telegram's flood control is waited out (for this
    one call: other chats do not wait)."""
    delay = 0.5
    for attempt in range(attempts):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(retry_seconds(exc))
        except BadRequest:
            raise  # a NetworkError in PTB, but the same request would fail the same way
        except NetworkError:  # TimedOut included
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(delay)
            delay *= 2


async def send_replies(bot, chat_id: int, replies: list[Reply]) -> None:
    for reply in replies:
        for call in reply_calls(bot, chat_id, reply):
            await with_retries(call)


async def answer_callback(bot, update: Update) -> None:
    """Stop the pressed button's spinner. Best effort: the turn does not depend on it."""
    try:
        await bot.answer_callback_query(update.callback_query.id)
    except TelegramError as exc:
        log.info("answerCallbackQuery failed: %s", type(exc).__name__)


async def retire_keyboard(bot, update: Update) -> None:
    """A press that produced no reply: take the keyboard away so it does not look alive."""
    message = update.callback_query.message if update.callback_query else None
    if message is None:
        return
    try:
        await bot.edit_message_reply_markup(message.chat.id, message.message_id, reply_markup=None)
    except TelegramError as exc:
        log.info("keyboard removal failed: %s", type(exc).__name__)
