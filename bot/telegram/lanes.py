"""Per-chat lanes: the turns of one chat in order, different chats independent of each other.

Each chat that has something in hand gets a lane: updates waiting for their turn, then replies
waiting to go out. Two tasks per busy lane, none for an idle one:

- the turn worker applies the chat's updates one after another; a committed turn is reported
  through ``committed`` (polling may then confirm it to Telegram: its replies are in the store,
  sent again after a crash) and its replies join the lane's outbox;
- the sender delivers the outbox in order. A 429 (flood control) for this chat pauses this
  sender only; a network error is retried with back-off; a permanent refusal (400, 403) drops
  that reply. Nothing waits for another chat's sender.

A lane holds at most ``bound`` updates not yet delivered. Beyond it the chat gets one notice
(dialogs/templates/too_fast.txt.j2) until its lane drains, and the excess is dropped: reported
as committed, so it is confirmed and not fetched again, and counted in ``stats.dropped``.

A store error (SQLite locked, PostgreSQL gone) keeps the update at the head of its lane,
retried with back-off, and not committed: it stays unconfirmed until the store takes it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from ..dialog.engine import Interview
from ..dialog.messages import Reply
from ..server import metrics  # the webhook workers' metric names, for /metrics in polling mode too
from ..store import StateStore
from .admission import BOUND, too_fast_reply
from .chats import handled_outside_interview
from .delivery import answer_callback, chat_ref, reply_calls, retire_keyboard, retry_seconds, to_event
from .staff_list import handled_as_staff_list

log = logging.getLogger("gjz.lanes")

MAX_BACKOFF = 30.0


class EngineError(Exception):
    """The engine itself failed on an update (a bug): retrying cannot help."""


@dataclass
class LaneStats:
    turns: int = 0
    duplicates: int = 0
    dropped: int = 0  # updates beyond a chat's bound
    store_errors: int = 0  # turns the store failed (each retried)
    throttled: int = 0  # 429s waited out, for one chat each
    refused: int = 0  # replies Telegram refused for good
    engine_errors: int = 0


@dataclass
class _Outgoing:
    update_id: int | None  # None: the flood notice, not an update's replies
    replies: list[Reply]


@dataclass
class _Lane:
    chat_id: int
    inbox: deque = field(default_factory=deque)  # Updates waiting for their turn
    outbox: deque = field(default_factory=deque)  # _Outgoing waiting to be sent
    in_hand: int = 0  # updates accepted and not yet delivered
    warned: bool = False  # the flood notice went out since the lane was last empty
    dropped: int = 0  # updates dropped since then
    turning: asyncio.Task | None = None
    sending: asyncio.Task | None = None


class Lanes:
    def __init__(
        self,
        bot,
        interview: Interview | asyncio.Future,
        store: StateStore,
        committed: Callable[[int], None],
        delivered: Callable[[int], None],
        bound: int = BOUND,
    ):
        self.bot, self.interview, self.store = bot, interview, store
        self.committed, self.delivered = committed, delivered
        self.bound = bound
        self.stats = LaneStats()
        self._lanes: dict[int, _Lane] = {}
        self._queued: set[int] = set()  # update ids whose replies are in an outbox
        self._background: set[asyncio.Task] = set()

    # ------------------------------------------------------------------ in

    def submit(self, update: Update) -> None:
        """Take one update (never blocks). Updates of one chat must come in update_id order."""
        chat = update.effective_chat
        if chat is None:
            self.committed(update.update_id)  # nothing of a chat: confirmed as is
            return
        lane = self._lanes.get(chat.id)
        if lane is None:
            lane = self._lanes[chat.id] = _Lane(chat.id)
        if lane.in_hand >= self.bound:
            self.drop(update.update_id, chat.id)
            return
        lane.in_hand += 1
        if update.callback_query is not None and chat.type == "private":  # chats.py answers the others
            self._spawn(answer_callback(self.bot, update))
        lane.inbox.append(update)
        if lane.turning is None:
            lane.turning = asyncio.create_task(self._turns(lane))

    def full(self, chat_id: int) -> bool:
        lane = self._lanes.get(chat_id)
        return lane is not None and lane.in_hand >= self.bound

    def drop(self, update_id: int, chat_id: int) -> None:
        """An update of a chat at its bound: confirmed unread, and the chat told once."""
        lane = self._lanes[chat_id]
        self.stats.dropped += 1
        lane.dropped += 1
        metrics.FLOOD_DROPPED.inc()
        self.committed(update_id)
        if not lane.warned:
            lane.warned = True
            self._queue(lane, _Outgoing(None, [too_fast_reply()]))

    def replay(self, update_id: int, chat_id: int, replies: list[Reply]) -> None:
        """Replies committed before a restart and never marked delivered: send them first."""
        lane = self._lanes.get(chat_id)
        if lane is None:
            lane = self._lanes[chat_id] = _Lane(chat_id)
        lane.in_hand += 1
        self._queue(lane, _Outgoing(update_id, replies))

    # ------------------------------------------------------------------ turns

    async def _turns(self, lane: _Lane) -> None:
        try:
            while lane.inbox:
                update = lane.inbox[0]
                result = await self._turn(lane, update)
                lane.inbox.popleft()
                self.committed(update.update_id)
                if result is None:  # handled outside the interview, or the engine failed
                    self._done(lane, None)
                elif result.duplicate and update.update_id in self._queued:
                    self._done(lane, None)  # its stored replies are already on their way
                elif result.replies:
                    self._queue(lane, _Outgoing(update.update_id, result.replies))
                else:
                    if update.callback_query is not None and not result.duplicate:
                        self._spawn(retire_keyboard(self.bot, update))
                    self._done(lane, None)
        finally:
            lane.turning = None
            self._forget_if_idle(lane)

    async def _turn(self, lane: _Lane, update: Update):
        started = time.perf_counter()
        event = to_event(update)
        interview = self.interview
        if isinstance(interview, asyncio.Future):  # still being built at start: the first turns wait
            interview = self.interview = await asyncio.shield(interview)

        def engine(state):
            try:
                return interview.handle(state, event)
            except Exception as exc:
                raise EngineError(type(exc).__name__) from exc

        if await handled_as_staff_list(self.bot, update, interview.knowledge):
            return None  # HR's staff list or /template (staff_list.py): never the interview or its store
        delay = 0.05
        while True:
            try:
                if await handled_outside_interview(self.bot, update, self.store, interview.bot_username):
                    return None  # a group, or a user blocking the bot (chats.py)
                if event is None:
                    return None  # nothing the engine reads
                result = await self.store.run_turn(lane.chat_id, update.update_id, engine)
            except EngineError as exc:
                self.stats.engine_errors += 1
                metrics.ERRORS.labels("turn").inc()
                log.error(
                    "engine failed on an update: %s",
                    exc,
                    extra={"chat": chat_ref(lane.chat_id)},
                    exc_info=exc.__cause__,
                )
                return None
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the store: locked, gone, full. The update stays unconfirmed.
                self.stats.store_errors += 1
                delay = await _back_off("store error (%s); turn retried in %.2f s", exc, delay, lane.chat_id, 5.0)
                continue
            if result.duplicate:
                self.stats.duplicates += 1
            else:
                self.stats.turns += 1
            log.info("turn", extra={"chat": chat_ref(lane.chat_id), "kind": event.kind, "duplicate": result.duplicate})
            metrics.observe_turn(event.kind, time.perf_counter() - started, result)  # committed; replies queued
            return result

    # ------------------------------------------------------------------ out

    def _queue(self, lane: _Lane, outgoing: _Outgoing) -> None:
        if outgoing.update_id is not None:
            self._queued.add(outgoing.update_id)
        lane.outbox.append(outgoing)
        if lane.sending is None:
            lane.sending = asyncio.create_task(self._send(lane))

    async def _send(self, lane: _Lane) -> None:
        try:
            while lane.outbox:
                outgoing = lane.outbox[0]
                calls = [call for reply in outgoing.replies for call in reply_calls(self.bot, lane.chat_id, reply)]
                for call in calls:
                    if not await self._deliver(lane, call):
                        break  # refused for good (chat gone, bot blocked): the rest would be too
                lane.outbox.popleft()
                if outgoing.update_id is not None:
                    self._queued.discard(outgoing.update_id)
                    self.delivered(outgoing.update_id)
                    self._done(lane, outgoing.update_id)
        finally:
            lane.sending = None
            self._forget_if_idle(lane)

    async def _deliver(self, lane: _Lane, call) -> bool:
        """One Bot API call until it goes through (True) or is refused for good (False)."""
        delay = 0.5
        while True:
            try:
                await call()
                return True
            except RetryAfter as exc:  # this chat's flood control: only this lane waits
                self.stats.throttled += 1
                await asyncio.sleep(retry_seconds(exc))
            except (BadRequest, Forbidden) as exc:
                self.stats.refused += 1
                log.warning("reply refused", extra={"chat": chat_ref(lane.chat_id), "error": type(exc).__name__})
                return False
            except (NetworkError, TelegramError) as exc:  # TimedOut included: try again
                delay = await _back_off(
                    "reply not sent (%s); retrying in %.1f s", exc, delay, lane.chat_id, MAX_BACKOFF
                )

    def _done(self, lane: _Lane, update_id: int | None) -> None:
        lane.in_hand -= 1
        if lane.in_hand <= 0:
            if lane.dropped:
                log.info(
                    "flood over: updates dropped",
                    extra={
                        "chat": chat_ref(lane.chat_id),
                        "dropped": lane.dropped,
                        "dropped_total": self.stats.dropped,
                    },
                )
            lane.in_hand, lane.warned, lane.dropped = 0, False, 0

    def _forget_if_idle(self, lane: _Lane) -> None:
        if (
            lane.turning is None
            and lane.sending is None
            and not lane.inbox
            and not lane.outbox
            and self._lanes.get(lane.chat_id) is lane
        ):
            del self._lanes[lane.chat_id]

    def _spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ------------------------------------------------------------------ stop

    def busy(self) -> bool:
        return bool(self._lanes)

    async def drain(self, turns_deadline: float, send_deadline: float) -> None:
        """Let the turns in hand commit, then the replies go out, each within its deadline;
        what is left is cancelled (uncommitted updates come again; unsent replies are in the
        store and replayed at the next start)."""
        turning = [lane.turning for lane in self._lanes.values() if lane.turning]
        if turning:
            await asyncio.wait(turning, timeout=turns_deadline)
        await _cancel([lane.turning for lane in self._lanes.values() if lane.turning])
        for lane in self._lanes.values():
            lane.inbox.clear()  # not applied: unconfirmed, Telegram delivers them again
        sending = [lane.sending for lane in self._lanes.values() if lane.sending]
        if sending:
            await asyncio.wait(sending, timeout=send_deadline)
        await _cancel([lane.sending for lane in self._lanes.values() if lane.sending] + list(self._background))


async def _back_off(message: str, exc: Exception, delay: float, chat_id: int, cap: float) -> float:
    """A transient failure: logged by its type only (never its text, which may quote the
    update), waited out for ``delay`` seconds; returns the next delay, doubled up to ``cap``."""
    log.warning(message, type(exc).__name__, delay, extra={"chat": chat_ref(chat_id)})
    await asyncio.sleep(delay)
    return min(delay * 2, cap)


async def _cancel(tasks: list[asyncio.Task]) -> None:
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
