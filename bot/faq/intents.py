"""Structured answers: short questions that lean on the interview's district and business.

"要多久", "电话多少", "在哪里办", "几点上班", "要什么材料", "还来得及吗" typed mid-interview
name nothing the search can match on, yet the knowledge holds their answer for the
applicant's district and business. ``match`` reads such a question (its words live in
dialogs/faq_intents.yaml); ``answer`` builds the reply from the district's file, citing it.
Where the district's guide is silent, the answer says so and gives that district's office,
never another district's figure. An unknown district or business is asked for.

    intent = match(question, knowledge)          # Intent | None
    result = answer(knowledge, intent, district, business, profile)   # SearchResult
    result = respond(knowledge, index, question, district, business)  # either, or the search
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

import yaml

from ..resources import data_dir
from .normalise import normalise
from .search import Answer, SearchResult

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from ..knowledge.cited import Stated
    from ..knowledge.district import Business, District, Timing
    from ..rules.profile import Profile

INTENTS_FILE = data_dir("dialogs") / "faq_intents.yaml"


@dataclass(frozen=True)
class Vocabulary:
    question_markers: re.Pattern[str]
    filler: tuple[str, ...]  # longest first
    businesses: tuple[tuple[str, str], ...]  # (word, business id), longest first
    words: tuple[tuple[str, str], ...]  # (word, intent), longest first
    beside: dict[str, tuple[str, ...]]  # intent -> words allowed beside its own, longest first
    depends_on: dict[str, str]  # a material's `when` key -> the answer it depends on, in words


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({normalise(w) for w in words if normalise(w)}, key=len, reverse=True))


@lru_cache(maxsize=4)
def vocabulary(path: str | None = None) -> Vocabulary:
    with open(path or INTENTS_FILE, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    markers = re.compile("|".join(f"(?:{m})" for m in data["question_markers"]))
    businesses = sorted(
        ((normalise(w), b) for b, ws in data["businesses"].items() for w in ws), key=lambda p: len(p[0]), reverse=True
    )
    words = sorted(
        ((normalise(w), name) for name, spec in data["intents"].items() for w in spec["words"]),
        key=lambda p: len(p[0]),
        reverse=True,
    )
    beside = {name: _longest_first(spec.get("beside", [])) for name, spec in data["intents"].items()}
    return Vocabulary(
        markers,
        _longest_first(data["filler"]),
        tuple(businesses),
        tuple(words),
        beside,
        dict(data["materials_depend_on"]),
    )


@dataclass(frozen=True)
class Intent:
    name: str  # processing_time | office_address | office_phone | office_hours | materials | deadline
    district: str | None = None  # named in the question
    business: str | None = None  # named in the question


def _district_names(knowledge: Knowledge) -> tuple[tuple[str, str], ...]:
    cached = _NAMES.get(id(knowledge))
    if cached is not None and cached[0] is knowledge:
        return cached[1]
    names = _names(knowledge)
    _NAMES[id(knowledge)] = (knowledge, names)
    return names


_NAMES: dict[int, tuple[object, tuple[tuple[str, str], ...]]] = {}


def _names(knowledge: Knowledge) -> tuple[tuple[str, str], ...]:
    names = {
        normalise(a): d.id
        for d in knowledge.districts.values()
        for a in (d.name, d.id, *d.aliases)
        if len(normalise(a)) >= 2
    }
    return tuple(sorted(names.items(), key=lambda p: len(p[0]), reverse=True))


def _take(text: str, pairs: Iterable[tuple[str, str]]) -> tuple[str, list[str]]:
    """Blank out every word of ``pairs`` ((word, label), longest first); the labels found."""
    found = []
    for word, label in pairs:
        if word in text:
            found.append(label)
            text = text.replace(word, " ")
    return text, found


def match(question: str, knowledge: Knowledge | None = None, vocab: Vocabulary | None = None) -> Intent | None:
    """The intent of a short context question, or None (the search answers it). Without
    ``knowledge`` a district name in the question is not recognised (no match)."""
    vocab = vocab or vocabulary()
    text = normalise(question)
    if not text or len(text) > 30:
        return None
    text, districts = _take(text, _district_names(knowledge) if knowledge is not None else ())
    text, businesses = _take(text, vocab.businesses)
    text, intents = _take(text, vocab.words)
    if not intents or len(set(intents)) > 1 and not _all_office(intents):
        return None
    name = intents[0]
    text, _ = _take(text, ((w, "") for w in vocab.beside[name]))
    text, _ = _take(text, ((w, "") for w in vocab.filler))
    if text.strip():
        return None  # other words: the question is about something else ("劳动合同要剩多久")
    return Intent(name, districts[-1] if districts else None, businesses[0] if businesses else None)


def _all_office(intents: list[str]) -> bool:
    return all(i.startswith("office_") for i in intents)


# ---------------------------------------------------------------------- answers


# What a search gives: the index, a result for every question; a stand-in while it builds, None.
Found = TypeVar("Found", bound="SearchResult | None", covariant=True)
Given = TypeVar("Given", bound="SearchResult | None")


class Searcher(Protocol[Found]):
    """What ``respond`` needs of a search: the FAQ index, or a stand-in for it while it builds."""

    def search(self, question: str, district: str | None = None, k: int = 3) -> Found: ...


class _NoIndex:
    """No FAQ index after all: only the structured answers are given."""

    def search(self, question: str, district: str | None = None, k: int = 3) -> None:
        return None


NO_INDEX = _NoIndex()


def respond(
    knowledge: Knowledge,
    faq: Searcher[Given],
    question: str,
    district: str | None,
    business: str | None = None,
    profile: Profile | None = None,
    today: dt.date | None = None,
    k: int = 3,
) -> SearchResult | Given:
    """A context question's structured answer, else the search's (None: ``NO_INDEX``, a stand-in building)."""
    intent = match(question, knowledge)
    if intent is not None:
        return answer(knowledge, intent, district, business, profile, today=today)
    return faq.search(question, district=district, k=k)


def _result(intent: str, title: str, text: str, source: str, district: str | None) -> SearchResult:
    answer = Answer(f"intent:{intent}", title, text, 1.0, source, district, "rule")
    return SearchResult([answer], True, district, False)


def _office_contact(d: District) -> str:
    """Where to ask: the district's phones and address, or what its guide gives instead."""
    o = d.office
    parts = o.reach()
    if not o.phones and not o.address:
        parts.append(o.note or "可拨打北京市政务服务便民热线 12345 查询")
    return "；".join(parts)


def _silent(d: District, what: str) -> str:
    """'{district}指南未说明…' or, for a district without a guide, that there is none."""
    if d.coverage == "full":
        return f"{d.name}指南未说明{what}。"
    return f"{d.name}的{what}，本助手没有依据（未收录该区指南），也不能套用别的区的规定。"


def _business_name(knowledge: Knowledge, business: str) -> str:
    # looked up by a plain string (what a question or a stored answer holds), not a business id
    return cast("dict[str, str]", knowledge.city.businesses).get(business, business)


def answer(
    knowledge: Knowledge,
    intent: Intent,
    district: str | None,
    business: str | None,
    profile: Profile | None = None,
    today: dt.date | None = None,
) -> SearchResult:
    """The reply to ``intent`` for the applicant's district and business (the question's own
    district or business, when it names one, wins)."""
    district = intent.district or district
    business = intent.business or business
    if district not in knowledge.districts:
        return _result(
            intent.name,
            "请先告诉我单位所在区",
            "这要看单位在哪个区办理：各区的办理时间、地址、电话和材料都不同。"
            "请先回答“您的单位在哪个区”，或在问题里写上区名（例如“通州新办要多久”）。",
            "",
            None,
        )
    d = knowledge.districts[district]
    if intent.name.startswith("office_"):
        return _office(intent.name, d)
    if (business is None or business not in knowledge.city.businesses) and intent.name == "processing_time":
        return _all_processing(knowledge, d)
    if business is None or business not in knowledge.city.businesses:
        return _result(
            intent.name,
            "请先告诉我要办哪项业务",
            f"{d.name}的新办、续签、换单位等业务{_WHAT[intent.name]}各不相同。请先回答“您要办理哪项业务”，"
            "或在问题里写上业务（例如“续签要多久”）。",
            "",
            d.id,
        )
    bname = _business_name(knowledge, business)
    bus = d.businesses.get(business)
    if bus is None or not bus.described:
        note = bus.note if bus is not None and bus.note else _silent(d, f"{bname}的{_WHAT[intent.name]}")
        return _result(
            intent.name,
            f"{d.name}{bname}",
            f"{note}\n请咨询：{_office_contact(d)}",
            f"districts/{d.id}.yaml businesses.{business}",
            d.id,
        )
    if intent.name == "processing_time":
        return _processing(d, bus, business, bname)
    if intent.name == "materials":
        return _materials(knowledge, d, bus, business, bname, profile)
    return _deadline(knowledge, d, bus, business, bname, profile, today)


_WHAT = {"processing_time": "审核时限", "materials": "材料", "deadline": "提交时间"}


def _all_processing(knowledge: Knowledge, d: District) -> SearchResult:
    """Every business's processing time in the district (the business is not known yet)."""
    lines, sources = [], []
    for business, bus in d.businesses.items():
        p = bus.processing_working_days
        if bus.described and p is not None and p.known:
            lines.append(f"{_business_name(knowledge, business)}：{p.value}个工作日")
            sources.append(p.source)
    title = f"{d.name}各项业务审核要多久"
    if not lines:
        text = _silent(d, "各项业务的审核时限") + f"\n请咨询：{_office_contact(d)}"
    else:
        text = "\n".join(
            [f"{d.name}（按工作日计算）："]
            + lines
            + ["其余业务指南未说明时限。" if len(lines) < len(d.businesses) else ""]
        ).strip()
    return _result(
        "processing_time",
        title,
        text,
        "；".join(dict.fromkeys(s for s in sources if s)) or f"districts/{d.id}.yaml businesses",
        d.id,
    )


def _office(name: str, d: District) -> SearchResult:
    o = d.office
    source = o.source or f"districts/{d.id}.yaml office"
    if name == "office_address":
        title, have = f"{d.name}工作居住证在哪里办", o.address and f"地址：{o.address}"
        silent = "办公地址"
    elif name == "office_phone":
        title = f"{d.name}工作居住证咨询电话"
        have = "；".join(f"{p.label}：{p.number}" for p in o.phones) if o.phones else None
        silent = "咨询电话"
    else:
        title, have, silent = f"{d.name}工作居住证办公时间", o.hours and f"办公时间：{o.hours}", "办公时间"
    lines = [o.name]
    if have:
        lines.append(have)
    else:
        lines.append(_silent(d, silent))
        if o.web:
            lines.append(f"网上办理和查询：{o.web}")
        lines.append("可拨打北京市政务服务便民热线 12345 查询。")
    if have and name != "office_phone" and o.phones:
        lines.append("电话：" + "、".join(p.number for p in o.phones))
    if have and name == "office_hours" and o.booking:
        lines.append(o.booking)
    return _result(name, title, "\n".join(lines), source, d.id)


def _processing(d: District, bus: Business, business: str, bname: str) -> SearchResult:
    p = bus.processing_working_days
    title = f"{d.name}{bname}审核要多久"
    source = (p.source if p and p.source else None) or bus.source or f"districts/{d.id}.yaml businesses.{business}"
    if p is not None and p.known:
        text = f"{d.name}{bname}：{p.value}个工作日。"
        if p.note and str(p.value) not in p.note:
            text += p.note
        elif p.note:
            text = f"{d.name}{bname}：{p.note}"
        text += "\n按工作日计算，节假日不算；补充材料的时间另计，请预留余量。"
        return _result("processing_time", title, text, source, d.id)
    note = p.note if p is not None and p.note else ""
    text = f"{d.name}{note}" if note.startswith("指南") else (note or _silent(d, f"{bname}的审核时限"))
    return _result("processing_time", title, f"{text}\n请咨询：{_office_contact(d)}", source, d.id)


def _materials(
    knowledge: Knowledge, d: District, bus: Business, business: str, bname: str, profile: Profile | None
) -> SearchResult:
    """The materials every applicant of the business gives, and those the answers so far call
    for; what still depends on unanswered questions is named by topic, not listed."""
    from ..rules.materials import WHEN_FIELDS, applies

    title = f"{d.name}{bname}要准备的材料"
    source = bus.source or f"districts/{d.id}.yaml businesses.{business}"
    sure: list[str] = []
    pending: list[str] = []  # the when-keys still unanswered
    for ref in bus.materials:
        m = knowledge.materials.get(ref.id)
        name = (m.official_name or m.name) if m else ref.id
        keys = [k for k, v in ref.when if v is not None]
        if not keys or (profile is not None and applies(ref.when, profile)):
            if name not in sure:
                sure.append(name)
        else:
            pending += [k for k in keys if profile is None or getattr(profile, WHEN_FIELDS[k]) is None]
    if not sure and not pending:
        return _result(
            "materials", title, _silent(d, f"{bname}的材料") + f"\n请咨询：{_office_contact(d)}", source, d.id
        )
    lines = [f"{d.name}{bname}，按您目前的回答要准备："]
    lines += [f"{n}. {name}" for n, name in enumerate(sure, start=1)]
    topics = vocabulary().depends_on
    named = list(dict.fromkeys(topics.get(k, k) for k in pending))
    if named:
        lines.append("另有一些材料要看您的" + "、".join(named) + "。")
    lines.append("回答完问题后，发送 /checklist 可得到按您情况筛好的完整清单（含每项的上传要求）。")
    return _result("materials", title, "\n".join(lines), source, d.id)


def _deadline(
    knowledge: Knowledge,
    d: District,
    bus: Business,
    business: str,
    bname: str,
    profile: Profile | None,
    today: dt.date | None,
) -> SearchResult:
    title = f"{d.name}{bname}什么时候交"
    source = bus.source or f"districts/{d.id}.yaml businesses.{business}"
    t = bus.timing
    if t is None:
        text = (
            f"{d.name}指南对{bname}没有规定按证件到期日计算的提交期限（按到期日算期限的是续签和换单位）。"
            f"\n有疑问请咨询：{_office_contact(d)}"
        )
        return _result("deadline", title, text, source, d.id)
    lines = []
    for rule in (t.window_months_before_expiry, t.window_days_before_expiry, t.submit_working_days_before_expiry):
        if rule is None:
            continue
        if rule.known:
            lines.append(rule.note or _rule_text(rule, t))
            source = rule.source or source
        elif rule.note and rule.note not in lines:
            lines.append(rule.note)
    dates = _dates(knowledge, profile, today)
    if dates:
        lines.append(dates)
    elif profile is None or getattr(profile, "permit_expiry", None) is None:
        lines.append("告诉我证件有效期到哪一天（见确认单），我按这些规定算出您的日期。")
    lines.append(f"拿不准的请咨询：{_office_contact(d)}")
    return _result("deadline", title, "\n".join(lines), source, d.id)


def _rule_text(rule: Stated[int], t: Timing) -> str:
    if rule is t.window_days_before_expiry:
        return f"证件到期前{rule.value}日内可以提交。"
    if rule is t.window_months_before_expiry:
        return f"证件到期前{rule.value}个月内可以提交。"
    return f"最晚在到期前{rule.value}个工作日提交。"


def _dates(knowledge: Knowledge, profile: Profile | None, today: dt.date | None) -> str:
    """The applicant's own dates from the assessment (the rules compute them), if known."""
    if profile is None or getattr(profile, "permit_expiry", None) is None:
        return ""
    from ..rules import assess

    try:
        deadlines = assess(knowledge, profile, today=today).deadlines
    except Exception:  # noqa: BLE001 - an incomplete profile: the rule text above stands alone
        return ""
    shown = [
        f"{x.label}：{x.date.isoformat()}" + ("" if x.certain else "（节假日安排未公布，以官方为准）")
        for x in deadlines
    ]
    return "按您的证件有效期：" + "；".join(shown) + "。" if shown else ""
