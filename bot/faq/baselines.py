"""The plain baselines the benchmark compares the search with.

- rapidfuzz only: ``WRatio`` between the question and every FAQ phrasing (rapidfuzz's
  default preprocessing), an entry ranked by its best phrasing;
- BM25 only: jieba's default segmentation (its full dictionary) of the question and of
  each entry's phrasings joined, Okapi BM25 (k1 1.2, b 0.75), no synonyms, no districts.

Neither knows the caller's district. Both return FAQ ids, best first.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process, utils

from .bm25 import BM25

if TYPE_CHECKING:
    from ..knowledge import Knowledge


class FuzzyBaseline:
    name = "rapidfuzz WRatio"

    def __init__(self, knowledge: Knowledge):
        self.choices = [q for e in knowledge.faq for q in e.questions]
        self.owner = [e.id for e in knowledge.faq for _ in e.questions]

    def rank(self, question: str, district: str | None = None, k: int = 10) -> list[str]:
        best: dict[str, float] = {}
        for _, score, j in process.extract(
            question, self.choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=None
        ):
            best[self.owner[j]] = max(best.get(self.owner[j], 0.0), score)
        return sorted(best, key=lambda i: (-best[i], i))[:k]


class Bm25Baseline:
    name = "BM25 (jieba tokens)"

    def __init__(self, knowledge: Knowledge):
        import jieba

        jieba.setLogLevel(60)
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        self.ids = [e.id for e in knowledge.faq]
        self.bm25 = BM25([[self._bag(" ".join(e.questions)) for e in knowledge.faq]], [1.0], [0.75])

    def _bag(self, text: str) -> dict[str, float]:
        return dict(Counter(w for w in self.jieba.lcut(text) if w.strip()))

    def rank(self, question: str, district: str | None = None, k: int = 10) -> list[str]:
        scores = self.bm25.scores(self._bag(question))
        order = sorted(scores, key=lambda i: (-scores[i], self.ids[i]))
        return [self.ids[i] for i in order[:k]]
