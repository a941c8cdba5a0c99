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
