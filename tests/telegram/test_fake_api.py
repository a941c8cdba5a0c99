"""The stand-in rejects what Telegram rejects, so the e2e tests' `errors == []` means something."""

import json
import urllib.error
import urllib.request

import pytest

from .conftest import TOKEN


def call(fake_api, method: str, **params):
    body = json.dumps(params).encode()
    request = urllib.request.Request(f"{fake_api.url}{TOKEN}/{method}", body, {"Content-Type": "application/json"})
    try:
        return json.loads(urllib.request.urlopen(request, timeout=5).read())
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read())


@pytest.mark.parametrize(
    "params, description",
    [
        ({"chat_id": 1, "text": ""}, "message text is empty"),
        ({"chat_id": 1, "text": "x" * 4097}, "message is too long"),
        ({"chat_id": 1, "text": "<b>open", "parse_mode": "HTML"}, "can't parse entities"),
        ({"chat_id": 1, "text": "<div>x</div>", "parse_mode": "HTML"}, "can't parse entities"),
        (
            {
                "chat_id": 1,
                "text": "ok",
                "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "x" * 65}]]},
            },
            "BUTTON_DATA_INVALID",
        ),
    ],
)
def test_send_message_errors_like_telegram(fake_api, params, description):
    answer = call(fake_api, "sendMessage", **params)
    assert answer["ok"] is False and answer["error_code"] == 400 and description in answer["description"]


def test_a_valid_message_is_recorded_with_its_buttons(fake_api):
    answer = call(
        fake_api,
        "sendMessage",
        chat_id=7,
        text="<b>你好</b>",
        parse_mode="HTML",
        reply_markup={"inline_keyboard": [[{"text": "是", "callback_data": "a:x:0"}]]},
    )
    assert answer["ok"] and fake_api.chats[7].messages[0].text == "你好"
    assert fake_api.chats[7].messages[0].buttons[0][0]["callback_data"] == "a:x:0"
    edit = call(fake_api, "editMessageReplyMarkup", chat_id=7, message_id=answer["result"]["message_id"])
    assert edit["ok"] and fake_api.chats[7].messages[0].buttons == []
    again = call(fake_api, "editMessageReplyMarkup", chat_id=7, message_id=answer["result"]["message_id"])
    assert again["error_code"] == 400 and "not modified" in again["description"]


def test_wrong_token_is_unauthorized(fake_api):
    request = urllib.request.Request(f"{fake_api.url}123:wrong/getMe", b"{}", {"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code == 401


def test_keep_alive_serves_many_calls_on_one_connection(fake_api):
    import http.client

    port = int(fake_api.url.rsplit(":", 1)[1].split("/")[0])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for i in range(3):
        connection.request("POST", f"/bot{TOKEN}/getMe", b"{}", {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200 and response.version == 11
        assert json.loads(response.read())["result"]["is_bot"] is True
        if i == 0:
            local = connection.sock.getsockname()
        assert connection.sock.getsockname() == local  # the same TCP connection every time
    connection.close()


def test_per_chat_limit_answers_429_for_that_chat_only(fake_api):
    fake_api.per_chat_limit(2, retry_after=3)
    assert call(fake_api, "sendMessage", chat_id=1, text="a")["ok"]
    assert call(fake_api, "sendMessage", chat_id=1, text="b")["ok"]
    refused = call(fake_api, "sendMessage", chat_id=1, text="c")
    assert refused["error_code"] == 429 and refused["parameters"]["retry_after"] == 3
    assert call(fake_api, "sendMessage", chat_id=2, text="other chat")["ok"]
    assert call(fake_api, "sendMessage", chat_id=1, text="still blocked")["error_code"] == 429
    fake_api.per_chat_limit(None)
    assert call(fake_api, "sendMessage", chat_id=1, text="d")["ok"]
