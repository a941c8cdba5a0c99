"""Guide texts cut into passages at their own headings.

The guides are PDF/Word extractions (see ../shared/guides/README.md): hard-wrapped lines,
table cells on separate lines, stray page furniture. A heading is a short line that opens
with the guides' numbering: 一、 (or 1、 in the Tongzhou guide's first sections), （一）,
【办理材料】, Ⅰ., 附件一. The section label follows the knowledge's citation style, e.g.
``§六(四) 【续签条件】``, so an answer from a passage names its file and section the way
``knowledge/`` cites them. Long sections are cut again at line ends into pieces of about
``MAX_CHARS``; each piece keeps its section's label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .docs import Doc

if TYPE_CHECKING:
    from ..knowledge import Knowledge

MAX_CHARS = 320
QUOTE_CHARS = 220
_NUM = "一二三四五六七八九十"
_ARABIC: dict[str, str] = {str(i): n for i, n in enumerate(["", *_NUM], start=0) if i}

_NOISE = re.compile(r"\[bookmark:[^\]]*\]|热门城市落户资料\s*\(微信小程序\)")
_L1 = re.compile(rf"^\s*([{_NUM}]+|\d{{1,2}})、\s*(.{{1,28}})$")
_L2 = re.compile(rf"^\s*[（(]([{_NUM}]+|\d{{1,2}})[）)]\s*(.{{1,28}})$")
_L3 = re.compile(r"^\s*【([^】]{1,14})】\s*(.{0,20})$")
_ROMAN = re.compile(r"^\s*([ⅠⅡⅢⅣⅤⅥ])[.．、]\s*(.{1,30})$")
_ANNEX = re.compile(rf"^\s*附件\s*([{_NUM}\d]{{1,2}})\s*[：:]?\s*(.{{0,30}})$")


@dataclass
class Passage:
    file: str
    section: str  # "§六(四) 【续签条件】"
    heading: str  # the headings' own words: "员工个人证件续签 续签条件"
    text: str
    part: int  # 1-based piece number within the section


def _numeral(token: str) -> str:
    return _ARABIC.get(token, token)


def _rank(numeral: str) -> int:
    """一 → 1 … 十九 → 19 (the guides' section numbers)."""
    if numeral.isdigit():
        return int(numeral)
    if numeral.startswith("十"):
        return 10 + (_NUM.index(numeral[1]) + 1 if len(numeral) > 1 else 0)
    return _NUM.index(numeral[0]) + 1 if len(numeral) == 1 else 10 * (_NUM.index(numeral[0]) + 1)


def _title_ok(title: str) -> bool:
    """A heading's words: no sentence punctuation (a list item or a wrapped sentence has)."""
    return not any(c in title for c in "，。；：:;,")


def cut(text: str, file: str) -> list[Passage]:
    """The passages of one guide, in order.

    A numbered heading must continue its level's numbering (一 after nothing, 二 after 一);
    a list that restarts at 一 inside a section (the Chaoyang guide numbers its process
    steps 一、二、…) is body text until the next 【】 heading.
    """
    l1 = l2 = l3 = ""
    h1 = h2 = h3 = ""
    n1 = n2 = 0
    sublist = ""  # the numbering style ("han" or "arabic") of a list that restarted at 1
    rows = False
    out: list[Passage] = []
    buf: list[str] = []

    def flush() -> None:
        body = " ".join(buf).strip()
        buf.clear()
        if len(body) < 8:
            return
        section = (f"§{l1}" + (f"({l2})" if l2 else "") + (f" {l3}" if l3 else "")) if l1 else (l3 or "开篇")
        heading = " ".join(h for h in (h1, h2, h3) if h)
        for n, piece in enumerate(_pieces(body), start=1):
            out.append(Passage(file, section, heading, piece, n))

    for raw in text.splitlines():
        line = _NOISE.sub("", raw).strip()
        if not line:
            continue
        if line == "序号":
            rows = True
        m1, m2 = _L1.match(line), _L2.match(line)
        style = ("arabic" if m1.group(1).isdigit() else "han") if m1 else ""
        if (m := _ANNEX.match(line)) and _title_ok(m.group(2)):
            flush()
            l1, h1, l2, h2, l3, h3 = "", "", "", "", f"附件{_numeral(m.group(1))}", m.group(2)
            n1 = n2 = 0
            sublist = ""
        elif m1 and _title_ok(m1.group(2)) and sublist != style and _rank(m1.group(1)) == n1 + 1:
            flush()
            l1, h1, l2, h2, l3, h3 = _numeral(m1.group(1)), m1.group(2).strip(), "", "", "", ""
            n1, n2 = n1 + 1, 0
        elif m1 and n1 and _rank(m1.group(1)) == 1 and l3:
            sublist = style
            buf.append(line)
        elif m2 and _title_ok(m2.group(2)) and n1 and _rank(m2.group(1)) == n2 + 1:
            flush()
            l2, h2, l3, h3 = _numeral(m2.group(1)), m2.group(2).strip(), "", ""
            n2 += 1
            sublist = ""
        elif m := _L3.match(line):
            flush()
            l3, h3 = f"【{m.group(1)}】", m.group(1)
            sublist = ""
            if m.group(2):
                buf.append(m.group(2))
        elif (m := _ROMAN.match(line)) and _title_ok(m.group(2)):
            flush()
            l3, h3 = m.group(1), m.group(2).strip()
        elif rows and line.isdigit() and len(line) <= 2:
            flush()
            l3, h3 = f"序号{line}", ""
        else:
            buf.append(line)
    flush()
    return out


def _pieces(body: str) -> list[str]:
    if len(body) <= MAX_CHARS:
        return [body]
    pieces, cur = [], ""
    for sentence in re.split(r"(?<=[。；;])", body):
        if cur and len(cur) + len(sentence) > MAX_CHARS:
            pieces.append(cur.strip())
            cur = ""
        cur += sentence
        while len(cur) > MAX_CHARS * 1.5:  # a table or a sentence with no stop
            pieces.append(cur[:MAX_CHARS].strip())
            cur = cur[MAX_CHARS:]
    if cur.strip():
        pieces.append(cur.strip())
    return pieces


def quote(passage: Passage) -> str:
    text = passage.text if len(passage.text) <= QUOTE_CHARS else passage.text[:QUOTE_CHARS] + "…"
    return f"指南原文（{passage.file} {passage.section}）：“{text}”"


def guide_docs(guides_dir: Path, knowledge: Knowledge) -> list[Doc]:
    """Passages of every guide the knowledge lists in sources.yaml and the folder holds."""
    docs = []
    for file, info in knowledge.sources.guides.items():
        path = Path(guides_dir) / file
        if not path.is_file():
            continue
        for i, p in enumerate(cut(path.read_text(encoding="utf-8"), file)):
            docs.append(
                Doc(
                    id=f"guide:{file}#{i + 1}",
                    kind="guide",
                    title=f"{file} {p.section} {p.heading}".strip(),
                    answer=quote(p),
                    source=f"{file} {p.section}",
                    district=info.district,
                    questions=[p.heading] if p.heading else [],
                    body=p.text,
                )
            )
    return docs
