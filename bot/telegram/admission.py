"""How much of one chat is in hand at once, for polling's lanes and the webhook workers alike.

A person typing fast stays well under BOUND updates in hand (accepted and not yet answered).
A chat past it is flooding: its excess updates are dropped (acknowledged, so Telegram does not
deliver them again, and counted), and it is told once, until its count is back to zero, that
it sends too fast (dialogs/templates/too_fast.txt.j2). Another chat never waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError

from ..dialog.messages import Reply, render

log = logging.getLogger("gjz.flood")
BOUND = 8


def too_fast_reply() -> Reply:
    return Reply(render("too_fast.txt.j2"), html=False)


class ChatGate:
    """Per-chat count of updates in hand (a webhook worker's requests being processed)."""

    def __init__(self, bound: int = BOUND, on_drop: Callable[[], None] | None = None):
        self.bound = bound
        self.on_drop = on_drop
        self._in_hand: dict[int, int] = {}
        self._warned: set[int] = set()
        self._background: set[asyncio.Task] = set()

    async def process(self, bot, update, run: Callable[[], Awaitable]):
        """``run()`` for an update of a chat under its bound; None, without running it, beyond."""
        chat = update.effective_chat
        if chat is None:
            return await run()
        if self._in_hand.get(chat.id, 0) >= self.bound:
            if self.on_drop is not None:
                self.on_drop()
            if chat.id not in self._warned:
                self._warned.add(chat.id)
                task = asyncio.create_task(_notify(bot, chat.id))
                self._background.add(task)
                task.add_done_callback(self._background.discard)
            return None
        self._in_hand[chat.id] = self._in_hand.get(chat.id, 0) + 1
        try:
            return await run()
        finally:
            left = self._in_hand[chat.id] - 1
            if left:
                self._in_hand[chat.id] = left
            else:
                del self._in_hand[chat.id]
                self._warned.discard(chat.id)


async def _notify(bot, chat_id: int) -> None:
    try:
        await bot.send_message(chat_id, too_fast_reply().text)
    except TelegramError as exc:  # best effort: the flood's own replies tell the same story
        log.info("flood notice not sent: %s", type(exc).__name__)
