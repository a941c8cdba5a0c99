"""Guide passages: cut at the guides' own headings, labelled like the knowledge's citations."""

from bot.faq.guides import cut, quote
from tests.conftest import GUIDES_DIR, needs_guides

pytestmark = needs_guides


def sections(file):
    return {p.section for p in cut((GUIDES_DIR / file).read_text(encoding="utf-8"), file)}


def test_bda_sections_follow_the_guide_numbering():
    got = sections("bda-2026.txt")
    assert {"§二", "§三", "§六(一) 【涉及材料】", "§六(四) 【续签条件】", "§六(七) 【涉及材料】", "附件一"} <= got
    assert not any(s.startswith("§二(") for s in got)  # the category list 1.–8. is not a heading


def test_chaoyang_process_steps_are_not_sections():
    got = sections("chaoyang-2021.txt")
    assert {f"§{n} 【办理材料】" for n in "一二三四五六七"} <= got
    assert "§三 【审批时限】" in got


def test_other_guides():
    assert {"§四", "§六(三)", "附件五"} <= sections("dongcheng-2021.txt")
    assert {"§二(二)", "§三(二) Ⅰ", "§六"} <= sections("tongzhou-2021.txt")
    assert {"序号1", "序号8"} <= sections("dongcheng-renewal-checklist.txt")


def test_passages_are_short_and_quoted_with_their_source():
    passages = cut((GUIDES_DIR / "bda-2026.txt").read_text(encoding="utf-8"), "bda-2026.txt")
    assert all(len(p.text) <= 480 for p in passages)
    renewal = next(p for p in passages if p.section == "§六(四) 【续签条件】")
    q = quote(renewal)
    assert q.startswith("指南原文（bda-2026.txt §六(四) 【续签条件】）：“") and q.endswith("”")
