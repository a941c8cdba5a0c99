"""The ``gjz`` command: one subcommand per job, each a thin shell over the pure core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .knowledge import KnowledgeError, load_knowledge


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the whole knowledge folder; print each defect or the summary."""
    try:
        knowledge = load_knowledge(Path(args.knowledge) if args.knowledge else None)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"knowledge has {len(exc.problems)} error(s)", file=sys.stderr)
        return 1
    print(knowledge.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gjz", description="北京市工作居住证助手 gjz-bot")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("check", help="validate knowledge/ (GJZ_KNOWLEDGE_DIR)")
    check.add_argument("--knowledge", help="knowledge folder (default: GJZ_KNOWLEDGE_DIR or the repo's knowledge/)")
    check.set_defaults(func=cmd_check)
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
