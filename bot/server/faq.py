"""The FAQ index a worker builds (again on every knowledge reload)."""

from __future__ import annotations


def faq_factory():
    from ..faq import FaqIndex

    return FaqIndex.build
