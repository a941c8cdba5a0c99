"""The typed-answer corpus figure: how many phrasings of tests/dialog/typed_answers.yaml the
reader gets right, on the tune part and on the held-out part (never tuned on), beside the
reader as it was before issue 11 (bot/dialog/parsers.py at commit 977701e, loaded from git and
driven the way the engine then drove it), measured in the same run.

    .venv/bin/python benchmarks/typed_answers.py [--misses]

"right" = the expected value, or ASK when a follow-up is expected, or ERROR when the answer
must be refused. "wrong value taken" counts the worst outcome: a value the bot would have
stored that is not the one meant (the old reader cannot ask back, so where a follow-up is
expected its refusal counts as not right but is not a wrong value).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.dialog import parsers  # noqa: E402
from bot.dialog.reader import AskBack, ReadContext, Taken, read_answer  # noqa: E402
from bot.dialog.spec import income_years, load_spec, options_for  # noqa: E402
from bot.knowledge import get_knowledge  # noqa: E402

BASELINE = "977701e"


def load_baseline() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{BASELINE}:bot/dialog/parsers.py"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType("parsers_977701e")
    exec(compile(source, f"{BASELINE}:bot/dialog/parsers.py", "exec"), module.__dict__)
    return module


def match_option(text: str, options: list) -> object | None:
    """977701e's bot/dialog/spec.py match_option, as it was (the reader replaced it). Its option
    words were one list: today's weak words (Option.weak) were among them."""
    options = [o.model_copy(update={"words": [*o.words, *o.weak]}) for o in options]
    s = parsers.normalise(text).lower().strip("。.!！ ")
    if not s:
        return None
    for opt in options:
        if s in (opt.label.lower(), str(opt.value).lower()) or s in (w.lower() for w in opt.words):
            return opt
    if s.isdigit() and 1 <= int(s) <= len(options) and not any(str(o.value) == s for o in options):
        return options[int(s) - 1]
    # A longer sentence that contains exactly one option's word ("我在亦庄上班").
    hits = {id(o): o for o in options for w in [o.label, *o.words] if len(w) >= 2 and w.lower() in s}
    if len(hits) == 1:
        return next(iter(hits.values()))
    return None


def baseline_read(old, question, text: str, knowledge, answers: dict, today):
    """Engine._parse of 977701e, with the old parsers (choices by the spec's match_option)."""
    try:
        kind = question.kind
        if kind in ("choice", "yesno"):
            if kind == "yesno":
                try:
                    return question.yes_value if old.parse_bool(text) else question.no_value
                except old.ParseError:
                    pass
            option = match_option(text, options_for(question, knowledge, answers))
            return "ERROR" if option is None else option.value
        if kind == "money":
            value = old.parse_money(text)
        elif kind == "number":
            value = old.parse_wan(text) if question.unit == "万元" else old.parse_number(text)
        elif kind == "months":
            value = old.parse_months(text)
            if question.as_years:
                value = round(value / 12, 2)
        elif kind == "date":
            return old.parse_date(text, today).isoformat()
        else:
            years = income_years(today)
            return {str(y): v for y, v in old.parse_incomes(text, years).items()}
        if question.min is not None and value < question.min or question.max is not None and value > question.max:
            return "ERROR"
        return int(value) if kind == "number" and float(value).is_integer() else value
    except old.ParseError:
        return "ERROR"


def new_read(question, text: str, knowledge, answers: dict, today):
    reading = read_answer(question, text, ReadContext(knowledge, answers, today))
    if isinstance(reading, Taken):
        return reading.value
    return "ASK" if isinstance(reading, AskBack) else "ERROR"


def same(got, expected) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return got is expected
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return abs(got - expected) < 1e-6
    if isinstance(expected, dict) and isinstance(got, dict):
        return got.keys() == expected.keys() and all(same(got[k], expected[k]) for k in got)
    return got == expected


def score(rows, read, knowledge, today, misses: list | None = None) -> tuple[int, int, int]:
    spec = load_spec()
    right = wrong_value = 0
    for row in rows:
        question, text, expected = row[:3]
        answers = dict(row[3]) if len(row) > 3 else {}
        got = read(spec.questions[question], str(text), knowledge, answers, today)
        if same(got, expected):
            right += 1
            continue
        if got not in ("ASK", "ERROR"):
            wrong_value += 1
        if misses is not None:
            misses.append((question, text, expected, got))
    return right, len(rows), wrong_value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the phrasings each reader gets wrong")
    args = parser.parse_args()
    corpus = yaml.safe_load((REPO / "tests/dialog/typed_answers.yaml").read_text(encoding="utf-8"))
    knowledge, today, old = get_knowledge(), corpus["today"], load_baseline()
    readers = {f"before ({BASELINE})": lambda *a: baseline_read(old, *a), "now": new_read}
    print(f"{'reader':<18} {'part':<9} {'right':>12} {'accuracy':>9} {'wrong value taken':>18}")
    for name, read in readers.items():
        for part in ("tune", "held_out"):
            misses: list = []
            right, total, wrong = score(corpus[part], read, knowledge, today, misses)
            print(f"{name:<18} {part:<9} {right:>5} / {total:<4} {right / total:>8.1%} {wrong:>18}")
            if args.misses:
                for q, text, expected, got in misses:
                    print(f"    {q}: {text!r} expected {expected!r}, got {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
