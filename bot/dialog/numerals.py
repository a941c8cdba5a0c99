"""Numbers as people type them: Arabic, Chinese, and the mixed forms phones produce.

``read_number`` is the one place a written number becomes a value: '一万零五' = 10005,
'二千二百零九' = 2209, '2万5千' = 25000, '1万零500' = 10500, '1w5' = 15000, '15k' = 15000,
'1.5万' = 15000, '三点五万' = 35000. The colloquial rule '一万五' = 15000 and '两千三' = 2300
(a last single digit is one step below the unit before it) applies only when no 零 stands
between: '一万零五' is 10005. cn2an (0.5) writes and reads the strict forms and is the test
oracle for them (tests/dialog/test_numerals.py); it is not the reader because none of its
modes reads '1w5', '15k' or '1万零500', and its strict mode refuses '一万五' and '两千三'.
"""

from __future__ import annotations

import re
import unicodedata

from ..faq.normalise import to_simplified


class ParseError(ValueError):
    """The text is not an answer of the expected kind (the message is shown to the user)."""


DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "幺": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
ZEROS = "零〇○"
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "k": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "w": 10_000, "亿": 100_000_000}
NUMBER_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "0123456789.点點"

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[{}]|[{}]|[{}]|.".format("".join(DIGITS), "".join(SMALL_UNITS), "".join(BIG_UNITS)))


# What an answer may end or start with that is no part of it ("3年。", "好的！"): stripped by
# the reader, the choices and the dates alike.
PUNCTUATION = "。.!！~～,，;；?？ "


def normalise(text: str, join_digits: bool = True) -> str:
    """Full-width to half-width, trimmed, lower case; thousands separators removed ('15,000')
    and, unless ``join_digits`` is off (a list of amounts), spaces inside numbers ('1 5000')."""
    # 經開區, 新辦, 碩士 read as 经开区, 新办, 硕士: the FAQ's own OpenCC step, so both read alike
    text = to_simplified(unicodedata.normalize("NFKC", text or "")).strip().lower()
    text = re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)
    if join_digits:
        text = re.sub(r"(?<=\d)\s+(?=\d)", "", text)
    return text


def looks_numeric(text: str) -> bool:
    return bool(text) and all(c in NUMBER_CHARS for c in text)


def read_number(text: str) -> float:
    """A written number, Arabic, Chinese or mixed, in its own units (no 元/年 suffix)."""
    s = text.replace("點", "点")
    if not s:
        raise ParseError("没有找到数字")
    if "点" in s:  # '三点五万', '1点5万': a Chinese decimal point
        whole, frac = s.split("点", 1)
        scale = 1
        while frac and (frac[-1] in BIG_UNITS or frac[-1] in SMALL_UNITS):
            scale *= BIG_UNITS.get(frac[-1]) or SMALL_UNITS[frac[-1]]
            frac = frac[:-1]
        if not frac or not all(c in DIGITS or c.isdigit() for c in frac):
            raise ParseError("没有看懂这个数字")
        decimals = "".join(c if c.isdigit() else str(DIGITS[c]) for c in frac)
        return (read_number(whole) if whole else 0) * scale + float("0." + decimals) * scale
    tokens = _TOKEN.findall(s)
    total = 0.0  # everything before the last 万/亿, already scaled
    section = 0.0  # the part since the last 万/亿, below 10000
    number: float | None = None  # a digit (or Arabic number) waiting for its unit
    single = False  # that number is one digit, so the colloquial step-down may apply
    zero = False  # a 零 stood before it: '一万零五' = 10005, not 15000
    last_unit = 1
    for tok in tokens:
        if tok in ZEROS:
            if number is not None:  # '一零' is not a number
                raise ParseError("没有看懂这个数字")
            zero = True
        elif tok in DIGITS or tok[0].isdigit():
            if number is not None:  # '两三' is a range, not a number
                raise ParseError("没有看懂这个数字")
            number = float(DIGITS[tok]) if tok in DIGITS else float(tok)
            single = tok in DIGITS or (tok.isdigit() and len(tok) == 1)
        elif tok in SMALL_UNITS:
            unit = SMALL_UNITS[tok]
            if number is None and unit != 10:
                raise ParseError("没有看懂这个数字")  # '百' alone; but '十二' and '一万零十' are 1 × 十
            section += (1 if number is None else number) * unit
            number, zero, last_unit = None, False, unit
        elif tok in BIG_UNITS:
            scale = BIG_UNITS[tok]
            section += number or 0
            if section == 0 and total == 0:
                raise ParseError("没有看懂这个数字")  # '万' alone
            if scale == 100_000_000:
                total = (total + section) * scale
            else:
                total += section * scale
            section, number, zero, last_unit = 0.0, None, False, scale
        else:
            raise ParseError(f"看不懂“{tok}”")
    if number is not None:
        if single and not zero and last_unit >= 10:
            number *= last_unit // 10  # '一万五' = 15000, '两千三' = 2300, '1w5' = 15000
        elif last_unit > 1 and number >= last_unit:
            raise ParseError("没有看懂这个数字")  # '1万20000'
        section += number
    return total + section
