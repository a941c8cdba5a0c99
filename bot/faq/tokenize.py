"""Segmentation: jieba with a small dictionary plus the knowledge's own terms, then synonyms.

jieba's full dictionary (349k words) takes 0.7 s to load, which alone would eat the index's
one-second budget. The questions here need the common words and the domain's own terms, so
the tokenizer uses jieba's words of frequency >= ``BASE_MIN_FREQ`` (about 50k words), built
once and kept as a marshal file under the system temp dir (like jieba's own cache), and adds
every term of the knowledge (district names and aliases, material names, synonyms) as a
user word with a high frequency, so they stay whole.

``tokens()`` maps each word to its synonym group's canonical term (the group's first word):
老婆, 爱人 and 配偶 all become 配偶, HR becomes 经办人.
"""

from __future__ import annotations

import hashlib
import io
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .normalise import NOISE_WORDS, normalise

if TYPE_CHECKING:
    import jieba  # untyped: its Tokenizer is Any to mypy, named here for the reader

BASE_MIN_FREQ = 50
CACHE_VERSION = 3  # bump when analyse() changes
USER_WORD_FREQ = 200_000  # a knowledge term outranks any split of it
CHAR_PREFIX = "~"  # a character token: ~类
USE_HMM = True  # jieba's HMM joins unknown characters into words (off: 20% faster build, dev top-1 -1.3 points)


def _cache_path(jieba_version: str) -> Path:
    return Path(tempfile.gettempdir()) / f"gjz-faq-jieba-{jieba_version}-f{BASE_MIN_FREQ}.marshal"


def _base_dictionary(jieba_module: Any) -> tuple[dict[str, int], int]:
    """(prefix-frequency dict, total) of jieba's frequent words, from the temp-dir cache."""
    cache = _cache_path(getattr(jieba_module, "__version__", "0"))
    try:
        with open(cache, "rb") as f:
            cached: tuple[dict[str, int], int] = marshal.load(f)
            return cached
    except (OSError, EOFError, ValueError, TypeError):
        pass
    source = Path(jieba_module.__file__).with_name("dict.txt")
    kept = []
    with open(source, "rb") as f:
        for line in f:
            parts = line.split(b" ")
            if len(parts) >= 2 and int(parts[1]) >= BASE_MIN_FREQ:
                kept.append(parts[0] + b" " + parts[1])
    freq, total = jieba_module.Tokenizer.gen_pfdict(io.BytesIO(b"\n".join(kept)))
    try:  # atomic: a concurrent reader sees the old file or the whole new one
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            marshal.dump((freq, total), f)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only temp dir only costs the next process the rebuild
    return freq, total


@lru_cache(maxsize=1)
def _jieba() -> Any:  # the jieba module, which ships no types
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" banner
    return jieba


def base_tokenizer() -> jieba.Tokenizer:
    """A fresh jieba Tokenizer holding the frequent-word base dictionary (no user words)."""
    jieba = _jieba()
    tok = jieba.Tokenizer()
    freq, total = _base_dictionary(jieba)
    tok.FREQ, tok.total = freq, total  # a fresh dict per load: add_word may change it
    tok.initialized = True  # never load jieba's own (full) dictionary
    return tok


class Tokenizer:
    """Normalised text → retrieval tokens (noise dropped, synonyms canonicalised)."""

    def __init__(self, terms: set[str], synonym_groups: list[list[str]], distinct: Sequence[Sequence[str]] = ()):
        self._jieba = base_tokenizer()
        self.canonical: dict[str, tuple[str, ...]] = {}
        for group in synonym_groups:
            forms = [normalise(t) for t in group]
            head = forms[0]
            for form in forms:
                if form and " " not in form and head not in self.canonical.get(form, ()):
                    self.canonical[form] = self.canonical.get(form, ()) + (head,)
        # canonical term -> the concepts its sub-words must not be read as (synonyms.yaml ``distinct``)
        self.apart: dict[str, set[str]] = {}
        for x, y in distinct:
            for a in self.canon(normalise(x)):
                for b in self.canon(normalise(y)):
                    if a != b:
                        self.apart.setdefault(a, set()).add(b)
                        self.apart.setdefault(b, set()).add(a)
        self.terms = {t for t in {normalise(x) for x in terms} | set(self.canonical) if t and " " not in t}
        for term in self.terms:
            self._jieba.add_word(term, USER_WORD_FREQ)

        self.signature = hashlib.sha1(
            repr(
                (
                    CACHE_VERSION,
                    BASE_MIN_FREQ,
                    USE_HMM,
                    getattr(_jieba(), "__version__", "0"),
                    sorted(self.terms),
                    sorted(self.canonical.items()),
                    sorted((k, sorted(v)) for k, v in self.apart.items()),
                    sorted(NOISE_WORDS),
                )
            ).encode("utf-8")
        ).hexdigest()[:16]
        self._memo: dict[str, str] = {}
        self._memo_dirty = False

    # The knowledge's texts are analysed again at every build although they rarely change:
    # their analyses are kept in the temp dir, keyed by everything that shapes them.

    def _memo_path(self) -> Path:
        return Path(tempfile.gettempdir()) / f"gjz-faq-analyses-{self.signature}.marshal"

    def load_memo(self) -> None:
        try:
            with open(self._memo_path(), "rb") as f:
                self._memo = marshal.load(f)
        except (OSError, EOFError, ValueError, TypeError):
            self._memo = {}

    def save_memo(self) -> None:
        """Write the memo if it changed, and let it go: queries never read it."""
        memo, self._memo = self._memo, {}
        if not self._memo_dirty:
            return
        try:
            path = self._memo_path()
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                marshal.dump(memo, f)
            os.replace(tmp, path)
            self._memo_dirty = False
        except OSError:
            pass

    def analyse_cached(self, text: str) -> tuple[list[str], list[str], list[str]]:
        """``analyse`` for the index's own texts, through the temp-dir memo (kept as one
        string per text: a few thousand strings load far faster than 100k small ones). The
        words are interned: the index keeps them in every phrasing and bag, one copy each."""
        packed = self._memo.get(text)
        if packed is None:
            got = self.analyse(text)
            self._memo[text] = "\x1e".join("\x1f".join(part) for part in got)
            self._memo_dirty = True
            tokens, chars, words = ([sys.intern(w) for w in part] for part in got)
        else:
            tokens, chars, words = (
                [sys.intern(w) for w in part.split("\x1f")] if part else [] for part in packed.split("\x1e")
            )
        return tokens, chars, words

    def tokens(self, text: str) -> list[str]:
        """Retrieval tokens of normalised text."""
        return self.analyse(text)[0]

    def analyse(self, text: str) -> tuple[list[str], list[str], list[str]]:
        """(retrieval tokens, the Chinese characters of the words kept, the words kept as
        written). The characters are a weak back-off for words segmented differently on the
        two sides (几类 / 八类)."""
        out: list[str] = []
        chars: list[str] = []
        raw: list[str] = []
        freq = self._jieba.FREQ
        for word in self._jieba.cut(text, HMM=USE_HMM):
            if word in NOISE_WORDS or not word.strip():
                continue
            chars.extend(CHAR_PREFIX + c for c in word if "\u4e00" <= c <= "\u9fff" and c not in NOISE_WORDS)
            whole = self.canon(word)
            # jieba's search mode: a long word also yields its dictionary 2- and 3-grams,
            # unless the gram is a concept kept apart from the word's (合同 in 租赁合同)
            if len(word) > 2:
                apart = set().union(*(self.apart.get(w, ()) for w in whole))
                for n in (2, 3) if len(word) > 3 else (2,):
                    for i in range(len(word) - n + 1):
                        gram = word[i : i + n]
                        if freq.get(gram) and gram not in NOISE_WORDS:
                            out.extend(c for c in self.canon(gram) if c not in apart)
            out.extend(whole)
            raw.append(word)
        return out, chars, raw

    def canon(self, word: str) -> tuple[str, ...]:
        return self.canonical.get(word, (word,))
