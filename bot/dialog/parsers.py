"""Read answers the way people type them on a phone.

Each parser takes the raw text and returns the value, or raises ``ParseError`` with a short
Chinese reason; the engine then re-asks with the question's example. Nothing here knows
about Telegram or the interview.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


class ParseError(ValueError):
    """The text is not an answer of the expected kind (the message is shown to the user)."""


_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}
_CN_NUMBER = "零〇○一幺二两俩三四五六七八九十拾百佰千仟万亿"


def normalise(text: str) -> str:
    """Full-width to half-width, trimmed, thousands separators and spaces inside numbers removed."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)
    text = re.sub(r"(?<=\d)\s+(?=\d)", "", text)
    return text


def chinese_to_number(text: str) -> float:
    """'一万五' -> 15000, '一万五千' -> 15000, '两千三' -> 2300, '十二' -> 12, '三点五万' -> 35000."""
    text = text.replace("點", "点")
    if "点" in text:
        whole, frac = text.split("点", 1)
        big = 1
        if frac and frac[-1] in _BIG:
            big, frac = _BIG[frac[-1]], frac[:-1]
        digits = "".join(str(_DIGITS[c]) for c in frac) if frac else "0"
        return (chinese_to_number(whole) if whole else 0) * big + float("0." + digits) * big
    total, section, digit = 0.0, 0.0, None
    last_unit = 1
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif ch in ("万", "亿"):
            section += digit or 0
            total += section * _BIG[ch]
            section, digit, last_unit = 0.0, None, _BIG[ch]
        else:
            raise ParseError(f"看不懂“{ch}”")
    if digit is not None:
        # '一万五' means 15000 and '两千三' 2300: a trailing digit is one step below the last unit.
        step = last_unit // 10 if last_unit >= 10 else 1
        section += digit * step
    return total + section


def parse_money(text: str) -> float:
    """15000, 1.5万, 15k, 一万五, 15,000元, ¥15000, 1万5, 1.5亿 -> yuan."""
    s = normalise(text).lower()
    s = re.sub(r"^(大概|大约|约|差不多|每月|月薪|税前|一个月)+", "", s)
    s = re.sub(r"(元|块钱|块|rmb|cny|人民币|左右|上下|每月|/月|一个月|税前)+$", "", s)
    s = s.lstrip("¥￥").strip()
    if not s:
        raise ParseError("没有找到金额")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(k|千|w|万|亿)?\s*(\d+)?", s)
    if m:
        number, unit, tail = float(m.group(1)), m.group(2), m.group(3)
        scale = {"k": 1000, "千": 1000, "w": 10_000, "万": 10_000, "亿": 100_000_000, None: 1}[unit]
        value = number * scale
        if tail:
            if unit is None or "." in m.group(1):
                raise ParseError("金额格式不对")
            # '1万5' = 15000, '1万2000' = 12000: a bare tail digit is one step below the unit
            value += int(tail) * (scale // 10) if len(tail) == 1 else int(tail)
        return round(value, 2)
    if re.fullmatch(f"[{_CN_NUMBER}点點]+", s):
        return round(chinese_to_number(s), 2)
    m = re.fullmatch(r"(\d+)([" + _CN_NUMBER + "]+)", s)
    if m:  # '1万五', '12万5千'
        return round(chinese_to_number(_int_to_chinese(int(m.group(1))) + m.group(2)), 2)
    if s.startswith("-") or s.startswith("负"):
        raise ParseError("金额不能是负数")
    raise ParseError("没有看懂这个金额")


def _int_to_chinese(n: int) -> str:
    """12 -> '一十二', 1005 -> '一千零五': only to glue '12万五' back into one Chinese number."""
    digits = "零一二三四五六七八九"
    units = ["", "十", "百", "千"]
    s = str(n)
    if len(s) > 4:
        raise ParseError("金额格式不对")
    out = ""
    for i, c in enumerate(s):
        if c != "0":
            out += digits[int(c)] + units[len(s) - i - 1]
        elif out and not out.endswith("零") and i < len(s) - 1:
            out += "零"
    return out.rstrip("零") or "零"


def parse_number(text: str) -> float:
    """A plain count: '3', '三', '12人', '32岁', '2.5'."""
    s = normalise(text)
    s = re.sub(r"(个|人|名|位|岁|周岁|年)$", "", s).strip()
    if re.fullmatch(r"-?\d+(?:\.\d+)?", s):
        value = float(s)
        if value < 0:
            raise ParseError("不能是负数")
        return value
    if s and re.fullmatch(f"[{_CN_NUMBER}点]+", s):
        return chinese_to_number(s)
    raise ParseError("没有看懂这个数字")


def parse_wan(text: str) -> float:
    """An amount asked in 万元: '500', '约500' and '500万' -> 500; an amount written in
    another unit is converted: '1亿' -> 10000, '5000000元' -> 500, '一千万' -> 1000."""
    s = normalise(text).lower()
    m = re.fullmatch(r"(.+?)\s*万元?", s)
    if m and not re.search("[万亿]", m.group(1)):
        return parse_money(m.group(1))  # counted in 万: '500万', '2千万', '一千万'
    if re.search(r"[万亿千k元块]|rmb|人民币", s):
        return round(parse_money(s) / 10_000, 4)  # in yuan: '1亿', '5000000元', '1万5'
    return parse_money(s)  # a bare amount is in the unit asked


def parse_months(text: str) -> float:
    """18个月, 1年半, 2年, 一年零三个月, 1.5年, 18 -> months."""
    s = normalise(text).replace("个半月", ".5个月")
    s = re.sub(r"^(已经|已|大概|大约|约|满|快)+", "", s)
    s = re.sub(r"(了|左右|多)$", "", s)
    if not s:
        raise ParseError("没有找到时长")
    if s == "半年":
        return 6
    m = re.fullmatch(r"(.+?)(?:年|年整)(半)?(?:零)?(?:(.+?)(?:个月|月))?", s)
    if m:
        total = _count(m.group(1)) * 12 + (6 if m.group(2) else 0)
        if m.group(3):
            total += _count(m.group(3))
        return total
    m = re.fullmatch(r"(.+?)(?:个月|月)", s)
    if m:
        return _count(m.group(1))
    return _count(s)


def _count(s: str) -> float:
    s = s.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    if s and re.fullmatch(f"[{_CN_NUMBER}点]+", s):
        return chinese_to_number(s)
    if s.startswith("-"):
        raise ParseError("不能是负数")
    raise ParseError("没有看懂这个时长")


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """2027年3月1日, 2027-3-1, 2027/03/01, 2027.3.1, 20270301, 3月1日 (next such day)."""
    s = normalise(text).replace(" ", "")
    s = re.sub(r"(日|号)$", "", s)
    m = re.fullmatch(r"(\d{4})[年\-/.](\d{1,2})[月\-/.](\d{1,2})", s) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{4})[年\-/.](\d{1,2})月?", s)
    if m:
        raise ParseError("请写到具体哪一天，例如 2027年3月1日")
    m = re.fullmatch(r"(\d{1,2})[月\-/.](\d{1,2})", s)
    if m and today is not None:
        day = _make_date(today.year, int(m.group(1)), int(m.group(2)))
        return day if day >= today else _make_date(today.year + 1, day.month, day.day)
    raise ParseError("没有看懂这个日期")


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(f"{year}年{month}月{day}日 不是一个存在的日期") from None


_YES = {"是", "是的", "对", "对的", "有", "嗯", "恩", "好", "要", "需要", "y", "yes", "ok", "对啊", "是啊", "有的", "没错",
        "可以", "1", "true", "√", "✅", "属于", "在", "已经", "已", "取得了", "有过"}
_NO = {"否", "不是", "不", "没有", "无", "没", "不对", "n", "no", "不要", "不需要", "没有的", "0", "false", "×", "❌",
       "不属于", "不在", "还没有", "未", "没取得", "无犯罪记录"}


def parse_bool(text: str) -> bool:
    s = normalise(text).lower().rstrip("。.!！~～")
    if s in _YES:
        return True
    if s in _NO:
        return False
    if s.startswith(("没", "不", "无", "未")):
        return False
    if s.startswith(("是", "有", "对")):
        return True
    raise ParseError("请回答“是”或“否”")


def parse_incomes(text: str, years: list[int]) -> dict[int, float]:
    """'60万 58万 62万' or '2023:60万, 2024:58万, 2025:62万' -> {year: yuan} for the given years."""
    s = normalise(text)
    labelled = re.findall(r"(\d{4})\s*年?\s*[:：]?\s*([^,，;；、\s]+)", s)
    if labelled and all(int(y) in years for y, _ in labelled):
        result = {int(y): parse_money(v) for y, v in labelled}
    else:
        parts = [p for p in re.split(r"[,，;；、\s]+", s) if p]
        if len(parts) != len(years):
            raise ParseError(f"请按顺序给出 {len(years)} 个年份的金额，用空格或逗号隔开")
        result = {y: parse_money(p) for y, p in zip(years, parts)}
    if set(result) != set(years):
        raise ParseError("年份不全：需要 " + "、".join(str(y) for y in years))
    return result
