"""``gjz ask "问题" [--district X] [--business B] [-k N] [--json] [--guides DIR]``: answer one question.

With a district (and a business), a short question leaning on them ("要多久", "电话多少",
"要什么材料") is answered from the district's structured knowledge, as in the interview.

Text output: the best answer with its source; when the search is not confident, it says
so, lists the top answers and names the district office to ask. ``--json`` prints
``{"answers": [{"id", "question", "answer", "score", "source", "district"}], "confident"}``,
best first. Exit 2 on an unknown district.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from .search import SearchResult


def default_guides() -> Path | None:
    """``GJZ_GUIDES_DIR``, else the guides beside the repository (../shared/guides), if there."""
    from .index import SHARED_GUIDES, default_guides_dir

    env = default_guides_dir()
    if env is not None:
        return env
    return SHARED_GUIDES if SHARED_GUIDES.is_dir() else None


def resolve_district(knowledge: Knowledge, name: str | None) -> str | None:
    """A district id from an id, a name or an alias (朝阳, 朝阳区, chaoyang, 亦庄 …)."""
    if not name:
        return None
    from .normalise import normalise

    wanted = normalise(name)
    for d in knowledge.districts.values():
        if wanted in {normalise(x) for x in (d.id, d.name, *d.aliases)}:
            return d.id
    raise KeyError(name)


def office_line(knowledge: Knowledge, district: str | None) -> str:
    if district is None or district not in knowledge.districts:
        return "拿不准的，请告诉我单位所在区，或向单位所在区的人力社保部门咨询。"
    d = knowledge.districts[district]
    phones = "、".join(f"{p.number}（{p.label}）" for p in d.office.phones)
    return f"拿不准的，请咨询{d.office.name}" + (f"：{phones}。" if phones else "。")


def render(result: SearchResult, knowledge: Knowledge) -> str:
    if not result.answers:
        return "没有找到相关的回答。" + office_line(knowledge, result.district) + "\n"
    lines = []
    if result.confident:
        best = result.answers[0]
        lines.append(best.answer)
        if best.source:
            lines.append(f"（来源：{best.source}）")
    else:
        lines.append("我不太确定你问的是哪一项，可能是：")
        for n, a in enumerate(result.answers, start=1):
            lines.append(f"{n}. {a.question}")
            lines.append(f"   {a.answer}")
            lines.append(f"   （来源：{a.source}）")
        lines.append(office_line(knowledge, result.district))
    return "\n".join(lines) + "\n"


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.knowledge import KnowledgeError, get_knowledge

    from .index import FaqIndex

    try:
        knowledge = get_knowledge()
    except KnowledgeError as exc:
        print(f"gjz ask: knowledge is broken ({len(exc.problems)} error(s)); run `gjz check`", file=sys.stderr)
        return 1
    try:
        district = resolve_district(knowledge, args.district)
    except KeyError:
        print(
            f"gjz ask: unknown district {args.district!r} (an id such as chaoyang, or a name such as 朝阳)",
            file=sys.stderr,
        )
        return 2
    if args.business and args.business not in knowledge.city.businesses:
        print(
            f"gjz ask: unknown business {args.business!r} (one of {', '.join(knowledge.city.businesses)})",
            file=sys.stderr,
        )
        return 2
    from bot.rules import Profile

    from .intents import respond

    guides = None if args.no_guides else (Path(args.guides) if args.guides else default_guides())
    index = FaqIndex.build(knowledge, guides_dir=guides, include_guides=guides is not None)
    profile = (
        Profile.model_validate({"district": district, "business": args.business})
        if district and args.business
        else None
    )
    result = respond(knowledge, index, args.question, district, args.business, profile, k=max(1, args.k))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render(result, knowledge), end="")
    return 0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    ask = subparsers.add_parser("ask", help="answer a question from the FAQ, materials, contacts and guides")
    ask.add_argument("question", help="the question, in Chinese (pinyin and traditional characters work too)")
    ask.add_argument("--district", help="the asker's district (id or name); a district named in the question wins")
    ask.add_argument("--business", help="the business asked about (new, renewal, employer_change, …)")
    ask.add_argument("-k", type=int, default=3, help="how many answers (default 3)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--guides", help="guides folder (default: GJZ_GUIDES_DIR, else ../shared/guides if present)")
    ask.add_argument("--no-guides", action="store_true", help="do not index the guide passages")
    ask.set_defaults(func=cmd_ask)
    return ask
