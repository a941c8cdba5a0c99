"""Text normalisation shared by the index and the queries.

Both sides go through the same steps, so whatever a user types and whatever the knowledge
says meet in one form: traditional characters → simplified (OpenCC's t2s tables, via the
pure-Python ``opencc-python-reimplemented``), full-width → half-width (NFKC), lower case,
punctuation → space. Noise words (的, 了, 吗, 呢, …) are dropped later, per token, by the
tokenizer: removing them character by character would break words such as 了解 or 的确.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

# Punctuation and symbols become spaces; a dot or comma between digits (1.2倍, 1,000) stays,
# and so do % + -.
_PUNCT = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|[^\w\s.,%+\-]")
_SPACES = re.compile(r"\s+")


# The converter is Any: opencc ships no types.
@lru_cache(maxsize=1)
def _t2s() -> tuple[Any, frozenset[str]]:
    import opencc  # opencc-python-reimplemented: pure Python, tables ship in the wheel

    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    traditional: set[str] = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and key not in values.split():
            traditional.add(key)
    return opencc.OpenCC("t2s"), frozenset(traditional)


def to_simplified(text: str) -> str:
    """Traditional → simplified characters. Text without a traditional-only character
    (all of the knowledge, most questions) is returned as it is, without the converter's
    phrase matching, which is slow."""
    converter, traditional = _t2s()
    if traditional.isdisjoint(text):
        return text
    simplified: str = converter.convert(text)
    return simplified


def halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation → their ASCII forms (ＨＲ → HR, ？ → ?)."""
    return unicodedata.normalize("NFKC", text)


def normalise(text: str) -> str:
    """The canonical form of a question or a knowledge text: simplified, half-width, lower
    case, punctuation replaced by single spaces, trimmed."""
    text = to_simplified(halfwidth(text)).lower()
    text = _PUNCT.sub(" ", text.replace("_", " "))
    return _SPACES.sub(" ", text).strip()


# Words that carry no meaning for retrieval: particles, pronouns, greetings, fillers. They
# are removed as whole tokens after segmentation.
NOISE_WORDS = frozenset(
    [
        "#",
        "noqa:",
        "SIM905",
        "-",
        "a",
        "word",
        "list",
        "reads",
        "better",
        "as",
        "words",
        "than",
        "as",
        "a",
        "list",
        "of",
        "quoted",
        "strings",
        "的",
        "地",
        "得",
        "了",
        "吗",
        "嘛",
        "么",
        "呢",
        "吧",
        "啊",
        "呀",
        "哇",
        "哦",
        "噢",
        "喔",
        "哈",
        "呗",
        "啦",
        "咯",
        "嘞",
        "滴",
        "哎",
        "唉",
        "嗯",
        "额",
        "呃",
        "我",
        "你",
        "您",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "咱",
        "咱们",
        "俺",
        "本人",
        "大家",
        "请问",
        "你好",
        "您好",
        "谢谢",
        "多谢",
        "麻烦",
        "一下",
        "下",
        "想",
        "问",
        "问问",
        "想问",
        "请教",
        "咨询下",
        "打听",
        "那个",
        "这个",
        "那边",
        "这边",
        "这里",
        "那里",
        "就",
        "还",
        "也",
        "都",
        "又",
        "再",
        "才",
        "呗",
        "是不是",
        "是否",
        "到底",
        "究竟",
        "具体",
        "一般",
        "现在",
        "目前",
        "已经",
        "刚刚",
        "有点",
        "比较",
        "一些",
        "一点",
        "和",
        "跟",
        "与",
        "及",
        "或",
        "或者",
        "还是",
        "然后",
        "如果",
        "要是",
        "但是",
        "可是",
        "所以",
        "因为",
        "而且",
        "并且",
        "以及",
        "个",
        "些",
        "种",
        "位",
        "份",
        "张",
        "条",
        "件",
        "下来",
        "有",
        "有没有",
        "要",
        "需要",
        "需",
        "得",
        "该",
        "应该",
        "会",
        "能",
        "可",
        "去",
        "来",
        "给",
        "让",
        "把",
        "被",
        "用",
        "做",
        "弄",
        "搞",
        "办",
        "办理",
        "进行",
        "一共",
        "总共",
        "是",
        "啥",
        "什么",
        "哪些",
        "哪个",
        "哪种",
        "啥样",
        "什么样",
        "能办",
        "能用",
        "才能",
        "可以",
        "能不能",
        "能否",
        "可不可以",
        "行不行",
        "行吗",
        "能行",
        "可否",
        "不能",
        "不行",
        "吗能",
        "可以吗",
    ]
)
