"""The checklist: the business's materials filtered to this applicant's case, in guide order."""

from __future__ import annotations

from ..knowledge.models import Business, Material, MaterialRef, When
from .profile import Profile
from .result import MaterialItem


# Each `when` key and the profile field it is matched against.
WHEN_FIELDS = {"category": "category", "housing": "housing", "children": "children", "marital": "marital",
               "employer_form": "employer_form", "employer_sector": "employer_sector", "change": "info_change",
               "degree_abroad": "degree_abroad", "title": "title"}


def applies(when: When, profile: Profile) -> bool:
    """Every key the material names must match the profile; an unanswered key does not match."""
    for key, allowed in when:
        if allowed is None:
            continue
        value = getattr(profile, WHEN_FIELDS[key])
        if value is None:
            return False
        if key == "children":
            if (value > 0) != allowed:
                return False
        elif isinstance(allowed, bool):
            if value != allowed:
                return False
        elif value not in allowed:
            return False
    return True


def detail(material: Material, ref: MaterialRef, district: str, business: str | None = None) -> str:
    """The district's own note first (it is specific); the catalogue's notes for this district
    where there is none. Notes carry their districts as data (knowledge/materials/*.yaml)."""
    parts = [ref.note] if ref.note else ["".join(_sentence(t) for t in material.upload_for(district, business))]
    mistakes = material.mistakes_for(district, business)
    if mistakes:
        parts.append("常见退回原因：" + "；".join(mistakes))
    return "\n".join(p for p in parts if p)


def _sentence(text: str) -> str:
    # Notes are stored one statement each; shown as one paragraph.
    return text if text.endswith(("。", "！", "？")) else text + "。"


def checklist(business: Business, catalogue: dict[str, Material], profile: Profile) -> list[MaterialItem]:
    """The materials of ``business`` that apply to ``profile``, once each, in the guide's order."""
    items: dict[str, MaterialItem] = {}
    for ref in business.materials:
        if not applies(ref.when, profile):
            continue
        material = catalogue[ref.id]
        if ref.id in items:
            # the same document asked twice for this case (e.g. two housing kinds): one line, both notes
            if ref.note and ref.note not in items[ref.id].detail:
                items[ref.id].detail = ref.note + "\n" + items[ref.id].detail
            continue
        items[ref.id] = MaterialItem(ref.id, material.official_name or material.name, detail(material, ref, profile.district, profile.business))
    return list(items.values())
