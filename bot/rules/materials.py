"""The checklist: the business's materials filtered to this applicant's case, in guide order."""

from __future__ import annotations

from dataclasses import dataclass

from ..knowledge.district import Business
from ..knowledge.materials import Material, MaterialRef, When
from .profile import Profile
from .result import MaterialItem

# Each `when` key and the profile field it is matched against.
WHEN_FIELDS = {
    "category": "category",
    "housing": "housing",
    "children": "children",
    "marital": "marital",
    "employer_form": "employer_form",
    "employer_sector": "employer_sector",
    "change": "info_change",
    "degree_abroad": "degree_abroad",
    "title": "title",
}


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
    """The materials of ``business`` that apply to ``profile``, once each, in the guide's order.

    An alternative group one of whose materials is required outright anyway (asked again by
    another ref of this case) is met by it: its other alternatives are left out."""
    refs = [ref for ref in business.materials if applies(ref.when, profile)]
    required = {ref.id for ref in refs if ref.one_of is None}
    met = {ref.one_of for ref in refs if ref.one_of is not None and ref.id in required}
    items: dict[str, MaterialItem] = {}
    for ref in refs:
        if ref.one_of in met and ref.id not in required:
            continue
        material = catalogue[ref.id]
        if ref.id in items:
            # the same document asked twice for this case (e.g. two housing kinds): one line, both notes
            if ref.note and ref.note not in items[ref.id].detail:
                items[ref.id].detail = ref.note + "\n" + items[ref.id].detail
            continue
        alternative = ref.one_of not in met
        items[ref.id] = MaterialItem(
            ref.id,
            material.official_name or material.name,
            detail(material, ref, profile.district, profile.business),
            provided_by=ref.provided_by or material.provided_by,
            one_of=ref.one_of if alternative else None,
            together_with=ref.with_ if alternative else None,
        )
    return list(items.values())


@dataclass
class Entry:
    """One line of the checklist: a material, or the alternatives for one requirement, each
    alternative the materials that go together (《不动产权证书》 / 网签合同 + 入住通知单)."""

    options: list[list[MaterialItem]]
    group: str | None = None  # the one_of id of an alternative group

    @property
    def items(self) -> list[MaterialItem]:
        return [item for option in self.options for item in option]

    @property
    def provided_by(self) -> str:
        return self.options[0][0].provided_by


PARTIES = ("applicant", "unit")


def entries(items: list[MaterialItem]) -> list[Entry]:
    """The checklist's lines in order: an alternative group at its first material's place."""
    lines: list[Entry] = []
    members: dict[str, list[MaterialItem]] = {}
    for item in items:
        if item.one_of is None:
            lines.append(Entry([[item]]))
        elif item.one_of in members:
            members[item.one_of].append(item)
        else:
            members[item.one_of] = [item]
            lines.append(Entry([], item.one_of))
    for entry in lines:
        if entry.group is None:
            continue
        heads = {i.id: [i] for i in members[entry.group] if i.together_with is None}
        for item in members[entry.group]:
            if item.together_with is not None:
                heads.setdefault(item.together_with, []).append(item)  # its head not in this case: alone
        entry.options = list(heads.values())
    return lines


def by_party(items: list[MaterialItem]) -> list[tuple[str, list[Entry]]]:
    """The lines grouped by who prepares them (applicant first, then the unit), each party's
    lines in the guide's order; a party with none is left out."""
    lines = entries(items)
    return [
        (party, [e for e in lines if e.provided_by == party])
        for party in PARTIES
        if any(e.provided_by == party for e in lines)
    ]
