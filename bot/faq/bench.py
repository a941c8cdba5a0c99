"""Benchmark: ``python -m bot.faq.bench [--no-guides] [--misses] [--json]``.

Prints, side by side for the search and two plain baselines (rapidfuzz WRatio over the FAQ
phrasings; BM25 over jieba tokens), top-1, top-3, MRR and the per-question latency (p50,
p99) on ``tests/faq_eval.yaml``, with all knowledge loaded (and the guides, when found);
then the index's build time and memory, the confidence split, and the results per tag.

A second set, "dev", holds out each FAQ phrasing in turn (three folds) and asks it of an
index built without it. The search's constants were tuned on dev only, never on the eval.

A third, "context" (tests/faq_context_eval.yaml), asks short questions with the interview's
district and business, answered by the structured intents (bot/faq/intents.py) or the
search; its words were tuned on the "tune" part only, never on "held_out".
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..resources import checkout

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from ..knowledge.faq import FaqEntry
    from .index import FaqIndex

# An eval item, a result row, the report: plain JSON-like data read from YAML or printed.
Record = dict[str, Any]
Ranker = Callable[[str, str | None], list[str]]  # (question, district) -> ids, best first

# The eval sets live in the repository's tests/ (not shipped): the checkout this package runs
# from, else the working directory.
REPO = checkout() or Path.cwd()
EVAL_FILE = REPO / "tests" / "faq_eval.yaml"
CONTEXT_FILE = REPO / "tests" / "faq_context_eval.yaml"
TARGETS = {"top1": 0.92, "top3": 0.98, "margin": 0.15, "p99_ms": 5.0, "build_s": 1.0}


def guides_dir() -> Path | None:
    """``GJZ_GUIDES_DIR``, else ../shared/guides; either only if the folder exists."""
    from .index import SHARED_GUIDES, default_guides_dir

    path = default_guides_dir() or SHARED_GUIDES
    return path if path.is_dir() else None


def load_eval(path: Path = EVAL_FILE) -> list[Record]:
    with open(path, encoding="utf-8") as f:
        items: list[Record] = yaml.safe_load(f)["questions"]
    return items


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def rank_of(want: str, ids: list[str]) -> int | None:
    return ids.index(want) + 1 if want in ids else None


def confidence(confident: list[bool], ranks: list[int | None]) -> Record:
    """How often the search was confident, and how often right when it was and when not."""
    n_conf = sum(confident)
    n_unsure = len(confident) - n_conf
    return {
        "confident": n_conf / (len(confident) or 1),
        "top1_when_confident": sum(c and r == 1 for c, r in zip(confident, ranks, strict=True)) / (n_conf or 1),
        "top1_when_unsure": sum((not c) and r == 1 for c, r in zip(confident, ranks, strict=True)) / (n_unsure or 1),
    }


def evaluate(rank: Ranker, items: list[Record], repeat: int = 1) -> Record:
    """rank(question, district) -> ids best first. Quality and latency over the items."""
    hits1 = hits3 = 0
    rr = 0.0
    times: list[float] = []
    ranks: list[int | None] = []
    for item in items:
        ids: list[str] = []
        for _ in range(repeat):
            t = time.perf_counter()
            ids = rank(item["q"], item.get("district"))
            times.append(time.perf_counter() - t)
        pos = rank_of(item["id"], ids)
        ranks.append(pos)
        hits1 += pos == 1
        hits3 += pos is not None and pos <= 3
        rr += 1 / pos if pos else 0.0
    times.sort()
    n = len(items) or 1
    return {
        "top1": hits1 / n,
        "top3": hits3 / n,
        "mrr": rr / n,
        "p50_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * times[int(0.99 * (len(times) - 1))],
        "ranks": ranks,
    }


def build_index(knowledge: Knowledge, gdir: Path | None) -> tuple[FaqIndex, float, float, float, float]:
    """(index, cold seconds, warm seconds, index MiB, build peak MiB). The cold build is the
    process's first, without the temp-dir memo of text analyses (imports and dictionary
    loads included); the warm one is what a restart costs once the memo exists. A third
    build under tracemalloc (which slows Python several times) measures the memory."""
    from .index import FaqIndex

    with_guides = gdir is not None
    t = time.perf_counter()
    FaqIndex.build(knowledge, gdir, include_guides=with_guides, cache=False)
    cold = time.perf_counter() - t
    FaqIndex.build(knowledge, gdir, include_guides=with_guides)  # makes sure the memo exists
    t = time.perf_counter()
    index = FaqIndex.build(knowledge, gdir, include_guides=with_guides)
    warm = time.perf_counter() - t
    gc.collect()
    tracemalloc.start()
    index2 = FaqIndex.build(knowledge, gdir, include_guides=with_guides)
    gc.collect()
    size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del index2
    return index, cold, warm, size / 2**20, peak / 2**20


def search_ranker(index: FaqIndex, k: int = 10) -> Ranker:
    return lambda q, d: [a.id for a in index.search(q, district=d, k=k).answers]


def dev_items(knowledge: Knowledge, fold: int) -> list[Record]:
    return [{"q": e.questions[fold], "id": e.id} for e in knowledge.faq if len(e.questions) > fold]


def _without_phrasing(fold: int) -> Callable[[FaqEntry, int], bool]:
    """The FAQ filter that holds out every entry's phrasing number ``fold``."""
    return lambda entry, i: i != fold


def run_dev(knowledge: Knowledge, gdir: Path | None) -> Record:
    """Leave-one-phrasing-out over the FAQ's own questions, in three folds; also how often
    the search is confident there and how often it is then right (what CONFIDENT_SCORE was
    calibrated on)."""
    from .index import FaqIndex

    ranks: list[int | None] = []
    confident: list[bool] = []
    for fold in range(3):
        index = FaqIndex.build(
            knowledge, guides_dir=gdir, include_guides=gdir is not None, faq_filter=_without_phrasing(fold)
        )
        for item in dev_items(knowledge, fold):
            result = index.search(item["q"], k=10)
            ranks.append(rank_of(item["id"], [a.id for a in result.answers]))
            confident.append(result.confident)
    n = len(ranks)
    return {
        "n": n,
        "top1": sum(r == 1 for r in ranks) / n,
        "top3": sum(r is not None and r <= 3 for r in ranks) / n,
        **confidence(confident, ranks),
    }


def load_context(path: Path = CONTEXT_FILE) -> dict[str, list[Record]]:
    with open(path, encoding="utf-8") as f:
        parts: dict[str, list[Record]] = yaml.safe_load(f)
    return parts


def context_ranker(knowledge: Knowledge, index: FaqIndex, k: int = 10) -> Callable[[Record], list[str]]:
    """rank(item) -> ids best first: a structured answer ("intent:…") or the search's."""
    from bot.rules import Profile

    from .intents import respond

    def rank(item: Record) -> list[str]:
        profile = (
            Profile.model_validate({"district": item["district"], "business": item["business"]})
            if item.get("business")
            else None
        )
        result = respond(knowledge, index, item["q"], item["district"], item.get("business"), profile, k=k)
        return [a.id for a in result.answers]

    return rank


def run_context(knowledge: Knowledge, index: FaqIndex) -> Record:
    """top-1/top-3 on the context set's tune and held-out parts, and the held-out misses."""
    rank = context_ranker(knowledge, index)
    out: Record = {}
    for part, items in load_context().items():
        ranks = [rank_of(it["want"], rank(it)) for it in items]
        n = len(items) or 1
        out[part] = {
            "n": len(items),
            "top1": sum(r == 1 for r in ranks) / n,
            "top3": sum(r is not None and r <= 3 for r in ranks) / n,
            "misses": [
                f"{it['q']} [{it['district']}/{it.get('business') or ''}] want {it['want']}"
                for it, r in zip(items, ranks, strict=True)
                if r != 1
            ],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.faq.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--no-guides", action="store_true", help="index without the guide passages")
    ap.add_argument("--misses", action="store_true", help="list the eval questions the search gets wrong")
    ap.add_argument("--no-dev", action="store_true", help="skip the held-out development set")
    ap.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    args = ap.parse_args(argv)

    from bot.knowledge import get_knowledge

    from .baselines import Bm25Baseline, FuzzyBaseline
    from .search import search

    t = time.perf_counter()
    knowledge = get_knowledge()
    load_s = time.perf_counter() - t
    gdir = None if args.no_guides else guides_dir()
    items = load_eval()
    index, build_s, warm_s, mem_mb, peak_mb = build_index(knowledge, gdir)
    rss_mb = _rss_mb()
    index.search("预热")  # first call: rapidfuzz and the dictionaries warm
    rows = {"search": evaluate(search_ranker(index), items, repeat=3)}
    for base in (FuzzyBaseline(knowledge), Bm25Baseline(knowledge)):
        rows[base.name] = evaluate(base.rank, items, repeat=3)
    results = [search(index, it["q"], district=it.get("district"), k=3) for it in items]
    report = {
        "questions": len(items),
        "guides": str(gdir) if gdir else None,
        "entries": len(index.docs),
        "kinds": {k: sum(d.kind == k for d in index.docs) for k in ("faq", "material", "rule", "guide")},
        "rows": {name: {k: v for k, v in r.items() if k != "ranks"} for name, r in rows.items()},
        "knowledge_load_s": load_s,
        "build_s": build_s,
        "build_warm_s": warm_s,
        "index_mb": mem_mb,
        "build_peak_mb": peak_mb,
        "rss_mb": rss_mb,
        **confidence([r.confident for r in results], rows["search"]["ranks"]),
        "by_tag": {},
    }
    tags = sorted({t for it in items for t in it.get("tags", [])})
    for tag in tags:
        sel = [i for i, it in enumerate(items) if tag in it.get("tags", [])]
        report["by_tag"][tag] = {
            "n": len(sel),
            **{name: sum(r["ranks"][i] == 1 for i in sel) / len(sel) for name, r in rows.items()},
        }
    if not args.no_dev:
        report["dev"] = run_dev(knowledge, gdir)
    report["context"] = run_context(knowledge, index)
    best_base = max(v["top1"] for k, v in report["rows"].items() if k != "search")
    s = report["rows"]["search"]
    report["checks"] = {
        "top1 >= 0.92": s["top1"] >= TARGETS["top1"],
        "top3 >= 0.98": s["top3"] >= TARGETS["top3"],
        "top1 >= best baseline + 0.15": s["top1"] - best_base >= TARGETS["margin"],
        "p99 < 5 ms": s["p99_ms"] < TARGETS["p99_ms"],
        "build < 1 s": build_s < TARGETS["build_s"],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report)
    if args.misses:
        for it, rank, res in zip(items, rows["search"]["ranks"], results, strict=True):
            if rank != 1:
                got = res.answers[0].id if res.answers else "-"
                print(f"  miss (rank {rank}): {it['q']} [{it.get('district') or ''}] want {it['id']} got {got}")
        for part, c in report["context"].items():
            for miss in c["misses"]:
                print(f"  context {part} miss: {miss}")
    return 0


def _print(r: Record) -> None:
    print(
        f"FAQ search benchmark: {r['questions']} questions (tests/faq_eval.yaml), "
        f"{r['entries']} entries {r['kinds']}, guides: {r['guides'] or 'none'}"
    )
    print()
    print(f"{'':22}{'top-1':>8}{'top-3':>8}{'MRR':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for name, row in r["rows"].items():
        print(f"{name:22}{row['top1']:8.3f}{row['top3']:8.3f}{row['mrr']:8.3f}{row['p50_ms']:9.3f}{row['p99_ms']:9.3f}")
    print()
    print(
        f"index build {r['build_s']:.3f} s cold, {r['build_warm_s']:.3f} s with the temp-dir memo "
        f"(knowledge load {r['knowledge_load_s']:.3f} s, not included); "
        f"index memory {r['index_mb']:.1f} MiB (tracemalloc; build peak {r['build_peak_mb']:.1f} MiB); "
        f"process RSS {r['rss_mb']:.0f} MiB"
    )
    print(
        f"confident on {r['confident']:.1%} of questions; top-1 {r['top1_when_confident']:.1%} when confident, "
        f"{r['top1_when_unsure']:.1%} when not"
    )
    if r["by_tag"]:
        names = list(r["rows"])
        print(
            "top-1 by tag: "
            + "; ".join(
                f"{tag} (n={v['n']}) " + " / ".join(f"{v[n]:.2f}" for n in names) for tag, v in r["by_tag"].items()
            )
            + "   [search / "
            + " / ".join(names[1:])
            + "]"
        )
    if "dev" in r:
        d = r["dev"]
        print(
            f"dev (held-out FAQ phrasings, n={d['n']}): top-1 {d['top1']:.3f}, top-3 {d['top3']:.3f}; "
            f"confident on {d['confident']:.1%}, top-1 {d['top1_when_confident']:.1%} when confident"
        )
    for part, c in r.get("context", {}).items():
        print(
            f"context {part} (district + business + short question, tests/faq_context_eval.yaml, n={c['n']}): "
            f"top-1 {c['top1']:.3f}, top-3 {c['top3']:.3f}"
        )
    print("targets: " + ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in r["checks"].items()))


if __name__ == "__main__":
    sys.exit(main())
