"""``gjz read QUESTION TEXT``: how the bot reads one typed answer to one interview question.

For maintainers checking a phrasing, and the contract the checks use: exit 0 with
{"question", "value"} when taken; exit 3 with {"error", "ask"} (and "options" for buttons)
when not taken, i.e. the question is asked again or a follow-up is asked; exit 2 for an
unknown question. It runs the very reader the engine runs (bot/dialog/reader.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys


def cmd_read(args: argparse.Namespace) -> int:
    from ..knowledge import KnowledgeError, get_knowledge
    from .messages import render_inline
    from .reader import AskBack, ReadContext, Taken, read_answer
    from .spec import load_spec, question_context

    spec = load_spec()
    question = spec.questions.get(args.question)
    if question is None:
        print(f"gjz read: no question {args.question!r}; questions: {', '.join(spec.questions)}", file=sys.stderr)
        return 2
    try:
        knowledge = get_knowledge()
    except KnowledgeError as exc:
        print(f"gjz read: knowledge is broken; run `gjz check`. First: {exc.problems[0]}", file=sys.stderr)
        return 1
    if args.district and args.district not in knowledge.districts:
        print(f"gjz read: no district {args.district!r}; districts: {', '.join(knowledge.districts)}", file=sys.stderr)
        return 2
    answers = {"district": args.district} if args.district else {}
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    reading = read_answer(question, args.text, ReadContext(knowledge, answers, today))
    if isinstance(reading, Taken):
        out = {"question": args.question, "value": reading.value}
        human = f"{args.question}: {args.text!r} -> {json.dumps(reading.value, ensure_ascii=False)}"
        code = 0
    elif isinstance(reading, AskBack):
        out = {
            "question": args.question,
            "error": "follow-up",
            "ask": reading.prompt,
            "options": [o.label for o in reading.options],
        }
        buttons = f" [{' | '.join(out['options'])}]" if reading.options else ""
        human = f"{args.question}: {args.text!r} -> asked back: {reading.prompt}{buttons}"
        code = 3
    else:
        # the question as the bot asks it: its placeholders filled for the district given
        context = question_context(question, knowledge, answers, today)
        asked = render_inline(question.text, **context) if "{" in question.text else question.text
        out = {"question": args.question, "error": reading.reason, "ask": asked}
        human = f"{args.question}: {args.text!r} -> not taken ({reading.reason}); asked again: {asked}"
        code = 3
    print(json.dumps(out, ensure_ascii=False) if args.json else human)
    return code


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    read = subparsers.add_parser("read", help="how the bot reads one typed answer to one question of the interview")
    read.add_argument("question", help="a question id of dialogs/interview.yaml, e.g. employer_capital, work_years")
    read.add_argument("text", help="the answer as typed, e.g. 50w, 快两年, 无固定期限")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument("--district", help="for choices whose options depend on the district (category, housing)")
    read.add_argument("--today", help="YYYY-MM-DD: the day dates like 3月1日 are read on (default: today)")
    read.set_defaults(func=cmd_read)
    return read
