"""The one command list (dialogs/commands.yaml): what the menu offers, /help lists and the
engine answers are the same commands."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.commands import commands, in_help, menu
from bot.dialog.engine import Event, Interview
from bot.dialog.messages import to_plain


@pytest.fixture(scope="module")
def interview(knowledge):
    return Interview(knowledge, today=dt.date(2026, 3, 2), bot_username="gjz_test_bot")


def test_menu_fits_telegram_and_holds_the_checklist():
    names = [name for name, _ in menu()]
    assert len(names) == len(set(names)) and "checklist" in names
    for name, description in menu():  # Bot API: 1-32 of a-z0-9_, a description of 1-256 characters
        assert name.isascii() and name.replace("_", "").isalnum() and name.islower() and len(name) <= 32
        assert 1 <= len(description) <= 256


def test_help_lists_every_menu_command(interview):
    text = to_plain(interview.handle(None, Event.typed("/help")).replies[0].text)
    for command in in_help():
        assert f"/{command.name} " in text


@pytest.mark.parametrize("name", [c.name for c in commands() if c.by in ("engine", "reminders")])
def test_every_listed_command_is_answered(interview, name):
    state = interview.handle(None, Event.typed("/start")).state
    turn = interview.handle(state, Event.typed(f"/{name}"))
    assert turn.replies and not any("没有这个命令" in r.text for r in turn.replies)


def test_an_unknown_command_is_not_answered_as_one(interview):
    state = interview.handle(None, Event.typed("/start")).state
    assert "没有这个命令" in interview.handle(state, Event.typed("/nosuch")).replies[0].text
