"""The answerable entries: FAQ entries, materials, district offices and upload rules.

Each becomes a ``Doc``: what it answers (``questions``: the texts a question is matched
against), the answer shown, its citation, and its district (None: city-wide). Guide
passages are added by ``guides.py``. A material is one entry matched on the catalogue's
text, but shown in the words of the asker's district (``variants``): the notes its own file
gives and the catalogue's statements that hold there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .figures import has_figures, plain, render

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from ..knowledge.district import District
    from ..knowledge.materials import Material, Note
    from ..knowledge.wagetable import WageTable

    # a catalogue field: its statements (a bare string in a catalogue from before they carried districts)
    Notes = str | Sequence[Note | str]


@dataclass
class Doc:
    id: str
    kind: str  # faq | material | rule | guide
    title: str  # the question (or heading) shown with the answer
    answer: str
    source: str
    district: str | None
    questions: list[str]  # matched as questions (strong)
    body: str = ""  # matched as supporting text (weak)
    topic: str = ""  # words of the entry's topic (weakest)
    # district -> (answer, source) shown to an asker of that district instead of ``answer``
    variants: dict[str, tuple[str, str]] = field(default_factory=dict)
    wages: WageTable | None = None  # the answer names income figures (figures.py): filled in when shown

    def shown(self, district: str | None) -> tuple[str, str]:
        """The answer and source an asker of ``district`` reads."""
        text, source = (
            self.variants.get(district, (self.answer, self.source)) if district else (self.answer, self.source)
        )
        return self.filled(text), source

    def filled(self, text: str) -> str:
        """``text`` (this entry's answer) with its income figures for today."""
        return render(text, self.wages) if self.wages is not None else text


def faq_docs(knowledge: Knowledge) -> list[Doc]:
    from .lexicon import TOPIC_WORDS

    return [
        Doc(
            id=e.id,
            kind="faq",
            title=e.questions[0],
            answer=e.answer,
            source=e.source,
            district=e.district,
            questions=list(e.questions),
            body=plain(e.answer),
            topic=TOPIC_WORDS.get(e.topic, ""),
            wages=knowledge.wages if has_figures(e.answer) else None,
        )
        for e in knowledge.faq
    ]


def _texts(notes: Notes) -> list[str]:
    """Every statement of a catalogue field, whatever its districts (what the entry is matched on)."""
    if isinstance(notes, str):  # a catalogue from before statements carried their districts
        return [notes]
    return [n if isinstance(n, str) else n.text for n in notes]


def _statements(notes: Notes, district: str | None) -> list[str]:
    """The catalogue's statements an asker of ``district`` reads (None: the city-wide ones)."""
    if isinstance(notes, str) or (notes and isinstance(notes[0], str)):
        return _texts(notes) if district is None else []
    return [n.text for n in notes if not isinstance(n, str) and n.holds_for(district)]


def _district_variants(knowledge: Knowledge, m: Material) -> dict[str, tuple[str, str]]:
    """For each district with a guide whose businesses ask for ``m``: its own notes, then the
    catalogue's statements that hold there."""
    variants: dict[str, tuple[str, str]] = {}
    for d in knowledge.full_districts:
        refs = [r for b in d.businesses.values() for r in b.materials if r.id == m.id]
        if not refs:
            continue
        notes = list(dict.fromkeys(r.note for r in refs if r.note))
        upload = [t for t in _statements(m.upload, d.id) if t not in notes]
        text = f"{m.name}：" + "；".join(notes + upload) if notes or upload else m.name
        mistakes = _statements(m.mistakes, d.id)
        if mistakes:
            text += " 常见退回原因：" + "；".join(mistakes)
        variants[d.id] = (text, refs[0].source)
    return variants


def material_docs(knowledge: Knowledge) -> list[Doc]:
    docs = []
    for m in knowledge.materials.values():
        names = [m.name] + ([m.official_name] if m.official_name else [])
        upload, mistakes = _statements(m.upload, None), _statements(m.mistakes, None)
        answer = f"{m.name}：" + "；".join(upload) if upload else m.name
        if mistakes:
            answer += " 常见退回原因：" + "；".join(mistakes)
        docs.append(
            Doc(
                id=f"material:{m.id}",
                kind="material",
                title=f"{m.name}怎么准备、传什么",
                answer=answer,
                source=m.source.split("；")[0],
                district=None,
                questions=[f"{n} 要传什么 怎么准备" for n in names],
                body=" ".join(_texts(m.upload) + _texts(m.mistakes)),
                variants=_district_variants(knowledge, m),
            )
        )
    return docs


def _office_text(district: District) -> str:
    o = district.office
    labelled = [
        ("地址", o.address),
        *((p.label, p.number) for p in o.phones),
        ("投诉电话", o.complaint_phone),
        ("办公时间", o.hours),
        ("邮箱", o.email),
        ("网址", o.web),
        ("预约", o.booking),
    ]
    parts = [o.name, *(f"{label}：{value}" for label, value in labelled if value)]
    if o.note:
        parts.append(o.note)
    return "；".join(parts)


def office_docs(knowledge: Knowledge) -> list[Doc]:
    """One contact entry per district (all seventeen): who handles the permit, where, how
    to reach them; for a district without a guide, says so and where to ask."""
    return [
        _district_rule(
            d,
            "office",
            "工作居住证咨询电话、地址和办公时间",
            "工作居住证 咨询电话 办理地址 办公时间 在哪办 找谁",
            _office_text(d),
            d.office.source,
        )
        for d in knowledge.districts.values()
    ]


def upload_docs(knowledge: Knowledge) -> list[Doc]:
    """The upload rules (formats, size, seals, validity) of each district with a guide."""
    docs = []
    for d in knowledge.districts.values():
        u = d.uploads
        if u is None:
            continue
        lines = []
        for label, stated in (("格式", u.formats), ("大小", u.max_size_mb), ("盖章", u.seals), ("有效期", u.validity)):
            if stated.value is not None:
                value = "、".join(stated.value) if isinstance(stated.value, list) else stated.value
                unit = "MB以内" if label == "大小" else ""
                lines.append(f"{label}：{value}{unit}")
            elif stated.note:
                lines.append(f"{label}：{stated.note}")
        lines += [n.text for n in u.notes]
        source = next((s.source for s in (u.formats, u.max_size_mb, u.seals, u.validity) if s.source), None)
        docs.append(
            _district_rule(
                d,
                "uploads",
                "上传材料的格式、大小和盖章要求",
                "上传材料 格式 大小 盖章 扫描件 有效期要求",
                "；".join(lines),
                source,
            )
        )
    return docs


def _district_rule(d: District, part: str, title: str, question: str, text: str, source: str | None) -> Doc:
    """A district's own entry on one part of its file (``office``, ``uploads``): titled and
    matched in the district's name, cited to its guide, else to that part of its file."""
    return Doc(
        id=f"{part}:{d.id}",
        kind="rule",
        title=f"{d.name}{title}",
        answer=text,
        source=source or f"districts/{d.id}.yaml {part}",
        district=d.id,
        questions=[f"{d.name}{question}"],
        body=text,
    )
