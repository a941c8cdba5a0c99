"""The FAQ index: every answerable entry, tokenised once, ready for ``search``.

    index = FaqIndex.build(get_knowledge(), guides_dir=None)
    result = index.search("朝阳在哪办", district=None, k=3)

``build`` is pure apart from two caches in the temp dir (jieba's trimmed dictionary and a
memo of the knowledge texts' analyses, both keyed by what shapes them): same knowledge in,
same index out. ``guides_dir`` (default: ``GJZ_GUIDES_DIR`` when set, else no guides) adds
the guide passages.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .bm25 import BM25
from .docs import Doc, faq_docs, material_docs, office_docs, upload_docs
from .guides import guide_docs
from .lexicon import QUESTION_GROUPS
from .normalise import normalise
from .pinyin import PinyinMatcher
from .tokenize import Tokenizer

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from ..knowledge.faq import FaqEntry
    from .search import SearchResult

QUESTION_WEIGHT = 1.0  # a term in a question the entry answers
BODY_WEIGHT = 0.8  # a term in the answer text (or a guide passage)
COMMON_SHARE = 0.08  # terms in more entries than this share are left out of fuzzy matching
TOPIC_WEIGHT = 1.0  # a word of the entry's topic (lexicon.TOPIC_WORDS)
BM25_K1, BM25_B, BODY_B = 1.2, 0.75, 0.9  # saturation; length normalisation of questions, answer
MIN_IDF = 0.5  # query terms in more than ~60% of the entries are ignored
CHAR_WEIGHT = 0.3  # a character of a question's words (back-off for differing segmentation)
BODY_CHAR_SHARE = 0.5  # characters of the answer text count this share of a question's
OTHER_DISTRICT = "@other-district"  # token: a district the project has no guide for
SHARED_GUIDES = Path(__file__).resolve().parents[3] / "shared" / "guides"  # ../shared/guides, beside the repository


def default_guides_dir() -> Path | None:
    """``GJZ_GUIDES_DIR`` when set (not checked to exist), else None."""
    env = os.environ.get("GJZ_GUIDES_DIR")
    return Path(env) if env else None


@dataclass
class Prepared:
    """A question as the index sees it."""

    districts: list[str]  # ids named in the question, in order
    bag: dict[str, float]  # weighted retrieval terms
    fuzzy: str  # its uncommon canonical tokens joined, for rapidfuzz


class DistrictFinder:
    """District names and aliases (longest first) in normalised text."""

    def __init__(self, knowledge: Knowledge):
        names: dict[str, str] = {}
        for d in knowledge.districts.values():
            for alias in [d.name, d.id, *d.aliases]:
                form = normalise(alias)
                if len(form) >= 2:
                    names.setdefault(form, d.id)
        self.names = names
        self.full: set[str] = {d.id for d in knowledge.full_districts}
        alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # Latin aliases (bda, cbd) only as whole words: not inside another word.
        self.pattern = re.compile(rf"(?<![a-z])(?:{alt})(?![a-z])")
        own = sorted((n for n, d in names.items() if d in self.full), key=len, reverse=True)
        self.full_pattern = re.compile(rf"(?<![a-z])(?:{'|'.join(re.escape(n) for n in own)})(?![a-z])")

    def find(self, text: str) -> tuple[str, list[str]]:
        """(text with the names blanked out, district ids in order of mention)."""
        found: list[str] = []

        def blank(m: re.Match[str]) -> str:
            found.append(self.names[m.group(0)])
            return " "

        return self.pattern.sub(blank, text), found


class FaqIndex:
    def __init__(
        self,
        docs: list[Doc],
        tokenizer: Tokenizer,
        pinyin: PinyinMatcher,
        districts: DistrictFinder,
        qbags: list[Counter[str]],
        bbags: list[dict[str, float]],
        cbags: list[Counter[str]],
        tbags: list[Counter[str]],
        phrasings: list[tuple[int, list[str]]],
    ):
        self.docs = docs
        self.tokenizer = tokenizer
        self.pinyin = pinyin
        self.districts = districts
        self.qbags, self.bbags, self.cbags, self.tbags, self.phrasings = qbags, bbags, cbags, tbags, phrasings
        known = tokenizer.terms | {t for bags in (qbags, bbags) for bag in bags for t in bag}
        self.latin_words = {t for t in known if t.isascii() and t.isalpha()}
        self.by_id = {d.id: d for d in docs}
        # the guide districts each shown text names (search.visible keeps them from other askers)
        self.mentions = [self.names_in(d.answer) for d in docs]
        # ... and the guide districts its source cites (a city-wide answer proved from one
        # district's guide is that district's wording: not shown to another district's asker)
        self.cited = [self.guides_in(d.source) for d in docs]
        self.variant_mentions = [{k: self.names_in(text) for k, (text, _) in d.variants.items()} for d in docs]

        self.weigh()

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        guides_dir: Path | str | None = None,
        *,
        include_guides: bool = True,
        faq_filter: Callable[[FaqEntry, int], bool] | None = None,
        cache: bool = True,
    ) -> FaqIndex:
        """Index the FAQ, the materials, the district offices and upload rules, and (when a
        guides folder is given or ``GJZ_GUIDES_DIR`` is set) the guide passages.
        ``faq_filter(entry, question_index) -> bool`` drops FAQ phrasings (the benchmark's
        held-out development set uses it). ``cache=False`` ignores the temp-dir memo of
        text analyses (the benchmark times a cold build that way too)."""
        docs = faq_docs(knowledge)
        if faq_filter is not None:
            by_id = {e.id: e for e in knowledge.faq}
            for d in docs:
                e = by_id[d.id]
                d.questions = [q for i, q in enumerate(e.questions) if faq_filter(e, i)]
        docs += material_docs(knowledge) + office_docs(knowledge) + upload_docs(knowledge)
        gdir = Path(guides_dir) if guides_dir else (default_guides_dir() if include_guides else None)
        if gdir is not None and include_guides:
            docs += guide_docs(gdir, knowledge)

        districts = DistrictFinder(knowledge)
        terms = set(districts.names)
        for m in knowledge.materials.values():
            for name in (m.name, m.official_name or ""):
                terms.update(p for p in normalise(name).split() if len(p) >= 2)
        tokenizer = Tokenizer(terms, knowledge.synonyms.groups + QUESTION_GROUPS, knowledge.synonyms.distinct)
        if cache:
            tokenizer.load_memo()

        qbags: list[Counter[str]] = []
        bbags: list[dict[str, float]] = []  # float: the characters count a share of a token
        cbags: list[Counter[str]] = []
        tbags: list[Counter[str]] = []
        phrasings: list[tuple[int, list[str]]] = []
        vocabulary: set[str] = set(tokenizer.terms)
        for i, doc in enumerate(docs):
            qbag, cbag = Counter[str](), Counter[str]()
            bbag: dict[str, float] = {}
            for q in doc.questions:
                text, named = districts.find(normalise(q))
                toks, chars, words = tokenizer.analyse_cached(text)
                vocabulary.update(words)
                qbag.update(toks)
                cbag.update(chars)
                qbag[OTHER_DISTRICT] += sum(1 for d in named if d not in districts.full)
                phrasings.append((i, toks))
            if doc.body:
                text, named = districts.find(normalise(doc.body))
                toks, chars, _ = tokenizer.analyse_cached(text)
                for t in toks:
                    bbag[t] = bbag.get(t, 0) + 1
                for c, n in Counter(chars).items():
                    bbag[c] = bbag.get(c, 0) + BODY_CHAR_SHARE * CHAR_WEIGHT * n
                bbag[OTHER_DISTRICT] = bbag.get(OTHER_DISTRICT, 0) + sum(1 for d in named if d not in districts.full)
            tbags.append(Counter(tokenizer.analyse_cached(doc.topic)[0] if doc.topic else ()))
            qbags.append(+qbag)
            bbags.append({t: n for t, n in bbag.items() if n > 0})
            cbags.append(+cbag)
        if cache:
            tokenizer.save_memo()
        pinyin = PinyinMatcher(vocabulary, tokenizer.terms)
        return cls(docs, tokenizer, pinyin, districts, qbags, bbags, cbags, tbags, phrasings)

    def weigh(
        self,
        question_weight: float = QUESTION_WEIGHT,
        body_weight: float = BODY_WEIGHT,
        common: float = COMMON_SHARE,
        char_weight: float = CHAR_WEIGHT,
        topic_weight: float = TOPIC_WEIGHT,
        k1: float = BM25_K1,
        b: float = BM25_B,
        body_b: float = BODY_B,
    ) -> None:
        """(Re)build BM25F and the fuzzy strings with these weights. Fields: the questions
        (with the topic's words and the characters), the answer text. Terms in more than
        ``common`` of the entries are left out of the fuzzy strings (工作居住证, 续签 would
        otherwise make every pair of questions look alike)."""
        questions = []
        for q, ch, tp in zip(self.qbags, self.cbags, self.tbags, strict=True):
            bag: dict[str, float] = dict(q)
            for t, c in ch.items():
                bag[t] = bag.get(t, 0.0) + char_weight * c
            for t, c in tp.items():
                bag[t] = bag.get(t, 0.0) + topic_weight * c
            questions.append(bag)
        self.char_weight = char_weight
        self.bm25 = BM25([questions, self.bbags], [question_weight, body_weight], [b, body_b], k1=k1, min_idf=MIN_IDF)
        df = Counter(t for q in self.qbags for t in q)
        self.common = {t for t, n in df.items() if n > common * len(self.docs)}
        self.fuzzy_choices = ["".join(t for t in toks if t not in self.common) for _, toks in self.phrasings]
        self.fuzzy_owner = [i for i, _ in self.phrasings]

    def guides_in(self, source: str) -> frozenset[str]:
        """The districts whose guide files a source cites ('tongzhou-2021.txt §三' -> tongzhou)."""
        return frozenset(m for m in re.findall(r"([a-z]+)-[\w-]*\.txt", source or "") if m in self.districts.full)

    def names_in(self, text: str) -> frozenset[str]:
        """The districts with a guide that ``text`` (a knowledge text: simplified already) names."""
        return frozenset(self.districts.names[m] for m in self.districts.full_pattern.findall(text.lower()))

    # ------------------------------------------------------------------ queries

    def prepare(self, question: str) -> Prepared:
        text = normalise(question)
        runs = re.findall(r"[a-z]+", text)
        unknown = [r for r in runs if r not in self.latin_words and r not in self.districts.names]
        if unknown:
            guessed = self.pinyin.latin(unknown)
            text = re.sub(r"[a-z]+", lambda m: " " if m.group(0) in unknown else m.group(0), text)
            text = (text + " " + " ".join(guessed)).strip()
        text, named = self.districts.find(text)
        tokens, chars, _ = self.tokenizer.analyse(text)
        bag: dict[str, float] = {}
        for t in tokens:
            bag[t] = bag.get(t, 0) + 1.0
        for c in chars:
            bag[c] = bag.get(c, 0) + self.char_weight
        for word in self.pinyin.homophones(text):
            for t in self.tokenizer.canon(word):
                if t not in bag:
                    bag[t] = 0.7
        if any(d not in self.districts.full for d in named):
            bag[OTHER_DISTRICT] = bag.get(OTHER_DISTRICT, 0) + 1.0
        return Prepared(named, bag, "".join(t for t in tokens if t not in self.common))

    def search(self, question: str, district: str | None = None, k: int = 3) -> SearchResult:
        from .search import search

        return search(self, question, district=district, k=k)
