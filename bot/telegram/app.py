"""python-telegram-bot 22 over the interview engine: updates in, replies out, nothing else.

Every update becomes an engine Event; the store applies it in one transaction (durable before
any reply is sent); the replies go out split under Telegram's limit with their buttons.

A button press costs two Bot API calls, not three: answerCallbackQuery (sent beside the
turn, not before it) and the next message. The pressed keyboard is left in place when the
turn replies, since the engine answers a press of an old button with "这个按钮已过期" and the
current question; only a turn without replies removes it, so a dead button looks dead.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import os
import io
import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from ..dialog.engine import Event, Interview
from ..dialog.messages import Reply, split_message
from ..store import StateStore
from .chats import handled_outside_interview
from .config import Settings
from .staff_list import handled_as_staff_list

log = logging.getLogger("gjz.telegram")
# All the engine reads, and my_chat_member (a user blocking the bot: forgotten, see chats.py);
# polling and webhooks alike.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]

BOT_COMMANDS = [
    ("start", "开始评估"), ("back", "撤销上一个回答"), ("restart", "重新开始"), ("summary", "查看我的回答"),
    ("share", "生成分享链接"), ("help", "使用说明"), ("forget", "删除我的全部数据"),
    ("reminders", "查看或取消我的提醒"), ("mute", "不再接收政策更新通知（/mute off 恢复）"),
    ("template", "HR：批量核对模板（发回名单文件即可核对）"),
]


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
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                                 for row in reply.buttons])


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
        calls.append(functools.partial(bot.send_message, chat_id, part,
                                       parse_mode=ParseMode.HTML if reply.html else None,
                                       reply_markup=markup, disable_web_page_preview=True))
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


class Undelivered(Exception):
    """The turn is committed but its replies could not be sent: deliver the update again."""


async def process_update(bot, update: Update, interview: Interview, store: StateStore):
    """One update through the engine, replies sent before it returns (the webhook workers).

    Returns the store's TurnResult (None for an update that carries nothing to answer).
    Raises Undelivered when the committed replies could not be sent for a transient reason
    (the network, or flood control that outlasted the retries); the update must then stay
    unconfirmed so Telegram delivers it again and the stored replies go out. Replies Telegram
    refuses for good (400, 403) are logged, not retried.
    """
    if await handled_as_staff_list(bot, update, interview.knowledge):
        return None  # HR's staff list or /template (staff_list.py): never the interview or its store
    if await handled_outside_interview(bot, update, store, interview.bot_username):
        return None  # not a private chat, or the user blocked the bot: never the engine
    event = to_event(update)
    chat = update.effective_chat
    if event is None or chat is None:
        return None
    answering = asyncio.ensure_future(answer_callback(bot, update)) if update.callback_query else None
    try:
        result = await store.run_turn(chat.id, update.update_id, lambda state: interview.handle(state, event))
    finally:
        if answering is not None:
            await answering
    log.info("turn", extra={"chat": chat_ref(chat.id), "kind": event.kind, "duplicate": result.duplicate})
    if update.callback_query is not None and not result.replies and not result.duplicate:
        await retire_keyboard(bot, update)
    try:
        await send_replies(bot, chat.id, result.replies)
    except (BadRequest, Forbidden) as exc:
        # Permanent (chat gone, bot blocked): sending again fails the same way, so the update
        # is confirmed like a delivered one; retrying it would hold back every later update.
        log.warning("replies refused", extra={"chat": chat_ref(chat.id), "error": type(exc).__name__})
    except (NetworkError, RetryAfter) as exc:  # TimedOut included: transient, Telegram delivers it again
        raise Undelivered(type(exc).__name__) from exc
    if update.update_id is not None and result.replies:
        await store.mark_delivered(update.update_id)
    return result


class _GatedRequest(HTTPXRequest):
    """At most ``size`` Bot API requests in flight, over as many keep-alive connections.

    httpcore checks every pooled connection (a poll() on its socket) for every request it
    places, so a pool as wide as the chats in flight costs O(connections) syscalls per call;
    with replies queued here instead, a few connections carry them all at loopback speed."""

    def __init__(self, size: int, **kwargs):
        super().__init__(connection_pool_size=size, **kwargs)
        self._gate = asyncio.Semaphore(size)

    async def do_request(self, *args, **kwargs):
        async with self._gate:
            return await super().do_request(*args, **kwargs)


def build_bot(settings: Settings) -> Bot:
    """The Bot API client: a few keep-alive connections for replies and one for the long poll."""
    return Bot(settings.token, base_url=settings.api_url, base_file_url=settings.api_file_url,
               request=_GatedRequest(8, pool_timeout=10),
               get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=30))


def run(settings: Settings, interview, store: StateStore, on_hup=None, after_start=None) -> None:
    """Long polling until SIGTERM/SIGINT. ``interview``: an Interview, or a function building
    one once polling has started; ``on_hup``: called on SIGHUP (the knowledge reload);
    ``after_start``: once the first getUpdates is on its way.

    Webhooks are served by `gjz serve`, which answers Telegram only after the turn is
    committed and its replies sent; the cli refuses GJZ_WEBHOOK_URL here."""
    from .botapi import LeanBotApi
    from .polling import run_polling

    log.info("polling mode")
    api = LeanBotApi(build_bot(settings), settings.api_url)
    asyncio.run(run_polling(api, interview, store, on_hup, after_start))
