"""Helpers for the tests that plant a defect in a copy of knowledge/ and read what `gjz check` says."""

import re
from pathlib import Path

from bot.cli import main


def run_check(path: Path, capsys) -> tuple[int, str, str]:
    code = main(["check", "--knowledge", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def check_names(knowledge: Path, capsys, file: str, old: str, new: str, at: str | None, says: str) -> None:
    """Plant one defect (`old` → `new` in `file`): `gjz check` must fail, and its error must name the
    file, the line holding `at` (any line when None) and then match `says` (field path and message)."""
    path = knowledge / file
    edit(path, old, new)
    code, _, err = run_check(knowledge, capsys)
    assert code == 1, err
    line = line_of(path, at) if at is not None else r"\d+"
    assert re.search(rf"knowledge/{re.escape(file)}:{line}: {says}", err), err
    assert "Traceback" not in err
