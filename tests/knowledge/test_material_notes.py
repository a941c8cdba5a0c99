"""Material notes carry their districts as data; `gjz check` names a bad one by file, line and field."""

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.materials import Material
from tests.knowledge.conftest import check_names, edit

TONGZHOU_NOTE = "        districts: [tongzhou]\n        source: tongzhou-2021.txt §三(二) Ⅰ(3)\n"

# One defect planted in materials/common.yaml per case: (text, replaced by, the text whose line
# the error must name or None for any line, what follows "file:line: " as a regex).
PLANTED = {
    "unknown_district_id_in_a_note": (
        TONGZHOU_NOTE,
        TONGZHOU_NOTE.replace("[tongzhou]", "[tongzhuo]"),
        "districts: [tongzhuo]",
        r"materials\[0\]\.upload\[7\]\.districts\[0\]: .*'tongzhuo'",
    ),
    "unknown_district_in_except": (
        "        except: [chaoyang]\n",
        "        except: [chaoyan]\n",
        "except: [chaoyan]",
        r"materials\[0\]\.upload\[0\]\.except\[0\]: ",
    ),
    "a_district_note_needs_its_source": (
        TONGZHOU_NOTE,
        "        districts: [tongzhou]\n",
        None,
        r"materials\[0\]\.upload\[7\]: .*needs its source",
    ),
}


@pytest.mark.parametrize("old, new, at, says", PLANTED.values(), ids=PLANTED)
def test_a_bad_note_is_named_by_line_and_field(knowledge_copy, capsys, old, new, at, says):
    check_names(knowledge_copy, capsys, "materials/common.yaml", old, new, at, says)


def test_a_district_named_in_the_text_instead_of_as_data(knowledge_copy, capsys):
    # The old style: a city-wide reason for return that is one district's rule in parentheses.
    common, city_wide = "materials/common.yaml", "      - 只上传续签页，合同内容不完整\n"
    bda_in_text = city_wide.replace("不完整", "不完整（经开区）")
    check_names(
        knowledge_copy, capsys, common, city_wide, bda_in_text, "合同内容不完整（经开区）", r".*'经开区' \(bda\)"
    )
    # … and a note for Chaoyang that names Dongcheng
    edit(knowledge_copy / common, bda_in_text, city_wide)
    chaoyang_note = "- text: 合同须尚有三个月以上期限"
    check_names(
        knowledge_copy, capsys, common, chaoyang_note, chaoyang_note + "（东城六个月）", None, r".*'东城' \(dongcheng\)"
    )


def test_a_note_may_name_its_own_district(knowledge_copy):
    # BDA's own note about 住经开区公租房 is its own rule: no defect.
    knowledge = load_knowledge(knowledge_copy)
    notes = knowledge.materials["public_rental_contract"].upload
    assert "经开区" in notes[0].text and notes[0].districts == ["bda"]


def test_who_reads_a_note():
    m = Material.model_validate(
        {
            "id": "x",
            "name": "x",
            "source": "bda-2026.txt §六",
            "upload": [
                "city",
                {"text": "not chaoyang", "except": ["chaoyang"]},
                {"text": "bda", "districts": ["bda"], "source": "bda-2026.txt §六"},
                {
                    "text": "dc renewal",
                    "districts": ["dongcheng"],
                    "businesses": ["renewal"],
                    "source": "dongcheng-renewal-checklist.txt 续签需提供的材料 1",
                },
            ],
        }
    )
    assert m.upload_for("bda", "new") == ["city", "not chaoyang", "bda"]
    assert m.upload_for("chaoyang", "new") == ["city"]
    assert m.upload_for("dongcheng", "new") == ["city", "not chaoyang"]
    assert m.upload_for("dongcheng", "renewal") == ["city", "not chaoyang", "dc renewal"]
    assert m.upload_for(None) == ["city", "not chaoyang"]  # no district known: the city-wide ones
