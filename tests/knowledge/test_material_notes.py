"""Material notes carry their districts as data; `gjz check` names a bad one by file, line and field."""

from bot.knowledge import load_knowledge
from bot.knowledge.models import Material
from tests.knowledge.conftest import edit, line_of, run_check


def test_unknown_district_id_in_a_note(knowledge_copy, capsys):
    common = knowledge_copy / "materials" / "common.yaml"
    edit(
        common,
        "        districts: [tongzhou]\n        source: tongzhou-2021.txt §三(二) Ⅰ(3)",
        "        districts: [tongzhuo]\n        source: tongzhou-2021.txt §三(二) Ⅰ(3)",
    )
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    line = line_of(common, "districts: [tongzhuo]")
    assert f"knowledge/materials/common.yaml:{line}: materials[0].upload[7].districts[0]: " in err, err
    assert "'tongzhuo'" in err and "Traceback" not in err


def test_unknown_district_in_except(knowledge_copy, capsys):
    common = knowledge_copy / "materials" / "common.yaml"
    edit(common, "        except: [chaoyang]\n", "        except: [chaoyan]\n")
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    assert (
        f"knowledge/materials/common.yaml:{line_of(common, 'except: [chaoyan]')}: materials[0].upload[0].except[0]: "
        in err
    ), err


def test_a_district_note_needs_its_source(knowledge_copy, capsys):
    common = knowledge_copy / "materials" / "common.yaml"
    edit(
        common,
        "        districts: [tongzhou]\n        source: tongzhou-2021.txt §三(二) Ⅰ(3)\n",
        "        districts: [tongzhou]\n",
    )
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    assert "materials[0].upload[7]: " in err and "needs its source" in err, err


def test_a_district_named_in_the_text_instead_of_as_data(knowledge_copy, capsys):
    # The old style: a city-wide reason for return that is one district's rule in parentheses.
    common = knowledge_copy / "materials" / "common.yaml"
    edit(common, "      - 只上传续签页，合同内容不完整\n", "      - 只上传续签页，合同内容不完整（经开区）\n")
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    line = line_of(common, "合同内容不完整（经开区）")
    assert f"knowledge/materials/common.yaml:{line}: " in err and "'经开区' (bda)" in err, err
    # … and a note for Chaoyang that names Dongcheng
    edit(common, "      - 只上传续签页，合同内容不完整（经开区）\n", "      - 只上传续签页，合同内容不完整\n")
    edit(common, "- text: 合同须尚有三个月以上期限", "- text: 合同须尚有三个月以上期限（东城六个月）")
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1 and "'东城' (dongcheng)" in err, err


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
