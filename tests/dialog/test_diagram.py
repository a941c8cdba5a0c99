"""dialogs/interview.mmd stays what the engine really asks (regenerate with gjz dialogs --mermaid)."""

from bot.dialog.diagram import mermaid
from bot.dialog.spec import DIALOGS_DIR


def test_committed_diagram_is_current(knowledge):
    committed = (DIALOGS_DIR / "interview.mmd").read_text(encoding="utf-8")
    assert committed == mermaid(knowledge), "run: gjz dialogs --mermaid > dialogs/interview.mmd"


def test_degree_applicants_are_never_asked_about_titles_or_yearly_incomes(knowledge):
    text = mermaid(knowledge)
    assert "title" not in text.replace("result_", "")
    assert "annual_incomes" not in text
    assert "district -->|all| business" in text
