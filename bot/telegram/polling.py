"""Long polling that acknowledges an update only after it has been applied.

python-telegram-bot's Updater confirms a batch (the next getUpdates offset) as soon as it is
fetched, so a crash loses what was fetched but not yet handled. Here the offset moves past a
batch only once every update in it has been committed to the store; after a kill -9 Telegram
delivers the unconfirmed updates again and the store applies each one at most once. Updates
of one chat are handled in order, different chats concurrently.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections import defaultdict

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from .app import ALLOWED_UPDATES, retry_seconds

log = logging.getLogger("gjz.polling")


def _chat_key(update: Update) -> int:
    chat = update.effective_chat
    return chat.id if chat else 0


async def _handle_batch(app: Application, updates: list[Update]) -> None:
    by_chat: dict[int, list[Update]] = defaultdict(list)
    for update in updates:
        by_chat[_chat_key(update)].append(update)

    async def in_order(batch: list[Update]) -> None:
        for update in batch:
            await app.process_update(update)

    await asyncio.gather(*(in_order(batch) for batch in by_chat.values()))


async def poll_forever(app: Application, stop: asyncio.Event, timeout: int = 10) -> None:
    """Fetch, apply, confirm; a stop request interrupts only the wait, never a batch."""
    offset: int | None = None
    delay = 1.0
    stopped = asyncio.create_task(stop.wait())
    while True:
        fetch = asyncio.create_task(app.bot.get_updates(offset=offset, timeout=timeout,
                                                        allowed_updates=ALLOWED_UPDATES))
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not fetch.done():
            fetch.cancel()  # stopping while idle: nothing in hand
            break
        try:
            updates = fetch.result()
            delay = 1.0
        except InvalidToken:
            raise
        except RetryAfter as exc:
            await asyncio.sleep(retry_seconds(exc))
            continue
        except NetworkError as exc:  # TimedOut included
            log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)
            continue
        if updates:
            await _handle_batch(app, list(updates))
            undelivered = app.bot_data.pop("undelivered", set())
            if undelivered:
                # Confirm up to the first update whose replies did not go out; it comes again.
                offset = min(undelivered)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)
            else:
                offset = updates[-1].update_id + 1  # confirmed only now: every update is committed
        if stop.is_set():
            break
    if offset is not None:
        try:  # confirm the last batch before exiting, so no committed update comes back
            await app.bot.get_updates(offset=offset, timeout=0, limit=1, allowed_updates=ALLOWED_UPDATES)
        except TelegramError as exc:
            log.warning("could not confirm the last batch (%s); it will be recognised", type(exc).__name__)


async def run_polling(app: Application, on_hup=None) -> None:
    """Until SIGTERM/SIGINT; SIGHUP calls ``on_hup`` (the knowledge reload)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if on_hup is not None:
        loop.add_signal_handler(signal.SIGHUP, on_hup)
    async with app:  # initialize ... shutdown
        if app.post_init:  # run_polling would call these; we replace run_polling
            await app.post_init(app)
        await app.bot.delete_webhook(drop_pending_updates=False)
        await app.start()
        await poll_forever(app, stop)  # returns after the batch in hand is applied and confirmed
        await app.stop()
        if app.post_shutdown:
            await app.post_shutdown(app)
