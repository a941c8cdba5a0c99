"""gjz ask."""

import json

from bot.cli import main


def test_ask_json(capsys):
    assert main(["ask", "朝阳工居证收费吗", "--json", "-k", "2", "--no-guides"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answers"][0]["id"] == "chaoyang-general-fee"
    assert len(data["answers"]) == 2 and isinstance(data["confident"], bool)


def test_ask_a_context_question_with_district_and_business(capsys):
    assert main(["ask", "电话多少", "--district", "朝阳", "--json", "--no-guides"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answers"][0]["id"] == "intent:office_phone" and "010-57596100" in data["answers"][0]["answer"]
    assert main(["ask", "要多久", "--district", "chaoyang", "--business", "renewal", "--no-guides"]) == 0
    assert "20个工作日" in capsys.readouterr().out
    assert main(["ask", "要多久", "--district", "chaoyang", "--business", "moving"]) == 2


def test_ask_text_and_district_by_name(capsys):
    assert main(["ask", "几点上班", "--district", "通州", "--no-guides"]) == 0
    out = capsys.readouterr().out
    assert "8:30" in out and "来源" in out


def test_ask_unsure_lists_choices_and_the_office(capsys):
    assert main(["ask", "续签", "--district", "chaoyang", "--no-guides"]) == 0
    out = capsys.readouterr().out
    assert "不太确定" in out and "1. " in out and "010-57596100" in out


def test_ask_unknown_district(capsys):
    assert main(["ask", "在哪办", "--district", "火星"]) == 2
    assert "unknown district" in capsys.readouterr().err
