"""One reader of typed answers: ``read_answer(question, text, context)``.

Every typed amount, duration, count, date and choice of the interview goes through here, for
the engine and for ``gjz read`` alike. The outcome is one of

- ``Taken(value)``: the value the profile stores (months, years for ``work_years``, 元, 万元,
  an option's value, an ISO date);
- ``AskBack(prompt, options)``: a follow-up, because the text does not decide the value: a bare
  '2' where months and years both make sense, or an approximate figure ('快两年') that might
  not meet a threshold. Options are buttons; a typed "年"/"个月" matches their words;
- ``NotTaken(reason)``: not an answer; the question is asked again.

Words live in dialogs/reading.yaml and on the questions in interview.yaml; the numbers are
read by bot/dialog/numerals.py and bot/dialog/parsers.py. Pure: no Telegram, no state.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import dates, parsers
from .choices import match_choice
from .numerals import DIGITS, PUNCTUATION, ParseError, normalise
from .spec import DIALOGS_DIR, Question, income_years, options_for

MAX_LENGTH = 200


@dataclass(frozen=True)
class Taken:
    value: Any


@dataclass(frozen=True)
class Choice:
    label: str
    value: Any
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class AskBack:
    prompt: str
    options: tuple[Choice, ...] = ()

    def to_state(self, field_name: str) -> dict[str, Any]:
        """The pending follow-up as the engine keeps it (JSON-able)."""
        return {
            "field": field_name,
            "prompt": self.prompt,
            "options": [{"label": o.label, "value": o.value, "words": list(o.words)} for o in self.options],
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> AskBack:
        return cls(data["prompt"], tuple(Choice(o["label"], o["value"], tuple(o["words"])) for o in data["options"]))


@dataclass(frozen=True)
class NotTaken:
    reason: str


Reading = Taken | AskBack | NotTaken


@dataclass
class ReadContext:
    knowledge: Any  # bot.knowledge.Knowledge: the options of district-dependent choices
    answers: dict[str, Any] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def application_date(self) -> dt.date:
        value = self.answers.get("application_date")
        return dt.date.fromisoformat(value) if value else self.today


@dataclass(frozen=True)
class Words:
    """dialogs/reading.yaml."""

    approximate: dict[str, list[str]]
    filler: list[str]
    money_filler: list[str]
    count_filler: list[str]
    zero: list[str]
    unit_words: dict[str, list[str]]
    yes: list[str]
    no: list[str]
    yes_starts: list[str]
    no_starts: list[str]
    prompts: dict[str, str]
    permit_names: list[str]
    money_bare_below: float
    dates: dict[str, Any]


@lru_cache(maxsize=2)
def load_words(path: str | None = None) -> Words:
    data = yaml.safe_load(Path(path or DIALOGS_DIR / "reading.yaml").read_text(encoding="utf-8"))
    return Words(**{k: data[k] for k in Words.__dataclass_fields__})


# ---------------------------------------------------------------------------- entry points


def read_answer(question: Question, text: str, context: ReadContext, words: Words | None = None) -> Reading:
    words = words or load_words()
    if len(text or "") > MAX_LENGTH:
        return NotTaken(words.prompts["too_long"])
    try:
        if question.kind == "choice":
            return _choice(question, text, context, words)
        if question.kind in ("yesno", "declare"):
            return _yesno(question, text, context, words)
        if question.kind == "date":
            return _date(question, text, context, words)
        if question.kind == "incomes":
            return _incomes(question, text, context, words)
        if question.kind == "months" and question.dated:
            months = _months_to_a_month(question.dated, text, context.today)
            if months is not None and months < 0:
                return NotTaken(words.prompts["future"].format(text=text.strip(), example=question.example))
            if months is not None:
                return _in_range(question, _stored(question, months), words)
        return _figure(question, text, words)
    except ParseError as exc:
        return NotTaken(str(exc))


def read_follow_up(pending: AskBack, text: str) -> Taken | None:
    """A typed reply to an ask-back that names one of its options ('年', '个月', '2 年'); None
    when it does not (the engine then reads it as a fresh answer to the question)."""
    s = normalise(text).strip("。.!！ ")
    for option in pending.options:
        if s == normalise(option.label) or s in (normalise(w) for w in option.words):
            return Taken(option.value)
    return None


# ---------------------------------------------------------------------------- dates


def _date(question: Question, text: str, context: ReadContext, words: Words) -> Reading:
    """An ISO date; a phrase naming no one day ('3月初', '年底') is asked back with its literal
    reading as a button, because a wrong expiry gives a wrong renewal deadline."""
    day = dates.read_date(text, context.today, words.dates, [*words.filler, *words.permit_names])
    if not isinstance(day, dates.Vague):
        return Taken(day.isoformat())
    d = day.day
    figure = f"{d.year}年{d.month}月{d.day}日"
    typed = (f"{d.day}号", f"{d.day}日", f"{d.month}月{d.day}号", f"{d.month}月{d.day}日", figure)
    return AskBack(
        words.prompts["date_vague"].format(text=text.strip(), example=question.example, figure=figure),
        (Choice(words.prompts["confirm"].format(figure=figure), d.isoformat(), typed),),
    )


# ---------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class _Cleaned:
    core: str  # the figure with its unit, filler and approximate words removed
    approx: str | None  # None, or the most cautious kind found: vague, below, around, at_least


_CAUTION = ("vague", "below", "around", "at_least")  # most cautious first
_RANGE = re.compile(r"([一二两三四五六七八九])([二三四五六七八九])(?=[十百千万年个月岁人多]|$)")


def _clean(text: str, extra: list[str], words: Words) -> _Cleaned:
    s = normalise(text).strip(PUNCTUATION)
    found: set[str] = set()
    kinds = {w: kind for kind, ws in words.approximate.items() for w in ws}
    removable = {**{w: None for w in [*words.filler, *extra]}, **kinds}
    pattern = "|".join(re.escape(w) for w in sorted(removable, key=len, reverse=True))

    def drop(m: re.Match[str]) -> str:
        kind = removable[m.group(0)]
        if kind:
            found.add(kind)
        return ""

    s = re.sub(pattern, drop, s).strip(PUNCTUATION)
    # '两三年', '三四个月': a range; its lower end is a safe reading.
    m = _RANGE.search(s)
    if m and (DIGITS[m.group(2)] - DIGITS[m.group(1)] in (1, 2)):
        s = s[: m.start()] + m.group(1) + s[m.end() :]
        found.add("at_least")
    approx = next((k for k in _CAUTION if k in found), None)
    return _Cleaned(s, approx)


def _figure(question: Question, text: str, words: Words) -> Reading:
    """money, number (a count or 万元) and months."""
    raw = normalise(text).strip(PUNCTUATION)
    if (
        question.kind == "months"
        and question.open_ended
        and any(normalise(w) in raw for w in question.open_ended.words)
    ):
        return _in_range(question, question.open_ended.value, words)
    if question.kind == "number" and question.unit is None and raw in words.zero:
        return _in_range(question, 0, words)
    extra = (
        words.money_filler
        if question.kind == "money" or question.unit == "万元"
        else words.count_filler
        if question.kind == "number"
        else []
    )
    cleaned = _clean(text, extra, words)
    if not cleaned.core:
        raise ParseError("没有找到数字")
    if cleaned.approx == "vague" or "几" in cleaned.core:
        return AskBack(words.prompts["vague"].format(text=text.strip(), example=question.example))
    bare = False
    if question.kind == "money":
        value = parsers.parse_money(cleaned.core)
    elif question.kind == "number":
        value = parsers.parse_wan(cleaned.core) if question.unit == "万元" else parsers.parse_number(cleaned.core)
    else:
        value, bare = parsers.parse_duration(cleaned.core)
    if question.kind == "money" and parsers.looks_bare(cleaned.core) and 0 < value < words.money_bare_below:
        # "1.5" for a monthly income is 1.5万 far more often than 1.5 元: asked, never refused on it
        wan = _tidy(round(value * 10_000, 2))
        return AskBack(
            words.prompts["wan"].format(text=text.strip(), wan=_number(value)),
            (Choice(f"{_number(value)} 万元（{wan:,} 元）", wan),),
        )
    if bare and question.bare == "年":
        value, bare = value * 12, False
    elif bare and question.bare == "月":
        bare = False
    if cleaned.approx in ("below", "around"):
        figure = _label(question, value) if not bare else _number(value)
        if cleaned.approx == "below" or bare:
            return AskBack(words.prompts["below"].format(text=text.strip(), figure=figure, example=question.example))
        stored = _stored(question, value)
        if not _fits(question, stored):
            return _in_range(question, stored, words)
        return AskBack(
            words.prompts["around"].format(text=text.strip(), figure=figure),
            (Choice(words.prompts["confirm"].format(figure=figure), stored),),
        )
    if bare:  # 'ask': months or years, unless only one of them is a plausible answer
        choices = [
            Choice(f"{_number(value)} 个月", _stored(question, value), tuple(words.unit_words["months"])),
            Choice(f"{_number(value)} 年", _stored(question, value * 12), tuple(words.unit_words["years"])),
        ]
        plausible = [c for c in choices if _fits(question, c.value)]
        if len(plausible) == 1:
            return Taken(plausible[0].value)
        if not plausible:
            return _in_range(question, choices[0].value, words)
        return AskBack(words.prompts["unit"].format(n=_number(value)), tuple(plausible))
    return _in_range(question, _stored(question, value), words)


_A_MONTH = re.compile(
    r"(\d{2}|\d{4})\s*[年./-]\s*(\d{1,2})\s*月?份?(?:入职|毕业|开始|起|成立|注册|到期|结束|截止|为止|止)?(?:的)?"
)


def _months_to_a_month(direction: str, text: str, today: dt.date) -> int | None:
    """'2023年9月' → whole months since (or until) that month, counted so as never to pass a
    minimum not met: the month's last day for a start, its first day for an end."""
    m = _A_MONTH.fullmatch(normalise(text).strip(PUNCTUATION))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    year += 2000 if year < 100 else 0
    if not (1 <= month <= 12 and 1950 <= year <= 2200):
        return None
    apart = (today.year - year) * 12 + today.month - month
    if direction == "since":
        return max(0, apart - 1) if apart >= 0 else -1  # from the month's last day: one fewer; -1: not yet
    return max(0, -apart - (1 if today.day > 1 else 0))  # to the month's first day; one gone by: none left


def _stored(question: Question, value: float) -> float:
    """The figure as the profile stores it: whole months (a part month is not counted, which
    never passes a minimum it does not meet), years for ``as_years``, ints for whole counts."""
    if question.kind == "months":
        if question.as_years:
            return _tidy(round(value / 12, 2))
        return int(math.floor(value + 1e-9))
    return _tidy(round(value, 4))


def _tidy(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def _fits(question: Question, stored: float) -> bool:
    # min/max of a months question are months, also when the answer is kept in years
    value = stored * 12 if question.as_years else stored
    return (question.min is None or value >= question.min) and (question.max is None or value <= question.max)


def _in_range(question: Question, stored: float, words: Words) -> Reading:
    value = stored * 12 if question.as_years else stored
    if question.min is not None and value < question.min:
        return NotTaken(words.prompts["too_small"].format(figure=_label(question, stored, stored=True)))
    if question.max is not None and value > question.max:
        return NotTaken(words.prompts["too_large"].format(figure=_label(question, stored, stored=True)))
    return Taken(_tidy(stored) if isinstance(stored, float) else stored)


def _number(value: float) -> str:
    return f"{value:g}"


def _label(question: Question, value: float, stored: bool = False) -> str:
    """A figure as shown back: '2 年', '18 个月', '15000 元', '50 万元'."""
    if question.kind == "months":
        months = value * 12 if (stored and question.as_years) else value
        if months % 12 == 0 and months:
            return f"{_number(months / 12)} 年"
        return f"{_number(months)} 个月"
    if question.kind == "money":
        return f"{_number(value)} 元"
    if question.unit == "万元":
        return f"{_number(value)} 万元"
    return _number(value)


# ---------------------------------------------------------------------------- incomes


def _incomes(question: Question, text: str, context: ReadContext, words: Words) -> Reading:
    def one(part: str) -> float:
        cleaned = _clean(part, words.money_filler, words)
        if cleaned.approx in ("vague", "below", "around"):
            raise ParseError(f"“{part}”是个大约的数字，请输入每年准确的金额")
        return parsers.parse_money(cleaned.core)

    years = income_years(context.application_date)
    incomes = parsers.parse_incomes(text, years, read=one)
    return Taken({str(y): _tidy(v) for y, v in incomes.items()})


# ---------------------------------------------------------------------------- choices


def _yesno(question: Question, text: str, context: ReadContext, words: Words) -> Reading:
    s = normalise(text).strip(PUNCTUATION)
    labels = {normalise(question.yes_label): True, normalise(question.no_label): False}
    answer = labels[s] if s in labels else _bool(question, s, words)
    if answer is None:
        option = match_choice(text, options_for(question, context.knowledge, context.answers))
        if option is None:
            return NotTaken(words.prompts["yesno"])
        return Taken(option.value)
    return Taken(question.yes_value if answer else question.no_value)


def _bool(question: Question, s: str, words: Words) -> bool | None:
    if s in words.yes:
        return True
    if s in words.no:
        return False
    own = [(w, True) for w in question.yes_words] + [(w, False) for w in question.no_words]
    for word, meaning in sorted(own, key=lambda item: -len(item[0])):
        at = s.find(normalise(word))
        if at >= 0:  # '国内读的' -> no; '不是国外' -> no; '没有中断' (a word of its own) -> yes
            negated = s[:at].startswith(tuple(words.no_starts))
            return (not meaning) if negated else meaning
    if s.startswith(tuple(words.no_starts)):
        return False
    if s.startswith(tuple(words.yes_starts)):
        return True
    return None


def without_permit_names(text: str, words: Words | None = None) -> str:
    """The text with the permit's own name blanked out (same length, so positions hold)."""
    for name in (words or load_words()).permit_names:
        text = text.replace(name, " " * len(name))
    return text


def _choice(question: Question, text: str, context: ReadContext, words: Words) -> Reading:
    option = match_choice(
        without_permit_names(normalise(text), words), options_for(question, context.knowledge, context.answers)
    )
    if option is None:
        return NotTaken(words.prompts["choice"])
    return Taken(option.value)
