"""Which option a typed answer names: its label, a word it lists, its number, a sentence that
names only it ("我在亦庄上班"), or its pinyin typed before the IME turned it into characters.

Pure text against a question's options (bot/dialog/spec.py Option); the reader (reader.py) and
the one-message facts (understand.py) both ask it, so an option is named the same way in both.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..faq.pinyin import spellings
from .numerals import PUNCTUATION, normalise
from .spec import Option


@lru_cache(maxsize=8192)
def _normal(word: str) -> str:
    """An option's word normalised once: the same few hundred words are compared every turn."""
    return normalise(word)


def match_choice(text: str, options: list[Option]) -> Option | None:
    """A typed answer to a choice: the label, value, a listed word, or the option's number; or a
    longer sentence naming one option ("我在亦庄上班"). When one option's words lie inside a
    more specific option's ('自己的房' inside '自己的房（还没房本）'), the specific one wins; an
    option's weak words count only when no option's own words are there."""
    s = normalise(text).strip(PUNCTUATION)
    if not s:
        return None
    for opt in options:
        if s in (_normal(opt.label), _normal(str(opt.value))) or s in (_normal(w) for w in opt.words + opt.weak):
            return opt
    if s.isdigit() and 1 <= int(s) <= len(options) and not any(str(o.value) == s for o in options):
        return options[int(s) - 1]
    spelt = _spelt(s, options) if _LATIN.fullmatch(s) else None
    if spelt is not None:
        return spelt
    names = {id(o): [_normal(w) for w in [o.label, *o.words]] for o in options}
    hits = {id(o): [w for w in names[id(o)] if len(w) >= 2 and w in s] for o in options}
    if not any(hits.values()):  # no option named: a generic word may still name one ("我想办")
        names = {id(o): [_normal(w) for w in o.weak] for o in options}
        hits = {id(o): [w for w in names[id(o)] if len(w) >= 2 and w in s] for o in options}
    hit = [o for o in options if hits[id(o)]]
    specific = [
        o
        for o in hit
        if not any(
            b is not o and all(any(w in name and w != name for name in names[id(b)]) for w in hits[id(o)]) for b in hit
        )
    ]
    return specific[0] if len(specific) == 1 else None


_LATIN = re.compile(r"[a-z]+(?: [a-z]+)*")


def _spelt(typed: str, options: list[Option]) -> Option | None:
    """An answer typed in toneless pinyin, not turned into characters by the IME ("xuqian",
    "zu fang"): the one option one of whose Chinese words is spelt so, or None."""
    typed = typed.replace(" ", "")
    spelt = [o for o in options if any(typed in spellings(w) for w in [o.label, *o.words, *o.weak])]
    return spelt[0] if len(spelt) == 1 else None
