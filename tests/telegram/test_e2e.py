"""End to end: the real `gjz run` process, the local Bot API stand-in, users typing and pressing."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from .applicant import APPLICANT
from .conftest import BotProcess, Conversation, field_asked, free_port, is_verdict

LABELS = {  # the button a user presses for a value
    "district": {"bda": "经开区", "chaoyang": "朝阳区", "dongcheng": "东城区", "tongzhou": "通州区"},
}


def complete_interview(user: Conversation, answers: dict, first_message, limit: int = 30):
    """Answer whatever the bot asks from ``answers``: buttons for choices, typing otherwise."""
    message = first_message
    asked = []
    while not is_verdict(message):
        name = field_asked(message.text)
        assert name is not None, message.text
        assert len(asked) < limit, asked
        asked.append(name)
        value = answers[name]
        message = user.press(value[1]) if isinstance(value, tuple) else user.say(value)  # ("press", label)
    return message, asked


# The benchmarks' applicant but for the district (each test has its own: asked again, it fails),
# with three years' work, and the income and hukou typed in words.
COMMON = {name: value for name, value in APPLICANT.items() if name != "district"} | {
    "work_years": "3年",
    "monthly_income": "两万",
    "hukou": "外地户口",
}


@pytest.mark.parametrize(
    "district, how",
    [("bda", "亦庄"), ("chaoyang", ("press", "朝阳区")), ("dongcheng", "东城"), ("tongzhou", ("press", "通州区"))],
)
def test_whole_interview_in_each_seeded_district(bot, fake_api, district, how):
    user = Conversation(fake_api, 6000 + len(district))
    user.say("/start", expect="哪个区")
    message = user.press(how[1]) if isinstance(how, tuple) else user.say(how)
    result, asked = complete_interview(user, COMMON, message)
    assert "符合条件" in result.text.splitlines()[0], result.text[:500]
    assert len(result.text) <= 1000  # one screen
    checklist = user.press("材料清单", expect="材料清单")
    assert checklist.parse_mode is None  # plain text: forwardable as is
    document = fake_api.wait_for(user.chat_id, 0, lambda m: m.kind == "document")
    assert document.filename.endswith(".txt") and "劳动合同" in document.text
    assert fake_api.errors == [], fake_api.errors


def test_deep_link_back_and_restart(bot, fake_api):
    user = Conversation(fake_api, 7001)
    user.say("/start chaoyang-institution", expect="哪项业务")
    assert any("事业单位" in m.text for m in fake_api.chats[7001].messages)
    user.press("新办", expect="户口")  # a knock-out first
    user.say("外地户口", expect="在现单位")
    back = user.say("/back", expect="已撤销")
    assert "户口" in back.text
    user.press("外地户口", expect="在现单位")
    summary = user.say("/summary", expect="您已回答")
    assert "事业单位" in summary.text and "朝阳区" in summary.text and "外地户口" in summary.text
    restarted = user.say("/restart", expect="哪个区")
    assert "还有约" not in restarted.text  # nobody knows the count before the district
    assert fake_api.errors == []


ONE_MESSAGE = "我在亦庄上班，硕士毕业工作3年了，月薪1.8万，入职8个月，租房住，外地户口，30岁"


def test_a_one_message_profile_a_correction_and_the_verdicts_buttons(bot, fake_api):
    user = Conversation(fake_api, 7101)
    user.say("/start", expect="哪个区")
    recap = user.say(ONE_MESSAGE, expect="已记下")
    assert "经开区" in recap.text and "工作 3 年" in recap.text and "月收入 18,000 元" in recap.text
    fake_api.wait_for(user.chat_id, 0, lambda m: "哪项业务" in m.text)
    listing = user.press("更正", expect="要更正哪一项")
    assert any("工作年限" in b["text"] for row in listing.buttons for b in row)
    user.press("工作年限", expect="工作经历")
    user.say("5年")  # the correction, then the interview goes on where it was
    user.press("新办", expect="都符合")  # what is left: one declaration in the district's words
    verdict = user.press("都符合")
    assert is_verdict(verdict) and "符合条件" in verdict.text.splitlines()[0]
    assert len(verdict.text) <= 1000
    labels = [b["text"] for row in verdict.buttons for b in row]
    assert any("材料清单" in b for b in labels) and any("分享" in b for b in labels)
    details = user.press("条件详情", expect="条件详情")
    assert "工作经历 5 年" in details.text  # the corrected answer decided
    refine = next(b for b in labels if b.startswith("📝 细化材料清单"))
    question = user.press(refine)
    assert "还有约" in question.text  # the checklist-tailoring questions, asked only now
    assert fake_api.errors == [], fake_api.errors


@pytest.mark.parametrize(
    "code, description", [(400, "Bad Request: chat not found"), (403, "Forbidden: bot was blocked by the user")]
)
def test_a_chat_telegram_refuses_is_confirmed_not_retried_forever(bot, fake_api, code, description):
    # A refusal is permanent: sending again fails the same way. The update must still be
    # confirmed, or polling would fetch it (and hold back the offset) again and again.
    fake_api.refused[777] = (code, description)
    refused_id = fake_api.send_text(777, "/start")
    user = Conversation(fake_api, 778)
    user.say("/start", expect="哪个区")
    deadline = time.monotonic() + 10

    def attempts() -> int:
        return sum(1 for method, p in fake_api.calls if method == "sendMessage" and int(p["chat_id"]) == 777)

    while not any(offset > refused_id for offset in fake_api.get_updates_offsets()) or not attempts():
        assert time.monotonic() < deadline, "the refused update was never confirmed"
        time.sleep(0.05)
    first = attempts()
    time.sleep(2.5)  # long enough for two more rounds of the old retry back-off (1 s, 2 s)
    assert first == 1 and attempts() == 1  # one refusal, and none of the turn's other replies tried


def test_run_with_a_webhook_url_refuses_and_names_gjz_serve(fake_api, tmp_path):
    # PTB's own webhook server answers Telegram 200 before the turn is committed (an update
    # lost in a crash); webhooks go through gjz serve, so gjz run says so and serves nothing.
    port = free_port()
    process = BotProcess(
        fake_api.url,
        tmp_path / "data",
        {
            "GJZ_WEBHOOK_URL": "https://bot.example.org/telegram",
            "GJZ_WEBHOOK_SECRET": "s3cret_token",
            "GJZ_LISTEN": "127.0.0.1",
            "GJZ_PORT": str(port),
        },
    ).start()
    assert process.proc.wait(30) == 2
    output = process.log.read_text()
    assert "gjz serve" in output and "GJZ_WEBHOOK_URL" in output
    assert fake_api.webhook is None and not any(m == "getUpdates" for m, _ in fake_api.calls)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/telegram", timeout=2)


def test_sighup_reloads_knowledge_in_polling_mode_and_refuses_broken(fake_api, tmp_path):
    import shutil
    import signal

    from tests.conftest import KNOWLEDGE_DIR

    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    process = BotProcess(fake_api.url, tmp_path / "data", {"GJZ_KNOWLEDGE_DIR": str(knowledge)}).start()
    try:
        user = Conversation(fake_api, 9901)
        user.say("/start", expect="哪个区", timeout=30)

        def wait_log(text):
            deadline = time.monotonic() + 20
            while text not in process.log.read_text(errors="replace"):
                assert process.proc.poll() is None, "SIGHUP must not stop the bot"
                assert time.monotonic() < deadline, text
                time.sleep(0.1)

        (knowledge / "wages.yaml").write_text("values: [", encoding="utf-8")
        process.proc.send_signal(signal.SIGHUP)
        wait_log("knowledge reload refused")
        user.say("朝阳", expect="哪项业务")  # still answering, on the old knowledge
        shutil.copy(KNOWLEDGE_DIR / "wages.yaml", knowledge / "wages.yaml")
        process.proc.send_signal(signal.SIGHUP)
        wait_log("knowledge reloaded")
        assert process.proc.poll() is None
    finally:
        process.stop()
