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


# How the catalogue names the seeded districts when a sentence is about one of them only.
_DISTRICT_WORDS = {"bda": ("经开区", "开发区"), "chaoyang": ("朝阳",), "dongcheng": ("东城",), "tongzhou": ("通州",)}


def _about_other_district(text: str, district: str) -> bool:
    """True if the text names another seeded district and not this one."""
    own = _DISTRICT_WORDS.get(district, ())
    others = [w for d, words in _DISTRICT_WORDS.items() if d != district for w in words]
    return any(w in text for w in others) and not any(w in text for w in own)


def detail(material: Material, ref: MaterialRef, district: str) -> str:
    """The district's own note first (it is specific); the catalogue's text where there is none."""
    parts = [ref.note] if ref.note else [material.upload]
    mistakes = [m for m in material.mistakes if not _about_other_district(m, district)]
    if mistakes:
        parts.append("常见退回原因：" + "；".join(mistakes))
    return "\n".join(parts)


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
        items[ref.id] = MaterialItem(ref.id, material.official_name or material.name, detail(material, ref, profile.district))
    return list(items.values())
