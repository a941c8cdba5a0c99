"""Ranking: BM25 fused with rapidfuzz, district awareness, confidence.

score = (BM25_SHARE · bm25 / ceiling + (1 − BM25_SHARE) · fuzzy / 100) · district · kind

- ``bm25 / ceiling``: the share of the question's (idf-weighted) terms an entry matches;
- ``fuzzy``: rapidfuzz's ratio between the question and the entry's closest phrasing, both
  as canonical tokens (synonyms unified, noise and district names dropped);
- ``district``: a district named in the question wins, then the caller's district, then
  city-wide entries. With a district known, another district's entries are not shown at all,
  nor is an entry whose text names another guide district's rule (``visible``);
- ``kind``: an FAQ answer beats a material, a contact or upload rule, and a guide passage
  of equal match, since it was written to answer questions.

``confident`` is False when the best score is low or the runner-up is too close: the bot
then says it is not sure and offers the top three.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from .index import FaqIndex

BM25_SHARE = 0.9
KIND_PRIOR = {"faq": 1.0, "material": 0.7, "rule": 0.7, "guide": 0.6}
CITY_UNDER_DISTRICT = 0.4  # a city-wide answer when the question is about a guide district
OTHER_NAMED = 0.1  # one of several districts the question names, not the one it is about
DISTRICT_UNNAMED = 0.6  # a district's answer when no district is known
CONFIDENT_SCORE = 0.4  # calibrated on dev (bench prints it): 32% of questions confident, 86% of those right
CONFIDENT_MARGIN = 0.1  # over the runner-up
CANDIDATES = 80  # entries fully scored: the best by BM25, and a quarter as many by fuzzy


@dataclass
class Answer:
    id: str
    question: str
    answer: str
    score: float
    source: str
    district: str | None
    kind: str  # faq | material | rule | guide

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "score": round(self.score, 4),
            "source": self.source,
            "district": self.district,
        }


@dataclass
class SearchResult:
    answers: list[Answer]
    confident: bool
    district: str | None = None  # the district the answers were chosen for
    named: bool = False  # True when the question itself named it

    def to_json(self) -> dict[str, Any]:
        return {"answers": [a.to_json() for a in self.answers], "confident": self.confident}


def resolve_district(index: FaqIndex, named: list[str], caller: str | None) -> tuple[str | None, bool]:
    """The district a question is about: the one it names (a district with a guide before
    one without; the last named, as in 从朝阳迁到亦庄), else the caller's."""
    if named:
        full = [d for d in named if d in index.districts.full]
        return (full or named)[-1], True
    return caller, False


def district_factor(doc_district: str | None, target: str | None, full: set[str]) -> float:
    if target is None:
        return 1.0 if doc_district is None else DISTRICT_UNNAMED
    if doc_district == target:
        return 1.0
    if doc_district is None:
        return CITY_UNDER_DISTRICT if target in full else 1.0
    return OTHER_NAMED


def visible(index: FaqIndex, i: int, target: str | None, allowed: set[str]) -> tuple[str, str] | None:
    """(answer, source) of entry ``i`` as an asker about ``target`` reads it, or None when it
    is not theirs to read: another district's entry, or a text naming another guide district."""
    doc = index.docs[i]
    if target is None:
        return doc.answer, doc.source
    if doc.district is not None and doc.district not in allowed:
        return None
    if target in doc.variants:
        return doc.variants[target] if index.variant_mentions[i][target] <= allowed else None
    if index.cited[i] and not index.cited[i] & allowed:
        return None  # proved only from another district's guide
    return (doc.answer, own_citations(index, doc.source, allowed)) if index.mentions[i] <= allowed else None


def own_citations(index: FaqIndex, source: str, allowed: set[str]) -> str:
    """The parts of a source ('a.txt §1；b.txt §2') that cite no other district's guide."""
    parts = [p for p in re.split(r"[；;]", source) if not index.guides_in(p) - allowed]
    return "；".join(p.strip() for p in parts) or source


def search(index: FaqIndex, question: str, district: str | None = None, k: int = 3) -> SearchResult:
    prepared = index.prepare(question)
    target, named = resolve_district(index, prepared.districts, district)
    if not prepared.bag:
        return SearchResult([], False, target, named)
    raw = index.bm25.scores(prepared.bag)
    ceiling = index.bm25.ceiling(prepared.bag)
    fuzzy: dict[int, float] = {}
    if prepared.fuzzy:
        for _, score, j in process.extract(
            prepared.fuzzy, index.fuzzy_choices, scorer=fuzz.ratio, limit=None, score_cutoff=30
        ):
            i = index.fuzzy_owner[j]
            if score > fuzzy.get(i, 0.0):
                fuzzy[i] = score
    candidates = set(heapq.nlargest(CANDIDATES, raw, key=raw.__getitem__))
    candidates.update(heapq.nlargest(CANDIDATES // 4, fuzzy, key=fuzzy.__getitem__))
    allowed = ({target} | set(prepared.districts)) if target else set()
    scored = []
    for i in candidates:
        shown = visible(index, i, target, allowed)
        if shown is None:
            continue
        doc = index.docs[i]
        base = BM25_SHARE * min(1.0, raw.get(i, 0.0) / ceiling) + (1 - BM25_SHARE) * fuzzy.get(i, 0.0) / 100
        factor = district_factor(doc.district, target, index.districts.full) * KIND_PRIOR[doc.kind]
        scored.append((base * factor, doc.id, i, shown))
    scored.sort(key=lambda s: (-s[0], s[1]))
    answers = [
        Answer(d.id, d.title, d.filled(text), score, source, d.district, d.kind)
        for score, d, (text, source) in ((s, index.docs[i], shown) for s, _, i, shown in scored[: max(k, 2)])
    ]
    confident = (
        bool(answers)
        and answers[0].score >= CONFIDENT_SCORE
        and (len(answers) < 2 or answers[0].score - answers[1].score >= CONFIDENT_MARGIN)
    )
    return SearchResult(answers[:k], confident, target, named)
