"""What a channel and the engine exchange: an Event in, a Turn out, the state between.

Plain data only, so the adapters (Telegram, terminal, webhook workers), the stores and the
reminders can use them without importing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..rules import Assessment
    from .messages import Reply

STATE_VERSION = 1


@dataclass
class Event:
    kind: str  # "text", "button", "command"
    text: str = ""
    arg: str = ""

    @classmethod
    def command(cls, name: str, arg: str = "") -> Event:
        return cls("command", name, arg)

    @classmethod
    def button(cls, data: str) -> Event:
        return cls("button", data)

    @classmethod
    def message(cls, text: str) -> Event:
        return cls("text", text)

    @classmethod
    def typed(cls, text: str) -> Event:
        """What a user typed: '/name arg' is a command ('/name@bot' as Telegram sends it in
        groups), anything else a message."""
        if text.startswith("/"):
            head, _, arg = text[1:].partition(" ")
            return cls.command(head.split("@", 1)[0], arg.strip())
        return cls.message(text)


@dataclass
class Turn:
    state: dict[str, Any] | None
    replies: list[Reply] = field(default_factory=list)
    forget: bool = False  # the user asked to delete everything stored about them
    assessment: Assessment | None = None  # set when this turn produced a result
    # What the store keeps beside the interview (bot/reminders), as plain data, in the turn's
    # transaction: reminders to add (Planned.to_json), reminder keys to cancel ("*": all),
    # the /mute choice, and the verdict given (for `gjz notify`, notify.verdict_record).
    reminders: list[dict[str, Any]] = field(default_factory=list)
    cancel_reminders: list[str] = field(default_factory=list)
    mute: bool | None = None
    record: dict[str, Any] | None = None


def new_state() -> dict[str, Any]:
    return {
        "v": STATE_VERSION,
        "answers": {},
        "history": [],
        "skipped": [],
        "asking": None,
    }  # asking None after a turn: the verdict is given
