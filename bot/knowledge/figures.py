"""Income figures written into FAQ answers as placeholders, never typed as numbers.

A threshold is a district's multiple times the average wage of the year before the
application (wages.yaml), so an answer typed with "1.5倍为14110.5元" is right for one year
only. An FAQ answer names the figure instead, and the FAQ renders it from the wage table
with the rules' own threshold function (bot/faq/figures.py):

    {monthly:1.5}   the monthly threshold for 1.5 × (e.g. 17,906)
    {annual:4}      the yearly one for 4 × (twelve monthly thresholds)
    {year}          the application year the figures are for (this year)
    {measured_year} the wage year the rule names (the year before)
    {wage}          the average monthly wage used, and {wage_year} its year
    {provisional}   "（…暂参照…）" while the measured year is not published, else nothing

``problems`` is what ``gjz check`` says of them: an unknown name, a missing multiple, or a
multiple the entry's district does not use is an error naming file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .district import District
from .yamlfile import Problem, YamlFile

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MULTIPLIED = ("monthly", "annual")  # take ":<multiple>"
PLAIN = ("year", "measured_year", "wage", "wage_year", "provisional")


def parse(body: str) -> tuple[str, float | None]:
    """A placeholder's name and multiple ('monthly:1.5' -> ('monthly', 1.5)); ValueError if unknown."""
    name, _, arg = body.strip().partition(":")
    if name in PLAIN and not arg:
        return name, None
    if name in MULTIPLIED:
        try:
            return name, float(arg)
        except ValueError:
            raise ValueError(f"{{{body}}} needs a multiple, e.g. {{{name}:1.2}}") from None
    known = ", ".join([*(f"{n}:<倍数>" for n in MULTIPLIED), *PLAIN])
    raise ValueError(f"unknown placeholder {{{body}}} (known: {known})")


def multiples(district: District) -> set[float]:
    """The multiples a district's rules use: its income floor and its high-income categories."""
    a = district.applicant
    if a is None:
        return set()
    found = {m.multiple for m in a.income.multiples}
    found |= {c.test.annual_income_multiple for c in a.categories if c.test.annual_income_multiple is not None}
    return found


def problems(files: dict[str, YamlFile], districts: dict[str, District]) -> Iterator[Problem]:
    """Each FAQ answer's placeholders are known, and each multiple is one its district uses
    (a city-wide answer: one some district uses), so a changed multiple cannot leave an
    answer stating the old one."""
    anywhere = set().union(*(multiples(d) for d in districts.values()))
    for label, yf in files.items():
        if "/faq/" not in f"/{label}" or not isinstance(yf.data, dict):
            continue
        for i, entry in enumerate(yf.data.get("entries") or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("answer"), str):
                continue
            district = districts.get(entry.get("district") or "")
            allowed = multiples(district) if district is not None else anywhere
            for m in PLACEHOLDER.finditer(entry["answer"]):
                try:
                    _, multiple = parse(m.group(1))
                except ValueError as exc:
                    yield yf.problem(("entries", i, "answer"), str(exc))
                    continue
                if multiple is not None and multiple not in allowed:
                    whose = f"{district.id}'s rules use" if district is not None else "the districts' rules use"
                    used = ", ".join(f"{x:g}" for x in sorted(allowed)) or "none"
                    yield yf.problem(("entries", i, "answer"), f"{{{m.group(1)}}}: {whose} {used}, not {multiple:g}")
