"""The checklist: the business's materials filtered to this applicant's case, in guide order."""

from __future__ import annotations

from ..knowledge.models import Business, Material, MaterialRef, When
from .profile import Profile
from .result import MaterialItem


def applies(when: When, profile: Profile) -> bool:
    """Every key the material names must match the profile; an unanswered key does not match."""
    def member(value, allowed) -> bool:
        return allowed is None or (value is not None and value in allowed)

    if not member(profile.category, when.category):
        return False
    if not member(profile.housing, when.housing):
        return False
    if not member(profile.marital, when.marital):
        return False
    if not member(profile.employer_form, when.employer_form):
        return False
    if not member(profile.employer_sector, when.employer_sector):
        return False
    if not member(profile.info_change, when.change):
        return False
    if not member(profile.title, when.title):
        return False
    if when.children is not None:
        if profile.children is None or (profile.children > 0) != when.children:
            return False
    if when.degree_abroad is not None and profile.degree_abroad != when.degree_abroad:
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
