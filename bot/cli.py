"""The ``gjz`` command: one subcommand per job, each a thin shell over the pure core."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .knowledge import KnowledgeError, get_knowledge, load_knowledge


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the whole knowledge folder; print each defect or the summary."""
    import time

    started = time.perf_counter()
    try:
        knowledge = load_knowledge(Path(args.knowledge) if args.knowledge else None)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"knowledge has {len(exc.problems)} error(s)", file=sys.stderr)
        return 1
    if args.time:
        print(f"loaded and checked in {(time.perf_counter() - started) * 1000:.0f} ms")
    print(knowledge.summary())
    return 0


def _load_or_exit() -> object:
    try:
        return get_knowledge()
    except KnowledgeError as exc:
        print(
            f"knowledge is broken ({len(exc.problems)} error(s)); run `gjz check`. First: {exc.problems[0]}",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


def cmd_assess(args: argparse.Namespace) -> int:
    """Read one profile as JSON and print the assessment (exit 2 on malformed input)."""
    from .render import render_text
    from .rules import ProfileError, assess, parse_profile

    try:
        text = sys.stdin.read() if args.file in (None, "-") else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"gjz assess: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    try:
        profile = parse_profile(text)
    except ProfileError as exc:
        print(f"gjz assess: {exc}", file=sys.stderr)
        return 2
    result = assess(_load_or_exit(), profile)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result), end="")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """The interview in the terminal (standard input line by line)."""
    from .dialog.engine import Interview
    from .faq import FaqIndex
    from .terminal import run_chat

    knowledge = _load_or_exit()
    return run_chat(Interview(knowledge, faq=FaqIndex.build(knowledge)), payload=args.start or "")


def cmd_run(args: argparse.Namespace) -> int:
    """The Telegram bot by long polling; without a token, gjz chat. Webhooks: gjz serve."""
    from .telegram.config import ConfigError, load_settings, token_from_env

    if token_from_env() is None:
        print(
            "GJZ_TELEGRAM_TOKEN 未设置：在终端中运行同一个对话（gjz chat）。设置令牌后即以 Telegram 机器人运行。",
            file=sys.stderr,
        )
        args.start = None
        return cmd_chat(args)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"gjz run: {exc}", file=sys.stderr)
        return 2
    if settings.webhook_url:
        # A webhook served here would be acknowledged before the turn is committed; gjz serve
        # answers Telegram only after it (and de-duplicates redeliveries).
        print(
            "gjz run: GJZ_WEBHOOK_URL is set, but gjz run only polls. Serve the webhook with "
            "`gjz serve --set-webhook`, or unset GJZ_WEBHOOK_URL to poll.",
            file=sys.stderr,
        )
        return 2
    from .dialog.engine import Interview
    from .logs import setup_logging
    from .store import open_store
    from .telegram.app import run

    setup_logging()
    try:
        store = open_store(settings.database_url, settings.data_dir)
    except ValueError as exc:
        print(f"gjz run: {exc}", file=sys.stderr)
        return 2
    from .faq import FaqIndex
    from .reload import reload_knowledge
    from .telegram.lazyfaq import LazyFaq

    built: dict = {}

    def build_interview() -> Interview:
        """Run by the bot once polling has started (start-up to the first getUpdates does not
        wait for the knowledge); broken knowledge stops it with the same message as here."""
        knowledge = _load_or_exit()
        faq = LazyFaq(lambda: FaqIndex.build(knowledge))  # the FAQ index after that, in its own thread
        built["interview"] = Interview(knowledge, faq=faq)
        faq.start()
        return built["interview"]

    def on_hup() -> None:
        if "interview" in built:
            reload_knowledge(built["interview"], faq_factory=FaqIndex.build)

    from telegram.error import InvalidToken

    try:
        run(settings, build_interview, store, on_hup=on_hup)
    except InvalidToken:  # PTB's message quotes the token: ours does not
        print(f"gjz run: {TOKEN_REJECTED}", file=sys.stderr)
        return 2
    return 0


TOKEN_REJECTED = (
    "Telegram rejected GJZ_TELEGRAM_TOKEN (401 Unauthorized): it was revoked or mistyped; "
    "put the current token from @BotFather in the environment"
)


def cmd_link(args: argparse.Namespace) -> int:
    """Print the deep link HR staff share: district and employer form preset."""
    import os

    from .dialog.deeplink import encode_payload, share_link

    bot = args.bot or os.environ.get("GJZ_BOT_USERNAME")
    if not bot:
        print("gjz link: name the bot with --bot or GJZ_BOT_USERNAME (its @username without @)", file=sys.stderr)
        return 2
    try:
        payload = encode_payload(args.district, args.employer_form, args.business)
    except ValueError as exc:
        print(f"gjz link: {exc}", file=sys.stderr)
        return 2
    print(share_link(bot.lstrip("@"), payload))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Production webhook: N worker processes (ASGI) sharing GJZ_DATABASE_URL."""
    from .logs import setup_logging
    from .telegram.config import ConfigError, load_settings

    try:
        settings = load_settings()
        if not settings.webhook_secret:
            raise ConfigError("GJZ_WEBHOOK_SECRET is required by gjz serve (Telegram sends it with every update)")
        if args.workers > 1 and not (settings.database_url or "").startswith("postgres"):
            raise ConfigError("several workers need a shared database: set GJZ_DATABASE_URL=postgresql://…")
    except ConfigError as exc:
        print(f"gjz serve: {exc}", file=sys.stderr)
        return 2
    _load_or_exit()  # refuse to start on broken knowledge, before any worker
    setup_logging()
    if args.set_webhook and cmd_set_webhook(argparse.Namespace(delete=False)) != 0:
        return 1
    if _token_rejected(settings):  # else every worker would fail at start, and again at each restart
        print(f"gjz serve: {TOKEN_REJECTED}", file=sys.stderr)
        return 2
    # Once here, before the supervisor starts the workers (they would send it N times, and again
    # at each restart); Telegram unreachable now leaves the menu as it was, the workers still serve.
    if not _send_menu(settings):
        print("gjz serve: could not send the command menu (setMyCommands); serving anyway", file=sys.stderr)
    from .server.supervisor import serve

    try:
        return serve(args.host or settings.listen, args.port or settings.port, args.workers)
    except OSError as exc:
        print(
            f"gjz serve: cannot listen on {args.host or settings.listen}:{args.port or settings.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2


def _token_rejected(settings) -> bool:
    """getMe once: True only on a 401. Any other failure (Telegram unreachable) is left to
    the workers, which retry."""
    import asyncio

    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    async def get_me() -> None:
        async with Bot(settings.token, base_url=settings.api_url):  # initialize() calls getMe
            pass

    try:
        asyncio.run(get_me())
    except InvalidToken:
        return True
    except TelegramError:
        pass
    return False


def _send_menu(settings) -> bool:
    """setMyCommands with the one command list (dialogs/commands.yaml); False if Telegram did not take it."""
    import asyncio

    from telegram import Bot
    from telegram.error import TelegramError

    from .telegram.menu import register_commands

    async def send() -> bool:
        async with Bot(settings.token, base_url=settings.api_url) as bot:
            return await register_commands(bot)

    try:
        return asyncio.run(send())
    except TelegramError:
        return False


def cmd_set_webhook(args: argparse.Namespace) -> int:
    """Point Telegram at GJZ_WEBHOOK_URL with GJZ_WEBHOOK_SECRET (or remove the webhook)."""
    import asyncio

    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    from .logs import redact
    from .telegram.config import ConfigError, load_settings
    from .telegram.delivery import ALLOWED_UPDATES
    from .telegram.menu import register_commands

    try:
        settings = load_settings()
        if not args.delete and not settings.webhook_url:
            raise ConfigError("GJZ_WEBHOOK_URL is not set")
    except ConfigError as exc:
        print(f"gjz set-webhook: {exc}", file=sys.stderr)
        return 2

    async def call() -> None:
        async with Bot(settings.token, base_url=settings.api_url) as bot:
            if args.delete:
                await bot.delete_webhook()
            else:
                await bot.set_webhook(
                    settings.webhook_url,
                    secret_token=settings.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                    max_connections=40,
                )
                await register_commands(bot)  # the menu too: a webhook bot never polls, which sent it

    try:
        asyncio.run(call())
    except InvalidToken:  # its message quotes the token
        print(f"gjz set-webhook: {TOKEN_REJECTED}", file=sys.stderr)
        return 1
    except TelegramError as exc:
        print(f"gjz set-webhook: Telegram refused: {redact(exc.message)}", file=sys.stderr)
        return 1
    print("webhook removed" if args.delete else f"webhook set to {settings.webhook_url}")
    return 0


def cmd_dialogs(args: argparse.Namespace) -> int:
    """Print the interview as a Mermaid flowchart (what the engine asks, per district)."""
    from .dialog.diagram import mermaid

    print(mermaid(_load_or_exit()), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gjz", description="北京市工作居住证助手 gjz-bot")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("check", help="validate knowledge/ (GJZ_KNOWLEDGE_DIR)")
    check.add_argument("--knowledge", help="knowledge folder (default: GJZ_KNOWLEDGE_DIR or the repo's knowledge/)")
    check.add_argument("--time", action="store_true", help="also print how long loading took")
    check.set_defaults(func=cmd_check)
    assess = sub.add_parser("assess", help="assess one profile (JSON file, or - for standard input)")
    assess.add_argument("file", nargs="?", default="-", help="profile JSON file, or - (default) for standard input")
    assess.add_argument("--json", action="store_true", help="print one JSON object")
    assess.set_defaults(func=cmd_assess)
    chat = sub.add_parser("chat", help="the interview in the terminal (reads standard input)")
    chat.add_argument("--start", help="a deep-link payload to preset answers, e.g. chaoyang-institution")
    chat.set_defaults(func=cmd_chat)
    link = sub.add_parser("link", help="print an HR deep link with the district and employer form preset")
    link.add_argument("--district", required=True, help="e.g. bda, chaoyang")
    link.add_argument("--employer-form", help="enterprise, firm, institution, private_non_enterprise, ...")
    link.add_argument("--business", help="new, renewal, employer_change, ...")
    link.add_argument("--bot", help="the bot's username (default: GJZ_BOT_USERNAME)")
    link.set_defaults(func=cmd_link)
    serve = sub.add_parser("serve", help="production webhook server: N workers sharing GJZ_DATABASE_URL")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--host", help="listen address (default GJZ_LISTEN or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default GJZ_PORT or 8080)")
    serve.add_argument("--set-webhook", action="store_true", help="call setWebhook with GJZ_WEBHOOK_URL first")
    serve.set_defaults(func=cmd_serve)
    hook = sub.add_parser("set-webhook", help="set (or --delete) the Telegram webhook from the environment")
    hook.add_argument("--delete", action="store_true")
    hook.set_defaults(func=cmd_set_webhook)
    dialogs = sub.add_parser("dialogs", help="print the interview as a Mermaid flowchart")
    dialogs.add_argument("--mermaid", action="store_true", help="Mermaid format (the only one)")
    dialogs.set_defaults(func=cmd_dialogs)
    run = sub.add_parser("run", help="run the Telegram bot (GJZ_TELEGRAM_TOKEN), or gjz chat without a token")
    run.set_defaults(func=cmd_run)
    from .dialog.read_cli import add_parser as add_read_parser  # gjz read (bot/dialog/read_cli.py)

    add_read_parser(sub)
    from .faq.cli import add_parser as add_ask_parser  # gjz ask (bot/faq/cli.py)

    add_ask_parser(sub)
    from .batch.cli import add_parser as add_batch_parser  # gjz batch (bot/batch/cli.py)

    add_batch_parser(sub)
    from .review import add_parser as add_diff_parser  # gjz diff (bot/review.py)

    add_diff_parser(sub)
    from .store.migrate import add_parser as add_migrate_parser  # gjz migrate-store (bot/store/migrate.py)

    add_migrate_parser(sub)
    from .store.rotate import add_parser as add_rotate_parser  # gjz rotate-key (bot/store/rotate.py)

    add_rotate_parser(sub)
    from .reminders.cli import add_parser as add_reminders_parser  # gjz reminders, gjz notify (bot/reminders/cli.py)

    add_reminders_parser(sub, _load_or_exit)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .logs import protect_stderr

    protect_stderr()  # whatever fails, a traceback on stderr shows no token, key or password
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
