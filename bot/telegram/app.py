"""python-telegram-bot 22 over the interview engine: updates in, replies out, nothing else.

Every update becomes an engine Event; the store applies it in one transaction (durable before
any reply is sent); the replies go out split under Telegram's limit with their buttons.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import os
import io
import logging

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from ..dialog.engine import Event, Interview
from ..dialog.messages import Reply, split_message
from ..store import StateStore
from .config import Settings

log = logging.getLogger("gjz.telegram")
ALLOWED_UPDATES = ["message", "callback_query"]  # all the engine reads; polling and webhooks alike

BOT_COMMANDS = [
    ("start", "开始评估"), ("back", "撤销上一个回答"), ("restart", "重新开始"), ("summary", "查看我的回答"),
    ("share", "生成分享链接"), ("help", "使用说明"), ("forget", "删除我的全部数据"),
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


async def _with_retries(call, attempts: int = 4):
    """Transient network errors are retried; Telegram's flood control is waited out."""
    delay = 0.5
    for attempt in range(attempts):
        try:
            return await call()
        except RetryAfter as exc:
            await asyncio.sleep(retry_seconds(exc))
        except BadRequest:
            raise  # a NetworkError in PTB, but the same request would fail the same way
        except NetworkError:  # TimedOut included
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(delay)
            delay *= 2
    return await call()


async def send_replies(bot, chat_id: int, replies: list[Reply]) -> None:
    for reply in replies:
        parts = split_message(reply.text)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            await _with_retries(lambda: bot.send_message(
                chat_id, part, parse_mode=ParseMode.HTML if reply.html else None,
                reply_markup=_markup(reply) if last else None, disable_web_page_preview=True))
        if reply.document:
            content = reply.plain().encode("utf-8")
            await _with_retries(lambda: bot.send_document(chat_id, document=io.BytesIO(content),
                                                          filename=reply.document))


class Undelivered(Exception):
    """The turn is committed but its replies could not be sent: deliver the update again."""


async def process_update(bot, update: Update, interview: Interview, store: StateStore):
    """One update through the engine: the same for polling and for the webhook workers.

    Returns the store's TurnResult (None for an update that carries nothing to answer).
    Raises Undelivered when the committed replies could not be sent for a transient reason;
    the update must then stay unconfirmed so Telegram delivers it again and the stored
    replies go out. Replies Telegram refuses for good (400, 403) are logged, not retried.
    """
    event = to_event(update)
    chat = update.effective_chat
    if event is None or chat is None:
        return None
    query = update.callback_query
    if query is not None:
        try:
            await bot.answer_callback_query(query.id)
            if query.message is not None:  # old buttons cannot be pressed twice
                await bot.edit_message_reply_markup(chat.id, query.message.message_id, reply_markup=None)
        except TelegramError as exc:
            log.info("callback housekeeping failed: %s", type(exc).__name__)
    result = await store.run_turn(chat.id, update.update_id, lambda state: interview.handle(state, event))
    log.info("turn", extra={"chat": chat_ref(chat.id), "kind": event.kind, "duplicate": result.duplicate})
    try:
        await send_replies(bot, chat.id, result.replies)
    except (BadRequest, Forbidden) as exc:
        # Permanent (chat gone, bot blocked): sending again fails the same way, so the update
        # is confirmed like a delivered one; retrying it would hold back every later update.
        log.warning("replies refused", extra={"chat": chat_ref(chat.id), "error": type(exc).__name__})
    except NetworkError as exc:  # TimedOut included: transient, Telegram delivers it again
        raise Undelivered(type(exc).__name__) from exc
    if update.update_id is not None and result.replies:
        await store.mark_delivered(update.update_id)
    return result


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one PTB handler (polling mode): every kind of update goes through the engine."""
    try:
        await process_update(context.bot, update, context.bot_data["interview"], context.bot_data["store"])
    except Undelivered:
        # Leave it unconfirmed: polling fetches it again and the store hands back the replies.
        context.bot_data.setdefault("undelivered", set()).add(update.update_id)
        raise


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The exception type only: messages can quote what the user typed.
    log.error("update failed: %s", type(context.error).__name__, exc_info=not isinstance(context.error, BadRequest))


def build_application(settings: Settings, interview: Interview, store: StateStore) -> Application:
    async def post_init(app: Application) -> None:
        await store.open()
        interview.bot_username = app.bot.username or interview.bot_username
        await app.bot.set_my_commands([BotCommand(c, d) for c, d in BOT_COMMANDS])

    async def post_shutdown(app: Application) -> None:
        await store.close()

    builder = (ApplicationBuilder().token(settings.token).base_url(settings.api_url)
               .base_file_url(settings.api_file_url).post_init(post_init).post_shutdown(post_shutdown))
    if not settings.webhook_url:
        builder = builder.updater(None)  # polling.py fetches and confirms updates itself
    app = builder.concurrent_updates(16).build()
    app.bot_data["interview"] = interview
    app.bot_data["store"] = store
    app.add_handler(TypeHandler(Update, on_update))
    app.add_error_handler(on_error)
    return app


def run(settings: Settings, interview: Interview, store: StateStore, on_hup=None) -> None:
    """``on_hup``: called on SIGHUP (the knowledge reload), in polling and webhook mode."""
    app = build_application(settings, interview, store)
    if settings.webhook_url:
        url_path = "telegram"
        log.info("webhook mode on %s:%s", settings.listen, settings.port)
        if on_hup is not None:
            import signal

            signal.signal(signal.SIGHUP, lambda signum, frame: on_hup())
        app.run_webhook(listen=settings.listen, port=settings.port, url_path=url_path,
                        webhook_url=settings.webhook_url, secret_token=settings.webhook_secret,
                        allowed_updates=ALLOWED_UPDATES)
    else:
        from .polling import run_polling

        log.info("polling mode")
        asyncio.run(run_polling(app, on_hup))
