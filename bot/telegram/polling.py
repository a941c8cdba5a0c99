"""Long polling that confirms an update only once it, and every update before it, is committed.

getUpdates confirms every update below the offset it is given, so the offset sent is the
oldest update still in hand (fetched, not yet committed), or one past the newest when none
is. Fetching goes on continuously: updates already in hand come back in the answer and are
skipped; new ones go to their chat's lane (lanes.py), so one chat's slow turn or flood never
holds another. A committed turn's replies are in the store until sent: after a kill -9 the
unconfirmed updates come again (the store applies each once) and the unsent replies are
replayed from the store at start.

Start-up retries the Bot API and the database with back-off instead of exiting (a restart
loop would hit the unit's start limit in a longer outage); a revoked token stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

from telegram import Update
from telegram.error import Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError

from ..dialog.engine import Interview
from ..reminders.send import start_reminding  # due reminders, once a minute (bot/reminders)
from ..store import StateStore
from .delivery import ALLOWED_UPDATES, retry_seconds
from .lanes import Lanes
from .menu import register_commands

log = logging.getLogger("gjz.polling")

LONG_POLL = 10  # seconds getUpdates waits when nothing is in hand
# With updates in hand, getUpdates answers at once (they are above the offset), so it cannot
# wait for new ones: fetch again when one commits (the offset moves), at most every
# MIN_REFETCH and at least every MAX_REFETCH.
MIN_REFETCH = 0.005
MAX_REFETCH = 0.02
DELIVERED_FLUSH = 0.05  # delivered marks are written in batches, this often


class Confirmations:
    """Which update ids Telegram may forget: everything below the oldest one in hand."""

    def __init__(self):
        self.in_hand: set[int] = set()
        self.newest: int | None = None
        self.progress = asyncio.Event()

    def take(self, update_id: int) -> None:
        self.in_hand.add(update_id)
        self.newest = update_id if self.newest is None else max(self.newest, update_id)

    def committed(self, update_id: int) -> None:
        self.in_hand.discard(update_id)
        self.progress.set()

    def is_new(self, update_id: int) -> bool:
        return self.newest is None or update_id > self.newest

    @property
    def offset(self) -> int | None:
        if self.in_hand:
            return min(self.in_hand)
        return None if self.newest is None else self.newest + 1


class Delivered:
    """Update ids whose replies went out, written to the store in batches (one statement for
    many instead of one thread hop each). A crash before a flush sends those replies again:
    a duplicate message, never a lost one."""

    def __init__(self, store: StateStore):
        self.store = store
        self.pending: list[int] = []
        self.wake = asyncio.Event()

    def add(self, update_id: int) -> None:
        self.pending.append(update_id)
        self.wake.set()

    async def flush(self) -> None:
        ids, self.pending = self.pending, []
        if not ids:
            return
        try:
            many = getattr(self.store, "mark_delivered_many", None)
            if many is not None:
                await many(ids)
            else:
                for update_id in ids:
                    await self.store.mark_delivered(update_id)
        except Exception as exc:  # the replies are out; the marks are retried with the next batch
            log.warning("marking replies delivered failed (%s); retried", type(exc).__name__)
            self.pending[:0] = ids

    async def run(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            await asyncio.sleep(DELIVERED_FLUSH)
            await self.flush()


async def retrying(what: str, call, stop: asyncio.Event, fatal: tuple = ()):
    """``call()`` until it succeeds, with back-off (0.5 s doubling to 30 s); None if stopped."""
    delay = 0.5
    while True:
        try:
            return await call()
        except fatal:
            raise
        except RetryAfter as exc:
            wait = retry_seconds(exc)
        except Exception as exc:  # the cause by type only: messages can carry URLs or data
            wait = delay
            delay = min(delay * 2, 30.0)
            log.warning("%s failed (%s); retrying in %.1f s", what, type(exc).__name__, wait)
        try:
            await asyncio.wait_for(stop.wait(), timeout=wait)
            return None
        except TimeoutError:
            pass


async def fetch_forever(bot, lanes: Lanes, confirmations: Confirmations, stop: asyncio.Event) -> None:
    """Fetch and hand out updates until ``stop``; the offset never passes an uncommitted one.
    ``bot``: a LeanBotApi (botapi.py)."""
    delay = 1.0
    ptb_bot = getattr(bot, "bot", bot)  # what Update objects are bound to
    stopped = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            waiting = not confirmations.in_hand
            fetch = asyncio.ensure_future(
                bot.get_updates_raw(confirmations.offset, LONG_POLL if waiting else 0, allowed_updates=ALLOWED_UPDATES)
            )
            await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not fetch.done():
                fetch.cancel()  # stopping: the updates in hand are drained by the caller
                break
            try:
                raw = fetch.result()
                delay = 1.0
            except InvalidToken:
                raise
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc))
                continue
            except (NetworkError, TelegramError) as exc:  # TimedOut included
                log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            fetched_at = time.perf_counter()
            for data in raw:
                update_id = data["update_id"]
                if not confirmations.is_new(update_id):
                    continue
                confirmations.take(update_id)
                chat_id = _chat_id(data)
                if chat_id is not None and lanes.full(chat_id):
                    lanes.drop(update_id, chat_id)  # a flood's excess is not even parsed
                    continue
                lanes.submit(Update.de_json(data, ptb_bot))
            if confirmations.in_hand:
                confirmations.progress.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(confirmations.progress.wait(), timeout=MAX_REFETCH)
                pause = MIN_REFETCH - (time.perf_counter() - fetched_at)
                if pause > 0:
                    await asyncio.sleep(pause)
    finally:
        stopped.cancel()


def _chat_id(data: dict) -> int | None:
    """The chat of a raw update, read without building the Update (None: not found here)."""
    message = data.get("message") or (data.get("callback_query") or {}).get("message") or {}
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if isinstance(chat_id, int) else None


async def _start(bot, store: StateStore, stop: asyncio.Event) -> bool:
    """Bot API and database up, with back-off; False if stopped first."""
    fatal = (InvalidToken, Forbidden)
    opened, started = await asyncio.gather(
        retrying("opening the store", lambda: _true(store.open()), stop),
        retrying("connecting to the Bot API", lambda: _true(bot.initialize()), stop, fatal),
    )
    if not (opened and started):
        return False
    return bool(await retrying("deleteWebhook", lambda: bot.delete_webhook(drop_pending_updates=False), stop, fatal))


async def _build_interview(build, bot, ready: asyncio.Future, failed: list, stop: asyncio.Event) -> None:
    """The knowledge (and so the interview) loaded once the first getUpdates is out: start-up
    does not wait for it, only the first turns do. Broken knowledge stops the bot."""
    await asyncio.sleep(0.05)  # the first getUpdates goes out before this takes the interpreter
    try:
        interview = await asyncio.get_running_loop().run_in_executor(None, build)
    except BaseException as exc:  # KnowledgeError reported by the builder; SystemExit from it too
        failed.append(exc)
        ready.cancel()
        stop.set()
        return
    interview.bot_username = bot.username or interview.bot_username
    ready.set_result(interview)


async def _true(awaitable) -> bool:
    await awaitable
    return True


async def _register_commands(bot, stop: asyncio.Event) -> None:
    await retrying("setMyCommands", lambda: register_commands(bot), stop, (InvalidToken,))


async def run_polling(bot, interview, store: StateStore, on_hup=None, after_start=None) -> None:
    """Until SIGTERM/SIGINT; SIGHUP calls ``on_hup`` (the knowledge reload). ``interview``: an
    Interview, or a function building one (run in a thread once polling has started).
    ``after_start`` is called once the first getUpdates is on its way."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if on_hup is not None:
        loop.add_signal_handler(signal.SIGHUP, on_hup)
    confirmations = Confirmations()
    delivered = Delivered(store)
    ready = loop.create_future()
    if isinstance(interview, Interview):
        ready.set_result(interview)
    lanes = Lanes(bot, ready, store, confirmations.committed, delivered.add)
    helpers: list[asyncio.Task] = []
    failed: list[BaseException] = []
    began = time.perf_counter()
    try:
        if not await _start(bot, store, stop):
            return
        if isinstance(interview, Interview):
            interview.bot_username = bot.username or interview.bot_username
        pending = getattr(store, "pending_replies", None)
        if pending is not None:
            for update_id, chat_id, replies in await pending():
                lanes.replay(update_id, chat_id, replies)
        helpers.append(asyncio.create_task(delivered.run()))
        fetching = asyncio.create_task(fetch_forever(bot, lanes, confirmations, stop))
        log.info("polling", extra={"ready_ms": round((time.perf_counter() - began) * 1000)})
        if not ready.done():
            helpers.append(asyncio.create_task(_build_interview(interview, bot, ready, failed, stop)))
        helpers.append(asyncio.create_task(_register_commands(bot, stop)))
        if (reminding := start_reminding(store, bot, ready)) is not None:
            helpers.append(reminding)
        if after_start is not None:
            loop.call_later(0.1, after_start)
        await fetching
        if failed:
            raise failed[0]
    except Exception as exc:
        log.error("polling stopped: %s", type(exc).__name__)
        raise
    finally:
        stop.set()
        await lanes.drain(turns_deadline=10, send_deadline=5)
        for task in helpers:
            task.cancel()
        await asyncio.gather(*helpers, return_exceptions=True)
        await delivered.flush()
        if confirmations.offset is not None:
            try:  # confirm what is committed, so it does not come back (it would be recognised)
                await bot.get_updates_raw(confirmations.offset, 0, limit=1, allowed_updates=ALLOWED_UPDATES)
            except TelegramError as exc:
                log.warning("could not confirm the last updates (%s); they will be recognised", type(exc).__name__)
        for closing in (bot.shutdown, store.close):
            try:
                await closing()
            except Exception as exc:
                log.warning("%s failed: %s", closing.__qualname__, type(exc).__name__)
