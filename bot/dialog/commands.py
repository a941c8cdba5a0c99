"""The bot's commands as declared in dialogs/commands.yaml: one list for the Telegram menu,
/help and the engine, so a command cannot be answered yet missing from the menu, or listed
in /help yet unknown to the engine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import yaml

from ..resources import data_dir

Handler = Literal["engine", "reminders", "staff_list"]


@dataclass(frozen=True)
class Command:
    name: str
    by: Handler
    menu: str | None = None  # None: reached by buttons only, not in the menu nor in /help
    help: str | None = None

    @property
    def help_line(self) -> str:
        return self.help or self.menu or ""


@lru_cache(maxsize=1)
def commands() -> tuple[Command, ...]:
    data = yaml.safe_load((data_dir("dialogs") / "commands.yaml").read_text(encoding="utf-8"))
    return tuple(Command(**entry) for entry in data["commands"])


def menu() -> list[tuple[str, str]]:
    """(name, description) pairs in menu order, for setMyCommands."""
    return [(c.name, c.menu) for c in commands() if c.menu]


def in_help() -> list[Command]:
    return [c for c in commands() if c.menu]


def handled_by(handler: Handler) -> tuple[str, ...]:
    return tuple(c.name for c in commands() if c.by == handler)
