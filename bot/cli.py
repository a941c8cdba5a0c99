"""The ``gjz`` command: one subcommand per job, each a thin shell over the pure core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import json

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
        print(f"knowledge is broken ({len(exc.problems)} error(s)); run `gjz check`. First: {exc.problems[0]}",
              file=sys.stderr)
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
    from .terminal import run_chat

    return run_chat(Interview(_load_or_exit(), faq=_faq_or_none()), payload=args.start or "")


def cmd_run(args: argparse.Namespace) -> int:
    """The Telegram bot (long polling, or webhook with GJZ_WEBHOOK_URL); without a token, gjz chat."""
    import logging

    from .telegram.config import ConfigError, load_settings, token_from_env

    if token_from_env() is None:
        print("GJZ_TELEGRAM_TOKEN 未设置：在终端中运行同一个对话（gjz chat）。设置令牌后即以 Telegram 机器人运行。",
              file=sys.stderr)
        args.start = None
        return cmd_chat(args)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"gjz run: {exc}", file=sys.stderr)
        return 2
    from .dialog.engine import Interview
    from .store import open_store
    from .telegram.app import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines carry the bot token in URLs
    try:
        store = open_store(settings.database_url, settings.data_dir)
    except ValueError as exc:
        print(f"gjz run: {exc}", file=sys.stderr)
        return 2
    run(settings, Interview(_load_or_exit(), faq=_faq_or_none()), store)
    return 0


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


def _faq_or_none():
    """The FAQ search if it is installed and builds; the interview works without it."""
    try:
        from .faq import build_default_index
    except ImportError:
        return None
    return build_default_index()


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
    run = sub.add_parser("run", help="run the Telegram bot (GJZ_TELEGRAM_TOKEN), or gjz chat without a token")
    run.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
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
