"""Facts stated in a sentence, and corrections: the part of the interview that takes more
than the answer asked for ("硕士，工作3年，月薪1.8万…"), recaps it in one line, confirms a
change to an earlier answer first, and lets any answer be asked again.

A mixin of ``Interview`` (bot/dialog/engine.py): it uses the engine's reader (``_read``),
profile check (``_profile``), implied answers (``_implied``) and flow (``_next``, ``_accept``,
``_ask``, ``_resume``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from . import parsers
from .messages import Button, Reply
from .presenter import FIELD_LABELS, answer_label
from .questions import looks_like_question
from .reader import AskBack, NotTaken, Taken, read_follow_up
from .turn import Turn
from .understand import Understood, find_facts
from .understand import load_rules as load_fact_rules

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from ..rules import Profile
    from .reader import Reading
    from .spec import InterviewSpec, Question


class _Engine(Protocol):
    """What the mixin uses of the engine (bot/dialog/engine.py Interview), no more: the
    engine's own signatures may take more (``_ask``'s error and pending)."""

    spec: InterviewSpec
    knowledge: Knowledge

    def _read(self, question: Question, text: str, state: dict[str, Any]) -> Reading: ...
    def _facts(self, state: dict[str, Any], text: str) -> tuple[dict[str, Any], list[str]]: ...
    def _profile(self, answers: dict[str, Any]) -> Profile: ...
    def _implied(self, name: str, value: Any, answers: dict[str, Any]) -> dict[str, Any]: ...
    def _next(self, state: dict[str, Any], notice: str | None = None) -> Turn: ...
    def _accept(self, state: dict[str, Any], name: str, value: Any) -> Turn: ...
    def _resume(self, state: dict[str, Any] | None, error: str | None = None) -> list[Reply]: ...
    def _ask(self, state: dict[str, Any], question: Question, notice: str | None = None) -> Reply: ...


class StatedFacts:
    def _understand(self: _Engine, state: dict[str, Any], question: Question, text: str) -> Understood:
        """What the message says to the question asked, in the order that decides it."""
        name = question.field
        pending = state.get("clarify")
        if pending and pending.get("field") == name:  # a typed reply to a follow-up ("年", "个月")
            taken = read_follow_up(AskBack.from_state(pending), text)
            if taken is not None:
                return Understood("answer", taken.value)
        if name not in ("district", "business") and parsers.normalise(text).lower() in self.spec.skip_words:
            return Understood("skip")
        asks = looks_like_question(text)
        if asks and question.kind in ("choice", "yesno") and len(text) > 4:
            return Understood("question")  # "续签要提前多久？" names an option but asks something
        facts, unsure = ({}, []) if asks else self._facts(state, text)
        if facts.keys() - {name}:  # more than the answer asked for: "硕士，工作3年，月薪1.8万…"
            return Understood("facts", facts=facts, unsure=unsure)
        reading = self._read(question, text, state)
        if isinstance(reading, NotTaken) and name in facts:  # "入职8个月" to "在现单位工作多久了？"
            return Understood("answer", facts[name])
        if isinstance(reading, AskBack):
            return Understood("ask_back", ask_back=reading)
        if isinstance(reading, NotTaken):
            if asks or (len(text) > 12 and question.kind != "incomes"):
                return Understood("question")  # not an answer, and a question or a sentence: the FAQ
            return Understood("not_taken", reason=reading.reason)
        return Understood("answer", reading.value)

    def _facts(self: _Engine, state: dict[str, Any], text: str) -> tuple[dict[str, Any], list[str]]:
        """The profile facts a message states (bot/dialog/understand), each read by its question's
        reader, and the fields it names with a figure not taken ("入职不到两年")."""

        def read(field: str, figure: str) -> Any:
            reading = self._read(self.spec.questions[field], figure, state)
            if not isinstance(reading, Taken):  # asked back or refused: not a fact, its question will ask
                raise parsers.ParseError(getattr(reading, "reason", "not taken"))
            return reading.value

        unsure: list[str] = []
        facts = find_facts(text, self.spec, self.knowledge, state["answers"], read, unsure=unsure)
        return facts, [f for f in unsure if f not in facts and f not in state["answers"]]

    def _take_facts(self: _Engine, state: dict[str, Any], facts: dict[str, Any], unsure: Sequence[str] = ()) -> Turn:
        """Take what a message states; one that changes an earlier answer is confirmed first."""
        answers = state["answers"]
        taken = []
        before = len(state["history"])
        for name, value in facts.items():
            if name in answers:
                continue
            trial = dict(answers, **{name: value})
            if {"district", "business"} <= trial.keys():
                try:
                    self._profile(trial)
                except ValidationError:
                    continue  # out of range for the profile: its question will ask
            implied = self._implied(name, value, trial)
            answers.update({name: value, **implied})
            state["history"] += [*implied, name]
            state["skipped"] = [s for s in state["skipped"] if s != name]
            taken.append(name)
        changed = [(f, v) for f, v in facts.items() if f in answers and f not in taken and answers[f] != v]
        replies = []
        if taken:
            recap = load_fact_rules().recap
            items = [
                recap.get(f, "{}").format(answer_label(self.spec.questions[f], answers[f], self.knowledge, answers))
                for f in taken
            ]
            later = [FIELD_LABELS.get(f, f) for f in unsure]  # named in the recap, asked in their turn
            replies.append(
                Reply(
                    "已记下：" + " · ".join(items) + ("\n稍后确认：" + "、".join(later) if later else ""),
                    buttons=[[Button("✏️ 更正", "c:correct")]],
                )
            )
        if changed:
            state["confirm"] = list(changed[0])  # asked before anything else (engine._next)
        state["batch"] = state["history"][before:]  # what /back undoes: the whole message
        turn = self._next(state)
        turn.replies[:0] = replies
        return turn

    def _confirm_reply(self: _Engine, state: dict[str, Any]) -> Reply:
        """ "以哪个为准？" for a stated fact that changes an earlier answer; it stays asked until
        one of its buttons is pressed, whatever else the user answers meanwhile."""
        name, value = state["confirm"]
        answers = state["answers"]
        question = self.spec.questions[name]
        old = answer_label(question, answers[name], self.knowledge, answers)
        new = answer_label(question, value, self.knowledge, answers)
        return Reply(
            f"您之前回答“{FIELD_LABELS.get(name, name)}”为 {old}，现在是 {new}，以哪个为准？",
            buttons=[[Button(f"改为 {new}", "k:1"), Button(f"保持 {old}", "k:0")]],
        )

    def _confirmed(self: _Engine, state: dict[str, Any], keep_new: bool) -> Turn:
        pending = state.pop("confirm", None)
        if pending is None:
            return Turn(state, self._resume(state))
        field, value = pending
        if keep_new:
            return self._accept(state, field, value)
        return self._next(state)

    def _correct(self: _Engine, state: dict[str, Any]) -> Turn:
        """Every answer as a button: pressing one asks that question again."""
        rows = [
            [
                Button(
                    f"✏️ {FIELD_LABELS.get(f, f)}：{answer_label(self.spec.questions[f], state['answers'][f], self.knowledge, state['answers'])}"[
                        :40
                    ],
                    f"e:{f}",
                )
            ]
            for f in state["history"]
            if f in state["answers"] and f in self.spec.questions
        ]
        return Turn(state, [Reply("要更正哪一项？点一下即可重新回答。", buttons=rows)])

    def _edit(self: _Engine, state: dict[str, Any], field: str) -> Turn:
        if field not in self.spec.questions:
            return Turn(state, self._resume(state))
        state["answers"].pop(field, None)
        state["history"] = [f for f in state["history"] if f != field]
        state["asking"] = field
        return Turn(state, [self._ask(state, self.spec.questions[field], notice="请重新回答：")])
