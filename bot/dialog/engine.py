"""The interview engine: (state, user input) -> (new state, replies). Pure and Telegram-free.

The state is a small JSON-able dict (the answers so far, their order, what is being asked),
so any store can keep it and any channel can drive it. The next question is whatever the
eligibility rules still miss (``missing``), then what tailors the checklist; the interview
ends as soon as the verdict is decided.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from ..knowledge import Knowledge
from ..rules import Assessment, Profile, assess
from . import parsers, routing
from .command_handlers import CommandHandlers
from .commands import handled_by
from .messages import Button, Reply, render, render_inline
from .presenter import result_reply
from .questions import FaqSearch, answer_question, chosen_answer, looks_like_question
from .reader import AskBack, NotTaken, ReadContext, Reading, Taken, read_answer
from .spec import InterviewSpec, Question, load_spec, options_for, question_context
from .stated import StatedFacts
from .turn import STATE_VERSION, Event, Turn

COMMANDS = handled_by("engine")  # dialogs/commands.yaml, the menu's and /help's list too


class Interview(StatedFacts, CommandHandlers):
    """One interview definition over one knowledge base; handle() is the whole API. The commands
    are answered in bot/dialog/command_handlers.py, stated facts and corrections in stated.py."""

    def __init__(
        self,
        knowledge: Knowledge,
        spec: InterviewSpec | None = None,
        faq: FaqSearch | None = None,
        bot_username: str = "gjz_bot",
        today: dt.date | None = None,
    ):
        self.knowledge = knowledge
        self.spec = spec or load_spec()
        self.faq = faq
        self.bot_username = bot_username
        self._today = today
        # one cache per interview (a knowledge reload builds a new Interview): read-only results
        self._assess_answers = lru_cache(maxsize=1024)(self._assess_uncached)

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # ------------------------------------------------------------------ entry point

    def handle(self, state: dict[str, Any] | None, event: Event) -> Turn:
        # The store lays the chat's pending reminders over the state (they outlive the interview).
        pending = state.pop("reminders", None) if state is not None else None
        if (turn := self._reminders_event(state, event, pending or [])) is not None:
            return turn
        if state is not None and state.get("v") != STATE_VERSION:
            state = None  # a state of an older shape: start over rather than misread it
        if event.kind == "command":
            return self._command(state, event.text, event.arg)
        if event.kind == "button":
            return self._button(state, event.text)
        return self._text(state, event.text)

    # ------------------------------------------------------------------ answers

    def _button(self, state: dict[str, Any] | None, data: str) -> Turn:
        kind, _, rest = data.partition(":")
        if kind == "c" and rest in COMMANDS:
            return self._command(state, rest, "")
        if kind == "f":
            return self._faq_entry(state, rest)
        if kind in ("k", "e") and state is not None:
            return self._confirmed(state, rest == "1") if kind == "k" else self._edit(state, rest)
        if state is None:
            return self._start("", notice="会话已过期，我们重新开始。")
        if kind == "b":
            return self._follow_up_button(state, rest)
        if kind == "a":
            name, _, index = rest.partition(":")
            if name != state.get("asking"):
                return Turn(
                    state,
                    [self._ask(state, self.spec.questions[state["asking"]], notice="这个按钮已过期，请回答当前问题：")]
                    if state.get("asking")
                    else [],
                )
            question = self.spec.questions[name]
            options = options_for(question, self.knowledge, state["answers"])
            if index == "skip":
                return self._skip(state, name)
            if not (index.isascii() and index.isdigit()) or int(index) >= len(
                options
            ):  # "²", "①" are digits to isdigit()
                return Turn(state, [self._ask(state, question, error="请点选下面的按钮")])
            return self._accept(state, name, options[int(index)].value)
        return Turn(state, self._resume(state))

    def _text(self, state: dict[str, Any] | None, text: str) -> Turn:
        text = (text or "").strip()
        if state is None:
            turn = self._start("")
            if text and looks_like_question(text):
                turn.replies[1:1] = self._faq_replies(turn.state, text, resume=True)
                return turn
            if text:
                return self._text(turn.state, text) if not text.startswith("/") else turn
            return turn
        if not text:
            return Turn(state, self._resume(state, error="消息是空的"))
        name = state.get("asking")
        if name is None:
            # The interview is over: a question goes to the FAQ; a stray short answer gets a hint.
            if not looks_like_question(text) and len(text) <= 6:
                return Turn(
                    state,
                    [
                        Reply(
                            "评估已经完成。发送 /back 修改上一个回答，/restart 重新开始，"
                            "或直接提问（例如“续签要提前多久”）。"
                        )
                    ],
                )
            return Turn(state, self._faq_replies(state, text[:500], resume=False))
        question = self.spec.questions[name]
        said = self._understand(state, question, text)  # what the message says, read once
        if said.kind == "skip":
            return self._skip(state, name)
        if said.kind == "question":
            return Turn(state, self._faq_replies(state, text[:500], resume=True))
        if said.kind == "facts":
            return self._take_facts(state, said.facts, said.unsure)
        if said.kind == "ask_back":
            assert said.ask_back is not None
            state["clarify"] = said.ask_back.to_state(name)  # kept until answered or the question changes
            return Turn(state, [self._ask_back(state, question, said.ask_back)])
        if said.kind == "not_taken":
            return Turn(state, [self._ask(state, question, error=said.reason)])
        return self._accept(state, name, said.value)

    def _read(self, question: Question, text: str, state: dict[str, Any]) -> Reading:
        """Every typed answer is read by bot/dialog/reader.py (the same reader as `gjz read`)."""
        return read_answer(question, text, ReadContext(self.knowledge, state["answers"], self.today))

    def _ask_back(self, state: dict[str, Any], question: Question, reading: AskBack) -> Reply:
        buttons = [[Button(o.label, f"b:{question.field}:{i}") for i, o in enumerate(reading.options)]]
        return Reply(
            render("follow_up.html.j2", prompt=reading.prompt, text=self._question_text(question, state)),
            buttons=[row for row in buttons if row],
        )

    def _follow_up_button(self, state: dict[str, Any], rest: str) -> Turn:
        name, _, index = rest.partition(":")
        pending = state.get("clarify")
        if (
            not pending
            or pending.get("field") != name
            or name != state.get("asking")
            or not (index.isascii() and index.isdigit())
            or int(index) >= len(pending["options"])
        ):
            return Turn(state, self._resume(state, error="这个按钮已过期，请回答当前问题"))
        return self._accept(state, name, pending["options"][int(index)]["value"])

    def _parse(self, question: Question, text: str, state: dict[str, Any]) -> Any:
        """A value the text states outright; a follow-up or a misreading raises ParseError."""
        reading = self._read(question, text, state)
        if isinstance(reading, Taken):
            return reading.value
        raise parsers.ParseError(reading.reason if isinstance(reading, NotTaken) else reading.prompt)

    def _accept(self, state: dict[str, Any], name: str, value: Any) -> Turn:
        state.pop("batch", None)  # /back now undoes this one answer, not an earlier message
        if self.spec.questions[name].kind == "declare":
            if not value:  # not all of them: each is asked on its own
                state["no_declare"] = True
                state["history"].append(name)  # so /back from the first of them comes back here
                return self._next(state)
            value = sorted({field for field, _ in routing.declarations(state, self._assess(state))})
        trial = dict(state["answers"], **{name: value})
        implied = self._implied(name, value, trial)
        trial.update(implied)
        if {"district", "business"} <= trial.keys():
            try:
                self._profile(trial)
            except ValidationError as exc:
                question = self.spec.questions[name]
                return Turn(state, [self._ask(state, question, error=exc.errors()[0]["msg"])])
        if name == "district" and state["answers"].get("district") not in (None, value):
            trial.pop("category", None)  # categories differ by district
        state["answers"] = trial
        if name in state["history"]:
            state["history"].remove(name)
        state["history"] += [*implied, name]
        state["skipped"] = [s for s in state["skipped"] if s != name]
        return self._next(state)

    def _implied(self, name: str, value: Any, answers: dict[str, Any]) -> dict[str, Any]:
        """The other answers an option settles (a Chinese hukou: Chinese nationality), unless given."""
        option = next((o for o in self.spec.questions[name].options if o.value == value), None)
        return {f: v for f, v in (option.implies if option else {}).items() if f not in answers}

    def _skip(self, state: dict[str, Any], name: str) -> Turn:
        if name not in state["skipped"]:
            state["skipped"].append(name)
        return self._next(state, notice="好的，先跳过这个问题。")

    # ------------------------------------------------------------------ what next

    def _profile(self, answers: dict[str, Any]) -> Profile:
        data = {k: v for k, v in answers.items()}
        data.setdefault("application_date", self.today.isoformat())
        return Profile.model_validate(data)

    def _application_date(self, state: dict[str, Any]) -> dt.date:
        value = state["answers"].get("application_date")
        return dt.date.fromisoformat(value) if value else self.today

    def _assess(self, state: dict[str, Any]) -> Assessment | None:
        """The verdict on the answers so far. A turn asks for it several times (what is still
        missing, the question's words, the verdict), and an answer that changes nothing must
        not cost another assessment: the same answers on the same day give the same one."""
        if not {"district", "business"} <= state["answers"].keys():
            return None
        return self._assess_answers(json.dumps(state["answers"], sort_keys=True, ensure_ascii=False), self.today)

    def _assess_uncached(self, answers: str, today: dt.date) -> Assessment:
        return assess(self.knowledge, self._profile(json.loads(answers)), today=today)

    def _next(self, state: dict[str, Any], notice: str | None = None) -> Turn:
        state.pop("clarify", None)  # answered or skipped: its follow-up is done
        if state.get("confirm"):  # a stated change to an earlier answer is settled before going on
            return Turn(state, ([Reply(notice)] if notice else []) + [self._confirm_reply(state)])
        assessment = self._assess(state)
        pending = routing.pending(self.spec, state, assessment)
        if pending:
            state["asking"] = pending[0]
            return Turn(state, [self._ask(state, self.spec.questions[pending[0]], notice=notice, pending=pending)])
        if assessment is None:  # routing asks for the district and business before any verdict
            raise RuntimeError("no questions left and no assessment")
        state["asking"] = None
        replies = [Reply(notice)] if notice else []
        if state.pop("refine", False):  # the tailoring questions are answered: the checklist they tailor
            replies += self._checklist(state).replies
            return Turn(state, replies, assessment=assessment, record=self._record(state, assessment))
        refine = len(routing.tailoring(self.spec, state, assessment)) if assessment.verdict == "eligible" else 0
        replies.append(result_reply(assessment, refine=refine))
        return Turn(state, replies, assessment=assessment, record=self._record(state, assessment))

    def _resume(self, state: dict[str, Any] | None, error: str | None = None) -> list[Reply]:
        """Re-ask the current question (after help, a summary or an FAQ answer)."""
        if state is None:
            return []
        name = state.get("asking")
        if name is None:
            return []
        return [self._ask(state, self.spec.questions[name], error=error)]

    def _question_text(self, question: Question, state: dict[str, Any]) -> str:
        context = question_context(question, self.knowledge, state["answers"], self._application_date(state))
        return render_inline(question.text, **context) if context else question.text

    def _ask(
        self,
        state: dict[str, Any],
        question: Question,
        notice: str | None = None,
        error: str | None = None,
        pending: list[str] | None = None,
    ) -> Reply:
        if pending is None:
            pending = routing.pending(self.spec, state, self._assess(state)) or [question.field]
        # What is left, counted from what the rules still miss; until the district and the
        # business are known nobody can say how many questions follow.
        remaining = len(pending) if {"district", "business"} <= state["answers"].keys() else None
        options = options_for(question, self.knowledge, state["answers"])
        skippable = question.field not in ("district", "business")
        buttons = _layout([Button(o.label, f"a:{question.field}:{i}") for i, o in enumerate(options)], question.columns)
        if skippable and question.kind in ("choice", "yesno"):  # a declaration has its own "not sure"
            buttons.append([Button("不清楚", f"a:{question.field}:skip")])
        text = render(
            "question.html.j2",
            question=question,
            text=self._question_text(question, state),
            remaining=remaining,
            notice=notice,
            error=error,
            skippable=skippable,
            statements=[words for _, words in routing.declarations(state, self._assess(state))]
            if question.kind == "declare"
            else [],
            buttons_only=bool(options) and question.kind in ("choice", "yesno", "declare"),
        )
        return Reply(text, buttons=buttons)

    # ------------------------------------------------------------------ reminders, notices

    def _reminders_event(
        self, state: dict[str, Any] | None, event: Event, pending: list[dict[str, Any]]
    ) -> Turn | None:
        """提醒我 (c:remind), /reminders with its cancel buttons (r:<key>, r:*), /mute; None
        for any other event. Reminders are kept by the store, not in the interview."""
        from ..reminders import dialog

        return dialog.handle(self, state if state and state.get("v") == STATE_VERSION else None, event, pending)

    def _record(self, state: dict[str, Any], assessment: Assessment) -> dict[str, Any]:
        from ..reminders.notify import verdict_record

        return verdict_record(self.knowledge, state["answers"], assessment)

    # ------------------------------------------------------------------ FAQ

    def _faq_replies(self, state: dict[str, Any] | None, text: str, resume: bool) -> list[Reply]:
        answers = (state or {}).get("answers", {})
        reply = answer_question(
            self.knowledge, self.faq, text, answers.get("district"), resume, answers=answers, today=self.today
        )
        return [reply] + (self._resume(state) if resume else [])

    def _faq_entry(self, state: dict[str, Any] | None, entry_id: str) -> Turn:
        district = (state or {}).get("answers", {}).get("district")
        return Turn(state, [chosen_answer(self.knowledge, self.faq, entry_id, district)] + self._resume(state))


def _layout(buttons: list[Button], columns: int) -> list[list[Button]]:
    return [buttons[i : i + columns] for i in range(0, len(buttons), columns)]
