"""The commands the interview answers itself (dialogs/commands.yaml, ``by: engine``): /start
with a share link's presets, /restart, /forget, /help, /back, /summary, /share, /checklist,
/details, /correct, /refine. Each is a turn over the state; none reads an answer.

A mixin of ``Interview`` (bot/dialog/engine.py): it uses the engine's flow (``_next``, ``_ask``,
``_resume``), its verdict (``_assess``), its question words (``_question_text``) and the
correction list of bot/dialog/stated.py (``_correct``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..rules.materials import by_party
from .commands import in_help
from .deeplink import decode_payload, encode_payload, share_link
from .messages import Reply, render
from .presenter import answer_label, details_reply, summary_items
from .turn import Turn, new_state

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from ..rules import Assessment
    from .spec import InterviewSpec, Question

CHECKLIST_FILE = "工作居住证材料清单.txt"


class _Engine(Protocol):
    """What the mixin uses of the engine (bot/dialog/engine.py Interview) and of itself, no
    more: the engine's own signatures may take more (``_ask``'s error and pending)."""

    spec: InterviewSpec
    knowledge: Knowledge
    bot_username: str

    def _next(self, state: dict[str, Any], notice: str | None = None) -> Turn: ...
    def _resume(self, state: dict[str, Any] | None, error: str | None = None) -> list[Reply]: ...
    def _ask(self, state: dict[str, Any], question: Question, notice: str | None = None) -> Reply: ...
    def _assess(self, state: dict[str, Any]) -> Assessment | None: ...
    def _question_text(self, question: Question, state: dict[str, Any]) -> str: ...
    def _correct(self, state: dict[str, Any]) -> Turn: ...
    def _start(self, payload: str, notice: str | None = None) -> Turn: ...
    def _back(self, state: dict[str, Any]) -> Turn: ...
    def _summary(self, state: dict[str, Any]) -> Turn: ...
    def _share(self, state: dict[str, Any]) -> Reply: ...
    def _checklist(self, state: dict[str, Any]) -> Turn: ...
    def _details(self, state: dict[str, Any]) -> Turn: ...


class CommandHandlers:
    def _command(self: _Engine, state: dict[str, Any] | None, name: str, arg: str) -> Turn:
        name = name.lower().lstrip("/")
        if name == "start":
            return self._start(arg)
        if name == "restart":
            return self._start("", notice="已清空之前的回答，重新开始。")
        if name == "forget":
            return Turn(
                None, [Reply("🗑 已删除您在本助手保存的全部回答和记录。发送 /start 可以重新开始。")], forget=True
            )
        if name == "help":
            return Turn(state, [Reply(render("help.html.j2", commands=in_help()))] + self._resume(state))
        if state is None:
            return self._start("")
        if name == "back":
            return self._back(state)
        if name == "summary":
            return self._summary(state)
        if name == "share":
            return Turn(state, [self._share(state)] + self._resume(state))
        if name == "checklist":
            return self._checklist(state)
        if name == "details":
            return self._details(state)
        if name == "correct":
            return self._correct(state)
        if name == "refine":
            state["refine"] = True
            return self._next(state)
        return Turn(state, [Reply("没有这个命令。" + render("help.html.j2", commands=in_help()))] + self._resume(state))

    def _start(self: _Engine, payload: str, notice: str | None = None) -> Turn:
        state = new_state()
        presets = decode_payload(payload)
        for name, value in presets.items():
            state["answers"][name] = value
            state["history"].append(name)
        labels = "、".join(
            answer_label(self.spec.questions[n], value, self.knowledge, state["answers"])
            for n, value in presets.items()
        )
        welcome = Reply(render("welcome.html.j2", presets=labels))
        turn = self._next(state, notice=notice)
        turn.replies.insert(0, welcome)
        return turn

    def _back(self: _Engine, state: dict[str, Any]) -> Turn:
        state.pop("clarify", None)  # a follow-up belongs to the question being left
        state.pop("confirm", None)
        if not state["history"]:
            return self._next(state, notice="已经是第一个问题了。")
        batch = state.pop("batch", None)
        if batch and state["history"][-len(batch) :] == batch:  # the last message stated several facts
            del state["history"][-len(batch) :]
            for name in batch:
                state["answers"].pop(name, None)
            return self._next(state, notice=f"↩️ 已撤销刚才那条消息记下的 {len(batch)} 项回答。")
        last = state["history"].pop()
        if last == "declared":
            state.pop("no_declare", None)  # "有不符合" undone: the declaration is offered again
        value = state["answers"].pop(last, None)
        option = (
            next((o for o in self.spec.questions[last].options if o.value == value), None)
            if last in self.spec.questions
            else None
        )
        for implied in option.implies if option else {}:  # what the undone answer settled goes with it
            if state["history"] and state["history"][-1] == implied:
                state["history"].pop()
                state["answers"].pop(implied, None)
        state["skipped"] = [s for s in state["skipped"] if s != last]
        question = self.spec.questions.get(last)
        if question is None:  # an answer no longer asked (a state kept from an older interview.yaml)
            return self._next(state, notice="↩️ 已撤销上一个回答。")
        state["asking"] = last
        return Turn(state, [self._ask(state, question, notice="↩️ 已撤销上一个回答，请重新回答：")])

    def _summary(self: _Engine, state: dict[str, Any]) -> Turn:
        items = summary_items(self.spec, self.knowledge, state["answers"], state["history"])
        skipped = [self._question_text(self.spec.questions[f], state) for f in state["skipped"]]
        return Turn(state, [Reply(render("summary.html.j2", items=items, skipped=skipped))] + self._resume(state))

    def _share(self: _Engine, state: dict[str, Any]) -> Reply:
        answers = state["answers"]
        if "district" not in answers:
            return Reply("请先选择所在区，再用 /share 生成分享链接。")
        payload = encode_payload(answers["district"], answers.get("employer_form"))
        link = share_link(self.bot_username, payload)
        return Reply(f"🔗 发给同事的链接（已预设区和单位性质）：\n{link}", html=False)

    def _checklist(self: _Engine, state: dict[str, Any]) -> Turn:
        assessment = self._assess(state)
        if assessment is None or not assessment.materials:
            return Turn(state, [Reply("还没有可以生成的材料清单，请先回答问题。")] + self._resume(state))
        # one line per item in the chat, in two groups (the applicant's, the unit's); the
        # forwarded file keeps the groups and adds each item's detail and reasons for return
        parties = by_party(assessment.materials)
        context = dict(a=assessment, ctx=assessment.context, parties=parties, document=CHECKLIST_FILE)
        return Turn(
            state,
            [
                Reply(
                    render("checklist_chat.txt.j2", **context),
                    html=False,
                    document=CHECKLIST_FILE,
                    document_text=render("checklist.txt.j2", **context),
                )
            ],
        )

    def _details(self: _Engine, state: dict[str, Any]) -> Turn:
        assessment = self._assess(state)
        if assessment is None:
            return Turn(state, [Reply("还没有评估结果，请先回答问题。")] + self._resume(state))
        return Turn(state, [details_reply(assessment)] + self._resume(state))
