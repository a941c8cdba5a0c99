"""HR deep links: /start payloads that preset the district, employer form and business.

A payload is the preset values joined by '-', district first: ``bda``,
``chaoyang-institution``, ``dongcheng-enterprise-renewal``. Telegram allows 64 characters
of [A-Za-z0-9_-] in a start parameter, which every combination fits.
"""

from __future__ import annotations

from typing import get_args

from ..knowledge.vocabulary import BusinessId, DistrictId, EmployerForm

DISTRICTS = set(get_args(DistrictId))
FORMS = set(get_args(EmployerForm))
BUSINESSES = set(get_args(BusinessId))


def encode_payload(district: str, employer_form: str | None = None, business: str | None = None) -> str:
    if district not in DISTRICTS:
        raise ValueError(f"unknown district {district!r}")
    if employer_form is not None and employer_form not in FORMS:
        raise ValueError(f"unknown employer form {employer_form!r}")
    if business is not None and business not in BUSINESSES:
        raise ValueError(f"unknown business {business!r}")
    return "-".join(p for p in (district, employer_form, business) if p)


def decode_payload(payload: str) -> dict[str, str]:
    """The presets a payload names; unknown parts are ignored (an old or mistyped link still works)."""
    parts = [p for p in (payload or "").strip().lower().split("-") if p]
    presets: dict[str, str] = {}
    if parts and parts[0] in DISTRICTS:
        presets["district"] = parts.pop(0)
    for part in parts:
        if part in FORMS and "employer_form" not in presets:
            presets["employer_form"] = part
        elif part in BUSINESSES and "business" not in presets:
            presets["business"] = part
    return presets


def share_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username}?start={payload}"
