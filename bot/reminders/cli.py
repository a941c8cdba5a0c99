"""``gjz reminders send-due [--now ISO] [--dry-run]`` and ``gjz notify [--dry-run]``.

Both open the store of GJZ_DATABASE_URL / GJZ_DATA_DIR (as the bot does) and, unless
--dry-run, send through the Bot API of GJZ_TELEGRAM_TOKEN and GJZ_TELEGRAM_API_URL. What they
print names no chat and quotes no answer: counts, dates, kinds, the changed figure.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys

from .schedule import SHANGHAI


def _now(text: str | None) -> dt.datetime:
    """--now: an ISO date-time; without an offset it is Asia/Shanghai time."""
    if not text:
        return dt.datetime.now(SHANGHAI)
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def _bot():
    """A Bot API client from the environment (ConfigError when the token is missing)."""
    from telegram import Bot

    from ..telegram.config import load_settings

    settings = load_settings()
    return Bot(settings.token, base_url=settings.api_url)


async def _with_store(job, needs_bot: bool):
    from ..store import open_store

    store = open_store(os.environ.get("GJZ_DATABASE_URL") or None)
    bot = _bot() if needs_bot else None
    await store.open()
    try:
        if bot is None:
            return await job(store, None)
        async with bot:
            from .send import telegram_sender

            return await job(store, telegram_sender(bot))
    finally:
        await store.close()


def cmd_send_due(args: argparse.Namespace) -> int:
    from ..rules.workdays import WorkCalendar
    from ..telegram.config import ConfigError
    from .schedule import in_window
    from .send import send_due

    try:
        now = _now(args.now)
    except ValueError:
        print(
            f"gjz reminders send-due: --now must be an ISO date-time like 2026-10-09T09:30, got {args.now!r}",
            file=sys.stderr,
        )
        return 2
    calendar = WorkCalendar(args.load_knowledge().holidays)
    try:
        outcomes = asyncio.run(
            _with_store(
                lambda store, send: send_due(store, send, now, calendar, args.dry_run), needs_bot=not args.dry_run
            )
        )
    except ConfigError as exc:
        print(f"gjz reminders send-due: {exc} (or use --dry-run)", file=sys.stderr)
        return 2
    local = now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    if not in_window(now, calendar):
        print(f"{local} Asia/Shanghai is outside 09:00–20:00 on a working day: nothing sent")
        return 0
    for o in outcomes:
        state = "would send" if args.dry_run else ("sent" if o.sent else "refused by Telegram, dropped")
        print(f"{state}: {o.key} due {o.due.strftime('%Y-%m-%d %H:%M')}{' （补发）' if o.late else ''}")
        if args.dry_run:
            print("  " + o.reply.plain().replace("\n", "\n  "))
    verb = "would send" if args.dry_run else "sent"
    print(f"{local}: {verb} {len(outcomes)} reminder(s), {sum(o.late for o in outcomes)} late")
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    from ..telegram.config import ConfigError
    from .notify import notify

    knowledge = args.load_knowledge()
    try:
        report = asyncio.run(
            _with_store(lambda store, send: notify(store, knowledge, send, args.dry_run), needs_bot=not args.dry_run)
        )
    except ConfigError as exc:
        print(f"gjz notify: {exc} (or use --dry-run)", file=sys.stderr)
        return 2
    print("\n".join(report.lines(args.dry_run)))
    return 0


def add_parser(sub, load_knowledge) -> None:
    """Register ``gjz reminders`` and ``gjz notify`` on the CLI's subparsers. ``load_knowledge``:
    the CLI's loader, which exits with gjz check's message on broken knowledge (passed in, so
    this module does not import the CLI that imports it)."""
    reminders = sub.add_parser("reminders", help="reminders set with 提醒我 (send-due: send what is due, for cron)")
    actions = reminders.add_subparsers(dest="action", required=True)
    due = actions.add_parser(
        "send-due",
        help="send the due reminders and exit",
        description="Send every due reminder (09:00–20:00 Asia/Shanghai, working days), "
        "then exit. Needs GJZ_TELEGRAM_TOKEN unless --dry-run.",
    )
    due.add_argument("--now", help="the time to act as at (ISO date-time; no offset: Asia/Shanghai)")
    due.add_argument("--dry-run", action="store_true", help="print what would be sent; send and change nothing")
    due.set_defaults(func=cmd_send_due, load_knowledge=load_knowledge)
    note = sub.add_parser(
        "notify",
        help="tell users whose stored verdict a published knowledge change alters",
        description=__doc__.split("\n\n")[1],
    )
    note.add_argument("--dry-run", action="store_true", help="print how many users and why; tell nobody")
    note.set_defaults(func=cmd_notify, load_knowledge=load_knowledge)
