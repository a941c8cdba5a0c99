"""What one message states: the profile facts in it, found once, in one place.

A user may answer the question asked ("3年"), or tell their whole case in one message
("我在亦庄上班，硕士毕业工作3年了，月薪1.8万，入职8个月，租房住，外地户口，30岁"). This module
finds every fact such a message states. Choice facts are found by their options' own words
(dialogs/interview.yaml); figure facts by a cue beside the figure (dialogs/facts.yaml), the
figure then read by the same reader as when its question is asked, so "快两年" is no more a
fact here than it is an answer there. Pure: text in, {field: value} out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..knowledge import Knowledge
from . import parsers
from .choices import match_choice
from .reader import without_permit_names
from .spec import DIALOGS_DIR, InterviewSpec, Option, Question, options_for

# A figure as people type it, with the approximate words kept so the reader can refuse them.
_APPROX = r"(?:快|将近|差不多|大概|大约|约|不到|接近|近)?"
_NUM = r"[0-9.一二两俩三四五六七八九十百千万亿零〇wWkK半]+"
_UNITS = {
    "duration": r"(?:年半|年|个半月|个月|月)(?:零?[0-9一二两三四五六七八九十]+个?月)?",
    "money": r"(?:元|块钱|块)?",
    "count": r"",
    "age": r"(?:周岁|岁)",  # an age only with its word: "孩子3个月" is no age in years
    "date": r"",
}
_TAIL = r"(?:多|左右|出头)?"
# A date as people type one ("2026-12-20", "2027年1月5号", "明年2月底"): the stretch handed to
# the date reader, which decides whether it is one.
_D = r"[0-9一二三四五六七八九十]{1,3}"
_DATE = (
    r"(?:[0-9]{4}|[0-9]{2})\s*[年./-]\s*[0-9]{1,2}\s*(?:[月./-]\s*[0-9]{1,2}\s*[日号]?|月(?:底|初|末|中旬|上旬|下旬)?)?"
    rf"|[0-9]{{4}}年(?:底|初|末)?|(?:今年|明年|后年|下个?月|本月|这个月)(?:{_D}月)?(?:{_D}[日号]|底|初|末|中旬|上旬|下旬)?"
)
_FILLER_WORDS = r"了|已经|已|只有|才|就是|就|有|是|共|一共|大概是|[:：\s]"
_FILLER = rf"(?:{_FILLER_WORDS})*"
# "不是北京户口", "没有房本": a negated option word is not that option.
_NEGATION = re.compile(r"(不是|不|非|没有|没)$")


_CLAUSE_END = r"[，,。；;！!？?、\s]"
# After a list's first yearly figure, the next ones ("年薪分别20万 22万 25万"): one stretch.
_MORE = r"(?:[\s、,，/和]+[0-9.]+(?:万|w|k|元)?(?![0-9.年个月岁]))*"


@dataclass(frozen=True)
class Figure:
    """How one figure field is found: ``pattern`` its cue and figure; ``held`` a figure so named
    that is the field's but not the one asked (a year's pay, pay after tax): never taken."""

    field: str
    pattern: re.Pattern[str]
    not_after: tuple[str, ...]  # words an amount alone may not follow ("注册资本500万")
    held: re.Pattern[str] | None = None
    held_after: tuple[str, ...] = ()  # right after the figure, it is held too ("20万一年")
    not_in_clause: tuple[str, ...] = ()  # earlier in its clause, the figure is another's ("合同2027年到期")
    cue_in_figure: bool = True  # an after-cue is read with the figure ("30岁"), not a date's ("到期")


@dataclass(frozen=True)
class Others:
    """Words naming someone else ("孩子", "老婆"): the applicant's own fields stated after one,
    in the same clause, are that person's, until a word names the applicant again ("我")."""

    words: tuple[str, ...] = ()
    self_words: tuple[str, ...] = ()
    own: frozenset[str] = frozenset()

    def about(self, s: str, field: str, start: int) -> bool:
        """Whether the fact of ``field`` stated at ``start`` is someone else's ("孩子19岁")."""
        if field not in self.own:
            return False
        clause = re.split(_CLAUSE_END, s[:start])[-1]
        last = max((clause.rfind(w) for w in self.words), default=-1)
        return last >= 0 and last >= max((clause.rfind(w) for w in self.self_words), default=-1)


@dataclass(frozen=True)
class FactRules:
    scan: tuple[str, ...]
    ignore: frozenset[str]
    figures: tuple[Figure, ...]
    recap: dict[str, str]  # how a taken fact reads back: "工作 {}"
    others: Others = Others()
    single: frozenset[str] = frozenset()  # fields whose one-character words count ("女")
    only_with: dict[str, dict[str, Any]] = _field(default_factory=dict)  # a field read only beside these answers
    only_options: dict[str, frozenset[str]] = _field(default_factory=dict)  # a field read only as these options


def _either(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=2)
def load_rules(path: str | None = None) -> FactRules:
    data = yaml.safe_load((Path(path) if path else DIALOGS_DIR / "facts.yaml").read_text(encoding="utf-8"))
    figures = []
    for field, rule in data["figures"].items():
        unit = _UNITS[rule["unit"]]
        core = f"(?:{_DATE})" if rule["unit"] == "date" else f"{_APPROX}{_NUM}"
        # words between the cue and the figure that are not the figure ("工资一个月一万八")
        filler = rf"(?:{_FILLER_WORDS}|{_either(rule['between'])})*" if rule.get("between") else _FILLER
        parts = []
        # what may not follow the figure: "孩子19岁" states no number of children
        ahead = rf"(?!(?:{_NUM})?(?:{_either(rule['not_before'])}))" if rule.get("not_before") else ""
        if rule.get("before"):
            parts.append(rf"(?:{_either(rule['before'])}){filler}(?P<v>{core}{unit}{_TAIL}){ahead}")
        after = tuple(rule.get("after", ()))
        if after:
            parts.append(rf"(?P<w>{core})(?P<a>{_either(after)})")
        if rule.get("alone"):
            units = "|".join(map(re.escape, rule["alone"]))
            parts.append(rf"(?<![0-9.])(?P<b>[0-9]+(?:\.[0-9]+)?(?:{units})[0-9]?)(?![0-9年个月岁])")
        held = None
        if rule.get("held_before"):  # its cue, then the field's own cues as filler ("税后月薪1万2")
            between = [*rule.get("between", ()), *rule.get("before", ()), *rule.get("held_filler", ())]
            held = re.compile(
                rf"(?:{_either(rule['held_before'])})(?:{_FILLER_WORDS}|{_either(between)})*{_APPROX}{_NUM}{unit}{_TAIL}{_MORE}"
            )
        figures.append(
            Figure(
                field,
                re.compile("|".join(parts)),
                tuple(rule.get("not_after", ())),
                held,
                tuple(rule.get("held_after", ())),
                tuple(rule.get("not_in_clause", ())),
                rule["unit"] != "date",
            )
        )
    others = data.get("others", {})
    return FactRules(
        tuple(data["scan"]),
        frozenset(data.get("ignore", ())),
        tuple(figures),
        data.get("recap", {}),
        Others(tuple(others.get("words", ())), tuple(others.get("self", ())), frozenset(others.get("own", ()))),
        frozenset(data.get("single", ())),
        data.get("only_with", {}),
        {f: frozenset(values) for f, values in data.get("only_options", {}).items()},
    )


@dataclass
class Understood:
    """What one message to the question asked says, decided once (bot/dialog/stated.py):
    answer (``value``), facts (``facts``: more than the answer asked for, with ``unsure`` the
    fields named with a figure not taken), ask_back (``ask_back``: a follow-up, "2 个月还是
    2 年？"), skip ("不清楚"), question (for the FAQ), or not_taken (``reason``: asked again)."""

    kind: str
    value: Any = None
    facts: dict[str, Any] = _field(default_factory=dict)
    unsure: list[str] = _field(default_factory=list)
    ask_back: Any = None  # reader.AskBack
    reason: str = ""


Reader = Callable[[str, str], Any]  # (field, text) -> value; raises parsers.ParseError when not taken


def find_facts(
    text: str,
    spec: InterviewSpec,
    knowledge: Knowledge,
    answers: dict[str, Any],
    read: Reader,
    rules: FactRules | None = None,
    unsure: list[str] | None = None,
) -> dict[str, Any]:
    """Every profile fact the message states, in the order it states them. ``unsure`` gets the
    fields named with a figure the reader would not take ("入职不到两年")."""
    rules = rules or load_rules()
    s = without_permit_names(parsers.normalise(text).lower())  # "想办工作居住证" names no housing
    found: list[tuple[int, int, str, Any]] = []  # start, end, field, value
    alone: list[tuple[int, int, str, Any]] = []  # amounts with no cue, kept only beside other facts
    spans: list[tuple[int, int]] = []

    def held(field: str, span: tuple[int, int]) -> None:
        """A figure named but not taken: the question asks it in its turn ("稍后确认")."""
        if unsure is not None and field not in unsure:
            unsure.append(field)
        spans.append(span)

    for figure in rules.figures:
        field = figure.field
        if field not in spec.questions:
            continue
        if figure.held is not None:  # "年薪30万", "税后1万2": the income, but not the one asked
            for m in figure.held.finditer(s):
                if not _overlaps(m.span(), spans):
                    if rules.others.about(s, field, m.start()):
                        spans.append(m.span())  # "老婆年薪30万": not the applicant's, nothing to ask
                    else:
                        held(field, m.span())
        for m in figure.pattern.finditer(s):
            if _overlaps(m.span(), spans):
                continue
            clause = re.split(_CLAUSE_END, s[: m.start()])[-1]
            if rules.others.about(s, field, m.start()) or any(w in clause for w in figure.not_in_clause):
                spans.append(m.span())  # "孩子19岁", "老婆月薪2万", "劳动合同2027年1月到期"
                continue
            if any(w in s[m.start() : m.end() + len(w)] for w in figure.held_after):  # "20万一年", "15万/年"
                held(field, m.span())
                continue
            groups = m.groupdict()
            if groups.get("b") is not None:  # an amount alone: not after 注册资本, 房租 …
                if any(s[: m.start()].rstrip().endswith(w) for w in figure.not_after):
                    continue
                text_of_figure = groups["b"]
            else:
                text_of_figure = (
                    groups["v"]
                    if groups.get("v") is not None
                    else groups["w"] + (groups["a"] if figure.cue_in_figure else "")
                )
            try:
                value = read(field, text_of_figure)
            except parsers.ParseError:
                # "快两年": not a fact; the question comes in its turn and asks back
                held(field, m.span())
                continue
            # an amount alone is a fact only in a sentence that states others ("15k" typed to
            # 注册资本 is that answer, not a monthly income)
            (alone if groups.get("b") is not None else found).append((m.start(), m.end(), field, value))
            spans.append(m.span())
            break

    words: list[tuple[int, int, str, Any]] = []
    options_of: dict[str, list[Option]] = {}
    for field in rules.scan:
        question = spec.questions.get(field)
        if question is None:
            continue
        options = options_of[field] = _scanned(field, question, knowledge, answers, rules)
        shortest = 1 if field in rules.single else 2
        strong = _named(s, [(o.value, [o.label, *o.words]) for o in options], rules.ignore, field, shortest)
        # generic words ("申请") only where no option's own word is there (Option.weak)
        words += strong or _named(s, [(o.value, o.weak) for o in options], rules.ignore, field, shortest)
    # a word inside a word naming someone else is that word's: the 女 of 女儿, of 子女
    words += [(m.start(), m.end(), "", None) for w in rules.others.words for m in re.finditer(re.escape(w), s)]
    # A word inside a longer one is the longer one's ("非京籍" is not "京籍"); a word inside a
    # figure's stretch belongs to the figure.
    kept = [
        w
        for w in words
        if not any(o is not w and o[0] <= w[0] and w[1] <= o[1] and o[1] - o[0] > w[1] - w[0] for o in words)
        and not _overlaps((w[0], w[1]), spans)
        and not rules.others.about(s, w[2], w[0])  # "老婆北京户口"
        and w[2]
    ]
    by_field: dict[str, set[object]] = {}
    first: dict[str, int] = {}
    for start, _end, field, value in kept:
        by_field.setdefault(field, set()).add(_hashable(value))
        first[field] = min(first.get(field, start), start)
    for field, values in by_field.items():
        if len(values) == 1:
            value = next(v for _s, _e, f, v in kept if f == field)
        else:  # two options named: the more specific one ("自己的房 还没房本"), as when it is asked
            chosen = match_choice(text, options_of[field])
            if chosen is None:
                continue  # "朝阳区和东城区": not a fact, the question will ask
            value = chosen.value
        found.append((first[field], first[field], field, value))

    if found:
        found += alone
    stated = {**answers, **{f: v for _s, _e, f, v in found}}
    found = [  # "户口在外地" to a new applicant names no information to change
        f for f in found if all(stated.get(k) == v for k, v in rules.only_with.get(f[2], {}).items())
    ]
    found = [  # "东城 获奖": the category of the district the message names, where it has one
        f
        for f in found
        if f[2] not in rules.only_options
        or f[3] in {o.value for o in _scanned(f[2], spec.questions[f[2]], knowledge, stated, rules)}
    ]
    found.sort(key=lambda f: f[0])
    return {field: value for _start, _end, field, value in found}


def _scanned(
    field: str, question: Question, knowledge: Knowledge, answers: dict[str, Any], rules: FactRules
) -> list[Option]:
    """The options of ``field`` a message may name: only the listed ones where a field is read
    so (a category: "获奖" names the award route, "硕士" the degree and never the degree route)."""
    options = options_for(question, knowledge, answers)
    only = rules.only_options.get(field)
    return options if only is None else [o for o in options if o.value in only]


def _named(
    s: str, words_by_value: list[tuple[Any, list[str]]], ignore: frozenset[str], field: str, shortest: int = 2
) -> list[tuple[int, int, str, Any]]:
    """Where each option's words stand in the message, but not after a negation ("不是租房");
    words shorter than ``shortest`` are too common to be looked for."""
    found = []
    for value, words in words_by_value:
        for word in {w.lower() for w in words}:
            if len(word) < shortest or word in ignore:
                continue
            at = s.find(word)
            while at >= 0:
                if not _NEGATION.search(s[max(0, at - 2) : at]):
                    found.append((at, at + len(word), field, value))
                at = s.find(word, at + 1)
    return found


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
