"""Shared fixtures: the shipped knowledge, and a scratch copy a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import get_knowledge
from tests.pg import pg_server, pg_url  # noqa: F401  (fixtures: one PostgreSQL for the whole run)

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO / "knowledge"
GUIDES_DIR = REPO.parent / "shared" / "guides"
# CI clones the repo with shared/ beside it; a clone elsewhere skips what reads the guides.
needs_guides = pytest.mark.skipif(not GUIDES_DIR.is_dir(), reason="../shared/guides is not beside the repo")


@pytest.fixture(scope="session")
def knowledge():
    return get_knowledge(KNOWLEDGE_DIR)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ under tmp, for tests that plant a defect."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target
