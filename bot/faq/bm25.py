"""BM25F over fielded term bags, with an inverted index (small and exact).

A document has fields (the questions it answers, its answer text, …), each a bag
{term: count}. Per field, a term's count is length-normalised against that field's average
length and weighted; the weighted counts are summed and saturated once (BM25F, Robertson
& Zaragoza 2009). So a long answer does not drown the entry's questions, nor a short one
win by brevity. Query terms may carry weights (a word guessed from pinyin counts less than
one typed); ``ceiling`` is the score of a document matching every query term at
saturation, so ``score / ceiling`` is in [0, 1).
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict


class BM25:
    def __init__(
        self,
        fields: list[list[dict[str, float]]],
        weights: list[float],
        bs: list[float],
        k1: float = 1.2,
        min_idf: float = 0.0,
    ):
        """``fields[f][d]``: field f's bag of document d. ``min_idf``: query terms commoner
        than that (in more than ~60% of the documents at 0.5) are ignored; they only add a
        near-constant to every score while costing a pass over most postings."""
        self.k1, self.min_idf = k1, min_idf
        self.n = len(fields[0]) if fields else 0
        combined: list[dict[str, float]] = [defaultdict(float) for _ in range(self.n)]
        for bags, w, b in zip(fields, weights, bs, strict=True):
            lengths = [sum(bag.values()) for bag in bags]
            avg = (sum(lengths) / len(lengths)) if lengths and sum(lengths) else 1.0
            for d, bag in enumerate(bags):
                norm = 1 - b + b * lengths[d] / avg
                for term, tf in bag.items():
                    combined[d][term] += w * tf / norm
        df: dict[str, int] = defaultdict(int)
        for bag in combined:
            for term in bag:
                df[term] += 1
        self.idf = {t: math.log(1 + (self.n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.top_idf = max(self.idf.values(), default=1.0)
        # A term's postings as two flat arrays (documents, saturated weights): 12 bytes a
        # posting instead of a tuple of two boxed numbers (~80), for the index's ~80k postings.
        postings: dict[str, tuple[array[int], array[float]]] = {}
        for d, bag in enumerate(combined):
            for term, tf in bag.items():
                if tf > 0:
                    docs, parts = postings.setdefault(term, (array("I"), array("d")))
                    docs.append(d)
                    parts.append(tf * (k1 + 1) / (tf + k1))
        self.postings = postings

    def scores(self, query: dict[str, float]) -> dict[int, float]:
        """Document index → score, for documents sharing a term with the query."""
        out: dict[int, float] = defaultdict(float)
        for term, qw in query.items():
            plist = self.postings.get(term)
            if not plist or self.idf[term] < self.min_idf:
                continue
            w = qw * self.idf[term]
            for d, part in zip(*plist, strict=True):
                out[d] += w * part
        return out

    def ceiling(self, query: dict[str, float]) -> float:
        """The score of a document matching every query term at saturation; a term the
        index does not know counts at the highest idf, so a question of unknown words is
        never confident."""
        idfs = ((qw, self.idf.get(t, self.top_idf)) for t, qw in query.items())
        return sum(qw * idf for qw, idf in idfs if idf >= self.min_idf) * (self.k1 + 1) or 1.0
