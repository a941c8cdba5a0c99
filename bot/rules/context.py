"""The case under assessment: the profile plus what every rule needs to read alongside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from ..knowledge import Knowledge
from ..knowledge.district import District
from .profile import Profile
from .wages import WageFigure, wage_for_application
from .workdays import WorkCalendar


@dataclass
class Case:
    knowledge: Knowledge
    profile: Profile
    date: dt.date  # the application date
    calendar: WorkCalendar
    # set by the category rule when degree and years settle it without the category question
    inferred_category: str | None = None

    @cached_property
    def district(self) -> District:
        return self.knowledge.districts[self.profile.district]

    @cached_property
    def wage(self) -> WageFigure:
        return wage_for_application(self.knowledge.wages, self.date)
