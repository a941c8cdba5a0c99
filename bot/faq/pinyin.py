"""Pinyin: toneless pinyin typed for Chinese ("xuqian cailiao"), initials ("gjz") and IME
homophone slips (工具证 for 工居证, 续前 for 续签) mapped back to the index's own words.

The readings come from pypinyin's character table (``pinyin_dict.json`` in the pypinyin
wheel), read directly: importing pypinyin itself also loads its 47k-phrase table, which
costs 0.2 s and is not needed to spell a known word. Every reading of a heteronym is
indexed (银行 is both yinhang and yinxing), so typed pinyin finds the word either way.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import itertools
import json
import marshal
import os
import re
import tempfile
import unicodedata
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

_HAN = re.compile(r"[\u4e00-\u9fff]")
MAX_READINGS = 16  # spellings kept per word (heteronym combinations)


def _toneless(reading: str) -> str:
    """'nǚ' → 'nv', 'lüè' → 'lve', 'shī' → 'shi': ü is typed v (as IMEs and pypinyin's
    Style.NORMAL write it). The table writes ü with its tone as one precomposed letter (ǚ),
    which decomposes to u + diaeresis + tone mark, so ü is read before the marks are dropped."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v").replace("U\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _table() -> dict[str, str]:
    """pypinyin's character table: code point (decimal string) → toned readings (6 MB as a dict:
    read only to build the compact table below, and by the tests)."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        raise ImportError("pypinyin is not installed")
    with open(Path(spec.origin).with_name("pinyin_dict.json"), encoding="utf-8") as f:
        table: dict[str, str] = json.load(f)
    return table


# The table as the bot keeps it: every character pypinyin knows, in three flat parts instead of
# a 42k-entry dict of strings (0.3 MB against 6): the sorted code points, for each the index of
# its toneless readings, and the few thousand distinct reading tuples those indexes name. Kept
# as a marshal file in the temp dir (like the jieba cache in tokenize.py), keyed by pypinyin's
# version, so a start reads 0.3 MB instead of parsing the 6 MB JSON.
CompactTable = tuple["array[int]", "array[int]", tuple[tuple[str, ...], ...], frozenset[str]]


def _build_compact() -> CompactTable:
    points, index = array("I"), array("I")
    distinct: dict[tuple[str, ...], int] = {}
    syllables: set[str] = set()
    for cp, toned in sorted(_table().items(), key=lambda item: int(item[0])):
        got = tuple(dict.fromkeys(_toneless(r) for r in toned.split(",") if r))
        syllables.update(got)
        points.append(int(cp))
        index.append(distinct.setdefault(got, len(distinct)))
    return points, index, tuple(distinct), frozenset(syllables)


def _compact_path() -> Path:
    try:
        version = importlib.metadata.version("pypinyin")
    except importlib.metadata.PackageNotFoundError:
        version = "0"
    return Path(tempfile.gettempdir()) / f"gjz-faq-pinyin-{version}-v1.marshal"


@lru_cache(maxsize=1)
def _compact() -> CompactTable:
    path = _compact_path()
    try:
        with open(path, "rb") as f:
            points, index, distinct, known = marshal.load(f)
        return array("I", points), array("I", index), tuple(map(tuple, distinct)), frozenset(known)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    built = _build_compact()
    points, index, distinct, known = built
    try:  # atomic: a concurrent reader sees the old file or the whole new one
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            marshal.dump((points.tobytes(), index.tobytes(), list(distinct), sorted(known)), f)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only temp dir only costs the next process the JSON
    return built


def readings(ch: str) -> tuple[str, ...]:
    """A Chinese character's toneless readings, most common first (() if unknown)."""
    points, index, distinct, _ = _compact()
    cp = ord(ch)
    at = bisect_left(points, cp)
    return distinct[index[at]] if at < len(points) and points[at] == cp else ()


def syllables() -> frozenset[str]:
    """Every toneless syllable (for splitting typed pinyin)."""
    return _compact()[3]


def spellings(word: str) -> list[str]:
    """The toneless pinyin spellings of a Chinese word (joined, no spaces); [] if the word
    has a character that is not Chinese."""
    per_char = []
    for ch in word:
        rs = readings(ch)
        if not rs:
            return []
        per_char.append(rs)
    return ["".join(p) for p in itertools.islice(itertools.product(*per_char), MAX_READINGS)]


def split_syllables(latin: str) -> list[str] | None:
    """'xuqiancailiao' → ['xu', 'qian', 'cai', 'liao'], or None if it is not pinyin.
    Fewest syllables wins (xian stays xian, not xi+an)."""
    known = syllables()
    n = len(latin)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        start = best[i]
        if start is None:
            continue
        for j in range(min(n, i + 6), i, -1):
            if latin[i:j] in known:
                cand, held = start + [latin[i:j]], best[j]
                if held is None or len(cand) < len(held):
                    best[j] = cand
    return best[n]


class PinyinMatcher:
    """Maps pinyin (typed, or of mistyped characters) to the words of a vocabulary."""

    def __init__(self, vocabulary: set[str], terms: set[str]):
        self.by_spelling: dict[str, set[str]] = {}  # every reading: for typed pinyin
        self.by_primary: dict[str, set[str]] = {}  # each character's usual reading: for slips
        for word in vocabulary:
            if len(word) >= 2 and all(_HAN.match(c) for c in word):
                spelt = spellings(word)
                for s in spelt:
                    self.by_spelling.setdefault(s, set()).add(word)
                if spelt:
                    self.by_primary.setdefault(spelt[0], set()).add(word)
        # Initials of the knowledge's own terms of 3+ characters: gjz → 工居证.
        by_initials: dict[str, set[str]] = {}
        for term in terms:
            if len(term) >= 3 and all(_HAN.match(c) for c in term):
                for s in {
                    "".join(r[0] for r in combo)
                    for combo in itertools.islice(itertools.product(*(readings(c) or ("?",) for c in term)), 4)
                }:
                    by_initials.setdefault(s, set()).add(term)
        self.by_initials = {k: v for k, v in by_initials.items() if len(v) == 1}
        self.terms = terms

    def latin(self, runs: list[str]) -> list[str]:
        """Chinese words for typed latin runs (the query's letter groups, in order): a
        word's pinyin, several words' pinyin run together or split by spaces, or a term's
        initials (gjz). A run that is none of these, or ambiguous, gives nothing."""
        out: list[str] = []
        pending: list[tuple[str, ...]] = []  # syllables of consecutive pinyin runs
        for run in runs + [""]:
            sylls = split_syllables(run) if run else None
            if sylls:
                pending.extend((s,) for s in sylls)
                continue
            if pending:
                out.extend(self.windows(pending, typed=True))
                pending = []
            if run in self.by_initials:
                out.extend(sorted(self.by_initials[run]))
        return out

    def windows(
        self, readings: list[tuple[str, ...]], typed: bool = False, table: dict[str, set[str]] | None = None
    ) -> list[str]:
        """Words whose pinyin equals a run of 2–6 consecutive syllables, longest first,
        left to right, not overlapping. Each position lists its possible readings."""
        out: list[str] = []
        i, n = 0, len(readings)
        while i < n:
            hit = None
            for j in range(min(n, i + 6), i + 1 if not typed else i, -1):
                for combo in itertools.islice(itertools.product(*readings[i:j]), 8):
                    words = (table or self.by_spelling).get("".join(combo))
                    if words and len(words) <= 2:
                        hit = (j, sorted(words))
                        break
                if hit:
                    break
            if hit:
                out.extend(hit[1])
                i = hit[0]
            else:
                i += 1
        return out

    def homophones(self, text: str) -> list[str]:
        """Vocabulary words spelt like a stretch of the (normalised) Chinese text but not
        written there: the likely intended words of an IME slip."""
        found: list[str] = []
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", text):
            options = [readings(c)[:2] or ("?",) for c in run]
            for word in self.windows(options, table=self.by_primary):
                if word not in text and word in self.terms:
                    found.append(word)
        return found
