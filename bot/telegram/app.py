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
import logging
import os

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.request import HTTPXRequest

from ..dialog.engine import Interview
from ..store import StateStore
from .chats import handled_outside_interview
from .config import Settings
from .delivery import answer_callback, chat_ref, retire_keyboard, send_replies, to_event
from .staff_list import handled_as_staff_list

log = logging.getLogger("gjz.telegram")


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
    return Bot(
        settings.token,
        base_url=settings.api_url,
        base_file_url=settings.api_file_url,
        request=_GatedRequest(8, pool_timeout=10),
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=30),
    )


def run(settings: Settings, interview, store: StateStore, on_hup=None, after_start=None) -> None:
    """Long polling until SIGTERM/SIGINT. ``interview``: an Interview, or a function building
    one once polling has started; ``on_hup``: called on SIGHUP (the knowledge reload);
    ``after_start``: once the first getUpdates is on its way.

    Webhooks are served by `gjz serve`, which answers Telegram only after the turn is
    committed and its replies sent; the cli refuses GJZ_WEBHOOK_URL here."""
    from .botapi import LeanBotApi
    from .polling import run_polling

    log.info("polling mode")
    serve_metrics()
    api = LeanBotApi(build_bot(settings), settings.api_url)
    asyncio.run(run_polling(api, interview, store, on_hup, after_start))


def serve_metrics(env=os.environ) -> None:
    """/metrics for polling mode on GJZ_METRICS_PORT (unset: none), bound to GJZ_METRICS_LISTEN
    (default 127.0.0.1): prometheus_client's own HTTP server, in a thread, with the webhook
    workers' metric names (bot/server/metrics.py)."""
    port = env.get("GJZ_METRICS_PORT")
    if not port:
        return
    from prometheus_client import start_http_server

    from ..server import metrics  # noqa: F401  (registers the metrics it serves)

    start_http_server(int(port), addr=env.get("GJZ_METRICS_LISTEN", "127.0.0.1"))
    log.info("metrics", extra={"port": int(port)})
