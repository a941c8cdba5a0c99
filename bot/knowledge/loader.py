"""Load the knowledge folder into typed models, collecting every defect with its line.

Layout (see knowledge/README.md):
    sources.yaml  wages.yaml  city.yaml  holidays.yaml  synonyms.yaml
    districts/<id>.yaml   materials/*.yaml   faq/*.yaml
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ..resources import data_dir
from ..validation import describe
from .cited import Sources
from .crosscheck import cross_check
from .district import City, District
from .faq import Faq, FaqEntry, Synonyms
from .holidays import Holidays
from .materials import Material, MaterialCatalogue
from .vocabulary import DistrictId
from .wagetable import WageTable
from .yamlfile import KnowledgeError, Problem, YamlFile, read_yaml

ALL_DISTRICTS: tuple[str, ...] = get_args(DistrictId)

M = TypeVar("M", bound=BaseModel)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


E = TypeVar("E", bound=_Identified)


def default_knowledge_dir() -> Path:
    """``GJZ_KNOWLEDGE_DIR`` if set, else the package's ``knowledge/`` (the repository's, or the wheel's copy)."""
    env = os.environ.get("GJZ_KNOWLEDGE_DIR")
    if env:
        return Path(env)
    return data_dir("knowledge")


@dataclass
class Knowledge:
    root: Path
    sources: Sources
    wages: WageTable
    city: City
    holidays: Holidays
    synonyms: Synonyms
    districts: dict[str, District]
    materials: dict[str, Material]
    faq: list[FaqEntry]
    files: dict[str, YamlFile] = field(default_factory=dict, repr=False)

    @property
    def full_districts(self) -> list[District]:
        return [d for d in self.districts.values() if d.coverage == "full"]

    def summary(self) -> str:
        return (
            f"knowledge ok: {len(self.districts)} districts ({len(self.full_districts)} full), "
            f"{len(self.materials)} materials, {len(self.faq)} faq, "
            f"{len(self.synonyms.groups)} synonym groups"
        )


class _Collector:
    """Validates files one by one and keeps going, so one run reports every defect."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.files: dict[str, YamlFile] = {}

    def label(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def read(self, path: Path) -> YamlFile | None:
        label = self.label(path)
        if not path.exists():
            self.problems.append(Problem(label, None, "", "file is missing"))
            return None
        try:
            yf = read_yaml(path, label)
        except KnowledgeError as exc:
            self.problems.extend(exc.problems)
            return None
        self.files[label] = yf
        return yf

    def model(self, path: Path, model: type[M]) -> tuple[M | None, YamlFile | None]:
        """The file validated as ``model`` (None when it has defects) and the file as read (None when unreadable)."""
        yf = self.read(path)
        if yf is None:
            return None, None
        if yf.data is None:
            self.problems.append(yf.problem((), "file is empty"))
            return None, yf
        try:
            return model.model_validate(yf.data), yf
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
                self.problems.append(yf.problem(loc, describe(err)))
            return None, yf

    def entries(
        self, folder: Path, model: type[M], field: str, items: Callable[[M], Sequence[E]], what: str
    ) -> list[E]:
        """The entries (``field``) of every file in ``folder``, in file order; an id that a
        file before (or the same file) already gave is a problem."""
        seen: set[str] = set()
        kept: list[E] = []
        for path in sorted(folder.glob("*.yaml")):
            loaded, yf = self.model(path, model)
            if loaded is None or yf is None:
                continue
            for i, item in enumerate(items(loaded)):
                if item.id in seen:
                    self.problems.append(yf.problem((field, i, "id"), f"duplicate {what} id {item.id!r}"))
                seen.add(item.id)
                kept.append(item)
        return kept


def _is_union_tag(part: int | str) -> bool:
    # pydantic inserts the chosen union member ("list[...]", "function-after[...]") into locs.
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def load_knowledge(root: Path | None = None) -> Knowledge:
    """Load and cross-check the whole folder; raise KnowledgeError listing every defect."""
    root = Path(root) if root else default_knowledge_dir()
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), None, "", "knowledge folder not found")])
    c = _Collector(root)
    sources, _ = c.model(root / "sources.yaml", Sources)
    wages, _ = c.model(root / "wages.yaml", WageTable)
    city, _ = c.model(root / "city.yaml", City)
    holidays, _ = c.model(root / "holidays.yaml", Holidays)
    synonyms, _ = c.model(root / "synonyms.yaml", Synonyms)

    districts: dict[str, District] = {}
    for path in sorted((root / "districts").glob("*.yaml")):
        district, yf = c.model(path, District)
        if district is None or yf is None:
            continue
        if district.id != path.stem:
            c.problems.append(yf.problem(("id",), f"id {district.id!r} does not match the file name {path.stem!r}"))
        elif district.id in districts:
            c.problems.append(yf.problem(("id",), f"duplicate district id {district.id!r}"))
        districts[district.id] = district
    for missing in sorted(set(ALL_DISTRICTS) - set(districts)):
        if not (root / "districts" / f"{missing}.yaml").exists():
            c.problems.append(Problem(c.label(root / "districts"), None, missing, "district file is missing"))

    materials = {
        m.id: m
        for m in c.entries(root / "materials", MaterialCatalogue, "materials", lambda cat: cat.materials, "material")
    }
    faq = c.entries(root / "faq", Faq, "entries", lambda f: f.entries, "faq")

    if c.problems or sources is None or wages is None or city is None or holidays is None or synonyms is None:
        raise KnowledgeError(c.problems)
    problems = cross_check(
        files=c.files,
        sources=sources,
        wages=wages,
        city=city,
        synonyms=synonyms,
        districts=districts,
        materials=materials,
    )
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(root, sources, wages, city, holidays, synonyms, districts, materials, faq, c.files)


@lru_cache(maxsize=4)
def _cached(root: str) -> Knowledge:
    return load_knowledge(Path(root))


def get_knowledge(root: Path | None = None) -> Knowledge:
    """The loaded knowledge, read once per folder per process."""
    return _cached(str(Path(root) if root else default_knowledge_dir()))
