"""Reply texts: Jinja2 templates in dialogs/templates rendered to Telegram HTML, and the
splitting of long messages under Telegram's 4096-character limit."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2

from .spec import DIALOGS_DIR

TELEGRAM_LIMIT = 4096


@dataclass
class Button:
    label: str
    data: str  # callback data, at most 64 bytes (Telegram's limit)

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > 64:
            raise ValueError(f"callback data over 64 bytes: {self.data!r}")


@dataclass
class Reply:
    text: str
    html: bool = True
    buttons: list[list[Button]] = field(default_factory=list)
    document: str | None = None  # also send the text as a file of this name (forwardable)
    # the file's own text where it says more than the message (the checklist's details)
    document_text: str | None = None

    def plain(self) -> str:
        """The text without markup, for the terminal and for forwarding."""
        return to_plain(self.text) if self.html else self.text

    def document_content(self) -> str:
        """What the file of ``document`` holds: its own text, or the message's."""
        return self.document_text if self.document_text is not None else self.plain()


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(DIALOGS_DIR / "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )  # compiled once: no stat() of the template file on every render
    return env


def render(template: str, **context: object) -> str:
    return _env().get_template(template).render(**context).strip()


def render_inline(template: str, **context: object) -> str:
    """A text with placeholders (a question's words), not a template file."""
    return _compiled(template).render(**context)


@lru_cache(maxsize=64)
def _compiled(template: str) -> jinja2.Template:
    """A question text with placeholders, compiled once (it is shown on many turns)."""
    compiled: jinja2.Template = jinja2.Template(template)  # jinja2 leaves Template.__new__ untyped
    return compiled


def to_plain(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut at line boundaries so each part fits. The templates keep every tag within one line,
    except a <blockquote> block, which is kept whole (or, if it alone is too long, unquoted and
    cut by lines). A single over-long line is cut as plain text. A cut never falls in a tag."""
    parts: list[str] = []
    current = ""

    def add(unit: str) -> None:
        nonlocal current
        candidate = f"{current}\n{unit}" if current else unit
        if len(candidate) <= limit:
            current = candidate
            return
        if current:
            parts.append(current)
        current = ""
        if len(unit) <= limit:
            current = unit
        elif "\n" in unit:
            for line in unit.split("\n"):
                add(line)
        else:
            plain = html.escape(to_plain(unit), quote=False)
            while plain:
                cut = _safe_cut(plain, limit)
                parts.append(plain[:cut])
                plain = plain[cut:]

    for unit in _units(text):
        if len(unit) > limit and unit.startswith("<blockquote"):
            inner = unit.split("\n")[1:-1]
            for line in inner:
                add(line)
        else:
            add(unit)
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()]


def _units(text: str) -> list[str]:
    """Lines, with each <blockquote>…</blockquote> block joined into one unit."""
    units: list[str] = []
    block: list[str] | None = None
    for line in text.split("\n"):
        if block is not None:
            block.append(line)
            if line.strip() == "</blockquote>":
                units.append("\n".join(block))
                block = None
        elif line.startswith("<blockquote") and "</blockquote>" not in line:
            block = [line]
        else:
            units.append(line)
    if block:
        units.extend(block)
    return units


def _safe_cut(text: str, limit: int) -> int:
    """A cut at most ``limit`` long that does not split an HTML entity like '&amp;'."""
    cut = min(limit, len(text))
    amp = text.rfind("&", max(0, cut - 8), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    return cut
