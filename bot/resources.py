"""Where the package finds its data (knowledge/, dialogs/) and the checkout it may run from.

Maintainers edit ``knowledge/`` and ``dialogs/`` at the top of the repository. A built wheel
carries them inside the package as ``bot/_knowledge`` and ``bot/_dialogs`` (pyproject.toml maps
the folders to those data packages), and they are found there with ``importlib.resources``. A
source tree — a checkout under ``pip install -e .`` (setuptools' editable finder cannot import a
data folder that has no ``__init__.py``), or a ``git archive`` extract put on ``sys.path`` by a
benchmark — has no copy inside ``bot/``; there the folders beside ``bot/`` are read in place, so
an edit is live at once and an extracted older tree reads its own data, not this checkout's.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_PACKAGE = __name__.rpartition(".")[0]  # 'bot'
_SOURCE_ROOT = Path(__file__).resolve().parents[1]  # the folder holding bot/: a checkout, or site-packages
SHIPPED = {"knowledge": "_knowledge", "dialogs": "_dialogs"}  # repository folder -> its name inside the wheel


def data_dir(name: str) -> Path:
    """The folder ``name`` ('knowledge' or 'dialogs') of this copy of the package."""
    shipped = importlib.resources.files(_PACKAGE) / SHIPPED[name]
    # An installed wheel is plain files, so the Traversable is a real folder (no zip imports).
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    beside = _SOURCE_ROOT / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(
        f"{name}/ is neither inside the package ({shipped}) nor beside it ({beside}); "
        "reinstall gjz-bot from a complete checkout or wheel"
    )


def checkout() -> Path | None:
    """The repository this package runs from (an editable install or a source tree), else None.

    Only maintainers' tools need it (the golden profiles under tests/, the README's examples,
    git): an installed wheel has no repository beside it.
    """
    return _SOURCE_ROOT if (_SOURCE_ROOT / "pyproject.toml").is_file() else None
