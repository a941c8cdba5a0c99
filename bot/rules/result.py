"""What an assessment returns: plain data, the same for every channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ..knowledge.cited import Condition

Status = Literal["pass", "fail", "unknown", "confirm"]
Verdict = Literal["eligible", "ineligible", "needs_more_info", "refer"]


@dataclass
class Check:
    id: str
    status: Status
    message: str
    source: str | None
    # unknown: the profile fields that would decide it, most decisive first
    needs: list[str] = field(default_factory=list)
    # fail: what would change it
    advice: str | None = None
    # the rules cannot answer this safely: the verdict becomes "refer" to the district office
    refer: bool = False
    # who confirms or fixes it: the applicant, or the unit (its HR staff, for unit conditions)
    party: Literal["applicant", "unit"] = "applicant"
    # a confirm-only condition that another check already states (Condition.same_as)
    same_as: str | None = None
    # fail: the day the condition will be met by time alone (months with the employer), as
    # data, so a reminder can be set for it without reading the advice text
    met_from: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "message": self.message, "source": self.source}


def failed(check_id: str, message: str, source: str | None, advice: str, met_from: dt.date | None = None) -> Check:
    """A condition not met: what fails and by how much, its source, and (required) what would
    change it, since a refusal without a way forward is the verdict people cannot act on."""
    return Check(check_id, "fail", message, source, advice=advice, met_from=met_from)


def unknown(check_id: str, message: str, source: str | None, *needs: str) -> Check:
    """A condition the answers so far cannot decide; ``needs``: the fields that would, most decisive first."""
    return Check(check_id, "unknown", message, source, list(needs))


def confirm_all(prefix: str, conditions: Iterable[Condition]) -> list[Check]:
    """One ``confirm`` check per stated condition, its id prefixed (``prefix_<id>``)."""
    return [
        Check(f"{prefix}_{c.id}", "confirm", c.text, c.cite_as or c.source, party=c.party, same_as=c.same_as)
        for c in conditions
    ]


@dataclass
class Deadline:
    id: Literal["window_opens", "submit_by", "expires"]
    date: dt.date
    label: str
    certain: bool = True  # False where the official holiday calendar does not cover the span

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date.isoformat(), "label": self.label}


@dataclass
class MaterialItem:
    id: str
    name: str
    detail: str
    # who gets it ready: the applicant, or the unit (its HR staff)
    provided_by: Literal["applicant", "unit"] = "applicant"
    # alternatives: items sharing ``one_of`` answer one requirement, any one of them will do;
    # an item ``together_with`` another material is part of that one's alternative
    one_of: str | None = None
    together_with: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Assessment:
    district: str
    business: str
    application_date: dt.date
    verdict: Verdict
    checks: list[Check]
    missing: list[str]
    materials: list[MaterialItem]
    deadlines: list[Deadline]
    advice: list[str]
    disclaimer: str
    # context a renderer needs: district name, guide date, office contact, wage figure used
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def qualifies_from(self) -> dt.date | None:
        """ "From date X you qualify": when every failing condition is one that time alone
        meets (``met_from``), the latest of those days; otherwise None."""
        fails = [c for c in self.checks if c.status == "fail"]
        days = [c.met_from for c in fails if c.met_from is not None]
        if not fails or len(days) < len(fails):
            return None
        return max(days)

    def to_json(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "business": self.business,
            "application_date": self.application_date.isoformat(),
            "verdict": self.verdict,
            "checks": [c.to_json() for c in self.checks],
            "missing": self.missing,
            "materials": [m.to_json() for m in self.materials],
            "deadlines": [d.to_json() for d in self.deadlines],
            "advice": self.advice,
            "disclaimer": self.disclaimer,
        }


def decide(checks: list[Check]) -> tuple[Verdict, list[str]]:
    """A failed condition decides; otherwise unknowns that could change it ask for more."""
    if any(c.status == "fail" for c in checks):
        return "ineligible", []
    if any(c.refer for c in checks):
        return "refer", []
    missing: list[str] = []
    for c in checks:
        if c.status == "unknown":
            for need in c.needs:
                if need not in missing:
                    missing.append(need)
    if missing:
        return "needs_more_info", missing
    return "eligible", []
