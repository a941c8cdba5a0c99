"""`gjz chat`: the same interview in a terminal, one line of input per answer.

Buttons become numbered options; typing the number presses the button. It reads standard
input line by line, so a maintainer can pipe a script of answers through it to try a
knowledge change:  printf '亦庄\n新办\n...' | gjz chat
"""

from __future__ import annotations

import sys
from typing import TextIO

from .dialog.engine import Interview
from .dialog.messages import Reply
from .dialog.turn import Event


def _show(reply: Reply, out: TextIO, numbered: list[tuple[str, str]]) -> None:
    """Print a reply; its buttons (label, callback data) are numbered on from ``numbered``,
    so every button of a turn has its own number (an FAQ suggestion [2] is not the resumed
    question's [2])."""
    print(reply.plain(), file=out)
    if reply.document and reply.document_text is not None:  # a file that says more than the message
        print(f"\n📎 {reply.document}\n{reply.document_text}", file=out)
    for row in reply.buttons:
        for button in row:
            numbered.append((button.label, button.data))
            print(f"  [{len(numbered)}] {button.label}", file=out)
    print(file=out)


def _event(line: str, buttons: list[tuple[str, str]], typed_question: bool) -> Event:
    """A command, a pressed button (its label or its number), or a typed message. While the
    question asked wants a typed figure and has no buttons of its own, a bare number is that
    figure ("1" to "工作多久"), not the number of an earlier reply's button."""
    text = line.strip()
    if text.startswith("/"):
        return Event.typed(text)
    for label, data in buttons:
        if text == label:
            return Event.button(data)
    pressable = text.isascii() and text.isdigit() and 1 <= int(text) <= len(buttons)  # "²" is a digit to isdigit()
    if pressable and not typed_question:
        return Event.button(buttons[int(text) - 1][1])
    return Event.message(text)


def run_chat(interview: Interview, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout, payload: str = "") -> int:
    state, event = None, Event.command("start", payload)
    interactive = stdin.isatty()
    reminders: dict[str, dict] = {}  # what a store would keep of 提醒我 (never sent here), for /reminders
    while True:
        pending = [{k: r[k] for k in ("key", "at", "label")} for r in reminders.values()]
        turn = interview.handle({**(state or {}), "reminders": pending} if pending else state, event)
        state = turn.state
        for key in turn.cancel_reminders:
            reminders.pop(key, None)
        reminders.update({r["key"]: r for r in turn.reminders})
        if turn.forget:
            reminders.clear()
        buttons: list[tuple[str, str]] = []
        for reply in turn.replies:
            _show(reply, out, buttons)
        asking = (state or {}).get("asking")
        typed_question = (
            bool(turn.replies)
            and not turn.replies[-1].buttons
            and asking is not None
            and interview.spec.questions[asking].kind not in ("choice", "yesno", "declare")
        )
        if interactive:
            print("> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            break
        if not interactive:
            print(f"> {line.rstrip()}", file=out)
        if line.strip() in ("/quit", "/exit"):
            break
        event = _event(line, buttons, typed_question)
    return 0
