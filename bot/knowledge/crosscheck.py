"""Checks that span files: citations, material references, business coverage, ids."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from . import figures
from .cited import Sources
from .district import City, District
from .faq import Synonyms
from .materials import Material
from .vocabulary import CategoryId
from .wagetable import WageTable
from .yamlfile import Loc, Problem, YamlFile

# The loader calls cross_check with the parts it has read; each check names the parts it looks at,
# so this module needs nothing from the loader (no import cycle) and a check is testable on its own.
Files = dict[str, YamlFile]


def _walk(data: object, loc: Loc = ()) -> Iterator[tuple[Loc, object]]:
    yield loc, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, loc + (i,))


def _citations(files: Files, sources: Sources) -> Iterator[Problem]:
    """Every ``source`` names a document of sources.yaml, followed by a section."""
    known = set(sources.guides) | set(sources.other)
    for yf in files.values():
        for loc, value in _walk(yf.data):
            if not loc or loc[-1] != "source" or value is None:
                continue
            if not isinstance(value, str):
                continue  # the schema has reported it
            document = value.split(" ", 1)[0]
            if yf.label.endswith("sources.yaml"):
                continue
            if document not in known:
                yield yf.problem(loc, f"cites {document!r}, which sources.yaml does not list")
            elif " " not in value.strip() or len(value.split(" ", 1)[1].strip()) < 1:
                yield yf.problem(loc, "a citation needs the section after the file name (e.g. 'bda-2026.txt §二')")


def _file(files: Files, name: str) -> YamlFile:
    """The loaded file whose path ends with ``name`` (e.g. 'wages.yaml', 'districts/bda.yaml')."""
    return next(yf for label, yf in files.items() if label.endswith(name))


def _districts(
    files: Files, sources: Sources, districts: dict[str, District], materials: dict[str, Material]
) -> Iterator[Problem]:
    for d in districts.values():
        yf = _file(files, f"districts/{d.id}.yaml")
        if d.guide is not None:
            guide = sources.guides.get(d.guide)
            if guide is None:
                yield yf.problem(("guide",), f"guide {d.guide!r} is not listed in sources.yaml")
            else:
                for business_id in guide.covers:
                    b = d.businesses.get(business_id)
                    if b is None or not b.described:
                        yield yf.problem(
                            ("businesses",), f"business {business_id!r} is described in {d.guide} but missing here"
                        )
        offered: set[CategoryId] = set()
        if d.applicant:
            for i, category in enumerate(d.applicant.categories):
                if category.id in offered:
                    yield yf.problem(("applicant", "categories", i, "id"), f"duplicate category {category.id!r}")
                offered.add(category.id)
            for i, cat in enumerate(d.applicant.income.categories):
                if cat not in offered:
                    yield yf.problem(
                        ("applicant", "income", "categories", i), f"category {cat!r} is not offered by this district"
                    )
        for bid, business in d.businesses.items():
            seen: set[tuple[str, str]] = set()
            for i, ref in enumerate(business.materials):
                loc = ("businesses", bid, "materials", i)
                if ref.id not in materials:
                    yield yf.problem(loc + ("id",), f"material {ref.id!r} is not in the materials catalogue")
                key = (ref.id, ref.when.model_dump_json())
                if key in seen:
                    yield yf.problem(loc + ("id",), f"material {ref.id!r} is listed twice for the same case")
                seen.add(key)
                for j, cat in enumerate(ref.when.category or []):
                    if offered and cat not in offered:
                        yield yf.problem(
                            loc + ("when", "category", j), f"category {cat!r} is not offered by this district"
                        )


def _material_notes(files: Files, districts: dict[str, District], materials: dict[str, Material]) -> Iterator[Problem]:
    """A note's districts are data: a statement that names a district in its text (经开区：…,
    （朝阳、东城）) but does not hold for it only there would show one district's rule to another."""
    names = {d.id: sorted({d.name, *d.aliases}, key=len, reverse=True) for d in districts.values()}
    for label, yf in files.items():
        if "materials/" not in label:
            continue
        data = yf.data if isinstance(yf.data, dict) else {}
        for i, raw in enumerate(data.get("materials") or []):
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            material = materials.get(raw_id) if isinstance(raw_id, str) else None
            if material is None:
                continue
            for field in ("upload", "mistakes"):
                for j, note in enumerate(getattr(material, field)):
                    loc: Loc = ("materials", i, field, j)
                    if isinstance(raw.get(field), list) and isinstance(raw[field][j], dict):
                        loc += ("text",)
                    for district, words in names.items():
                        if note.districts is not None and district in note.districts:
                            continue
                        word = next((w for w in words if w in note.text), None)
                        if word:
                            yield yf.problem(
                                loc,
                                f"names {word!r} ({district}) in its text: give the districts "
                                f"it holds for as `districts: [...]` instead",
                            )
                            break


def _wages(files: Files, wages: WageTable) -> Iterator[Problem]:
    yf = _file(files, "wages.yaml")
    years = sorted(wages.values)
    for a, b in itertools.pairwise(years):
        if b != a + 1:
            yield yf.problem(("values", b), f"wage table has a gap between {a} and {b}")


def _city(files: Files, city: City) -> Iterator[Problem]:
    yf = _file(files, "city.yaml")
    ids = [c.id for c in city.categories]
    for i, cid in enumerate(ids):
        if ids.index(cid) != i:
            yield yf.problem(("categories", i, "id"), f"duplicate category {cid!r}")


def _synonyms(files: Files, synonyms: Synonyms) -> Iterator[Problem]:
    yf = _file(files, "synonyms.yaml")
    words = {w for group in synonyms.groups for w in group}
    for i, pair in enumerate(synonyms.distinct):
        for j, word in enumerate(pair):
            if word not in words:
                yield yf.problem(("distinct", i, j), f"{word!r} is in no synonym group")


def cross_check(
    *,
    files: Files,
    sources: Sources,
    wages: WageTable,
    city: City,
    synonyms: Synonyms,
    districts: dict[str, District],
    materials: dict[str, Material],
) -> list[Problem]:
    """Every defect that spans files, given the files as read and the models validated from them."""
    return [
        *_citations(files, sources),
        *_districts(files, sources, districts, materials),
        *_material_notes(files, districts, materials),
        *_wages(files, wages),
        *_city(files, city),
        *_synonyms(files, synonyms),
        *figures.problems(files, districts),
    ]
