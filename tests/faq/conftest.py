"""One index per test session: with the guide passages (GUIDES_DIR) and without."""

from __future__ import annotations

import pytest

from bot.faq import FaqIndex
from tests.conftest import GUIDES_DIR


@pytest.fixture(scope="session")
def index(knowledge):
    return FaqIndex.build(knowledge, guides_dir=GUIDES_DIR if GUIDES_DIR.is_dir() else None)


@pytest.fixture(scope="session")
def index_no_guides(knowledge):
    return FaqIndex.build(knowledge, guides_dir=None, include_guides=False)
