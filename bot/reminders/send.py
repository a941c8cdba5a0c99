"""Sending what is due: ``gjz reminders send-due`` (cron) and the running bot's minute timer.

A round claims the due reminders (a lease in the store: several workers or a cron beside the
bot never send one twice), sends each, and deletes it once Telegram took it (or refused it
for good: a blocked bot, a deleted chat). A transient failure releases it for the next round.
A round outside 09:00–20:00 Asia/Shanghai on a working day sends nothing, so what fell due
then waits for the next working day's 09:00; one sent more than LATE_AFTER after its time
(the bot was down, or the window was closed) says so: （补发）.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ..dialog.messages import Reply, render
from ..rules.workdays import WorkCalendar
from .schedule import SHANGHAI, in_window, is_late

log = logging.getLogger("gjz.reminders")

INTERVAL = 60.0  # seconds between the running bot's rounds
# send(chat_id, reply) -> True: delivered, False: refused for good; raises on a transient error
Send = Callable[[int, Reply], Awaitable[bool]]


@dataclass(frozen=True)
class Outcome:
    chat_id: int
    key: str
    due: dt.datetime
    late: bool
    sent: bool  # False: refused for good, or (dry run) not attempted
    reply: Reply


def message(body: dict, due: dt.datetime, now: dt.datetime) -> tuple[Reply, bool]:
    late = is_late(due, now)
    text = render(
        "reminder_sent.html.j2", text=body["text"], late=late, due=due.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    )
    return Reply(text), late


async def send_due(
    store, send: Send | None, now: dt.datetime, calendar: WorkCalendar, dry_run: bool = False, limit: int = 50
) -> list[Outcome]:
    """One round at ``now`` (aware). ``dry_run``: what would be sent, nothing claimed or sent."""
    if not in_window(now, calendar):
        return []
    if dry_run:
        outcomes = []
        for due in await store.due_reminders(now.timestamp()):
            at = dt.datetime.fromtimestamp(due.due_at, SHANGHAI)
            reply, late = message(due.body, at, now)
            outcomes.append(Outcome(due.chat_id, due.key, at, late, False, reply))
        return outcomes
    outcomes = []
    while True:
        claimed = await store.claim_reminders(now.timestamp(), limit=limit)
        for due in claimed:
            at = dt.datetime.fromtimestamp(due.due_at, SHANGHAI)
            reply, late = message(due.body, at, now)
            try:
                delivered = await send(due.chat_id, reply)
            except Exception as exc:  # transient (network, flood control): the next round retries
                log.warning("reminder not sent, retried next round: %s", type(exc).__name__)
                await store.release_reminder(due)
                return outcomes
            await store.finish_reminder(due)
            outcomes.append(Outcome(due.chat_id, due.key, at, late, delivered, reply))
        if len(claimed) < limit:
            return outcomes


async def remind_forever(
    store,
    send: Send,
    calendar: WorkCalendar,
    interval: float = INTERVAL,
    clock: Callable[[], dt.datetime] | None = None,
) -> None:
    """The running bot's background task: a round now (what fell due while it was down goes
    out at start, marked late), then one a minute. Never takes the bot down."""
    clock = clock or (lambda: dt.datetime.now(SHANGHAI))
    while True:
        try:
            sent = await send_due(store, send, clock(), calendar)
            if sent:
                log.info("reminders sent", extra={"count": len(sent), "late": sum(o.late for o in sent)})
        except Exception as exc:  # a store hiccup: the next round tries again
            log.warning("reminder round failed: %s", type(exc).__name__)
        await asyncio.sleep(interval)


def telegram_sender(bot) -> Send:
    """Send through the Telegram adapter's send_replies (split, retried); a 400/403 is final."""
    from telegram.error import BadRequest, Forbidden

    from ..telegram.delivery import send_replies

    async def send(chat_id: int, reply: Reply) -> bool:
        try:
            await send_replies(bot, chat_id, [reply])
        except (BadRequest, Forbidden):
            return False
        return True

    return send


def start_reminding(store, bot, interview) -> asyncio.Task | None:
    """The running bot's hook (polling and each webhook worker): a background task sending due
    reminders every minute through ``bot``. ``interview``: an Interview or a future of one (the
    calendar is its knowledge's). None when the store keeps no reminders."""
    if not hasattr(store, "claim_reminders"):
        return None

    async def run() -> None:
        ready = interview if not asyncio.isfuture(interview) else await interview
        await remind_forever(store, telegram_sender(bot), WorkCalendar(ready.knowledge.holidays))

    return asyncio.get_running_loop().create_task(run())
